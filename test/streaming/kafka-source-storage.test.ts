// How a FORMAT PLAIN Kafka source keeps its records (adapter/kafka-ingest.ts: one stored entry
// per tick and partition, many rows each): a view created later hydrates from them, before
// and after a restart, with exactly the rows the watermark let through (late ones dropped).
import { describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { createTopic, kafkaBrokers, kafkaClientsForFile, uniqueTopic } from '../harness/kafka.js';
import { until } from '../harness/until.js';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bytes } from '../../src/storage/kv-store.js';
import { MemorySourceLog, type LogPointer } from '../../src/storage/source-log.js';

/** A source log whose next `failures` appends fail, as a full disk's would. */
class FailingSourceLog extends MemorySourceLog {
  failures = 0;
  failed = 0;

  override append(name: string, bytes: Bytes): LogPointer {
    if (this.failures > 0) {
      this.failures--;
      this.failed++;
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    return super.append(name, bytes);
  }
}

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const clients = kafkaClientsForFile(brokers);

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const click = (id: number, second: number, partition: number) => ({
  partition,
  value: JSON.stringify({ id, page: `p${id % 4}`, at: new Date(T0 + second * 1000).toISOString() }),
});

/** A FORMAT PLAIN source `clicks` on `topic`, read from its start. */
const plainClicks = (topic: string) => `CREATE SOURCE clicks (id bigint, page varchar, at timestamp)
  WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}', scan.startup.mode = 'earliest')
  FORMAT PLAIN ENCODE JSON`;

describe('kafka source storage', () => {
  test('a view created later, and again after a restart, sees every accepted record once and no late one', async () => {
    const topic = uniqueTopic('clicks');
    await createTopic(clients.admin, topic, 2);
    // 200 records in order of time (both partitions), then 10 late ones, then 50 more.
    await clients.producer.send({ topic, messages: Array.from({ length: 200 }, (_, i) => click(i, i, i % 2)) });
    const dir = tempDataDir();
    let db: InProcess = await inProcess(dir);
    await db.run(`CREATE SOURCE clicks (id bigint, page varchar, at timestamp, WATERMARK FOR at AS at - INTERVAL '5' SECOND)
      WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}', scan.startup.mode = 'earliest',
        late.policy = 'drop')
      FORMAT PLAIN ENCODE JSON`);
    const count = () => db.rows('SELECT count(*) FROM clicks');
    expect(await until(count, (r) => r[0]![0] === 200n)).toEqual([[200n]]);
    // Late on both partitions: 100 s before the newest time.
    await clients.producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => click(1000 + i, 100 + i, i % 2)) });
    await clients.producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => click(200 + i, 200 + i, i % 2)) });
    expect(await until(count, (r) => r[0]![0] === 250n)).toEqual([[250n]]);
    const stats = await until(
      () => db.rows("SELECT rows_ingested, late_dropped FROM weir_source_stats WHERE name = 'clicks'"),
      (r) => r[0]?.[1] === 10n,
    );
    expect(stats).toEqual([[250n, 10n]]);

    const expected = Array.from({ length: 250 }, (_, i) => [BigInt(i), `p${i % 4}`]);
    await db.run('CREATE MATERIALIZED VIEW later AS SELECT id, page FROM clicks');
    expect(await db.rows('SELECT id, page FROM later ORDER BY id')).toEqual(expected);
    expect(await db.rows('SELECT id, page FROM clicks ORDER BY id')).toEqual(expected);
    await db.close();

    db = await inProcess(dir);
    await db.run('CREATE MATERIALIZED VIEW per_page AS SELECT page, count(*) AS n, min(id) AS lo, max(id) AS hi FROM clicks GROUP BY page');
    expect(await db.rows('SELECT page, n, lo, hi FROM per_page ORDER BY page')).toEqual([
      ['p0', 63n, 0n, 248n],
      ['p1', 63n, 1n, 249n],
      ['p2', 62n, 2n, 246n],
      ['p3', 62n, 3n, 247n],
    ]);
    expect(await db.rows('SELECT id, page FROM later ORDER BY id')).toEqual(expected);
    // Records after the restart join the stored ones.
    await clients.producer.send({ topic, messages: [click(250, 250, 0), click(251, 251, 1)] });
    expect(await until(() => db.rows('SELECT sum(n)::int8 FROM per_page'), (r) => r[0]![0] === 252n)).toEqual([[252n]]);
    await db.run('CREATE MATERIALIZED VIEW after_restart AS SELECT count(*) AS n, count(DISTINCT id) AS d FROM clicks');
    expect(await db.rows('SELECT n, d FROM after_restart')).toEqual([[252n, 252n]]);
    await db.close();
  }, 90_000);

  test('rows that could not be stored (a full disk) are read again from Kafka: none skipped, none twice', async () => {
    const topic = uniqueTopic('clicks-full');
    await createTopic(clients.admin, topic, 2);
    const log = new FailingSourceLog();
    const db = await inProcess(undefined, { sourceLog: log });
    await db.run(plainClicks(topic));
    await db.run('CREATE MATERIALIZED VIEW seen AS SELECT count(*) AS n, count(DISTINCT id) AS d FROM clicks');
    await clients.producer.send({ topic, messages: Array.from({ length: 100 }, (_, i) => click(i, i, i % 2)) });
    expect(await until(() => db.rows('SELECT n, d FROM seen'), (r) => r[0]![0] === 100n)).toEqual([[100n, 100n]]);
    // The disk is full: no tick can store its rows, and the source says so; records arrive meanwhile.
    log.failures = 1_000_000;
    await clients.producer.send({ topic, messages: Array.from({ length: 100 }, (_, i) => click(100 + i, 100 + i, i % 2)) });
    const status = () => db.rows("SELECT status FROM weir_source_stats WHERE name = 'clicks'");
    expect(await until(status, (r) => String(r[0]![0]).startsWith('retrying'))).toEqual([['retrying: could not store the tick: ENOSPC: no space left on device, write']]);
    expect(await until(async () => log.failed, (n) => n >= 3)).toBeGreaterThanOrEqual(3); // it retries
    expect(await db.rows('SELECT n FROM seen')).toEqual([[100n]]);
    // Space again.
    log.failures = 0;
    expect(await until(status, (r) => r[0]![0] === 'running')).toEqual([['running']]);
    await clients.producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => click(200 + i, 200 + i, i % 2)) });
    expect(await until(() => db.rows('SELECT n, d FROM seen'), (r) => r[0]![0] === 250n)).toEqual([[250n, 250n]]);
    expect(await db.rows('SELECT count(*), count(DISTINCT id) FROM clicks')).toEqual([[250n, 250n]]);
    await db.close();
  }, 60_000);

  test('rows damaged on disk are an error (XX001) when read, never wrong rows; the rest keeps working', async () => {
    const topic = uniqueTopic('clicks-damaged');
    await createTopic(clients.admin, topic, 1);
    await clients.producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => click(i, i, 0)) });
    const dir = tempDataDir();
    let db = await inProcess(dir);
    await db.run(plainClicks(topic));
    expect(await until(() => db.rows('SELECT count(*) FROM clicks'), (r) => r[0]![0] === 50n)).toEqual([[50n]]);
    await db.run('CREATE TABLE t (a int PRIMARY KEY)');
    await db.close();
    // Flip a byte in the middle of every segment the source wrote (an OS crash, a bad disk).
    const logDir = join(dir, 'source-log');
    for (const source of readdirSync(logDir)) {
      for (const f of readdirSync(join(logDir, source))) {
        const file = join(logDir, source, f);
        const bytes = readFileSync(file);
        bytes[bytes.length >> 1] ^= 0xff;
        writeFileSync(file, bytes);
      }
    }
    db = await inProcess(dir);
    await expect(db.rows('SELECT count(*) FROM clicks')).rejects.toMatchObject({ code: 'XX001', message: 'the stored rows of a source cannot be read' });
    await expect(db.run('CREATE MATERIALIZED VIEW later AS SELECT count(*) FROM clicks')).rejects.toMatchObject({ code: 'XX001' });
    await db.run('INSERT INTO t VALUES (1)');
    expect(await db.rows('SELECT a FROM t')).toEqual([[1]]);
    await db.close();
  }, 60_000);
});
