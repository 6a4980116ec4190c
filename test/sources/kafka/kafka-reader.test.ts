// KafkaReader and KafkaWriter against a real broker (KAFKA_BROKERS; the vitest global setup
// starts scripts/kafka.sh when it is unset). Never a mock: topics, records and transactions are
// the broker's own.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KafkajsReader } from '../../../src/sources/kafka/kafkajs-reader.js';
import { KafkajsWriter } from '../../../src/sources/kafka/kafkajs-writer.js';
import { JsonRowDecoder } from '../../../src/sources/kafka/decode-json.js';
import type { KafkaReader, KafkaRecord, PartitionStart } from '../../../src/sources/kafka/kafka-client.js';
import { T } from '../../../src/types/sql-type.js';
import { createTopic, kafkaBrokers, kafkaTestClients, uniqueTopic, type KafkaTestClients } from '../../harness/kafka.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const PER_PARTITION = 40;
const decoder = new JsonRowDecoder([
  { name: 'id', type: T.int8, nullable: false },
  { name: 'partition', type: T.int4, nullable: false },
  { name: 'ts', type: T.timestamptz, nullable: true },
]);

let clients: KafkaTestClients;
const readers: KafkaReader[] = [];
const reader = (options: Partial<ConstructorParameters<typeof KafkajsReader>[0]> = {}): KafkaReader => {
  const r = new KafkajsReader({ brokers, clientId: 'weir-test-reader', ...options });
  readers.push(r);
  return r;
};

/** Polls until `want` records came, or until `idlePolls` polls in a row bring nothing. */
async function readAll(r: KafkaReader, want = Infinity, idlePolls = 3): Promise<KafkaRecord[]> {
  const out: KafkaRecord[] = [];
  let idle = 0;
  while (out.length < want && idle < idlePolls) {
    const res = await r.poll(17, 200);
    expect(res.error).toBeUndefined();
    out.push(...res.records);
    idle = res.records.length === 0 ? idle + 1 : 0;
  }
  return out;
}

const ids = (records: KafkaRecord[]) => records.map((r) => Number(decoder.decode(r.value!)[0])).sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

beforeAll(async () => {
  clients = await kafkaTestClients(brokers);
});

afterAll(async () => {
  await Promise.all(readers.map((r) => r.close()));
  await clients?.close();
});

