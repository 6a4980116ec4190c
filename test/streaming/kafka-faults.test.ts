// Kafka sources under faults, against real brokers (never a mock): a bad record under
// error.policy = 'stop'; a partition added while the source runs (the shared broker of
// KAFKA_BROKERS, which the vitest global setup starts when unset); a broker stopped and started
// again, and a topic deleted and created again (a private broker this file starts with
// scripts/kafka.sh in its own data directory, so the shared one is never stopped). Each test
// checks what a user sees: the status in weir_source_stats, then the views' contents against
// what was produced, each record exactly once.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { KafkajsReader } from '../../src/sources/kafka/kafkajs-reader.js';
import { createTopic, kafkaBrokers, kafkaTestClients, uniqueTopic, type KafkaTestClients } from '../harness/kafka.js';
import { until as untilWithin } from '../harness/until.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const script = resolve(import.meta.dirname, '../../scripts/kafka.sh');
/** The jars scripts/kafka.sh fetched for the shared broker (.ci/run fetches them once). */
const sharedLibs =
  process.env.WEIR_KAFKA_LIBS ?? resolve(process.env.WEIR_KAFKA_DIR ?? resolve(import.meta.dirname, '../../.kafka'), 'libs');

const until = <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000) => untilWithin(read, ok, ms);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const at = (s: number) => new Date(Date.UTC(2026, 10, 26, 10, 0, 0) + s * 1000).toISOString();
const event = (id: number, partition: number, second = id) => ({ partition, key: String(id), value: JSON.stringify({ id, ts: at(second) }) });
const status = async (db: InProcess, name: string) => String((await db.rows(`SELECT status FROM weir_source_stats WHERE name = '${name}'`))[0]?.[0]);

function sourceSql(name: string, topic: string, servers: string[], extra = ''): string {
  return `CREATE SOURCE ${name} (id bigint, ts timestamp, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
    WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${servers.join(',')}'${extra})
    FORMAT PLAIN ENCODE JSON`;
}

/** The ids in the source, and how many distinct: equal to the produced ones means exactly once. */
async function ids(db: InProcess, source: string): Promise<{ n: bigint; distinct: bigint; sum: bigint }> {
  const [r] = await db.rows(`SELECT count(*), count(DISTINCT id), coalesce(sum(id), 0)::int8 FROM ${source}`);
  return { n: r![0] as bigint, distinct: r![1] as bigint, sum: r![2] as bigint };
}
const sumTo = (n: number) => BigInt((n * (n - 1)) / 2);

