// ENCODE AVRO against a real broker (KAFKA_BROKERS; the vitest global setup starts
// scripts/kafka.sh when it is unset), records written with avsc: an inline schema with plain
// Avro binary and with the Confluent wire format, FORMAT UPSERT and DEBEZIUM, an undecodable
// record in `<source>_errors` while the rest flows, the errors CREATE SOURCE gives for a
// schema that does not fit the columns; and writer schemas by id from a real schema registry
// (Apicurio Registry, started by scripts/schema-registry.sh unless SCHEMA_REGISTRY_URL names one).
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inProcess } from '../harness/in-process.js';
import { createTopic, kafkaBrokers, kafkaClientsForFile, uniqueTopic } from '../harness/kafka.js';
import { until } from '../harness/until.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const clients = kafkaClientsForFile(brokers);


const bidSchema = {
  type: 'record',
  name: 'Bid',
  namespace: 'weir.test',
  fields: [
    { name: 'auction', type: 'long' },
    { name: 'bidder', type: 'int' },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'channel', type: { type: 'enum', name: 'Channel', symbols: ['WEB', 'APP'] } },
    { name: 'url', type: ['null', 'string'], default: null },
    { name: 'date_time', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'extra', type: { type: 'record', name: 'Extra', fields: [{ name: 'tag', type: 'string' }, { name: 'score', type: 'double' }] } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
  ],
};
// avsc needs the decimal's unscaled value as bytes (big-endian two's complement): the test writes them itself.
const bidType = avro.Type.forSchema(bidSchema as avro.Schema);
const decimalBytes = (unscaled: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(unscaled);
  return b;
};
const t0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const bid = (i: number) =>
  bidType.toBuffer({
    auction: 1000 + (i % 3),
    bidder: i,
    price: decimalBytes(i * 100 + 5),
    channel: i % 2 === 0 ? 'WEB' : 'APP',
    url: i % 4 === 0 ? null : `https://x/${i}`,
    date_time: t0 + i * 1000,
    day: 20_000 + i,
    extra: { tag: `t${i}`, score: i / 2 },
    tags: i === 0 ? [] : ['a', `b${i}`],
  });

