// The incremental-correctness oracle for window functions over frames (OVER (PARTITION BY …
// ORDER BY … frame)): random INSERT / UPDATE / DELETE ticks on a table t (k int, ts int,
// v int), NULLs and ties included, applied to weir and to real Postgres (PGlite). After every
// tick each materialized view must equal the same query run by Postgres; at the end each
// query also runs as a one-shot SELECT. Some runs restart weir from its data directory
// halfway, so the over-window operator's state is rebuilt from storage.
//
// ROWS frames, row_number() and lag / lead depend on the order of rows that tie on ORDER BY,
// which SQL leaves open: those windows order by every column of the row, so tied rows are
// identical and any order gives the same multiset of output rows. (Two such windows with
// different orders in one view could pair the copies of a duplicated row differently.)
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresRows, weirTextRows } from '../harness/oracle-rows.js';
import type { InProcess } from '../harness/in-process.js';
import { runOracleTicks } from '../harness/oracle-ticks.js';

const TABLE = 'CREATE TABLE t (k int, ts int, v int)';

/** name → query, the same text for weir and Postgres. */
const VIEWS: [string, string][] = [
  ['rows_avg', 'SELECT k, ts, v, avg(v) OVER (PARTITION BY k ORDER BY ts, v ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS a FROM t'],
  [
    'running',
    `SELECT k, ts, v, sum(v) OVER (PARTITION BY k ORDER BY ts) AS s, count(*) OVER (PARTITION BY k ORDER BY ts) AS n,
       rank() OVER (PARTITION BY k ORDER BY ts) AS r, dense_rank() OVER (PARTITION BY k ORDER BY ts) AS dr, max(v) OVER (PARTITION BY k ORDER BY ts) AS mx FROM t`,
  ],
  [
    'following',
    `SELECT k, ts, v, min(v) OVER (ORDER BY ts DESC NULLS LAST, v, k ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS mn,
       sum(v) OVER (ORDER BY ts DESC NULLS LAST, v, k ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s3,
       count(v) OVER (ORDER BY ts DESC NULLS LAST, v, k ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS rest FROM t`,
  ],
  [
    'offsets',
    `SELECT k, ts, v, lag(v) OVER w AS lg, lead(v, 2, -1) OVER w AS ld, first_value(v) OVER w AS fv, last_value(v) OVER w AS lv,
       nth_value(v, 2) OVER w AS nv, row_number() OVER w AS rn FROM t WINDOW w AS (PARTITION BY k ORDER BY ts NULLS FIRST, v)`,
  ],
  [
    'whole',
    `SELECT k, ts, v, sum(v) OVER (PARTITION BY k) AS total, count(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS later,
       percent_rank() OVER (PARTITION BY k ORDER BY v) AS pr, cume_dist() OVER (PARTITION BY k ORDER BY v) AS cd, ntile(3) OVER (PARTITION BY k ORDER BY v, ts) AS nt FROM t`,
  ],
  [
    'filtered',
    `SELECT k, ts, v, sum(v::float8) OVER (ORDER BY ts, v, k ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS fs,
       count(*) FILTER (WHERE v > 4) OVER (PARTITION BY k ORDER BY ts) AS big, CASE bool_or(v > 7) OVER (PARTITION BY k) WHEN true THEN 'yes' WHEN false THEN 'no' END AS any9 FROM t`,
  ],
  ['float_rows', 'SELECT k, ts, v, avg(v::float8) OVER (PARTITION BY k ORDER BY ts, v ROWS 1 PRECEDING) AS fa FROM t'],
  [
    'range_offsets',
    `SELECT k, ts, v, sum(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS s,
       count(*) OVER (PARTITION BY k ORDER BY ts DESC NULLS LAST RANGE BETWEEN 3 PRECEDING AND CURRENT ROW) AS n,
       max(v) OVER (ORDER BY ts NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING) AS m,
       first_value(ts) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS f FROM t`,
  ],
  [
    'excluded',
    `SELECT k, ts, v, sum(v) OVER (PARTITION BY k ORDER BY ts, v ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) AS s,
       max(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP) AS m,
       count(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) AS n,
       last_value(ts) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE GROUP) AS lt,
       avg(v::float8) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW) AS fa FROM t`,
  ],
  [
    'groups',
    `SELECT k, ts, v, sum(v) OVER (PARTITION BY k ORDER BY ts GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s,
       count(*) OVER (ORDER BY ts DESC GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING EXCLUDE TIES) AS n,
       min(v) OVER (PARTITION BY k ORDER BY ts NULLS FIRST GROUPS 2 PRECEDING) AS m FROM t`,
  ],
  ['top2', 'SELECT * FROM (SELECT k, ts, v, rank() OVER (PARTITION BY k ORDER BY v DESC) AS r FROM t) x WHERE r <= 2'],
  ['over_groups', 'SELECT k, n, sum(n) OVER (ORDER BY k NULLS FIRST) AS s, lag(k) OVER (ORDER BY n, k) AS pk FROM (SELECT k, count(*) AS n FROM t GROUP BY k) g'],
  [
    'q6_like',
    `SELECT k, ts, avg(v) OVER (PARTITION BY k ORDER BY ts, v ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS a
       FROM (SELECT k, ts, v, row_number() OVER (PARTITION BY k, ts ORDER BY v) AS rn FROM t) q WHERE rn <= 1`,
  ],
];