describe('KafkaReader on a 3-partition topic', () => {
  const topic = uniqueTopic('reader');
  const t0 = Date.UTC(2024, 0, 1);

  beforeAll(async () => {
    await createTopic(clients.admin, topic, 3);
    // id = partition * 1000 + n; record n of each partition has timestamp t0 + n seconds.
    for (let n = 0; n < PER_PARTITION; n += 10) {
      await clients.producer.send({
        topic,
        messages: [0, 1, 2].flatMap((p) =>
          range(n, n + 10).map((i) => ({
            partition: p,
            key: `k${i}`,
            value: JSON.stringify({ id: p * 1000 + i, partition: p, ts: new Date(t0 + i * 1000).toISOString() }),
            timestamp: String(t0 + i * 1000),
            headers: { n: String(i) },
          })),
        ),
      });
    }
  });

  const all = [0, 1, 2].flatMap((p) => range(p * 1000, p * 1000 + PER_PARTITION));

  test('partitions and offsets', async () => {
    const r = reader();
    expect(await r.partitions(topic)).toEqual([0, 1, 2]);
    expect(await r.offsets(topic)).toEqual([0, 1, 2].map((p) => ({ partition: p, low: 0n, high: BigInt(PER_PARTITION) })));
  });

  test('from the earliest offsets: every record once, in offset order per partition', async () => {
    const r = reader();
    r.assign(topic, await r.startOffsets(topic, [0, 1, 2], { kind: 'earliest' }));
    const records = await readAll(r, all.length);
    expect(ids(records)).toEqual(all);
    for (const p of [0, 1, 2]) {
      const mine = records.filter((x) => x.partition === p);
      expect(mine.map((x) => x.offset)).toEqual(range(0, PER_PARTITION).map(BigInt));
      expect(mine.map((x) => decoder.decode(x.value!)[1])).toEqual(mine.map(() => p));
    }
    const first = records.find((x) => x.partition === 1 && x.offset === 5n)!;
    expect(Buffer.from(first.key!).toString()).toBe('k5');
    expect(first.timestampMs).toBe(t0 + 5000);
    expect(first.headers.map((h) => [h.key, Buffer.from(h.value!).toString()])).toEqual([['n', '5']]);
    expect(decoder.decode(first.value!)[2]).toBe((t0 + 5000) * 1000);
    expect(r.positions()).toEqual(new Map([0, 1, 2].map((p) => [p, BigInt(PER_PARTITION)])));
    expect(r.highWatermark(2)).toBe(BigInt(PER_PARTITION));
  });

  test('from a mid offset, and resumed from stored positions: nothing missing, nothing twice', async () => {
    const mid = 25;
    const r = reader();
    r.assign(topic, [0, 1, 2].map((p) => ({ partition: p, offset: BigInt(mid) })));
    // Read part of it, "commit" the positions, and go on with a new reader as after a restart.
    const part = await readAll(r, 20);
    const stored: PartitionStart[] = [...r.positions()].map(([partition, offset]) => ({ partition, offset }));
    await r.close();
    const r2 = reader();
    r2.assign(topic, stored);
    const rest = await readAll(r2);
    expect(ids([...part, ...rest])).toEqual([0, 1, 2].flatMap((p) => range(p * 1000 + mid, p * 1000 + PER_PARTITION)));
  });

  test('from a timestamp: the first record at or after it; past the end, the end', async () => {
    const r = reader();
    const starts = await r.startOffsets(topic, [0, 1, 2], { kind: 'timestamp', ms: t0 + 30_500 });
    expect(starts).toEqual([0, 1, 2].map((p) => ({ partition: p, offset: 31n })));
    r.assign(topic, starts);
    expect(ids(await readAll(r, 27))).toEqual([0, 1, 2].flatMap((p) => range(p * 1000 + 31, p * 1000 + PER_PARTITION)));
    const late = await r.startOffsets(topic, [0], { kind: 'timestamp', ms: Date.now() + 3_600_000 });
    expect(late).toEqual([{ partition: 0, offset: BigInt(PER_PARTITION) }]);
  });

  test('from the latest offsets: only what is produced afterwards', async () => {
    const t = uniqueTopic('latest');
    await createTopic(clients.admin, t, 3);
    await clients.producer.send({ topic: t, messages: [0, 1, 2].map((p) => ({ partition: p, value: JSON.stringify({ id: p, partition: p }) })) });
    const r = reader();
    r.assign(t, await r.startOffsets(t, [0, 1, 2], { kind: 'latest' }));
    expect(await readAll(r, Infinity, 2)).toEqual([]);
    await clients.producer.send({ topic: t, messages: [0, 1, 2].map((p) => ({ partition: p, value: JSON.stringify({ id: 100 + p, partition: p }) })) });
    expect(ids(await readAll(r, 3))).toEqual([100, 101, 102]);
  });
});

