// The incremental-correctness oracle for event-time windows (DESIGN §9): random INSERT /
// UPDATE / DELETE ticks on a table t (k int, ts timestamp, v int), applied to weir and to real
// Postgres (PGlite). After every tick, each materialized view using TUMBLE, HOP, CUMULATE or
// SESSION (FROM and GROUP BY spellings) must equal a plain Postgres query computing the same
// windows: date_bin for tumbling windows, generate_series for hopping and cumulating ones, and
// lag() plus a running sum of session starts for sessions. Some runs restart weir from its
// data directory halfway, so the window operators' state is rebuilt from storage.
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresRows, weirTextRows } from '../harness/oracle-rows.js';
import type { InProcess } from '../harness/in-process.js';
import { runOracleTicks } from '../harness/oracle-ticks.js';

const TABLE = 'CREATE TABLE t (k int, ts timestamp, v int)';
const EPOCH = "timestamp '1970-01-01 00:00:00'";

/** Sessions with a 10 second gap, per k: each row with its session id (a running count of session starts). */
const SESSIONS = `SELECT k, ts, v, sum(CASE WHEN prev IS NULL OR ts - prev >= interval '10 seconds' THEN 1 ELSE 0 END) OVER (PARTITION BY k ORDER BY ts) AS sid
  FROM (SELECT k, ts, v, lag(ts) OVER (PARTITION BY k ORDER BY ts) AS prev FROM t WHERE ts IS NOT NULL) x`;

/** name → [weir view, equivalent Postgres query]. */
const VIEWS: [string, string, string][] = [
  [
    'tumble_rows',
    "SELECT * FROM TUMBLE(t, ts, INTERVAL '10' SECOND, INTERVAL '3' SECOND)",
    `SELECT k, ts, v, date_bin('10 seconds', ts, ${EPOCH} + interval '3 seconds') AS ws, date_bin('10 seconds', ts, ${EPOCH} + interval '3 seconds') + interval '10 seconds' FROM t`,
  ],
  [
    'tumble_agg',
    "SELECT k, window_start, window_end, count(*) AS n, sum(v) AS sv FROM TUMBLE(t, ts, INTERVAL '10' SECOND) AS w GROUP BY k, window_start, window_end",
    `SELECT k, date_bin('10 seconds', ts, ${EPOCH}) AS ws, date_bin('10 seconds', ts, ${EPOCH}) + interval '10 seconds', count(*), sum(v) FROM t GROUP BY 1, 2`,
  ],
  [
    'hop_rows',
    "SELECT k, ts, v, window_start, window_end FROM HOP(t, ts, INTERVAL '5' SECOND, INTERVAL '15' SECOND)",
    `SELECT k, ts, v, ws, ws + interval '15 seconds' FROM t, generate_series(date_bin('5 seconds', ts, ${EPOCH}) - interval '10 seconds', ts, interval '5 seconds') AS ws`,
  ],
  [
    'hop_agg',
    "SELECT h.window_start, h.window_end, count(*) AS n, max(h.v) AS mv FROM HOP(t, ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND) AS h WHERE h.v > 2 GROUP BY h.window_start, h.window_end",
    `SELECT ws, ws + interval '10 seconds', count(*), max(v) FROM t, generate_series(date_bin('5 seconds', ts, ${EPOCH}) - interval '5 seconds', ts, interval '5 seconds') AS ws WHERE v > 2 GROUP BY ws`,
  ],
  [
    'cumulate_agg',
    "SELECT k, window_start, window_end, count(*) AS n FROM CUMULATE(t, ts, INTERVAL '5' SECOND, INTERVAL '20' SECOND) GROUP BY k, window_start, window_end",
    `SELECT k, date_bin('20 seconds', ts, ${EPOCH}), we, count(*) FROM t,
       generate_series(date_bin('5 seconds', ts, ${EPOCH}) + interval '5 seconds', date_bin('20 seconds', ts, ${EPOCH}) + interval '20 seconds', interval '5 seconds') AS we GROUP BY 1, 2, 3`,
  ],
  [
    'session_rows',
    "SELECT * FROM SESSION(t, ts, INTERVAL '10' SECOND, k)",
    `SELECT k, ts, v, min(ts) OVER (PARTITION BY k, sid), max(ts) OVER (PARTITION BY k, sid) + interval '10 seconds' FROM (${SESSIONS}) s`,
  ],
  [
    'session_group',
    "SELECT k, count(*) AS n, sum(v) AS sv, SESSION_START(ts, INTERVAL '10' SECOND) AS ws, SESSION_END(ts, INTERVAL '10' SECOND) AS we FROM t GROUP BY k, SESSION(ts, INTERVAL '10' SECOND)",
    `SELECT k, count(*), sum(v), min(ts), max(ts) + interval '10 seconds' FROM (${SESSIONS}) s GROUP BY k, sid`,
  ],
  [
    'session_of_sessions',
    "SELECT count(*) AS sessions, max(n) AS longest FROM (SELECT k, count(*) AS n FROM t GROUP BY k, SESSION(ts, INTERVAL '10' SECOND)) x",
    `SELECT count(*), max(n) FROM (SELECT k, count(*) AS n FROM (${SESSIONS}) s GROUP BY k, sid) x`,
  ],
  [
    'tumble_group',
    "SELECT k, TUMBLE_START(ts, INTERVAL '20' SECOND) AS ws, TUMBLE_END(ts, INTERVAL '20' SECOND) AS we, TUMBLE_ROWTIME(ts, INTERVAL '20' SECOND) AS rt, count(*) AS n FROM t GROUP BY k, TUMBLE(ts, INTERVAL '20' SECOND)",
    `SELECT k, date_bin('20 seconds', ts, ${EPOCH}) AS ws, date_bin('20 seconds', ts, ${EPOCH}) + interval '20 seconds', date_bin('20 seconds', ts, ${EPOCH}) + interval '20 seconds' - interval '1 microsecond', count(*) FROM t GROUP BY 1, 2`,
  ],
  [
    'hop_group',
    "SELECT HOP_START(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND) AS ws, HOP_END(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND) AS we, sum(v) AS sv FROM t GROUP BY HOP(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND)",
    `SELECT ws, ws + interval '10 seconds', sum(v) FROM t, generate_series(date_bin('5 seconds', ts, ${EPOCH}) - interval '5 seconds', ts, interval '5 seconds') AS ws GROUP BY ws`,
  ],
];