describe('kafka source faults (shared broker)', () => {
  let clients: KafkaTestClients;
  beforeAll(async () => {
    clients = await kafkaTestClients(brokers);
  }, 60_000);
  afterAll(async () => {
    await clients?.close();
  });

  test("error.policy = 'stop': stops at the bad record, shows where and why, skips nothing; goes on once dropped and created again", async () => {
    const topic = uniqueTopic('stop');
    await createTopic(clients.admin, topic, 1);
    await clients.producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => event(i, 0)) });
    await clients.producer.send({ topic, messages: [{ partition: 0, value: '{"id": "ten", "ts": "x"}' }] });
    await clients.producer.send({ topic, messages: Array.from({ length: 4 }, (_, i) => event(11 + i, 0)) });
    const dir = tempDataDir();
    let db = await inProcess(dir);
    await expect(db.run(sourceSql('bad', topic, brokers, ", error.policy = 'skip'"))).rejects.toMatchObject({ code: '22023', message: 'invalid error.policy "skip"' });
    await expect(db.run("CREATE SOURCE g WITH (connector = 'nexmark', error.policy = 'stop')")).rejects.toMatchObject({ code: '0A000' });
    await db.run(sourceSql('events', topic, brokers, ", error.policy = 'stop'"));
    await db.run('CREATE MATERIALIZED VIEW n AS SELECT count(*) AS n, sum(id)::int8 AS total FROM events');
    const stopped = await until(() => status(db, 'events'), (s) => s.startsWith('stopped'));
    expect(stopped).toMatch(/^stopped: the record at partition 0, offset 10 did not decode: .+/);
    expect(await until(() => db.rows('SELECT n, total FROM n'), (r) => r[0]?.[0] === 10n)).toEqual([[10n, sumTo(10)]]);
    // Nothing more is read, and nothing went to the side output.
    await clients.producer.send({ topic, messages: [event(15, 0)] });
    await sleep(1000);
    expect(await db.rows('SELECT n, total FROM n')).toEqual([[10n, sumTo(10)]]);
    expect(await db.rows('SELECT count(*) FROM events_errors')).toEqual([[0n]]);
    await db.close();

    // A restart reads the same record again and stops there again.
    db = await inProcess(dir);
    expect(await until(() => status(db, 'events'), (s) => s.startsWith('stopped'))).toBe(stopped);
    expect(await db.rows('SELECT n, total FROM n')).toEqual([[10n, sumTo(10)]]);

    // To go on: drop the source and create it again, here with the default policy (the record
    // to events_errors): everything is read from the start again, the bad record set aside.
    await db.run('DROP SOURCE events CASCADE');
    await db.run(sourceSql('events', topic, brokers));
    await db.run('CREATE MATERIALIZED VIEW n AS SELECT count(*) AS n, sum(id)::int8 AS total FROM events');
    expect(await until(() => db.rows('SELECT n FROM n'), (r) => r[0]?.[0] === 15n)).toEqual([[15n]]);
    expect(await status(db, 'events')).toBe('running');
    expect(await ids(db, 'events')).toEqual({ n: 15n, distinct: 15n, sum: sumTo(16) - 10n });
    expect(await db.rows('SELECT partition, "offset", encode(value, \'escape\') FROM events_errors')).toEqual([[0, 10n, '{"id": "ten", "ts": "x"}']]);
    await db.close();
  }, 120_000);

  test('a partition added while the source runs is read from its earliest offset and joins the watermark', async () => {
    const topic = uniqueTopic('grow');
    await createTopic(clients.admin, topic, 1);
    await clients.producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => event(i, 0)) });
    const db = await inProcess();
    await db.run(sourceSql('events', topic, brokers, ", watermark.idle.timeout.ms = '600000'"));
    await db.run('CREATE MATERIALIZED VIEW n AS SELECT count(*) AS n, sum(id)::int8 AS total FROM events');
    const wm = async () => String((await db.rows("SELECT watermark::text FROM weir_source_stats WHERE name = 'events'"))[0]?.[0]);
    expect(await until(() => db.rows('SELECT n FROM n'), (r) => r[0]?.[0] === 10n)).toEqual([[10n]]);
    expect(await until(wm, (w) => w === '2026-11-26 10:00:08')).toBe('2026-11-26 10:00:08');

    await clients.admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] });
    // Produced to the new partition before weir notices it: read from its earliest offset.
    // (A new producer: kafkajs's would not know the new partition yet.)
    const producer = await kafkaTestClients(brokers);
    await producer.producer.send({ topic, messages: [event(10, 1, 20), event(11, 1, 21)] });
    await producer.close();
    expect(await until(() => db.rows('SELECT n, total FROM n'), (r) => r[0]?.[0] === 12n)).toEqual([[12n, sumTo(12)]]);
    // Partition 0 moves on to 10:00:40; the watermark is the minimum of both: 10:00:21 − 1 s.
    await clients.producer.send({ topic, messages: [event(12, 0, 40)] });
    expect(await until(() => db.rows('SELECT n FROM n'), (r) => r[0]?.[0] === 13n)).toEqual([[13n]]);
    expect(await until(wm, (w) => w === '2026-11-26 10:00:20')).toBe('2026-11-26 10:00:20');
    expect(await ids(db, 'events')).toEqual({ n: 13n, distinct: 13n, sum: sumTo(13) });
    expect(await status(db, 'events')).toBe('running');
    await db.close();
  }, 90_000);
});

/** The ids in a sink topic (read_committed), once `count` came or 30 s passed, plus anything after. */
async function readTopic(servers: string[], topic: string, count: number): Promise<number[]> {
  const reader = new KafkajsReader({ brokers: servers, clientId: 'weir-test-faults-reader' });
  try {
    reader.assign(topic, (await reader.partitions(topic)).map((p) => ({ partition: p, offset: 0n })));
    const out: number[] = [];
    const take = async (wait: number) => {
      for (const r of (await reader.poll(1000, wait)).records) out.push(Number((JSON.parse(new TextDecoder().decode(r.value!)) as { id: number }).id));
    };
    const end = Date.now() + 30_000;
    while (out.length < count && Date.now() < end) await take(200);
    for (let i = 0; i < 3; i++) await take(100);
    return out;
  } finally {
    await reader.close();
  }
}

/** A broker of this file's own (scripts/kafka.sh in a private data directory, the shared jars). */
function privateBroker() {
  const env = { ...process.env, WEIR_KAFKA_DIR: tempDataDir(), WEIR_KAFKA_LIBS: sharedLibs, KAFKA_PORT: '', KAFKA_CONTROLLER_PORT: '' };
  const run = (cmd: string) => execFileSync('bash', [script, cmd], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 }).trim();
  return {
    start(): string[] {
      const address = run('start').split('\n').pop()!;
      env.KAFKA_PORT = address.split(':')[1]!; // the same port after a restart
      return [address];
    },
    stop(): void {
      run('stop');
    },
  };
}