describe('KafkaWriter transactions read back', () => {
  test('read_committed sees committed transactions only, and an open one only once committed', async () => {
    const topic = uniqueTopic('tx');
    await createTopic(clients.admin, topic, 2);
    const w = new KafkajsWriter({ brokers, transactionalId: `${topic}-writer` });
    try {
      const send = (from: number, to: number) =>
        w.send(range(from, to).map((i) => ({ topic, partition: i % 2, key: String(i), value: JSON.stringify({ id: i, partition: i % 2 }) })));
      await w.begin();
      await send(0, 10);
      await w.commit();
      await w.begin();
      await send(10, 20);
      await w.abort();
      await w.begin();
      await send(20, 30);
      await w.commit();
      await w.begin();
      await send(30, 40); // left open for now

      const committed = reader();
      committed.assign(topic, [0, 1].map((p) => ({ partition: p, offset: 0n })));
      expect(ids(await readAll(committed, 20))).toEqual([...range(0, 10), ...range(20, 30)]);
      const uncommitted = reader({ isolation: 'read_uncommitted' });
      uncommitted.assign(topic, [0, 1].map((p) => ({ partition: p, offset: 0n })));
      expect(ids(await readAll(uncommitted, 40))).toEqual(range(0, 40));

      await w.commit();
      expect(ids(await readAll(committed, 10))).toEqual(range(30, 40));
      // Positions are past the transaction markers: nothing more to read.
      expect(await readAll(committed, Infinity, 2)).toEqual([]);
    } finally {
      await w.close();
    }
  });

  test('a closed writer never connects again, so it cannot fence the producer that replaced it', async () => {
    const topic = uniqueTopic('tx-closed');
    await createTopic(clients.admin, topic, 1);
    const old = new KafkajsWriter({ brokers, transactionalId: `${topic}-writer` });
    await old.ready();
    await old.close();
    const next = new KafkajsWriter({ brokers, transactionalId: `${topic}-writer` });
    try {
      await next.ready();
      // A call still in flight from before the close (a sink's drain) must fail, not reconnect.
      await expect(old.begin()).rejects.toThrow('the producer is closed');
      await next.begin();
      await next.send([{ topic, partition: 0, key: '1', value: JSON.stringify({ id: 1, partition: 0 }) }]);
      await next.commit();
      const committed = reader();
      committed.assign(topic, [{ partition: 0, offset: 0n }]);
      expect(ids(await readAll(committed, 1))).toEqual([1]);
    } finally {
      await next.close();
    }
  });
});

describe('KafkaReader errors', () => {
  test('an unknown topic', async () => {
    await expect(reader().partitions(uniqueTopic('missing'))).rejects.toMatchObject({ kind: 'unknown_topic' });
  });

  test('a position past the end of the log (the topic was recreated) is reported, and reading goes on from its earliest offset', async () => {
    const topic = uniqueTopic('recreated');
    await createTopic(clients.admin, topic, 1);
    await clients.producer.send({ topic, messages: range(0, 10).map((i) => ({ value: JSON.stringify({ id: i, partition: 0 }) })) });
    const r = reader();
    r.assign(topic, [{ partition: 0, offset: 25n }]);
    const res = await r.poll(100, 200);
    expect(res.records).toEqual([]);
    expect(res.resets).toEqual([
      {
        partition: 0,
        requested: 25n,
        resumedAt: 0n,
        reason: 'partition 0 ends at offset 10, before the stored position 25 (was the topic recreated?); read from its earliest offset',
      },
    ]);
    expect(r.positions()).toEqual(new Map([[0, 0n]]));
    await clients.producer.send({ topic, messages: [{ value: JSON.stringify({ id: 10, partition: 0 }) }] });
    expect(ids(await readAll(r, 11))).toEqual(range(0, 11));
  });

  test('an unreachable broker: poll returns the error at once and backs off, never throws', async () => {
    const r = reader({ brokers: ['127.0.0.1:1'], maxBackoffMs: 60_000 });
    r.assign('t', [{ partition: 0, offset: 0n }]);
    const first = await r.poll(10, 100);
    expect(first.error).toMatchObject({ kind: 'unavailable', retriable: true });
    const started = Date.now();
    const second = await r.poll(10, 100);
    expect(second).toEqual({ records: [], resets: [], error: first.error });
    expect(Date.now() - started).toBeLessThan(50);
    expect(r.positions()).toEqual(new Map([[0, 0n]]));
  });
});
