// Kafka sinks against a real broker (KAFKA_BROKERS; started by the vitest global setup when
// unset): FORMAT UPSERT (latest row per key, tombstones), FORMAT PLAIN (append-only queries
// only), each tick one transaction read back read_committed, nothing twice across a restart.
import { describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { createTopic, kafkaBrokers, kafkaClientsForFile, uniqueTopic } from '../harness/kafka.js';
import { KafkajsReader } from '../../src/sources/kafka/kafkajs-reader.js';
import type { KafkaRecord } from '../../src/sources/kafka/kafka-client.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const clients = kafkaClientsForFile(brokers);

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

/** Every committed record of the topic, waiting until `done` says enough came. */
async function readTopic(topic: string, done: (rs: KafkaRecord[]) => boolean): Promise<KafkaRecord[]> {
  const reader = new KafkajsReader({ brokers, clientId: 'weir-test-sink-reader' });
  try {
    const parts = await reader.partitions(topic);
    reader.assign(topic, parts.map((p) => ({ partition: p, offset: 0n })));
    const out: KafkaRecord[] = [];
    const end = Date.now() + 20_000;
    while (!done(out) && Date.now() < end) out.push(...(await reader.poll(1000, 200)).records);
    for (let i = 0; i < 3; i++) out.push(...(await reader.poll(1000, 100)).records); // nothing more may come
    return out;
  } finally {
    await reader.close();
  }
}

describe('kafka sink', () => {
  test('FORMAT UPSERT: applying the topic gives the view; a restart sends nothing twice', async () => {
    const topic = uniqueTopic('spend');
    await createTopic(clients.admin, topic, 2);
    const dir = tempDataDir();
    let db: InProcess = await inProcess(dir);
    await db.run('CREATE TABLE orders (id int PRIMARY KEY, country text, amount int)');
    await db.run('CREATE MATERIALIZED VIEW spend AS SELECT country, sum(amount) AS total, count(*) AS n FROM orders GROUP BY country');
    await db.run("INSERT INTO orders VALUES (1, 'NL', 10), (2, 'SE', 5)");
    await db.run(`CREATE SINK spend_out FROM spend WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}') FORMAT UPSERT ENCODE JSON`);
    await db.run("INSERT INTO orders VALUES (3, 'NL', 7)");
    await db.run('UPDATE orders SET amount = 6 WHERE id = 2');
    await db.run("DELETE FROM orders WHERE country = 'SE'");
    await db.run("INSERT INTO orders VALUES (4, 'DE', 1)");
    await db.close();
    db = await inProcess(dir);
    await db.run("INSERT INTO orders VALUES (5, 'DE', 2)");
    const expected = new Map((await db.rows('SELECT country, total, n FROM spend')).map((r) => [JSON.stringify({ country: r[0] }), r]));
    const records = await readTopic(topic, (rs) => rs.some((r) => JSON.parse(text(r.value) ?? 'null')?.total === 3));
    const state = new Map<string, string | null>();
    const ticks: number[] = [];
    const tickOf = (r: KafkaRecord) => Number(text(r.headers.find((h) => h.key === 'weir-tick')!.value));
    for (const r of records.sort((a, b) => tickOf(a) - tickOf(b))) {
      state.set(JSON.stringify(JSON.parse(text(r.key)!)), text(r.value));
      ticks.push(tickOf(r));
    }
    const live = [...state].filter(([, v]) => v !== null);
    expect(live.map(([k]) => k).sort()).toEqual([...expected.keys()].sort());
    for (const [k, v] of live) {
      const row = expected.get(k)!;
      expect(JSON.parse(v!)).toEqual({ country: row[0], total: Number(row[1]), n: Number(row[2]) });
    }
    expect(state.get(JSON.stringify({ country: 'SE' }))).toBeNull(); // SE was deleted: a tombstone
    // Snapshot, 4 ticks, then 1 after the restart: each tick's records once.
    expect(records.length).toBe(2 + 1 + 1 + 1 + 1 + 1);
    expect(new Set(ticks).size).toBe(6);
    await db.close();
  }, 90_000);

  test('FORMAT PLAIN: append-only queries only', async () => {
    const topic = uniqueTopic('clicks');
    await createTopic(clients.admin, topic, 1);
    const db = await inProcess();
    await db.run('CREATE TABLE clicks (id int, url text) APPEND ONLY');
    await db.run('CREATE TABLE plain_t (id int, url text)');
    const sink = (name: string, q: string) =>
      db.run(`CREATE SINK ${name} AS ${q} WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}') FORMAT PLAIN ENCODE JSON`);
    await expect(sink('bad', 'SELECT id FROM plain_t')).rejects.toMatchObject({ code: '0A000' });
    await expect(sink('bad', 'SELECT count(*) FROM clicks')).rejects.toMatchObject({ code: '0A000' });
    await sink('clicks_out', "SELECT id, upper(url) AS url FROM clicks WHERE id > 0");
    await db.run("INSERT INTO clicks VALUES (1, 'a'), (0, 'skip'), (2, 'b')");
    const records = await readTopic(topic, (rs) => rs.length >= 2);
    expect(records.map((r) => JSON.parse(text(r.value)!)).sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, url: 'A' },
      { id: 2, url: 'B' },
    ]);
    await db.close();
  }, 60_000);
});
