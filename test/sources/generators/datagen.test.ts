import { describe, expect, test } from 'vitest';
import { datagenRowTime, datagenRows, datagenSpec, type DatagenSpec } from '../../../src/sources/generators/datagen.js';
import { parseDurationMs } from '../../../src/sources/generators/datagen-values.js';
import { Numeric, Record as Struct, type Row } from '../../../src/types/datum.js';
import { SqlError } from '../../../src/types/sql-error.js';
import { arrayOf, T, type Column, type SqlType } from '../../../src/types/sql-type.js';

const BASE = 1_700_000_000_000_000;
const col = (name: string, type: SqlType): Column => ({ name, type, nullable: true });
const spec = (columns: Column[], pairs: Record<string, string> = {}): DatagenSpec =>
  datagenSpec(columns, Object.entries(pairs).map(([key, value]) => ({ key, value })), BASE);

function rows(s: DatagenSpec, from: number, to: number): Row[] {
  const out: Row[] = [];
  datagenRows(s, from, to, out);
  return out;
}

function error(columns: Column[], pairs: Record<string, string>): SqlError {
  try {
    spec(columns, pairs);
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('datagen: sequences', () => {
  test('start … end, then the source is exhausted', () => {
    const s = spec([col('id', T.int4), col('big', T.int8)], {
      'fields.id.kind': 'sequence', 'fields.id.start': '5', 'fields.id.end': '14',
      'fields.big.kind': 'sequence', 'fields.big.start': '-3', 'fields.big.end': '100',
    });
    expect(s.rowLimit).toBe(10);
    const out: Row[] = [];
    expect(datagenRows(s, 0, 4, out)).toBe(4);
    expect(datagenRows(s, 4, 100, out)).toBe(6);
    expect(datagenRows(s, 10, 20, out)).toBe(0);
    expect(out.map((r) => r[0])).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(out.map((r) => r[1])).toEqual([-3n, -2n, -1n, 0n, 1n, 2n, 3n, 4n, 5n, 6n]);
  });

  test('defaults 0 … 32767; float and numeric sequences step by 1', () => {
    const s = spec([col('a', T.int2), col('f', T.float8), col('n', T.numeric)], {
      'fields.a.kind': 'sequence',
      'fields.f.kind': 'sequence', 'fields.f.start': '1.5', 'fields.f.end': '100',
      'fields.n.kind': 'sequence', 'fields.n.start': '1.56',
    });
    expect(s.rowLimit).toBe(99);
    const r = rows(s, 0, 3);
    expect(r.map((x) => x[0])).toEqual([0, 1, 2]);
    expect(r.map((x) => x[1])).toEqual([1.5, 2.5, 3.5]);
    expect(r.map((x) => (x[2] as Numeric).toString())).toEqual(['1.56', '2.56', '3.56']);
  });

  test('numeric sequence at the column\'s scale', () => {
    const s = spec([col('n', { kind: 'numeric', precision: 10, scale: 2 })], { 'fields.n.kind': 'sequence', 'fields.n.start': '7' });
    expect(rows(s, 0, 2).map((x) => (x[0] as Numeric).toString())).toEqual(['7.00', '8.00']);
  });

  test('array elements continue the sequence across rows; a struct\'s sequence bounds the source', () => {
    const s = spec([col('i1', arrayOf(T.int4)), col('v', { kind: 'record', fields: [{ name: 'x', type: T.int8 }] })], {
      'fields.i1.length': '3', 'fields.i1._.kind': 'sequence', 'fields.i1._.start': '1',
      'fields.v.x.kind': 'sequence', 'fields.v.x.start': '10', 'fields.v.x.end': '12',
    });
    expect(s.rowLimit).toBe(3);
    const r = rows(s, 0, 10);
    expect(r.map((x) => x[0])).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(r.map((x) => (x[1] as Struct).fields)).toEqual([[10n], [11n], [12n]]);
  });
});

describe('datagen: random values', () => {
  test('a pure function of (row index, column seed)', () => {
    const cols = [col('a', T.int4), col('b', T.int4), col('c', T.int4)];
    const s = spec(cols, { 'fields.a.seed': '3', 'fields.b.seed': '3' });
    const all = rows(s, 0, 300);
    expect([...rows(s, 0, 120), ...rows(s, 120, 300)]).toEqual(all);
    expect(rows(s, 77, 78)).toEqual([all[77]]);
    expect(all.every((r) => r[0] === r[1])).toBe(true); // same seed, same stream (as RisingWave)
    expect(all.filter((r) => r[0] === r[2]).length).toBeLessThan(5); // no seed: seeded by the column's name
    const other = rows(spec(cols, { 'fields.a.seed': '4' }), 0, 300);
    expect(other.filter((r, i) => r[0] === all[i]![0]).length).toBeLessThan(5);
  });

  test('integers uniform in [min, max] inclusive', () => {
    const s = spec([col('a', T.int2), col('b', T.int8)], {
      'fields.a.min': '-2', 'fields.a.max': '2',
      'fields.b.min': '-9223372036854775808', 'fields.b.max': '9223372036854775807',
    });
    const r = rows(s, 0, 1000);
    expect(new Set(r.map((x) => x[0]))).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(r.every((x) => typeof x[1] === 'bigint')).toBe(true);
    expect(r.some((x) => (x[1] as bigint) < -(2n ** 62n))).toBe(true);
    expect(r.some((x) => (x[1] as bigint) > 2n ** 62n)).toBe(true);
  });

  test('default range 0 … 32767; floats in [min, max); float4 is a float32 value', () => {
    const s = spec([col('a', T.int4), col('f', T.float4), col('g', T.float8)], { 'fields.g.min': '15', 'fields.g.max': '55' });
    for (const [a, f, g] of rows(s, 0, 500) as [number, number, number][]) {
      expect(a >= 0 && a <= 32767 && Number.isInteger(a)).toBe(true);
      expect(f).toBe(Math.fround(f));
      expect(f >= 0 && f <= 32767).toBe(true);
      expect(g >= 15 && g < 55).toBe(true);
    }
  });

  test('numeric random at the scale of its bounds', () => {
    const s = spec([col('n', T.numeric)], { 'fields.n.min': '1.5', 'fields.n.max': '2.25' });
    for (const [n] of rows(s, 0, 200) as [Numeric][]) {
      expect(n.scale).toBe(2);
      expect(n.unscaled >= 150n && n.unscaled <= 225n).toBe(true);
    }
  });

  test('strings: alphanumeric, length option (default 10, at most varchar(n))', () => {
    const s = spec([col('c', T.varchar), col('d', T.text), col('e', { kind: 'varchar', length: 4 })], { 'fields.d.length': '16' });
    for (const [c, d, e] of rows(s, 0, 100) as [string, string, string][]) {
      expect(c).toMatch(/^[A-Za-z0-9]{10}$/);
      expect(d).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(e).toMatch(/^[A-Za-z0-9]{4}$/);
    }
  });

  test('bool', () => {
    const r = rows(spec([col('b', T.bool)]), 0, 200).map((x) => x[0]);
    expect(new Set(r)).toEqual(new Set([true, false]));
  });

  test('timestamps: absolute counts back from the source\'s base time, relative from the row\'s time', () => {
    const s = spec([col('t', T.timestamp), col('z', T.timestamptz), col('d', T.date)], {
      'datagen.rows.per.second': '10',
      'fields.t.max_past': '2h 37min',
      'fields.z.max_past': '10s', 'fields.z.max_past_mode': 'relative',
    });
    for (const [i, [t, z, d]] of (rows(s, 0, 200) as [number, number, number][]).entries()) {
      expect(t <= BASE && t >= BASE - (2 * 60 + 37) * 60_000_000).toBe(true);
      expect((BASE - t) % 1000).toBe(0);
      const rowTime = BASE + i * 100_000;
      expect(datagenRowTime(s, i)).toBe(rowTime);
      expect(z <= rowTime && z >= rowTime - 10_000_000).toBe(true);
      const today = Math.floor(BASE / 86_400_000_000);
      expect(d === today || d === today - 1).toBe(true);
    }
  });

  test('basetime: RFC 3339, the wall clock for timestamp, the instant for timestamptz', () => {
    const s = spec([col('t', T.timestamp), col('z', T.timestamptz)], {
      'fields.t.basetime': '2023-04-01T16:39:57-08:00', 'fields.t.max_past': '0s',
      'fields.z.basetime': '2023-04-01T16:39:57-08:00', 'fields.z.max_past': '0s',
    });
    const wall = Date.UTC(2023, 3, 1, 16, 39, 57) * 1000;
    expect(rows(s, 0, 2)).toEqual([[wall, wall + 8 * 3_600_000_000], [wall, wall + 8 * 3_600_000_000]]);
  });

  test('struct sub-fields take their own options', () => {
    const s = spec([col('v1', { kind: 'record', fields: [{ name: 'v2', type: T.int4 }, { name: 'v3', type: T.float8 }] })], {
      'fields.v1.v2.min': '-10', 'fields.v1.v2.max': '10',
      'fields.v1.v3.min': '15', 'fields.v1.v3.max': '55',
    });
    for (const [v] of rows(s, 0, 100) as [Struct][]) {
      const [v2, v3] = v.fields as [number, number];
      expect(v2 >= -10 && v2 <= 10).toBe(true);
      expect(v3 >= 15 && v3 < 55).toBe(true);
    }
  });

  test('random array elements differ within a row', () => {
    const s = spec([col('a', arrayOf(T.int4))], { 'fields.a.length': '5', 'fields.a._.max': '1000000' });
    const [r] = rows(s, 0, 1) as [number[]][];
    expect(new Set(r![0]).size).toBe(5);
  });
});

describe('datagen: options', () => {
  test('rows per second default 10; unbounded without sequences', () => {
    const s = spec([col('a', T.int4)]);
    expect(s.rowsPerSecond).toBe(10);
    expect(s.rowLimit).toBeUndefined();
    expect(spec([col('a', T.int4)], { 'datagen.rows.per.second': '5000', 'datagen.split.num': '3', connector: 'datagen' }).rowsPerSecond).toBe(5000);
  });

  test('durations in humantime syntax', () => {
    expect(parseDurationMs('k', '2h 37min')).toBe((2 * 60 + 37) * 60_000);
    expect(parseDurationMs('k', '1day')).toBe(86_400_000);
    expect(parseDurationMs('k', '1500ms')).toBe(1500);
    expect(parseDurationMs('k', '1m 30s')).toBe(90_000);
  });

  test('errors: 22023 naming the key', () => {
    const cols = [col('a', T.int4), col('s', T.varchar), col('t', T.timestamp)];
    const cases: [Record<string, string>, string][] = [
      [{ 'datagen.rows.per.sec': '5' }, 'unknown datagen option "datagen.rows.per.sec"'],
      [{ 'fields.b.kind': 'random' }, 'datagen option "fields.b.kind" names no column'],
      [{ 'fields.s.min': '3' }, 'datagen option "fields.s.min" does not apply to a column of type character varying'],
      [{ 'fields.a.min': '10', 'fields.a.max': '1' }, 'option "fields.a.min" must not be greater than "fields.a.max"'],
      [{ 'fields.a.kind': 'sequence', 'fields.a.start': '100', 'fields.a.end': '10' }, 'option "fields.a.start" must not be greater than "fields.a.end"'],
      [{ 'fields.a.max': 'lots' }, 'invalid value for option "fields.a.max": "lots"'],
      [{ 'fields.a.max': '3000000000' }, 'invalid value for option "fields.a.max": "3000000000"'],
      [{ 'fields.a.kind': 'cyclic' }, 'invalid value for option "fields.a.kind": "cyclic"'],
      [{ 'fields.s.kind': 'sequence' }, 'invalid value for option "fields.s.kind": "sequence"'],
      [{ 'fields.t.max_past': 'forever' }, 'invalid value for option "fields.t.max_past": "forever"'],
      [{ 'fields.t.max_past_mode': 'sideways' }, 'invalid value for option "fields.t.max_past_mode": "sideways"'],
      [{ 'fields.t.basetime': 'now' }, 'invalid value for option "fields.t.basetime": "now"'],
      [{ 'datagen.rows.per.second': '0' }, 'invalid value for option "datagen.rows.per.second": "0"'],
      [{ 'fields.a.seed': '-1' }, 'invalid value for option "fields.a.seed": "-1"'],
    ];
    for (const [pairs, message] of cases) {
      const e = error(cols, pairs);
      expect(e.code, message).toBe('22023');
      expect(e.message).toBe(message);
    }
  });

  test('a type datagen cannot generate is 0A000', () => {
    expect(error([col('i', T.interval)], {}).code).toBe('0A000');
  });
});