describe('kafka source faults (a private broker)', () => {
  const broker = privateBroker();
  let servers: string[];
  beforeAll(() => {
    servers = broker.start();
  }, 180_000);
  afterAll(() => {
    broker.stop();
  }, 60_000);

  test('a broker that goes away: retrying in weir_source_stats, queries answered, then every record once; the sink catches up', async () => {
    const topic = uniqueTopic('away');
    const sinkTopic = uniqueTopic('away-out');
    let clients = await kafkaTestClients(servers);
    await createTopic(clients.admin, topic, 2);
    await createTopic(clients.admin, sinkTopic, 1);
    await clients.producer.send({ topic, messages: Array.from({ length: 40 }, (_, i) => event(i, i % 2)) });
    const db = await inProcess(tempDataDir());
    // Partitions idle after 1 s: the outage is longer, and still no row of theirs turns late.
    await db.run(sourceSql('events', topic, servers, ", watermark.idle.timeout.ms = '1000'"));
    await db.run('CREATE MATERIALIZED VIEW n AS SELECT count(*) AS n, sum(id)::int8 AS total FROM events');
    await db.run('CREATE MATERIALIZED VIEW ids AS SELECT id FROM events');
    await db.run(`CREATE SINK ids_out FROM ids WITH (connector = 'kafka', topic = '${sinkTopic}', properties.bootstrap.server = '${servers.join(',')}') FORMAT PLAIN ENCODE JSON`);
    expect(await until(() => db.rows('SELECT n FROM n'), (r) => r[0]?.[0] === 40n)).toEqual([[40n]]);
    await clients.close();

    broker.stop();
    expect(await until(() => status(db, 'events'), (s) => s.startsWith('retrying'))).toMatch(/^retrying: .+/);
    // The server answers throughout.
    expect(await db.rows('SELECT n, total FROM n')).toEqual([[40n, sumTo(40)]]);
    await sleep(2000);
    expect(await status(db, 'events')).toMatch(/^retrying: /);

    broker.start();
    clients = await kafkaTestClients(servers);
    await clients.producer.send({ topic, messages: Array.from({ length: 40 }, (_, i) => event(40 + i, i % 2)) });
    expect(await until(() => db.rows('SELECT n, total FROM n'), (r) => r[0]?.[0] === 80n, 60_000)).toEqual([[80n, sumTo(80)]]);
    expect(await db.rows("SELECT late_dropped FROM weir_source_stats WHERE name = 'events'")).toEqual([[0n]]);
    expect(await until(() => status(db, 'events'), (s) => s === 'running')).toBe('running');
    expect(await ids(db, 'events')).toEqual({ n: 80n, distinct: 80n, sum: sumTo(80) });
    // The sink's outbox waited for the broker: its topic, read read_committed, has each id once.
    const sent = await readTopic(servers, sinkTopic, 80);
    expect(sent.sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    await clients.close();
    await db.close();
  }, 180_000);

  test('a topic deleted and created again: retrying while it is gone, then the new topic read from its earliest offset', async () => {
    const topic = uniqueTopic('gone');
    let clients = await kafkaTestClients(servers);
    await createTopic(clients.admin, topic, 1);
    await clients.producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => event(i, 0)) });
    const db = await inProcess(tempDataDir());
    await db.run(sourceSql('events', topic, servers));
    await db.run('CREATE MATERIALIZED VIEW n AS SELECT count(*) AS n, sum(id)::int8 AS total FROM events');
    expect(await until(() => db.rows('SELECT n FROM n'), (r) => r[0]?.[0] === 20n)).toEqual([[20n]]);

    await clients.admin.deleteTopics({ topics: [topic] });
    expect(await until(() => status(db, 'events'), (s) => s.startsWith('retrying'))).toMatch(/^retrying: .*(topic|partition)/i);
    expect(await db.rows('SELECT n FROM n')).toEqual([[20n]]);

    // Created again (once the broker has finished deleting it) with 5 new records.
    for (let i = 0; ; i++) {
      try {
        await clients.admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
        break;
      } catch (e) {
        if (i > 40) throw e;
        await sleep(250);
      }
    }
    await clients.close();
    clients = await kafkaTestClients(servers);
    await clients.producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => event(20 + i, 0)) });
    expect(await until(() => db.rows('SELECT n, total FROM n'), (r) => r[0]?.[0] === 25n, 60_000)).toEqual([[25n, sumTo(25)]]);
    expect(await until(() => status(db, 'events'), (s) => s === 'running')).toBe('running');
    expect(await ids(db, 'events')).toEqual({ n: 25n, distinct: 25n, sum: sumTo(25) });
    const reset = await db.rows('SELECT partition, "offset", reason FROM events_errors');
    expect(reset.map((r) => r.slice(0, 2))).toEqual([[0, 20n]]);
    expect(String(reset[0]![2])).toMatch(/resumed at 0: topic ".*" was deleted and created again/);
    await clients.close();
    await db.close();
  }, 180_000);
});
