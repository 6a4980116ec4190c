import { describe, expect, test } from 'vitest';
import { JsonRowDecoder } from '../../../src/sources/kafka/decode-json.js';
import { DecodeError } from '../../../src/sources/kafka/decode-error.js';
import { Jsonb, Numeric, Record as SqlRecord } from '../../../src/types/datum.js';
import { arrayOf, T, type Column, type SqlType } from '../../../src/types/sql-type.js';

const col = (name: string, type: SqlType, nullable = true): Column => ({ name, type, nullable });
const bytes = (s: string) => new TextEncoder().encode(s);
const decode = (cols: Column[], json: string) => new JsonRowDecoder(cols).decode(bytes(json));

function reason(cols: Column[], json: string): string {
  try {
    decode(cols, json);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return (e as DecodeError).message;
  }
  throw new Error('decoded without an error');
}

describe('JsonRowDecoder', () => {
  test('columns take fields by name, exact first, then ignoring case; missing fields are NULL', () => {
    const cols = [col('id', T.int4), col('Name', T.text), col('price', T.float8), col('gone', T.text)];
    expect(decode(cols, '{"ID": 1, "name": "x", "price": 2.5, "extra": true}')).toEqual([1, 'x', 2.5, null]);
    expect(decode(cols, '{"id": 2, "ID": 3, "Name": "exact", "NAME": "other"}')).toEqual([2, 'exact', null, null]);
  });

  test('integers: exact to 64 bits, range-checked, strings read as Postgres reads them', () => {
    const cols = [col('a', T.int2), col('b', T.int8), col('c', T.int8)];
    expect(decode(cols, '{"a": -5, "b": 9223372036854775807, "c": "-42"}')).toEqual([-5, 9223372036854775807n, -42n]);
    expect(decode(cols, '{"b": 1e3}')).toEqual([null, 1000n, null]);
    expect(reason(cols, '{"a": 40000}')).toBe('column "a": 40000 is out of range for type smallint');
    expect(reason(cols, '{"b": 9223372036854775808}')).toMatch(/out of range for type bigint/);
    expect(reason(cols, '{"a": 1.5}')).toBe('column "a": expected an integer for type smallint, got 1.5');
    expect(reason(cols, '{"a": "x"}')).toBe('column "a": invalid input syntax for type smallint: "x"');
    expect(reason(cols, '{"a": [1]}')).toMatch(/expected an integer/);
  });

  test('numeric keeps every digit and applies the typmod', () => {
    const cols = [col('n', T.numeric), col('m', { kind: 'numeric', precision: 10, scale: 2 })];
    const [n, m] = decode(cols, '{"n": 12345678901234567890.123456789, "m": 3.14159}') as [Numeric, Numeric];
    expect(n.toString()).toBe('12345678901234567890.123456789');
    expect(m.toString()).toBe('3.14');
    expect(reason(cols, '{"m": 123456789012}')).toMatch(/numeric field overflow/);
    expect((decode(cols, '{"n": "NaN"}')[0] as Numeric).isNaN()).toBe(true);
  });

  test('timestamps from ISO text or epoch milliseconds; dates from text or days', () => {
    const cols = [col('ts', T.timestamptz), col('t2', T.timestamp), col('d', T.date), col('tm', T.time)];
    const row = decode(cols, '{"ts": "2024-01-02T03:04:05.123Z", "t2": 1704164645123, "d": "2024-01-02", "tm": "01:00:00"}');
    expect(row).toEqual([1704164645123000, 1704164645123000, 19724, 3_600_000_000]);
    expect(decode(cols, '{"d": 19724}')[2]).toBe(19724);
    expect(reason(cols, '{"ts": "yesterday-ish"}')).toMatch(/^column "ts": invalid input syntax for type timestamp with time zone/);
    expect(reason(cols, '{"ts": true}')).toMatch(/expected a timestamp string or epoch milliseconds/);
  });

  test('text takes strings, other values as JSON text; varchar(n) is checked', () => {
    const cols = [col('s', T.text), col('v', { kind: 'varchar', length: 3 })];
    expect(decode(cols, '{"s": {"a": [1, 2]}, "v": "abc"}')).toEqual(['{"a":[1,2]}', 'abc']);
    expect(decode(cols, '{"s": 12}')).toEqual(['12', null]);
    expect(reason(cols, '{"v": "abcd"}')).toBe('column "v": value too long for type character varying(3)');
  });

  test('json, jsonb, bytea, uuid, bool', () => {
    const cols = [col('j', T.json), col('jb', T.jsonb), col('b', T.bytea), col('u', T.uuid), col('ok', T.bool)];
    const row = decode(cols, '{"j": {"x": 1}, "jb": [1, "a"], "b": "AQID", "u": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "ok": true}');
    expect(row[0]).toBe('{"x":1}');
    expect(row[1]).toEqual(new Jsonb([1, 'a']));
    expect(row[2]).toEqual(new Uint8Array([1, 2, 3]));
    expect(row[3]).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(row[4]).toBe(true);
    expect(reason(cols, '{"b": "not base64!"}')).toMatch(/expected a base64 string/);
    expect(reason(cols, '{"ok": 1}')).toMatch(/expected a boolean/);
  });

  test('structs read nested objects by name ignoring case; arrays read arrays', () => {
    const person: SqlType = { kind: 'record', fields: [{ name: 'name', type: T.text }, { name: 'age', type: T.int4 }] };
    const cols = [col('p', person), col('tags', arrayOf(T.text)), col('ids', arrayOf(T.int8))];
    const row = decode(cols, '{"P": {"Name": "ann", "AGE": 30}, "tags": ["a", null], "ids": [1, 2]}');
    expect(row).toEqual([new SqlRecord(['ann', 30]), ['a', null], [1n, 2n]]);
    expect(reason(cols, '{"p": {"age": "old"}}')).toBe('column "p.age": invalid input syntax for type integer: "old"');
    expect(reason(cols, '{"ids": [1, "x"]}')).toMatch(/^column "ids\[\]"/);
  });

  test('NULL in a NOT NULL column, a value that is not an object, bad JSON and bad UTF-8 are errors', () => {
    const cols = [col('id', T.int4, false)];
    expect(reason(cols, '{"id": null}')).toBe('column "id": null value in a NOT NULL column');
    expect(reason(cols, '{}')).toBe('column "id": null value in a NOT NULL column');
    expect(reason(cols, '[1]')).toBe('expected a JSON object, got [1]');
    expect(reason(cols, '{"id": ')).toMatch(/^invalid JSON/);
    expect(reason(cols, '{"id": 12345678901234567890')).toMatch(/^invalid JSON: unexpected end/);
    expect(() => new JsonRowDecoder(cols).decode(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow('the record is not valid UTF-8');
  });

  test('a "__proto__" field is data', () => {
    const cols = [col('__proto__', T.text), col('a', T.text)];
    expect(decode(cols, '{"__proto__": "x", "a": "12345678901234567"}')).toEqual(['x', '12345678901234567']);
  });

  test("columns named like Object.prototype's properties are NULL when the object lacks them", () => {
    const cols = [col('__proto__', T.text), col('constructor', T.text), col('toString', T.int4), col('a', T.int4)];
    expect(decode(cols, '{"a": 1}')).toEqual([null, null, null, 1]);
    expect(decode(cols, '{"__proto__": "x", "constructor": "y", "TOSTRING": 3, "a": 1}')).toEqual(['x', 'y', 3, 1]);
  });

  test('the fast paths agree with the text input: safe integers, text, ISO timestamps', () => {
    const cols = [col('i', T.int4), col('b', T.int8), col('t', T.text), col('ts', T.timestamp), col('tz', T.timestamptz)];
    expect(decode(cols, '{"i": -2147483648, "b": 9007199254740991, "t": "s", "ts": "2026-11-26 10:00:00.014", "tz": "2026-11-26T10:00:00Z"}')).toEqual([
      -2147483648, 9007199254740991n, 's', Date.UTC(2026, 10, 26, 10, 0, 0, 14) * 1000, Date.UTC(2026, 10, 26, 10) * 1000,
    ]);
    expect(reason(cols, '{"i": 2147483648}')).toMatch(/out of range for type integer/);
    expect(reason(cols, '{"ts": "2026-02-30 10:00:00"}')).toMatch(/column "ts"/);
    expect(decode(cols, '{"ts": "2026-11-26 10:00:00+02"}')).toEqual([null, null, null, Date.UTC(2026, 10, 26, 10) * 1000, null]);
  });
});
