/**
 * binary-format: byte vectors as Postgres's *_send functions produce them, and round trips
 * through encodeBinary/decodeBinary.
 */
import { describe, expect, it } from 'vitest';
import { decodeBinary, encodeBinary } from '../../src/types/binary-format.js';
import { Interval, Jsonb, Numeric, Record, type Datum } from '../../src/types/datum.js';
import { arrayOf, T, type SqlType } from '../../src/types/sql-type.js';

const hex = (d: Datum, t: SqlType) => Buffer.from(encodeBinary(d, t)).toString('hex');
const fromHex = (h: string, t: SqlType) => decodeBinary(Buffer.from(h.replace(/ /g, ''), 'hex'), t);

describe('binary format vectors', () => {
  it('integers, floats, bool, oid', () => {
    expect(hex(true, T.bool)).toBe('01');
    expect(hex(-2, T.int2)).toBe('fffe');
    expect(hex(42, T.int4)).toBe('0000002a');
    expect(hex(-1n, T.int8)).toBe('ffffffffffffffff');
    expect(hex(1.5, T.float8)).toBe('3ff8000000000000');
    expect(hex(1.5, T.float4)).toBe('3fc00000');
    expect(hex(4294967295, T.oid)).toBe('ffffffff');
  });

  it('numeric in base-10000 digits', () => {
    // ndigits weight sign dscale digits…
    expect(hex(Numeric.parse('12345.67'), T.numeric)).toBe('0003 0001 0000 0002 0001 0929 1a2c'.replace(/ /g, ''));
    expect(hex(Numeric.parse('0.001'), T.numeric)).toBe('0001 ffff 0000 0003 000a'.replace(/ /g, ''));
    expect(hex(Numeric.parse('0.00'), T.numeric)).toBe('0000 0000 0000 0002'.replace(/ /g, ''));
    expect(hex(Numeric.parse('-1'), T.numeric)).toBe('0001 0000 4000 0000 0001'.replace(/ /g, ''));
    expect(hex(Numeric.parse('10000'), T.numeric)).toBe('0001 0001 0000 0000 0001'.replace(/ /g, ''));
    expect(hex(Numeric.parse('NaN'), T.numeric)).toBe('0000 0000 c000 0000'.replace(/ /g, ''));
    expect(hex(Numeric.parse('-Infinity'), T.numeric)).toBe('0000 0000 f000 0000'.replace(/ /g, ''));
    expect(fromHex('0003 0001 0000 0002 0001 0929 1a2c', T.numeric)!.toString()).toBe('12345.67');
    expect(fromHex('0001 ffff 4000 0005 000a', T.numeric)!.toString()).toBe('-0.00100');
    expect(() => fromHex('0001 0000 0000 0000 2710', T.numeric)).toThrow('invalid digit');
  });

  it('dates and times relative to 2000-01-01', () => {
    expect(hex(10957, T.date)).toBe('00000000');
    expect(fromHex('ffffffff', T.date)).toBe(10956);
    expect(hex(Infinity, T.date)).toBe('7fffffff');
    expect(hex(946684800000000, T.timestamp)).toBe('0000000000000000');
    expect(fromHex('0000000000000001', T.timestamptz)).toBe(946684800000001);
    expect(hex(-Infinity, T.timestamptz)).toBe('8000000000000000');
    expect(hex(3_600_000_000, T.time)).toBe('00000000d693a400');
    expect(hex(new Interval(1, 2, 3), T.interval)).toBe('0000000000000003' + '00000002' + '00000001');
  });

  it('text, bytea, uuid, json, jsonb', () => {
    expect(hex('hé', T.text)).toBe('68c3a9');
    expect(hex(new Uint8Array([0, 255]), T.bytea)).toBe('00ff');
    expect(hex('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', T.uuid)).toBe('a0eebc999c0b4ef8bb6d6bb9bd380a11');
    expect(fromHex('a0eebc999c0b4ef8bb6d6bb9bd380a11', T.uuid)).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(hex('{"a" :1}', T.json)).toBe(Buffer.from('{"a" :1}').toString('hex'));
    expect(Buffer.from(encodeBinary(new Jsonb({ a: 1, b: [true, null] }), T.jsonb)).toString()).toBe('\x01{"a": 1, "b": [true, null]}');
    expect(decodeBinary(Buffer.from('\x01{"b":1,"a":"x"}'), T.jsonb)).toEqual(new Jsonb({ a: 'x', b: 1 }));
    expect(() => decodeBinary(Buffer.from('\x02{}'), T.jsonb)).toThrow('unsupported jsonb version number 2');
  });

  it('arrays with a header, dimensions and nulls', () => {
    expect(hex([1, null, 3], arrayOf(T.int4))).toBe(
      '00000001' + '00000001' + '00000017' + '00000003' + '00000001' + '00000004' + '00000001' + 'ffffffff' + '00000004' + '00000003',
    );
    expect(hex([], arrayOf(T.text))).toBe('00000000' + '00000000' + '00000019');
    expect(decodeBinary(encodeBinary([[1, 2], [3, 4]], arrayOf(arrayOf(T.int4))), arrayOf(arrayOf(T.int4)))).toEqual([[1, 2], [3, 4]]);
    expect(() => encodeBinary([[1, 2], [3]], arrayOf(arrayOf(T.int4)))).toThrow('matching dimensions');
  });
});

describe('round trips', () => {
  const cases: [SqlType, Datum][] = [
    [T.bool, false], [T.int2, 32767], [T.int4, -2147483648], [T.int8, 9223372036854775807n], [T.float4, 0.5],
    [T.float8, -1e300], [T.float8, NaN], [T.numeric, Numeric.parse('-987654321.0123456789')], [T.numeric, Numeric.parse('1e20')],
    [T.text, 'multi\nline ☃'], [T.varchar, ''], [T.bytea, new Uint8Array([1, 2, 3])], [T.date, -1000], [T.time, 86_399_999_999],
    [T.timestamp, -123_456_789], [T.interval, new Interval(-14, 3, -5_000_000)], [T.uuid, '00000000-0000-0000-0000-000000000000'],
    [arrayOf(T.text), ['a', null, 'c']], [arrayOf(T.numeric), [Numeric.parse('1.5')]],
    [{ kind: 'record', fields: [{ name: 'a', type: T.int4 }, { name: 'b', type: T.text }] }, new Record([1, null])],
  ];
  for (const [t, d] of cases) {
    it(`${t.kind} ${String(d)}`, () => {
      expect(decodeBinary(encodeBinary(d, t), t)).toEqual(d);
    });
  }

  it('rejects a wrong size with 22P03', () => {
    expect(() => decodeBinary(new Uint8Array(3), T.int4)).toThrow(expect.objectContaining({ code: '22P03' }));
    expect(() => decodeBinary(Buffer.from('00000001 00000000 00000017 00000002 00000001 00000004 00000001'.replace(/ /g, ''), 'hex'), arrayOf(T.int4))).toThrow(
      'insufficient data',
    );
  });
});
