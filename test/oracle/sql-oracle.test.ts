// The incremental-correctness oracle (DESIGN §9): random INSERT/UPDATE/DELETE ticks over
// three tables, applied both to weir and to real Postgres (PGlite). After every tick, every
// materialized view's contents must equal its query run from scratch by Postgres. Half of the
// views exist from the start (maintained tick by tick); the other half are created after a
// few ticks (hydrated from existing data), then maintained.
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresRows, weirTextRows } from '../harness/oracle-rows.js';
import { inProcess, type InProcess } from '../harness/in-process.js';

const TABLES = [
  'CREATE TABLE a (id int PRIMARY KEY, k int, v int, s text)',
  'CREATE TABLE b (id int PRIMARY KEY, k int, w int)',
  'CREATE TABLE c (x int, y int)',
];

/** name → query. Each becomes a materialized view. */
const VIEWS: [string, string][] = [
  ['join_agg', 'SELECT a.k, count(*) AS n, sum(a.v) AS sv, min(b.w) AS mw, max(a.s) AS ms FROM a JOIN b ON a.k = b.k GROUP BY a.k'],
  ['left_join', 'SELECT a.id, b.id AS bid, b.w FROM a LEFT JOIN b ON a.k = b.k'],
  ['right_join', 'SELECT a.id, b.id AS bid FROM a RIGHT JOIN b ON a.k = b.k AND a.v > b.w'],
  ['full_join', 'SELECT a.id, b.id AS bid FROM a FULL JOIN b ON a.k = b.k'],
  ['cross_join', 'SELECT a.id, c.x FROM a CROSS JOIN c WHERE a.v = c.y'],
  ['distinct_k', 'SELECT DISTINCT k FROM a'],
  ['distinct_c', 'SELECT DISTINCT x, y FROM c'],
  ['top3', 'SELECT id, v FROM a WHERE v IS NOT NULL ORDER BY v DESC, id LIMIT 3'],
  ['top_per_k', 'SELECT k, id, v, rn FROM (SELECT k, id, v, row_number() OVER (PARTITION BY k ORDER BY v, id) AS rn FROM a WHERE v IS NOT NULL) t WHERE rn <= 2'],
  ['rank_per_k', 'SELECT k, id, v, r FROM (SELECT k, id, v, rank() OVER (PARTITION BY k ORDER BY v) AS r FROM a WHERE v IS NOT NULL) t WHERE r <= 2'],
  ['dense_rank_all', 'SELECT id, v, r FROM (SELECT id, v, dense_rank() OVER (ORDER BY v DESC) AS r FROM a) t WHERE r < 3'],
  ['exists_b', 'SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.k = a.k)'],
  ['not_exists_b', 'SELECT id FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = a.k)'],
  ['scalar_sub', 'SELECT id, (SELECT count(*) FROM b WHERE b.k = a.k) AS nb FROM a'],
  ['in_sub', 'SELECT id FROM a WHERE k IN (SELECT k FROM b WHERE w > 5)'],
  // Correlation on nullable columns: null-safe join keys.
  ['scalar_sub_null', 'SELECT id, (SELECT count(*) FROM c WHERE c.y = a.v) AS nc FROM a'],
  ['exists_nsafe', 'SELECT id FROM a WHERE EXISTS (SELECT 1 FROM c WHERE c.y IS NOT DISTINCT FROM a.v)'],
  ['not_in_corr', 'SELECT id, v NOT IN (SELECT w FROM b WHERE b.k = a.k) AS ni FROM a'],
  ['scalar_one_row', 'SELECT id, (SELECT w FROM b WHERE b.id = a.v) AS bw FROM a'],
  ['nsafe_join', 'SELECT a.id, c.x FROM a JOIN c ON a.v IS NOT DISTINCT FROM c.y'],
  ['global_agg', 'SELECT count(*) AS n, sum(v) AS s, avg(v) AS av, bool_and(v > 3) AS ba, count(DISTINCT k) AS dk FROM a'],
  ['union_k', 'SELECT k FROM a UNION SELECT k FROM b'],
  ['except_k', 'SELECT k FROM a EXCEPT SELECT k FROM b'],
  ['intersect_all', 'SELECT k FROM a INTERSECT ALL SELECT k FROM b'],
  ['str_agg', "SELECT k, string_agg(s, ',' ORDER BY s) AS ss FROM a GROUP BY k"],
  ['with_having', 'SELECT k, sum(v) AS sv FROM a GROUP BY k HAVING count(*) > 1'],
  ['c_counts', 'SELECT x, count(*) AS n, sum(y) AS sy FROM c GROUP BY x'],
];

