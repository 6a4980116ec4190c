/**
 * Oracle for the cast table and type categories: each cast weir declares between two types that
 * Postgres has a pg_cast row for must have Postgres's context, and typeCategory / isPreferredType
 * must match pg_type.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registryContents, isPreferredType, lookupCast, typeCategory } from '../../../src/plan/functions/registry.js';
import { CAST_ENTRIES } from '../../../src/plan/functions/casts.js';
import { T, type SqlType, type SqlTypeKind } from '../../../src/types/sql-type.js';

const PG_NAME: Partial<Record<SqlTypeKind, string>> = {
  bool: 'bool', int2: 'int2', int4: 'int4', int8: 'int8', float4: 'float4', float8: 'float8', numeric: 'numeric',
  text: 'text', varchar: 'varchar', char: 'bpchar', bytea: 'bytea', date: 'date', time: 'time', timestamp: 'timestamp',
  timestamptz: 'timestamptz', interval: 'interval', json: 'json', jsonb: 'jsonb', uuid: 'uuid', oid: 'oid',
};
const CONTEXT = { i: 'implicit', a: 'assignment', e: 'explicit' } as const;

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

test('cast contexts match pg_cast', async () => {
  const rows = (await db.query<{ s: string; t: string; c: 'i' | 'a' | 'e' }>(
    `SELECT s.typname AS s, t.typname AS t, castcontext AS c FROM pg_cast JOIN pg_type s ON s.oid = castsource JOIN pg_type t ON t.oid = casttarget`,
  )).rows;
  const pg = new Map(rows.map((r) => [`${r.s}>${r.t}`, CONTEXT[r.c]]));
  const checked: string[] = [];
  const wrong: string[] = [];
  for (const e of CAST_ENTRIES) {
    const s = PG_NAME[e.from];
    const t = PG_NAME[e.to];
    if (!s || !t) continue;
    const want = pg.get(`${s}>${t}`);
    if (want === undefined) continue; // an I/O conversion in Postgres, no pg_cast row
    checked.push(`${s}>${t}`);
    if (want !== e.context) wrong.push(`${s} -> ${t}: weir ${e.context}, postgres ${want}`);
  }
  expect(wrong).toEqual([]);
  expect(checked.length).toBeGreaterThan(50);
  // And every pg_cast row between weir's types is one weir has, in the same context.
  const missing: string[] = [];
  const kinds = Object.entries(PG_NAME) as [SqlTypeKind, string][];
  for (const [fk, fname] of kinds) {
    for (const [tk, tname] of kinds) {
      const want = pg.get(`${fname}>${tname}`);
      if (want === undefined || fk === tk) continue;
      const got = lookupCast({ kind: fk } as SqlType, { kind: tk } as SqlType);
      if (got?.context !== want) missing.push(`${fname} -> ${tname}: weir ${got?.context ?? 'none'}, postgres ${want}`);
    }
  }
  expect(missing).toEqual([]);
});

test('type categories and preferred types match pg_type', async () => {
  const rows = (await db.query<{ typname: string; typcategory: string; typispreferred: boolean }>(
    `SELECT typname, typcategory, typispreferred FROM pg_type WHERE typname = ANY($1)`,
    [Object.values(PG_NAME)],
  )).rows;
  const byName = new Map(rows.map((r) => [r.typname, r]));
  for (const [kind, name] of Object.entries(PG_NAME) as [SqlTypeKind, string][]) {
    const t = kind === 'char' ? ({ kind: 'char' } as SqlType) : (T as Record<string, SqlType>)[kind]!;
    const r = byName.get(name)!;
    expect([name, typeCategory(t), isPreferredType(t)]).toEqual([name, r.typcategory, r.typispreferred]);
  }
  expect(registryContents().duplicateIds).toEqual([]);
});