const key = fc.option(fc.integer({ min: 1, max: 3 }), { freq: 8 });
const time = fc.option(fc.integer({ min: 0, max: 59 }).map((s) => `'2024-05-01 12:00:${String(s).padStart(2, '0')}'`), { freq: 12 });
const val = fc.integer({ min: 0, max: 9 });
const sql = (x: number | string | null) => (x === null ? 'NULL' : String(x));

const statement = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(key, time, val).map(([k, ts, v]) => `INSERT INTO t VALUES (${sql(k)}, ${sql(ts)}, ${v})`) },
  { weight: 1, arbitrary: fc.tuple(fc.array(fc.tuple(key, time, val), { minLength: 2, maxLength: 5 })).map(([rows]) => `INSERT INTO t VALUES ${rows.map(([k, ts, v]) => `(${sql(k)}, ${sql(ts)}, ${v})`).join(', ')}`) },
  { weight: 2, arbitrary: val.map((v) => `DELETE FROM t WHERE v = ${v}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 59 })).map(([k, s]) => `DELETE FROM t WHERE k = ${k} AND ts < '2024-05-01 12:00:${String(s).padStart(2, '0')}'`) },
  { weight: 1, arbitrary: fc.tuple(time, val).map(([ts, v]) => `UPDATE t SET ts = ${sql(ts)} WHERE v = ${v}`) },
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

async function checkViews(w: InProcess, context: string): Promise<void> {
  for (const [name, , pg] of VIEWS) {
    const mine = weirRows(await w.run(`SELECT * FROM ${name}`));
    expect(mine.rows, `view ${name} after ${context}`).toEqual(await pgRows(pg, mine.width));
  }
}

describe('window views equal Postgres after every tick', () => {
  test('random inserts, updates and deletes of timestamped rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tick, { minLength: 3, maxLength: 14 }), fc.boolean(), async (ticks, restart) => {
        await runOracleTicks({
          pglite,
          table: TABLE,
          views: VIEWS,
          ticks,
          restart,
          check: (w, context) => checkViews(w, context),
        });
      }),
      { numRuns: 40, endOnFailure: true },
    );
  });
});
