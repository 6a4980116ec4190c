// Kafka sources against a real broker (KAFKA_BROKERS; the vitest global setup starts
// scripts/kafka.sh when it is unset): FORMAT PLAIN with a watermark, FORMAT UPSERT with
// tombstones, undecodable records in `<source>_errors`, and positions kept with the tick so a
// restart reads on without losing or repeating a record.
import { describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { createTopic, kafkaBrokers, kafkaClientsForFile, uniqueTopic } from '../harness/kafka.js';
import { until } from '../harness/until.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const clients = kafkaClientsForFile(brokers);


const bid = (id: number, partition: number) => ({
  partition,
  key: String(id),
  value: JSON.stringify({ id, bidder: id % 7, price: id * 10, date_time: new Date(Date.UTC(2026, 10, 26, 10, 0, 0) + id * 1000).toISOString() }),
});

describe('kafka source', () => {
  test('FORMAT PLAIN ENCODE JSON: every record once, across a restart; bad records in bids_errors', async () => {
    const topic = uniqueTopic('bids');
    await createTopic(clients.admin, topic, 3);
    await clients.producer.send({ topic, messages: Array.from({ length: 60 }, (_, i) => bid(i, i % 3)) });
    await clients.producer.send({ topic, messages: [{ partition: 1, key: 'bad', value: '{"id": "not a number"' }] });
    const dir = tempDataDir();
    let db: InProcess = await inProcess(dir);
    await db.run(`CREATE SOURCE bids (id bigint, bidder bigint, price bigint, date_time timestamp,
        WATERMARK FOR date_time AS date_time - INTERVAL '5' SECOND)
      WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}', scan.startup.mode = 'earliest')
      FORMAT PLAIN ENCODE JSON`);
    await db.run('CREATE MATERIALIZED VIEW per_bidder AS SELECT bidder, count(*) AS n, sum(price) AS total FROM bids GROUP BY bidder');
    await db.run(`CREATE MATERIALIZED VIEW per_10s AS SELECT window_start, count(*) AS n
      FROM TUMBLE(bids, date_time, INTERVAL '10' SECOND) GROUP BY window_start EMIT ON WINDOW CLOSE`);
    const count = () => db.rows('SELECT sum(n)::int8 FROM per_bidder');
    expect(await until(count, (r) => r[0]![0] === 60n)).toEqual([[60n]]);
    const errors = await until(() => db.rows('SELECT partition, reason FROM bids_errors'), (r) => r.length === 1);
    expect(errors).toHaveLength(1);
    expect(errors[0]![0]).toBe(1);
    expect(String(errors[0]![1])).toMatch(/json|JSON|end/);
    await db.close();

    // Records produced while weir is down are read after the restart, none twice.
    await clients.producer.send({ topic, messages: Array.from({ length: 30 }, (_, i) => bid(60 + i, i % 3)) });
    db = await inProcess(dir);
    expect(await until(count, (r) => r[0]![0] === 90n)).toEqual([[90n]]);
    expect(await db.rows('SELECT count(*) FROM bids')).toEqual([[90n]]);
    expect(await db.rows('SELECT count(*) FROM bids_errors')).toEqual([[1n]]);
    // Windows whose end the watermark (the newest date_time − 5 s) passed, each once, final.
    const windows = await db.rows('SELECT window_start::text, n FROM per_10s ORDER BY 1');
    expect(windows.length).toBe(8);
    expect(windows.every((r) => r[1] === 10n)).toBe(true);
    await db.close();
  }, 90_000);

  test('INCLUDE key, partition, offset and timestamp as columns', async () => {
    const topic = uniqueTopic('incl');
    await createTopic(clients.admin, topic, 2);
    await clients.producer.send({ topic, messages: [{ partition: 1, key: 'k1', value: '{"id": 1}', timestamp: String(Date.UTC(2026, 0, 1)) }] });
    const db = await inProcess();
    await db.run(`CREATE SOURCE s (id int) INCLUDE key AS k INCLUDE partition AS p INCLUDE offset AS o INCLUDE timestamp AS ts
      WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}') FORMAT PLAIN ENCODE JSON`);
    const rows = await until(() => db.rows("SELECT id, encode(k, 'escape'), p, o, ts::text FROM s"), (r) => r.length === 1);
    expect(rows).toEqual([[1, 'k1', 1, 0n, '2026-01-01 00:00:00+00']]);
    await db.close();
  }, 60_000);

  test("INCLUDE header 'name' as varchar or bytea, and all headers; a varchar header that is not UTF-8 is an error row", async () => {
    const topic = uniqueTopic('hdr');
    await createTopic(clients.admin, topic, 1);
    await clients.producer.send({
      topic,
      messages: [
        { value: '{"id": 1}', headers: { 'trace-id': 'abc-é', raw: Buffer.from([0xff, 0x00]) } },
        { value: '{"id": 2}' },
        { value: '{"id": 3}', headers: { 'trace-id': Buffer.from([0xff]) } },
        { value: '{"id": 4}', headers: { 'trace-id': ['first', 'last'] } },
      ],
    });
    const db = await inProcess();
    await db.run(`CREATE SOURCE s (id int) INCLUDE header 'trace-id' varchar AS trace INCLUDE header 'raw' AS raw INCLUDE header AS hs
      WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}') FORMAT PLAIN ENCODE JSON`);
    const rows = await until(() => db.rows("SELECT id, trace, encode(raw, 'hex'), cardinality(hs) FROM s ORDER BY id"), (r) => r.length === 3);
    expect(rows).toEqual([
      [1, 'abc-é', 'ff00', 2],
      [2, null, null, 0],
      [4, 'last', null, 2],
    ]);
    expect(await db.rows('SELECT "offset", reason FROM s_errors')).toEqual([[2n, 'the header "trace-id" is not valid UTF-8']]);
    expect(await db.rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 's' ORDER BY ordinal_position")).toEqual([
      ['id', 'integer'],
      ['trace', 'character varying'],
      ['raw', 'bytea'],
      ['hs', 'ARRAY'],
    ]);
    await db.close();
  }, 60_000);

  test('a missing topic or an unreachable broker: the source says why it retries, the server carries on', async () => {
    const db = await inProcess();
    await db.run(`CREATE SOURCE nowhere (id int) WITH (connector = 'kafka', topic = 'x', properties.bootstrap.server = '127.0.0.1:1') FORMAT PLAIN ENCODE JSON`);
    const missing = uniqueTopic('missing');
    await db.run(`CREATE SOURCE later (id int) WITH (connector = 'kafka', topic = '${missing}', properties.bootstrap.server = '${brokers.join(',')}') FORMAT PLAIN ENCODE JSON`);
    const status = () => db.rows("SELECT name, status FROM weir_source_stats WHERE name IN ('nowhere', 'later') ORDER BY 1");
    const s = await until(status, (r) => r.every((x) => String(x[1]).startsWith('retrying')));
    expect(s.map((r) => r[0])).toEqual(['later', 'nowhere']);
    expect(s.every((r) => String(r[1]).startsWith('retrying: '))).toBe(true);
    // The topic appears: the source picks it up.
    await createTopic(clients.admin, missing, 1);
    await clients.producer.send({ topic: missing, messages: [{ value: '{"id": 7}' }] });
    expect(await until(() => db.rows('SELECT id FROM later'), (r) => r.length === 1)).toEqual([[7]]);
    expect(await db.rows('SELECT 1')).toEqual([[1]]);
    await db.close();
  }, 60_000);

  test('FORMAT UPSERT: the latest value per key, a tombstone deletes it', async () => {
    const topic = uniqueTopic('users');
    await createTopic(clients.admin, topic, 2);
    const user = (id: number, name: string, country: string) => ({ key: String(id), value: JSON.stringify({ id, name, country }) });
    await clients.producer.send({ topic, messages: [user(1, 'ann', 'NL'), user(2, 'bo', 'SE'), user(3, 'cy', 'NL')] });
    const db = await inProcess(tempDataDir());
    await db.run(`CREATE SOURCE users (id bigint PRIMARY KEY, name text, country text)
      WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}')
      FORMAT UPSERT ENCODE JSON`);
    await db.run('CREATE MATERIALIZED VIEW per_country AS SELECT country, count(*) AS n FROM users GROUP BY country');
    const rows = () => db.rows('SELECT country, n FROM per_country ORDER BY 1');
    expect(await until(rows, (r) => r.length === 2)).toEqual([['NL', 2n], ['SE', 1n]]);
    await clients.producer.send({ topic, messages: [user(2, 'bo', 'NL'), { key: '3', value: null }] });
    expect(await until(rows, (r) => r.length === 1)).toEqual([['NL', 2n]]);
    expect(await db.rows('SELECT id, name FROM users ORDER BY 1')).toEqual([[1n, 'ann'], [2n, 'bo']]);
    await expect(db.run("CREATE SOURCE u2 (id bigint, name text) WITH (connector = 'kafka', topic = 'x', properties.bootstrap.server = 'h:1') FORMAT UPSERT ENCODE JSON")).rejects.toMatchObject({ code: '42P16' });
    await db.close();
  }, 60_000);
});
