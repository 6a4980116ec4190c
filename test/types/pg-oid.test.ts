/**
 * pg-oid: the OIDs, sizes and typmods clients see in RowDescription and ParameterDescription,
 * checked against Postgres's pg_type.
 */
import { describe, expect, it } from 'vitest';
import { oidOf, typeModifier, typeOfOid, typeSize } from '../../src/types/pg-oid.js';
import { arrayOf, T, type SqlType } from '../../src/types/sql-type.js';

describe('pg-oid', () => {
  it('gives Postgres OIDs', () => {
    const expected: [SqlType, number][] = [
      [T.bool, 16], [T.bytea, 17], [T.int8, 20], [T.int2, 21], [T.int4, 23], [T.text, 25], [T.oid, 26],
      [T.json, 114], [T.float4, 700], [T.float8, 701], [T.varchar, 1043], [{ kind: 'char' }, 1042],
      [T.date, 1082], [T.time, 1083], [T.timestamp, 1114], [T.timestamptz, 1184], [T.interval, 1186],
      [T.numeric, 1700], [T.uuid, 2950], [T.jsonb, 3802], [{ kind: 'record', fields: [] }, 2249], [T.unknown, 705],
      [arrayOf(T.int4), 1007], [arrayOf(T.text), 1009], [arrayOf(T.int8), 1016], [arrayOf(T.bool), 1000],
      [arrayOf(T.jsonb), 3807], [arrayOf(T.numeric), 1231], [arrayOf(arrayOf(T.int4)), 1007],
    ];
    for (const [t, oid] of expected) expect([t, oidOf(t)]).toEqual([t, oid]);
  });

  it('maps OIDs back to types', () => {
    for (const t of [T.bool, T.int4, T.int8, T.text, T.varchar, T.numeric, T.jsonb, T.timestamptz, T.uuid, arrayOf(T.float8)]) {
      expect(typeOfOid(oidOf(t))).toEqual(t);
    }
    expect(typeOfOid(1042)).toEqual({ kind: 'char' });
    expect(typeOfOid(19)).toEqual(T.text); // name
    expect(typeOfOid(0)).toBeUndefined();
    expect(typeOfOid(600)).toBeUndefined(); // point
  });

  it('gives typlen', () => {
    expect([T.bool, T.int2, T.int4, T.int8, T.float4, T.float8, T.date, T.time, T.timestamp, T.interval, T.uuid].map(typeSize)).toEqual([
      1, 2, 4, 8, 4, 8, 4, 8, 8, 16, 16,
    ]);
    expect([T.text, T.numeric, T.jsonb, arrayOf(T.int4), T.unknown].map(typeSize)).toEqual([-1, -1, -1, -1, -2]);
  });

  it('gives atttypmod', () => {
    expect(typeModifier({ kind: 'varchar', length: 10 })).toBe(14);
    expect(typeModifier({ kind: 'char', length: 1 })).toBe(5);
    expect(typeModifier({ kind: 'numeric', precision: 10, scale: 2 })).toBe(655366);
    expect(typeModifier(arrayOf({ kind: 'varchar', length: 3 }))).toBe(7);
    expect(typeModifier(T.varchar)).toBe(-1);
    expect(typeModifier(T.numeric)).toBe(-1);
    expect(typeModifier(T.int4)).toBe(-1);
  });
});
