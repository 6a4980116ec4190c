// Nexmark through a Kafka JSON topic against a real broker (KAFKA_BROKERS; the vitest global
// setup starts scripts/kafka.sh when it is unset): RisingWave's own ddl.sql (its Kafka source
// `nexmark` and the views bid, auction and person over it), read from ../shared at run time,
// fed by bench/nexmark-produce.ts (weir's generator, written as JSON in RisingWave's shape),
// gives the same view contents as the same ddl.sql over weir's in-process nexmark generator
// with the same seed, rate, base time and event count.
//
// Two in-process weirs, one per source; on each, the same materialized views (the queries of
// RisingWave's q0, q1, q3-no-condition, q5, q7 and q8 files: projections, a join, hopping and
// tumbling windows with aggregates, a join of windowed aggregates; q3 itself keeps the states
// 'or', 'id' and 'ca', which the generator writes in capitals, so it is empty), created while the source is paused
// so that they are maintained tick by tick as the events stream in. ddl.sql declares no
// watermark, so every window stays open and each view is final once all events are in:
// both sides are compared after their event counts reach the total.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nexmarkWith, produceNexmark } from '../../bench/nexmark-produce.js';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { kafkaBrokers, uniqueTopic } from '../harness/kafka.js';
import { weirRows } from './nexmark-postgres.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const RISINGWAVE = resolve(import.meta.dirname, '../../../shared/nexmark/risingwave');
const EVENTS = 30_000;
/** 1,000 events per second of event time: 30 s of events, three 10 s tumbling windows. */
const GENERATOR = { events: EVENTS, seed: 7, rate: 1000, baseTimeMs: Date.UTC(2026, 10, 26, 10, 0, 0) };
const QUERIES = ['q0', 'q1', 'q3-no-condition', 'q5', 'q7', 'q8'];
const viewName = (q: string): string => q.replaceAll('-', '_');
const topic = uniqueTopic('nexmark');

/** ddl.sql with its source's WITH … FORMAT clause replaced. */
function ddl(source: string): string {
  const text = readFileSync(resolve(RISINGWAVE, 'ddl.sql'), 'utf8');
  const replaced = text.replace(/WITH\s*\(\s*connector\s*=\s*'kafka'[^)]*\)\s*FORMAT PLAIN ENCODE JSON/, source);
  if (replaced === text) throw new Error('ddl.sql: the Kafka source clause was not found');
  return replaced;
}

/** The query of a RisingWave query file (`CREATE SINK nexmark_qN AS <query> WITH (connector = 'blackhole', …)`). */
function query(name: string): string {
  const text = readFileSync(resolve(RISINGWAVE, `${name}.sql`), 'utf8');
  const m = /CREATE\s+SINK\s+\w+\s+AS\s+([\s\S]*?)\s*WITH\s*\(\s*connector\s*=\s*'blackhole'[^)]*\)\s*;?\s*$/i.exec(text);
  if (!m) throw new Error(`${name}.sql: no CREATE SINK … AS <query> found`);
  return m[1]!;
}

/** A weir over `source` (ddl.sql's source clause) with the views, paused while they are created; resolves once every event is in. */
async function start(source: string): Promise<InProcess> {
  const db = await inProcess();
  db.weir.coord.sourcesPaused = true;
  await db.run(ddl(source));
  await db.run('CREATE MATERIALIZED VIEW events_in AS SELECT count(*) AS n FROM nexmark');
  for (const q of QUERIES) await db.run(`CREATE MATERIALIZED VIEW ${viewName(q)} AS ${query(q)}`);
  db.weir.coord.sourcesPaused = false;
  const deadline = Date.now() + 150_000;
  for (;;) {
    const [[n]] = (await db.rows('SELECT n FROM events_in')) as [[bigint]];
    if (n >= BigInt(EVENTS)) break;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${EVENTS} events arrived`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return db;
}

let viaKafka: InProcess;
let generated: InProcess;

describe('Nexmark through Kafka (JSON, RisingWave ddl.sql) equals the in-process generator', () => {
  beforeAll(async () => {
    await produceNexmark({ brokers, topic, partitions: 3, ...GENERATOR });
    viaKafka = await start(
      `WITH (connector = 'kafka', topic = '${topic}', properties.bootstrap.server = '${brokers.join(',')}', scan.startup.mode = 'earliest') FORMAT PLAIN ENCODE JSON`,
    );
    generated = await start(`WITH (${nexmarkWith(GENERATOR)}, nexmark.max.emit.speed = 'true')`);
  }, 240_000);
  afterAll(async () => {
    await viaKafka?.close();
    await generated?.close();
  });

  test('every event arrives once, none undecodable', async () => {
    expect(await viaKafka.rows('SELECT n FROM events_in')).toEqual([[BigInt(EVENTS)]]);
    expect(await generated.rows('SELECT n FROM events_in')).toEqual([[BigInt(EVENTS)]]);
    expect(await viaKafka.rows('SELECT count(*) FROM nexmark_errors')).toEqual([[0n]]);
    const kinds = 'SELECT event_type, count(*) FROM nexmark GROUP BY event_type ORDER BY event_type';
    expect(await viaKafka.rows(kinds)).toEqual(await generated.rows(kinds));
  });

  test.each(['person', 'auction', 'bid'])('the view %s holds the same rows', async (view) => {
    const mine = weirRows(await viaKafka.run(`SELECT * FROM ${view}`));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine).toEqual(weirRows(await generated.run(`SELECT * FROM ${view}`)));
  });

  test.each(QUERIES)('%s holds the same rows', async (q) => {
    const mine = weirRows(await viaKafka.run(`SELECT * FROM ${viewName(q)}`));
    const theirs = weirRows(await generated.run(`SELECT * FROM ${viewName(q)}`));
    expect(theirs.length, `${q} is empty: nothing is compared`).toBeGreaterThan(0);
    expect(mine.length).toBe(theirs.length);
    expect(mine).toEqual(theirs);
  });
});
