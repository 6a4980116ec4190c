/**
 * Oracle: every case of every family table is also run by real Postgres (PGlite, in-process).
 * For each case, Postgres must give the case's expected text (or SQLSTATE), and weir's result
 * type must be Postgres's pg_typeof. So the expected values in cases/ are Postgres's, not ours.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ALL_CASES } from './cases/all-cases.js';
import { callSql, describeCall, evalCase, mismatch, type Case, type Outcome } from './harness.js';

let db: PGlite;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'");
});

afterAll(async () => {
  await db.close();
});

async function pgOutcome(c: Case): Promise<Outcome> {
  const expr = callSql(c.call);
  await db.exec(`SET TimeZone = '${c.tz ?? 'UTC'}'`);
  try {
    const t = (await db.query<{ t: string }>(`SELECT pg_typeof(${expr})::text AS t`)).rows[0]!.t;
    // timestamptz is printed in UTC, bool as t/f and char(n) padded, as weir's formatDatum prints them.
    const sql =
      t === 'timestamp with time zone'
        ? `SELECT ((${expr}) AT TIME ZONE 'UTC')::text || '+00' AS v`
        : t === 'boolean'
          ? `SELECT CASE WHEN ${expr} THEN 't' WHEN NOT ${expr} THEN 'f' END AS v`
          : t === 'character'
            ? `SELECT CASE WHEN (${expr}) IS NOT NULL THEN concat(${expr}) END AS v`
            : `SELECT (${expr})::text AS v`;
    const r = await db.query<{ v: string | null }>(sql);
    return { value: r.rows[0]!.v, type: t };
  } catch (e) {
    return { error: (e as { code?: string }).code ?? 'unknown', message: (e as Error).message };
  }
}

const stripTypmod = (t: string | undefined): string | undefined => t?.replace(/\(\d+(,\d+)?\)/g, '');

describe('Postgres agrees with every expected value', () => {
  test(`${ALL_CASES.length} cases`, async () => {
    const failures: string[] = [];
    for (const c of ALL_CASES) {
      const pg = await pgOutcome(c);
      const m = mismatch(pg, c.want);
      if (m) failures.push(`${describeCall(c.call)}: postgres: ${m}`);
      const ours = evalCase(c);
      if (!pg.error && !ours.error && stripTypmod(ours.type) !== stripTypmod(pg.type)) {
        failures.push(`${describeCall(c.call)}: type ${ours.type}, postgres ${pg.type}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
