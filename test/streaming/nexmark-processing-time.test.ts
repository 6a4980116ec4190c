// Flink's Nexmark q12 (processing-time windows) and q13 (a bounded side input joined AS OF
// the processing time), as written, over weir's nexmark generator: nexmark-queries.test.ts
// only checks that they run (their sinks are blackholes); here the same queries also feed
// materialized views, whose contents must be what the queries mean.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { until } from '../harness/until.js';

const FLINK = resolve(import.meta.dirname, '../../../shared/nexmark/flink');
const EVENTS = 2_000;
const SOURCE = `connector = 'nexmark', nexmark.table.type = 'combined', nexmark.event.num = '${EVENTS}',
  nexmark.max.emit.speed = 'true', nexmark.max.chunk.size = '500', nexmark.event.rate = '50'`;

let db: InProcess;
const home = tempDataDir();

/** The `INSERT INTO <sink> <query>` of a Flink query file: the query. */
function insertQuery(text: string): string {
  return /INSERT\s+INTO\s+\w+\s+([\s\S]*?);?\s*$/i.exec(text)![1]!;
}

beforeAll(async () => {
  mkdirSync(join(home, 'data'));
  writeFileSync(join(home, 'data/side_input.txt'), Array.from({ length: 10_000 }, (_, i) => `${i},${i}\n`).join(''));
  const fill = (text: string) => text.replace(/\$\{(\w+)\}/g, (_m, name: string) => (name === 'FLINK_HOME' ? home : name === 'NEXMARK_TABLE' ? 'datagen' : 'false'));
  db = await inProcess();
  db.weir.coord.sourcesPaused = true;
  const ddl = readFileSync(join(FLINK, 'ddl_gen.sql'), 'utf8').replace(/\)\s*WITH\s*\(\s*'connector'\s*=\s*'nexmark'[\s\S]*?\)\s*;/, `) WITH (${SOURCE});`);
  await db.run(ddl);
  await db.run(fill(readFileSync(join(FLINK, 'ddl_views.sql'), 'utf8')));
  for (const q of ['q12.sql', 'q13.sql']) {
    const text = fill(readFileSync(join(FLINK, q), 'utf8'));
    await db.run(text);
    await db.run(`CREATE MATERIALIZED VIEW ${q.replace('.sql', '')}_view AS ${insertQuery(text)}`);
  }
  db.weir.coord.sourcesPaused = false;
  await until(
    () => db.rows('SELECT position FROM weir_source_stats'),
    (r) => Number(r[0]?.[0]) >= EVENTS,
    60_000,
  );
}, 90_000);

afterAll(async () => {
  await db?.close();
});

describe("Flink's Nexmark on processing time", () => {
  test('q13: every bid joins its side input row, key = auction mod 10000', async () => {
    const [[bids]] = (await db.rows('SELECT count(*) FROM bid')) as [[bigint]];
    expect(bids).toBeGreaterThan(0n);
    expect(await db.rows('SELECT count(*) FROM q13_view')).toEqual([[bids]]);
    expect(await db.rows("SELECT count(*) FROM q13_view WHERE value <> (auction % 10000)::text")).toEqual([[0n]]);
    expect(await db.rows('SELECT count(*) FROM (SELECT auction, bidder, price, datetime FROM bid EXCEPT ALL SELECT auction, bidder, price, datetime FROM q13_view) x')).toEqual([[0n]]);
  });

  test('q12: bids per bidder in 10-second processing-time windows', async () => {
    const [[bids]] = (await db.rows('SELECT count(*) FROM bid')) as [[bigint]];
    // Every bid counted once, in a window of the time it was processed (the last minute).
    expect(await db.rows('SELECT sum(bid_count)::bigint FROM q12_view')).toEqual([[bids]]);
    expect(await db.rows("SELECT count(*) FROM q12_view WHERE endtime - starttime <> INTERVAL '10' SECOND OR endtime < now() - INTERVAL '1' MINUTE OR starttime > now()")).toEqual([[0n]]);
    expect(await db.rows('SELECT bidder, sum(bid_count)::bigint FROM q12_view GROUP BY bidder EXCEPT SELECT bidder, count(*) FROM bid GROUP BY bidder')).toEqual([]);
  });
});