/** The Confluent wire format: byte 0, the schema id (4 bytes, big-endian), the Avro binary. */
function framed(id: number, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(id, 1);
  return Buffer.concat([head, body]);
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const withKafka = (topic: string) => `WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}')`;

describe('kafka source ENCODE AVRO', () => {
  test('inline schema, plain Avro binary: every type of the row reaches a view; an undecodable record goes to bids_errors', async () => {
    const topic = uniqueTopic('avro-bids');
    await createTopic(clients.admin, topic, 2);
    await clients.producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ partition: i % 2, value: bid(i) })) });
    const garbage = Buffer.from([0x02, 0xff, 0xff]); // a long, then a truncated varint
    await clients.producer.send({ topic, messages: [{ partition: 1, value: garbage }] });
    await clients.producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: bid(20 + i) })) });
    const db = await inProcess();
    await db.run(`CREATE SOURCE bids (auction bigint, bidder int, price numeric(10, 2), channel varchar, url text,
        date_time timestamptz, day date, extra STRUCT<tag varchar, score double precision>, tags text[])
      ${withKafka(topic)} FORMAT PLAIN ENCODE AVRO (schema.definition = ${sqlString(JSON.stringify(bidSchema))})`);
    await db.run('CREATE MATERIALIZED VIEW per_auction AS SELECT auction, count(*) AS n, sum(price) AS total FROM bids GROUP BY auction');
    const view = () => db.rows('SELECT auction, n, total::text FROM per_auction ORDER BY 1');
    const expected = [0, 1, 2].map((a) => {
      const ids = Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 3 === a);
      return [BigInt(1000 + a), BigInt(ids.length), ids.reduce((s, i) => s + i * 100 + 5, 0).toString().replace(/(\d\d)$/, '.$1')];
    });
    expect(await until(view, (r) => r.reduce((s, x) => s + Number(x[1]), 0) === 30)).toEqual(expected);
    expect(await db.rows("SELECT bidder, price::text, channel, url, date_time::text, day::text, (extra).tag, (extra).score, tags::text FROM bids WHERE bidder IN (0, 5) ORDER BY 1")).toEqual([
      [0, '0.05', 'WEB', null, '2026-11-26 10:00:00+00', '2024-10-04', 't0', 0, '{}'],
      [5, '5.05', 'APP', 'https://x/5', '2026-11-26 10:00:05+00', '2024-10-09', 't5', 2.5, '{a,b5}'],
    ]);
    const errors = await until(() => db.rows("SELECT partition, \"offset\", encode(value, 'hex'), reason FROM bids_errors"), (r) => r.length === 1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.slice(0, 3)).toEqual([1, 10n, '02ffff']);
    expect(String(errors[0]![3])).toMatch(/^invalid Avro data: /);
    await db.close();
  }, 60_000);

  test('the Confluent wire format with FORMAT UPSERT: latest value per key, tombstones delete, a bad frame is an error row', async () => {
    const topic = uniqueTopic('avro-users');
    await createTopic(clients.admin, topic, 1);
    const schema = { type: 'record', name: 'User', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }, { name: 'country', type: ['null', 'string'] }] };
    const type = avro.Type.forSchema(schema as avro.Schema);
    const user = (id: number, name: string, country: string | null) => ({ key: String(id), value: framed(42, type.toBuffer({ id, name, country })) });
    await clients.producer.send({ topic, messages: [user(1, 'ann', 'NL'), user(2, 'bo', 'SE'), user(3, 'cy', null)] });
    const db = await inProcess();
    await db.run(`CREATE SOURCE users (id bigint PRIMARY KEY, name text, country text) ${withKafka(topic)}
      FORMAT UPSERT ENCODE AVRO (schema.definition = ${sqlString(JSON.stringify(schema))}, avro.framing = 'confluent')`);
    const rows = () => db.rows('SELECT id, name, country FROM users ORDER BY 1');
    expect(await until(rows, (r) => r.length === 3)).toEqual([[1n, 'ann', 'NL'], [2n, 'bo', 'SE'], [3n, 'cy', null]]);
    // An unframed value (no magic byte), then more changes: the bad one is reported, the others applied.
    await clients.producer.send({ topic, messages: [{ key: '9', value: type.toBuffer({ id: 9, name: 'x', country: null }) }, user(2, 'bo', 'NL'), { key: '3', value: null }] });
    expect(await until(rows, (r) => r.length === 2)).toEqual([[1n, 'ann', 'NL'], [2n, 'bo', 'NL']]);
    const errors = await db.rows("SELECT \"offset\", encode(key, 'escape'), reason FROM users_errors");
    expect(errors).toEqual([[3n, '9', 'expected the Confluent wire format (byte 0, a 4-byte schema id, then Avro binary)']]);
    await db.close();
  }, 60_000);

  test("FORMAT DEBEZIUM ENCODE AVRO: Debezium's envelope, create / update / delete", async () => {
    const topic = uniqueTopic('avro-cdc');
    await createTopic(clients.admin, topic, 1);
    const value = { type: 'record', name: 'Value', namespace: 'pg.public.orders', fields: [{ name: 'id', type: 'int' }, { name: 'amount', type: ['null', 'long'], default: null }] };
    const envelope = {
      type: 'record',
      name: 'Envelope',
      namespace: 'pg.public.orders',
      fields: [
        { name: 'before', type: ['null', value], default: null },
        { name: 'after', type: ['null', 'Value'], default: null },
        { name: 'op', type: 'string' },
        { name: 'ts_ms', type: ['null', 'long'], default: null },
      ],
    };
    const type = avro.Type.forSchema(envelope as avro.Schema);
    const ev = (op: string, before: object | null, after: object | null) => ({ value: framed(7, type.toBuffer({ before, after, op, ts_ms: 1 })) });
    await clients.producer.send({
      topic,
      messages: [ev('c', null, { id: 1, amount: 10 }), ev('c', null, { id: 2, amount: 20 }), ev('u', { id: 1, amount: 10 }, { id: 1, amount: 15 }), ev('d', { id: 2, amount: 20 }, null), { value: null }],
    });
    const db = await inProcess();
    await db.run(`CREATE SOURCE orders (id int PRIMARY KEY, amount bigint) ${withKafka(topic)}
      FORMAT DEBEZIUM ENCODE AVRO (schema.definition = ${sqlString(JSON.stringify(envelope))}, avro.framing = 'confluent')`);
    await db.run('CREATE MATERIALIZED VIEW total AS SELECT count(*) AS n, sum(amount) AS s FROM orders');
    expect(await until(() => db.rows('SELECT n, s::text FROM total'), (r) => r[0]?.[1] === '15')).toEqual([[1n, '15']]);
    expect(await db.rows('SELECT id, amount FROM orders')).toEqual([[1, 15n]]);
    expect(await db.rows('SELECT count(*) FROM orders_errors')).toEqual([[0n]]);
    await db.close();
  }, 60_000);

  test('CREATE SOURCE refuses a schema that does not fit the columns, with the reason', async () => {
    const db = await inProcess();
    const schema = JSON.stringify({ type: 'record', name: 'r', fields: [{ name: 'a', type: 'long' }, { name: 'b', type: 'string' }] });
    const create = (cols: string, options: string) => db.run(`CREATE SOURCE s (${cols}) ${withKafka('unused')} FORMAT PLAIN ENCODE AVRO (${options})`);
    await expect(create('a bigint, c text', `schema.definition = ${sqlString(schema)}`)).rejects.toMatchObject({
      code: '42703',
      message: 'column "c" is not a field of the Avro record "r"',
    });
    await expect(create('a boolean', `schema.definition = ${sqlString(schema)}`)).rejects.toMatchObject({
      code: '42804',
      message: 'column "a" is of type boolean but the Avro schema gives long',
    });
    await expect(create('a bigint', "schema.definition = '{not json'")).rejects.toMatchObject({ code: '22023', message: 'invalid Avro schema: it is not JSON' });
    await expect(create('a bigint', '')).rejects.toMatchObject({ code: '22023', message: 'ENCODE AVRO needs either schema.definition or schema.registry' });
    await expect(create('a bigint', `schema.definition = ${sqlString(schema)}, schema.location = 'file:///x'`)).rejects.toMatchObject({
      code: '22023',
      message: 'unknown ENCODE AVRO option "schema.location"',
    });
    await expect(db.run(`CREATE SOURCE r ${withKafka('unused')} FORMAT PLAIN ENCODE AVRO (schema.registry = 'http://127.0.0.1:1')`)).rejects.toMatchObject({
      code: '0A000',
      message: 'a kafka source with ENCODE AVRO (schema.registry = …) needs a column list',
    });
    expect(await db.rows('SELECT 1')).toEqual([[1]]);
    await db.close();
  }, 30_000);

  test('without a column list, the columns come from the inline schema', async () => {
    const db = await inProcess();
    await db.run(`CREATE SOURCE derived ${withKafka('unused')} FORMAT PLAIN ENCODE AVRO (schema.definition = ${sqlString(JSON.stringify(bidSchema))})`);
    expect(await db.rows("SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'derived' ORDER BY ordinal_position")).toEqual([
      ['auction', 'bigint', 'NO'],
      ['bidder', 'integer', 'NO'],
      ['price', 'numeric', 'NO'],
      ['channel', 'text', 'NO'],
      ['url', 'text', 'YES'],
      ['date_time', 'timestamp with time zone', 'NO'],
      ['day', 'date', 'NO'],
      ['extra', 'record', 'NO'],
      ['tags', 'ARRAY', 'NO'],
    ]);
    await db.close();
  }, 30_000);
});