const small = fc.option(fc.integer({ min: 1, max: 3 }), { freq: 8 });
const time = fc.option(fc.integer({ min: 0, max: 9 }), { freq: 10 });
const val = fc.option(fc.integer({ min: 0, max: 9 }), { freq: 10 });
const sql = (x: number | null) => (x === null ? 'NULL' : String(x));
const digit = fc.integer({ min: 0, max: 9 });

const statement = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(small, time, val).map(([k, ts, v]) => `INSERT INTO t VALUES (${sql(k)}, ${sql(ts)}, ${sql(v)})`) },
  { weight: 2, arbitrary: fc.array(fc.tuple(small, time, val), { minLength: 2, maxLength: 6 }).map((rows) => `INSERT INTO t VALUES ${rows.map(([k, ts, v]) => `(${sql(k)}, ${sql(ts)}, ${sql(v)})`).join(', ')}`) },
  { weight: 2, arbitrary: digit.map((v) => `DELETE FROM t WHERE v = ${v}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), digit).map(([k, ts]) => `DELETE FROM t WHERE k = ${k} AND ts < ${ts}`) },
  { weight: 2, arbitrary: fc.tuple(time, digit).map(([ts, v]) => `UPDATE t SET ts = ${sql(ts)} WHERE v = ${v}`) },
  { weight: 1, arbitrary: fc.tuple(val, digit).map(([v, ts]) => `UPDATE t SET v = ${sql(v)} WHERE ts = ${ts}`) },
);

const tick = fc.oneof(
  { weight: 3, arbitrary: statement.map((s) => [s]) },
  { weight: 1, arbitrary: fc.array(statement, { minLength: 2, maxLength: 4 }).map((ss) => ['BEGIN', ...ss, 'COMMIT']) },
);

let pglite: PGlite;
beforeAll(async () => {
  pglite = await PGlite.create();
});
afterAll(async () => {
  await pglite.close();
});

const pgRows = (query: string, width: number): Promise<string[]> => postgresRows(pglite, query, width);
const weirRows = weirTextRows;

async function check(w: InProcess, context: string, oneShot: boolean): Promise<void> {
  for (const [name, query] of VIEWS) {
    const mine = weirRows(await w.run(oneShot ? query : `SELECT * FROM ${name}`));
    expect(mine.rows, `${oneShot ? 'query' : 'view'} ${name} after ${context}`).toEqual(await pgRows(query, mine.width));
  }
}

describe('window-function views equal Postgres after every tick', () => {
  test('random inserts, updates and deletes with ties and NULLs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tick, { minLength: 3, maxLength: 14 }), fc.boolean(), async (ticks, restart) => {
        await runOracleTicks({
          pglite,
          table: TABLE,
          views: VIEWS,
          ticks,
          restart,
          check: (w, context) => check(w, context, false),
          atEnd: (w) => check(w, 'the last tick', true),
        });
      }),
      { numRuns: 40, endOnFailure: true },
    );
  }, 600_000);
});
