// Exactly once, proven (issue 4 item 6): a known event set is produced to a Kafka topic while a
// weir server child reads it into views and sinks a view's changes to another topic; the server
// is killed with SIGKILL at random moments, three times, and restarted on the same data
// directory. At the end every view equals the oracle computed from the produced events, and the
// sink topic, read read_committed and applied key by key, equals the view: no change lost, none
// applied twice (each tick's records come once, in one transaction). A view created after the
// crashes sees each event once too.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServerProcess, type ServerProcess } from '../harness/server-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { createTopic, kafkaBrokers, kafkaTestClients, uniqueTopic, type KafkaTestClients } from '../harness/kafka.js';
import { KafkajsReader } from '../../src/sources/kafka/kafkajs-reader.js';
import type { KafkaRecord } from '../../src/sources/kafka/kafka-client.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const EVENTS = 6000;
let clients: KafkaTestClients;
beforeAll(async () => {
  clients = await kafkaTestClients(brokers);
}, 60_000);
afterAll(async () => {
  await clients?.close();
});

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
const event = (i: number) => ({ id: i, bidder: i % 13, price: (i * 7919) % 1000 });

async function connect(server: ServerProcess): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: server.url });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

describe('kafka exactly once through kill -9', () => {
  test('views and the sink topic equal the oracle after three crashes', async () => {
    const input = uniqueTopic('eo-bids');
    const output = uniqueTopic('eo-spend');
    await createTopic(clients.admin, input, 3);
    await createTopic(clients.admin, output, 2);
    const dataDir = tempDataDir();
    let server = await startServerProcess(dataDir);
    let client = await connect(server);
    await client.query(`CREATE SOURCE bids (id bigint, bidder bigint, price bigint)
      WITH (connector = 'kafka', topic = '${input}', properties.bootstrap.server = '${brokers.join(',')}') FORMAT PLAIN ENCODE JSON`);
    await client.query('CREATE MATERIALIZED VIEW spend AS SELECT bidder, count(*) AS n, sum(price) AS total FROM bids GROUP BY bidder');
    await client.query(`CREATE SINK spend_out FROM spend
      WITH (connector = 'kafka', topic = '${output}', properties.bootstrap.server = '${brokers.join(',')}') FORMAT UPSERT ENCODE JSON`);
    await client.end();

    // The producer keeps going while the server is killed and restarted.
    let produced = 0;
    const producing = (async () => {
      while (produced < EVENTS) {
        const batch = Array.from({ length: 100 }, (_, k) => produced + k);
        await clients.producer.send({ topic: input, messages: batch.map((i) => ({ key: String(i), value: JSON.stringify(event(i)) })) });
        produced += batch.length;
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 900));
      await server.kill('SIGKILL');
      server = await startServerProcess(dataDir);
    }
    await producing;

    client = await connect(server);
    const oracle = new Map<number, { n: number; total: number }>();
    for (let i = 0; i < EVENTS; i++) {
      const e = event(i);
      const o = oracle.get(e.bidder) ?? { n: 0, total: 0 };
      o.n++;
      o.total += e.price;
      oracle.set(e.bidder, o);
    }
    const want = [...oracle].sort((a, b) => a[0] - b[0]).map(([b, o]) => [String(b), String(o.n), String(o.total)]);
    // (ORDER BY the bigint column, under another name: the output column `bidder` is text.)
    const end = Date.now() + 60_000;
    let got: string[][] = [];
    while (Date.now() < end) {
      got = (await client.query({ text: 'SELECT bidder::text AS b, n::text, total::text FROM spend ORDER BY spend.bidder', rowMode: 'array' })).rows as string[][];
      if (JSON.stringify(got) === JSON.stringify(want)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(got).toEqual(want);
    expect((await client.query({ text: 'SELECT count(*)::int FROM bids', rowMode: 'array' })).rows).toEqual([[EVENTS]]);
    // A view created after the crashes hydrates from the stored rows (the source log, written by
    // four processes whose ticks need not have split the records alike): each event once.
    await client.query('CREATE MATERIALIZED VIEW later AS SELECT count(*) AS n, count(DISTINCT id) AS d, sum(price) AS total FROM bids');
    const total = Array.from({ length: EVENTS }, (_, i) => event(i).price).reduce((a, b) => a + b, 0);
    expect((await client.query({ text: 'SELECT n::int, d::int, total::int8::text FROM later', rowMode: 'array' })).rows).toEqual([[EVENTS, EVENTS, String(total)]]);

    // The sink topic, read read_committed: one transaction per tick, no tick twice, and applying
    // it key by key gives the view.
    const reader = new KafkajsReader({ brokers, clientId: 'weir-test-eo' });
    const records: KafkaRecord[] = [];
    try {
      const parts = await reader.partitions(output);
      reader.assign(output, parts.map((p) => ({ partition: p, offset: 0n })));
      const state = new Map<string, { n: number; total: number }>();
      const until = Date.now() + 30_000;
      for (let idle = 0; idle < 5 && Date.now() < until; ) {
        const res = await reader.poll(5000, 300);
        records.push(...res.records);
        idle = res.records.length === 0 ? idle + 1 : 0;
      }
      const tickOf = (r: KafkaRecord) => Number(text(r.headers.find((h) => h.key === 'weir-tick')!.value));
      // Per partition, ticks never go back (a tick's records are in one transaction).
      for (const p of parts) {
        const ticks = records.filter((r) => r.partition === p).map(tickOf);
        expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
      }
      // Each key appears at most once per tick: a tick sent twice would repeat keys.
      const seen = new Set<string>();
      for (const r of records) {
        const id = `${tickOf(r)}/${text(r.key)}`;
        expect(seen.has(id), `tick and key ${id} twice`).toBe(false);
        seen.add(id);
      }
      for (const r of records.sort((a, b) => tickOf(a) - tickOf(b))) {
        const key = JSON.parse(text(r.key)!) as { bidder: number };
        const v = text(r.value);
        if (v === null) state.delete(String(key.bidder));
        else state.set(String(key.bidder), JSON.parse(v) as { n: number; total: number });
      }
      const fromTopic = [...state].sort((a, b) => Number(a[0]) - Number(b[0])).map(([b, o]) => [b, String(o.n), String(o.total)]);
      expect(fromTopic).toEqual(want);
    } finally {
      await reader.close();
    }
    await client.end();
    await server.kill('SIGTERM');
  }, 180_000);
});