const small = fc.integer({ min: 1, max: 8 });
const val = fc.option(fc.integer({ min: 0, max: 10 }), { freq: 6 });
const str = fc.option(fc.constantFrom('x', 'y', 'zz', 'q'), { freq: 5 });
const sqlVal = (v: number | string | null) => (v === null ? 'NULL' : typeof v === 'string' ? `'${v}'` : String(v));

const statement = fc.oneof(
  fc.tuple(small, fc.integer({ min: 1, max: 4 }), val, str).map(([id, k, v, s]) => `INSERT INTO a VALUES (${id}, ${k}, ${sqlVal(v)}, ${sqlVal(s)})`),
  fc.tuple(small, fc.integer({ min: 1, max: 4 }), val).map(([id, k, w]) => `INSERT INTO b VALUES (${id}, ${k}, ${sqlVal(w)})`),
  fc.tuple(fc.integer({ min: 1, max: 3 }), val).map(([x, y]) => `INSERT INTO c VALUES (${x}, ${sqlVal(y)})`),
  fc.tuple(small, val).map(([id, v]) => `UPDATE a SET v = ${sqlVal(v)} WHERE id = ${id}`),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).map(([k, k2]) => `UPDATE b SET k = ${k2} WHERE k = ${k}`),
  small.map((id) => `DELETE FROM a WHERE id = ${id}`),
  fc.integer({ min: 1, max: 4 }).map((k) => `DELETE FROM b WHERE k = ${k}`),
  fc.integer({ min: 1, max: 3 }).map((x) => `DELETE FROM c WHERE x = ${x}`),
);

/** A tick: one statement, or a transaction of a few. */
const tick = fc.oneof(
  { weight: 3, arbitrary: statement.map((s) => [s]) },
  { weight: 1, arbitrary: fc.array(statement, { minLength: 1, maxLength: 4 }).map((ss) => ['BEGIN', ...ss, 'COMMIT']) },
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

/** Runs a statement on both; returns the Postgres error code, if any (weir must agree). */
async function both(w: InProcess, sql: string, inFailedTx: { failed: boolean }): Promise<void> {
  let pgErr: string | undefined;
  try {
    await pglite.exec(sql);
  } catch (e) {
    pgErr = (e as { code?: string }).code ?? 'error';
  }
  let weirErr: string | undefined;
  try {
    await w.run(sql);
  } catch (e) {
    weirErr = (e as { code?: string }).code ?? String(e);
    if (w.session.transactionStatus() === 'in-transaction') w.session.markFailed(e as never);
  }
  if (inFailedTx.failed && sql !== 'COMMIT') return;
  expect({ sql, code: weirErr }).toEqual({ sql, code: pgErr });
  if (pgErr && w.session.transactionStatus() !== 'idle') inFailedTx.failed = true;
  if (sql === 'COMMIT') inFailedTx.failed = false;
}

async function checkViews(w: InProcess, created: [string, string][], context: string): Promise<void> {
  for (const [name, sql] of created) {
    const mine = weirRows(await w.run(`SELECT * FROM ${name}`));
    const theirs = await pgRows(sql, mine.width);
    expect(mine.rows, `view ${name} after ${context}`).toEqual(theirs);
  }
}

describe('materialized views equal Postgres after every tick', () => {
  test('random ticks over three tables', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tick, { minLength: 4, maxLength: 16 }), async (ticks) => {
        await pglite.exec('DROP TABLE IF EXISTS a, b, c');
        for (const t of TABLES) await pglite.exec(t);
        const w = await inProcess();
        try {
          for (const t of TABLES) await w.run(t);
          const early = VIEWS.filter((_, i) => i % 2 === 0);
          const late = VIEWS.filter((_, i) => i % 2 === 1);
          for (const [name, sql] of early) await w.run(`CREATE MATERIALIZED VIEW ${name} AS ${sql}`);
          const created = [...early];
          const failed = { failed: false };
          for (let i = 0; i < ticks.length; i++) {
            if (i === 2) {
              for (const [name, sql] of late) await w.run(`CREATE MATERIALIZED VIEW ${name} AS ${sql}`);
              created.push(...late);
            }
            for (const sql of ticks[i]!) await both(w, sql, failed);
            await checkViews(w, created, `tick ${i}: ${ticks[i]!.join('; ')}`);
          }
        } finally {
          await w.close();
        }
      }),
      { numRuns: 60, endOnFailure: true },
    );
  });
});
