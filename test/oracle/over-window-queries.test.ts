// One-shot SELECTs with window functions equal Postgres (PGlite): frames of every kind (ROWS,
// RANGE with peers and with offsets of integer, numeric, float and timestamp keys), rankings,
// offsets, named windows, windows in correlated subqueries and CTEs, over a fixed table with
// ties and NULLs; and the frame errors carry Postgres's SQLSTATE and message. (The incremental
// side is over-window-oracle.test.ts.)
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatDatum } from '../../src/types/text-format.js';
import { inProcess, type InProcess } from '../harness/in-process.js';

const SETUP = `CREATE TABLE t (k int, ts int, v int); CREATE TABLE o (k int);
  INSERT INTO t VALUES (1,1,10),(1,2,20),(1,3,30),(2,1,5),(1,3,7),(NULL,4,1),(2,NULL,NULL),(2,5,5),(3,2,NULL),(1,2,20);
  INSERT INTO o VALUES (1),(2),(3),(4);`;

const QUERIES = [
  'SELECT k, ts, v, sum(v) OVER (ORDER BY ts GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING), last_value(ts) OVER (ORDER BY ts GROUPS BETWEEN 1 FOLLOWING AND 3 FOLLOWING), count(*) OVER (PARTITION BY k ORDER BY v GROUPS UNBOUNDED PRECEDING EXCLUDE GROUP) FROM t',
  'SELECT k, ts, v, sum(v) OVER (ORDER BY ts, v, k ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW), min(v) OVER (ORDER BY ts, v, k ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW) FROM t',
  'SELECT k, ts, count(*) OVER (ORDER BY ts RANGE UNBOUNDED PRECEDING EXCLUDE TIES), sum(v) OVER (ORDER BY ts RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP), nth_value(ts, 2) OVER (ORDER BY ts NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP) FROM t',
  'SELECT k FROM o WHERE 30 IN (SELECT sum(v) OVER (ORDER BY ts, v) FROM t WHERE t.k = o.k)',
  'SELECT k FROM o WHERE 3 IN (SELECT row_number() OVER (ORDER BY ts, v) FROM t WHERE t.k = o.k)',
  'SELECT k, (SELECT sum(v) OVER () FROM t WHERE t.k = o.k AND t.ts = 1) FROM o',
  'SELECT k % 2, v, sum(v) OVER (PARTITION BY k % 2 ORDER BY v * -1 DESC NULLS FIRST, ts, k) FROM t',
  'SELECT k, v, count(*) OVER (), sum(v) OVER (ORDER BY k RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t',
  'SELECT k, v, max(v) OVER (ORDER BY k DESC RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), min(v) OVER (ORDER BY k DESC ROWS BETWEEN 2 FOLLOWING AND 1 FOLLOWING) FROM t',
  'WITH c AS (SELECT k, v, dense_rank() OVER (ORDER BY v DESC NULLS LAST) AS d, percent_rank() OVER (ORDER BY v DESC NULLS LAST) AS pr FROM t) SELECT * FROM c WHERE d <= 3',
  'SELECT k, v, first_value(v) OVER (PARTITION BY k ORDER BY v ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), last_value(v) OVER (PARTITION BY k ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), nth_value(v, 3) OVER (PARTITION BY k ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t',
  'SELECT k, v, avg(v) OVER (PARTITION BY k ORDER BY v ROWS BETWEEN 5 PRECEDING AND 2 PRECEDING), sum(v::numeric / 3) OVER (PARTITION BY k ORDER BY v ROWS 1 PRECEDING) FROM t',
  'SELECT DISTINCT k, count(*) OVER (PARTITION BY k) FROM t',
  'SELECT k, v, lag(v, -1) OVER (PARTITION BY k ORDER BY v), lead(v, 0) OVER (PARTITION BY k ORDER BY v), ntile(2) OVER (ORDER BY v, k, ts) FROM t',
  "SELECT k, v, sum(v) OVER (ORDER BY timestamp '2024-01-01' + ts * interval '1 hour' RANGE BETWEEN interval '2 hours' PRECEDING AND interval '30 minutes' FOLLOWING) FROM t",
  "SELECT k, v, count(*) OVER (ORDER BY (v / 3.0)::numeric DESC RANGE BETWEEN 1.5 PRECEDING AND 0.5 FOLLOWING), avg(ts) OVER (ORDER BY v::float8 RANGE BETWEEN 2.5 PRECEDING AND CURRENT ROW) FROM t",
  'SELECT k, v, last_value(v) OVER (PARTITION BY k ORDER BY ts DESC NULLS FIRST RANGE BETWEEN CURRENT ROW AND 2 FOLLOWING), sum(v) OVER (ORDER BY ts RANGE 2 PRECEDING) FROM t',
];

const ERRORS = [
  'SELECT sum(v) OVER (GROUPS 1 PRECEDING) FROM t',
  'SELECT sum(v) OVER (ORDER BY ts ROWS -1 PRECEDING) FROM t',
  'SELECT sum(v) OVER (ORDER BY ts, v RANGE 1 PRECEDING) FROM t',
  'SELECT sum(v) OVER (ORDER BY ts RANGE -1 PRECEDING) FROM t',
  "SELECT sum(v) OVER (ORDER BY ts RANGE interval '1 day' PRECEDING) FROM t",
  'SELECT sum(v) OVER (ORDER BY ts RANGE 1.5 PRECEDING) FROM t',
  'SELECT ntile(0) OVER (ORDER BY ts) FROM t',
  'SELECT nth_value(v, 0) OVER (ORDER BY ts) FROM t',
  'SELECT sum(DISTINCT v) OVER (ORDER BY ts) FROM t',
  'SELECT v FROM t WHERE row_number() OVER () > 1',
  'SELECT sum(v) OVER w FROM t',
];

let w: InProcess;
let pg: PGlite;
beforeAll(async () => {
  w = await inProcess();
  pg = await PGlite.create();
  await w.run(SETUP);
  await pg.exec(SETUP);
});
afterAll(async () => {
  await w.close();
  await pg.close();
});

describe('window functions in one-shot SELECTs equal Postgres', () => {
  test.each(QUERIES)('%s', async (q) => {
    const r = await w.run(q);
    if (r.kind !== 'rows') throw new Error('expected rows');
    const mine = r.rows.map((row) => JSON.stringify(row.map((d, i) => (d === null ? null : formatDatum(d, r.columns[i]!.type))))).sort();
    const cols = r.columns.map((_, i) => `c${i}`);
    const res = await pg.query<Record<string, string | null>>(`SELECT ${cols.map((c) => `${c}::text`).join(', ')} FROM (${q}) q(${cols.join(', ')})`, [], { rowMode: 'object' });
    expect(mine).toEqual(res.rows.map((x) => JSON.stringify(cols.map((c) => x[c] ?? null))).sort());
  });

  test.each(ERRORS)('%s fails as in Postgres', async (q) => {
    const error = (e: { code?: string; message?: string }) => `${e.code} ${e.message}`;
    const mine = await w.run(q).then(() => 'no error', error);
    expect(mine).toEqual(await pg.query(q).then(() => 'no error', error));
  });
});