describe('kafka source ENCODE AVRO with a schema registry', () => {
  const script = join(import.meta.dirname, '../../scripts/schema-registry.sh');
  let registry: string;
  let startedHere = false;

  beforeAll(() => {
    if (process.env.SCHEMA_REGISTRY_URL) {
      registry = process.env.SCHEMA_REGISTRY_URL;
      return;
    }
    startedHere = spawnSync('bash', [script, 'status'], { stdio: 'ignore' }).status !== 0;
    registry = execFileSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim().split('\n').pop()!;
  }, 600_000);
  afterAll(() => {
    if (startedHere) execFileSync('bash', [script, 'stop'], { stdio: 'inherit', timeout: 60_000 });
  });

  /** Registers a schema under a subject (Confluent's API): its id. */
  async function register(subject: string, schema: object): Promise<number> {
    const res = await fetch(`${registry}/subjects/${encodeURIComponent(subject)}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(schema) }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { id: number }).id;
  }

  test('writer schemas by id: two versions of a subject read by name, an unknown id and a schema that does not fit are error rows', async () => {
    const topic = uniqueTopic('avro-reg');
    await createTopic(clients.admin, topic, 1);
    const v1 = { type: 'record', name: 'User', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }] };
    const v2 = { type: 'record', name: 'User', fields: [{ name: 'country', type: ['null', 'string'], default: null }, { name: 'name', type: 'string' }, { name: 'id', type: 'long' }] };
    const misfit = { type: 'record', name: 'User', fields: [{ name: 'id', type: 'boolean' }, { name: 'name', type: 'string' }] };
    const id1 = await register(`${topic}-value`, v1);
    const id2 = await register(`${topic}-value`, v2);
    const id3 = await register(`${topic}-other`, misfit);
    expect(new Set([id1, id2, id3]).size).toBe(3);
    const t1 = avro.Type.forSchema(v1 as avro.Schema);
    const t2 = avro.Type.forSchema(v2 as avro.Schema);
    const t3 = avro.Type.forSchema(misfit as avro.Schema);
    await clients.producer.send({
      topic,
      messages: [
        { value: framed(id1, t1.toBuffer({ id: 1, name: 'ann' })) },
        { value: framed(id2, t2.toBuffer({ country: 'NL', name: 'bo', id: 2 })) },
        { value: framed(987_654, t1.toBuffer({ id: 3, name: 'cy' })) },
        { value: framed(id3, t3.toBuffer({ id: true, name: 'eve' })) },
        { value: framed(id1, t1.toBuffer({ id: 5, name: 'dee' })) },
      ],
    });
    const db = await inProcess();
    await db.run(`CREATE SOURCE users (id bigint, name text) ${withKafka(topic)} FORMAT PLAIN ENCODE AVRO (schema.registry = ${sqlString(registry)})`);
    expect(await until(() => db.rows('SELECT id, name FROM users ORDER BY 1'), (r) => r.length === 3)).toEqual([[1n, 'ann'], [2n, 'bo'], [5n, 'dee']]);
    const errors = await until(() => db.rows('SELECT "offset", reason FROM users_errors ORDER BY 1'), (r) => r.length === 2);
    expect(errors.map((r) => r[0])).toEqual([2n, 3n]);
    expect(String(errors[0]![1])).toMatch(/^the schema registry answered 404 for schema id 987654/);
    expect(errors[1]![1]).toBe(`schema id ${id3}: column "id" is of type bigint but the Avro schema gives boolean`);
    await db.close();
  }, 60_000);
});
