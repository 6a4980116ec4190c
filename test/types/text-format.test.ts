import { describe, expect, it } from 'vitest';
import { formatDatum, parseDatum, coerceNumeric } from '../../src/types/text-format.js';
import { Interval, Jsonb, Record } from '../../src/types/datum.js';
import { Numeric } from '../../src/types/numeric.js';
import { SqlError } from '../../src/types/sql-error.js';
import { T, arrayOf, type SqlType } from '../../src/types/sql-type.js';

/** parse then format, as `select '<input>'::type` prints in psql. */
function pg(input: string, t: SqlType): string {
  return formatDatum(parseDatum(input, t), t);
}

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof SqlError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

describe('bool', () => {
  it.each([
    ['true', 't'], ['TRUE', 't'], ['yes', 't'], ['on', 't'], ['1', 't'], ['t', 't'], ['  y ', 't'],
    ['false', 'f'], ['no', 'f'], ['off', 'f'], ['0', 'f'], ['f', 'f'], ['n', 'f'],
  ])('%s -> %s', (input, out) => expect(pg(input, T.bool)).toBe(out));

  it('rejects other words', () => {
    expect(errorOf(() => parseDatum('maybe', T.bool))).toEqual({ code: '22P02', message: 'invalid input syntax for type boolean: "maybe"' });
    expect(errorOf(() => parseDatum('o', T.bool)).code).toBe('22P02');
  });
});

describe('integers', () => {
  it('parses with whitespace and sign', () => {
    expect(parseDatum(' 42 ', T.int4)).toBe(42);
    expect(parseDatum('-32768', T.int2)).toBe(-32768);
    expect(parseDatum('+7', T.int4)).toBe(7);
    expect(parseDatum('9223372036854775807', T.int8)).toBe(9223372036854775807n);
    expect(parseDatum('-9223372036854775808', T.int8)).toBe(-9223372036854775808n);
    expect(formatDatum(-5n, T.int8)).toBe('-5');
  });

  it('reports syntax and range errors in Postgres words', () => {
    expect(errorOf(() => parseDatum('abc', T.int4))).toEqual({ code: '22P02', message: 'invalid input syntax for type integer: "abc"' });
    expect(errorOf(() => parseDatum('1.5', T.int4))).toEqual({ code: '22P02', message: 'invalid input syntax for type integer: "1.5"' });
    expect(errorOf(() => parseDatum('', T.int8))).toEqual({ code: '22P02', message: 'invalid input syntax for type bigint: ""' });
    expect(errorOf(() => parseDatum('2147483648', T.int4))).toEqual({ code: '22003', message: 'value "2147483648" is out of range for type integer' });
    expect(errorOf(() => parseDatum('32768', T.int2))).toEqual({ code: '22003', message: 'value "32768" is out of range for type smallint' });
    expect(errorOf(() => parseDatum('9223372036854775808', T.int8))).toEqual({ code: '22003', message: 'value "9223372036854775808" is out of range for type bigint' });
    expect(errorOf(() => parseDatum('99999999999999999999', T.int4)).code).toBe('22003');
  });
});

describe('float', () => {
  it.each([
    ['1', '1'], ['0.1', '0.1'], ['1.5', '1.5'], ['-0', '-0'], ['1e20', '1e+20'], ['123456789012345678', '1.2345678901234568e+17'],
    ['0.0001', '0.0001'], ['0.00001', '1e-05'], ['100000000000000', '100000000000000'], ['1000000000000000', '1e+15'],
    ['NaN', 'NaN'], ['infinity', 'Infinity'], ['-Infinity', '-Infinity'], ['3.141592653589793', '3.141592653589793'],
    ['1e-300', '1e-300'], ['  2.5  ', '2.5'],
  ])('float8 %s -> %s', (input, out) => expect(pg(input, T.float8)).toBe(out));

  it.each([
    ['0.1', '0.1'], ['3.14159', '3.14159'], ['123456', '123456'], ['1234567', '1.234567e+06'], ['1e-5', '1e-05'], ['16777217', '1.6777216e+07'],
  ])('float4 %s -> %s', (input, out) => expect(pg(input, T.float4)).toBe(out));

  it('reports range and syntax errors', () => {
    expect(errorOf(() => parseDatum('1e400', T.float8))).toEqual({ code: '22003', message: '"1e400" is out of range for type double precision' });
    expect(errorOf(() => parseDatum('1e40', T.float4))).toEqual({ code: '22003', message: '"1e40" is out of range for type real' });
    expect(errorOf(() => parseDatum('x', T.float8))).toEqual({ code: '22P02', message: 'invalid input syntax for type double precision: "x"' });
  });
});

describe('numeric', () => {
  it('keeps the display scale', () => {
    expect(pg('10.50', T.numeric)).toBe('10.50');
    expect(pg('-0.001', T.numeric)).toBe('-0.001');
    expect(pg('1e3', T.numeric)).toBe('1000');
    expect(pg('1.5e-3', T.numeric)).toBe('0.0015');
    expect(pg('NaN', T.numeric)).toBe('NaN');
    expect(pg('-Infinity', T.numeric)).toBe('-Infinity');
    expect(errorOf(() => parseDatum('1.2.3', T.numeric))).toEqual({ code: '22P02', message: 'invalid input syntax for type numeric: "1.2.3"' });
  });

  it('applies numeric(p,s)', () => {
    const t: SqlType = { kind: 'numeric', precision: 5, scale: 2 };
    expect(pg('3.14159', t)).toBe('3.14');
    expect(pg('2.005', t)).toBe('2.01');
    expect(pg('-2.005', t)).toBe('-2.01');
    expect(pg('7', t)).toBe('7.00');
    expect(pg('999.994', t)).toBe('999.99');
    expect(errorOf(() => parseDatum('999.995', t))).toEqual({ code: '22003', message: 'numeric field overflow' });
    expect(coerceNumeric(Numeric.parse('123.456'), 10, 0).toString()).toBe('123');
  });
});

describe('strings, bytea, uuid, oid', () => {
  it('text and varchar/char typmods', () => {
    expect(pg('hello', T.text)).toBe('hello');
    expect(pg('ab', { kind: 'char', length: 4 })).toBe('ab  ');
    expect(pg('abc   ', { kind: 'varchar', length: 3 })).toBe('abc');
    expect(errorOf(() => parseDatum('abcd', { kind: 'varchar', length: 3 }))).toEqual({
      code: '22001',
      message: 'value too long for type character varying(3)',
    });
  });

  it('bytea hex and escape input, hex output', () => {
    expect(pg('\\xDEADbeef', T.bytea)).toBe('\\xdeadbeef');
    expect(pg('abc', T.bytea)).toBe('\\x616263');
    expect(pg('a\\\\b\\000', T.bytea)).toBe('\\x615c6200');
    expect(pg('\\x', T.bytea)).toBe('\\x');
    expect(errorOf(() => parseDatum('\\x1', T.bytea)).code).toBe('22P02');
    expect(errorOf(() => parseDatum('\\xzz', T.bytea)).message).toBe('invalid hexadecimal digit: "z"');
  });

  it('uuid', () => {
    expect(pg('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', T.uuid)).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(pg('{a0eebc999c0b4ef8bb6d6bb9bd380a11}', T.uuid)).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(pg('a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11', T.uuid)).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(errorOf(() => parseDatum('xyz', T.uuid))).toEqual({ code: '22P02', message: 'invalid input syntax for type uuid: "xyz"' });
  });

  it('oid', () => {
    expect(pg('4294967295', T.oid)).toBe('4294967295');
    expect(pg('-1', T.oid)).toBe('4294967295');
  });
});

describe('date and time', () => {
  it.each([
    ['2024-01-31', '2024-01-31'], ['1999-01-08', '1999-01-08'], ['January 8, 1999', '1999-01-08'], ['1/8/1999', '1999-01-08'],
    ['19990108', '1999-01-08'], ['08-Jan-1999', '1999-01-08'], ['2024-02-29', '2024-02-29'], ['0044-03-15 BC', '0044-03-15 BC'],
    ['infinity', 'infinity'], ['-infinity', '-infinity'], ['epoch', '1970-01-01'], ['2024-01-31 12:34:56', '2024-01-31'],
  ])('date %s -> %s', (input, out) => expect(pg(input, T.date)).toBe(out));

  it('date values are days since the epoch', () => {
    expect(parseDatum('1970-01-02', T.date)).toBe(1);
    expect(parseDatum('1969-12-31', T.date)).toBe(-1);
    expect(parseDatum('2000-01-01', T.date)).toBe(10957);
  });

  it('date errors', () => {
    expect(errorOf(() => parseDatum('2024-02-30', T.date))).toEqual({ code: '22008', message: 'date/time field value out of range: "2024-02-30"' });
    expect(errorOf(() => parseDatum('2023-13-01', T.date)).code).toBe('22008');
    expect(errorOf(() => parseDatum('hello', T.date))).toEqual({ code: '22007', message: 'invalid input syntax for type date: "hello"' });
  });

  it.each([
    ['12:34:56', '12:34:56'], ['12:34', '12:34:00'], ['01:02:03.5', '01:02:03.5'], ['01:02:03.1234567', '01:02:03.123457'],
    ['2:30 PM', '14:30:00'], ['12:00 am', '00:00:00'], ['24:00:00', '24:00:00'], ['allballs', '00:00:00'],
  ])('time %s -> %s', (input, out) => expect(pg(input, T.time)).toBe(out));

  it('time errors', () => {
    expect(errorOf(() => parseDatum('25:00', T.time)).code).toBe('22008');
    expect(errorOf(() => parseDatum('noon-ish', T.time))).toEqual({ code: '22007', message: 'invalid input syntax for type time: "noon-ish"' });
  });
});

describe('timestamp and timestamptz', () => {
  it.each([
    ['2024-01-31 12:34:56.123456', '2024-01-31 12:34:56.123456'], ['2024-01-31T12:34:56', '2024-01-31 12:34:56'],
    ['2024-01-31', '2024-01-31 00:00:00'], ['2024-01-31 12:34:56.5', '2024-01-31 12:34:56.5'],
    ['2024-01-31 12:34:56+02', '2024-01-31 12:34:56'], ['1969-12-31 23:59:59.999999', '1969-12-31 23:59:59.999999'],
    ['infinity', 'infinity'], ['Jan 8 1999 04:05:06 PM', '1999-01-08 16:05:06'],
  ])('timestamp %s -> %s', (input, out) => expect(pg(input, T.timestamp)).toBe(out));

  it.each([
    ['2024-01-31 12:34:56', '2024-01-31 12:34:56+00'], ['2024-01-31 12:34:56+02', '2024-01-31 10:34:56+00'],
    ['2024-01-31T12:34:56Z', '2024-01-31 12:34:56+00'], ['2024-01-31 12:34:56.25-05:30', '2024-01-31 18:04:56.25+00'],
    ['2024-01-01 01:00:00+0530', '2023-12-31 19:30:00+00'], ['2024-01-31 12:00 UTC', '2024-01-31 12:00:00+00'],
    ['-infinity', '-infinity'],
  ])('timestamptz %s -> %s', (input, out) => expect(pg(input, T.timestamptz)).toBe(out));

  it('values are microseconds since the epoch', () => {
    expect(parseDatum('1970-01-01 00:00:01', T.timestamp)).toBe(1_000_000);
    expect(parseDatum('1970-01-01 00:00:00+01', T.timestamptz)).toBe(-3_600_000_000);
    expect(formatDatum(-1, T.timestamp)).toBe('1969-12-31 23:59:59.999999');
  });

  it('errors', () => {
    expect(errorOf(() => parseDatum('2024-01-31 xx', T.timestamp))).toEqual({ code: '22007', message: 'invalid input syntax for type timestamp: "2024-01-31 xx"' });
    expect(errorOf(() => parseDatum('bad', T.timestamptz))).toEqual({ code: '22007', message: 'invalid input syntax for type timestamp with time zone: "bad"' });
    expect(errorOf(() => parseDatum('2024-04-31 00:00', T.timestamp)).code).toBe('22008');
    expect(errorOf(() => parseDatum('3000-01-01', T.timestamp))).toEqual({ code: '22008', message: 'timestamp out of range: "3000-01-01"' });
  });
});

describe('interval', () => {
  it.each([
    ['1 year 2 mons 3 days 04:05:06.5', '1 year 2 mons 3 days 04:05:06.5'], ['1 day', '1 day'], ['5 seconds', '00:00:05'],
    ['2 hours 3 minutes', '02:03:00'], ['1 day 02:00:00', '1 day 02:00:00'], ['P1D', '1 day'], ['P1Y2M3DT4H5M6S', '1 year 2 mons 3 days 04:05:06'],
    ['PT0.5S', '00:00:00.5'], ['@ 1 minute ago', '-00:01:00'], ['-1 days +02:00:00', '-1 days +02:00:00'], ['0', '00:00:00'],
    ['1.5 months', '1 mon 15 days'], ['1.5 days', '1 day 12:00:00'], ['1.5 years', '1 year 6 mons'], ['2 weeks', '14 days'],
    ['-1 year -2 mons', '-1 years -2 mons'], ['25 hours', '25:00:00'], ['1 mon -1 day', '1 mon -1 days'], ['3 mons', '3 mons'],
    ['1-2', '1 year 2 mons'], ['100 milliseconds', '00:00:00.1'], ['10 min', '00:10:00'], ['1 decade', '10 years'],
    ['-04:05:06', '-04:05:06'], ['1 day -04:05:06', '1 day -04:05:06'], ['5', '00:00:05'],
  ])('%s -> %s', (input, out) => expect(pg(input, T.interval)).toBe(out));

  it('stores months, days and micros separately', () => {
    expect(parseDatum('1 year 2 mons 3 days 04:05:06.5', T.interval)).toEqual(new Interval(14, 3, 14_706_500_000));
  });

  it('rejects junk', () => {
    expect(errorOf(() => parseDatum('1 fortnight', T.interval))).toEqual({ code: '22007', message: 'invalid input syntax for type interval: "1 fortnight"' });
  });
});

describe('json and jsonb', () => {
  it('json keeps its text, validated', () => {
    expect(pg('{"b": 1,   "a":2}', T.json)).toBe('{"b": 1,   "a":2}');
    expect(errorOf(() => parseDatum('{bad', T.json))).toMatchObject({ code: '22P02', message: 'invalid input syntax for type json' });
  });

  it('jsonb prints as Postgres does', () => {
    expect(pg('{"b": [1,2], "a": 1}', T.jsonb)).toBe('{"a": 1, "b": [1, 2]}');
    expect(pg('{"aa": 1, "b": 2, "10": 3, "2": 4}', T.jsonb)).toBe('{"2": 4, "b": 2, "10": 3, "aa": 1}');
    expect(pg('{"a": 1, "a": 2}', T.jsonb)).toBe('{"a": 2}');
    expect(pg('[]', T.jsonb)).toBe('[]');
    expect(pg('{}', T.jsonb)).toBe('{}');
    expect(pg('"x\\ny"', T.jsonb)).toBe('"x\\ny"');
    expect(pg('1e3', T.jsonb)).toBe('1000');
    expect(pg('0.0000001', T.jsonb)).toBe('0.0000001');
    expect(pg('[null, true, false, "é"]', T.jsonb)).toBe('[null, true, false, "é"]');
    expect(parseDatum('{"a": [1]}', T.jsonb)).toEqual(new Jsonb({ a: [1] }));
  });
});

describe('arrays and records', () => {
  it('formats arrays with Postgres quoting', () => {
    expect(formatDatum([1, 2, null], arrayOf(T.int4))).toBe('{1,2,NULL}');
    expect(formatDatum(['a', 'b c', '', 'NULL', 'x"y', 'back\\slash', '{}', 'a,b'], arrayOf(T.text))).toBe(
      '{a,"b c","","NULL","x\\"y","back\\\\slash","{}","a,b"}',
    );
    expect(formatDatum([[1, 2], [3, 4]], arrayOf(T.int4))).toBe('{{1,2},{3,4}}');
    expect(formatDatum([], arrayOf(T.int4))).toBe('{}');
    expect(formatDatum([true, false], arrayOf(T.bool))).toBe('{t,f}');
  });

  it('parses arrays', () => {
    expect(parseDatum('{1,2,NULL}', arrayOf(T.int4))).toEqual([1, 2, null]);
    expect(parseDatum(' { a , "b c" , "NULL", null } ', arrayOf(T.text))).toEqual(['a', 'b c', 'NULL', null]);
    expect(parseDatum('{"x\\"y","a\\\\b"}', arrayOf(T.text))).toEqual(['x"y', 'a\\b']);
    expect(parseDatum('{{1,2},{3,4}}', arrayOf(T.int4))).toEqual([[1, 2], [3, 4]]);
    expect(parseDatum('{}', arrayOf(T.int4))).toEqual([]);
    expect(errorOf(() => parseDatum('{1,2', arrayOf(T.int4)))).toEqual({ code: '22P02', message: 'malformed array literal: "{1,2"' });
    expect(errorOf(() => parseDatum('{1,x}', arrayOf(T.int4))).message).toBe('invalid input syntax for type integer: "x"');
  });

  it('round-trips text arrays through their output', () => {
    const t = arrayOf(T.text);
    const v = ['', ' lead', 'q"uote', 'b\\s', 'NULL', 'null', 'x,y', '{z}'];
    expect(parseDatum(formatDatum(v, t), t)).toEqual(v);
  });

  it('records', () => {
    const t: SqlType = { kind: 'record', fields: [{ name: 'a', type: T.int4 }, { name: 'b', type: T.text }, { name: 'c', type: T.text }] };
    expect(formatDatum(new Record([1, 'abc', null]), t)).toBe('(1,abc,)');
    expect(formatDatum(new Record([1, 'a b', '']), t)).toBe('(1,"a b","")');
    expect(formatDatum(new Record([1, 'say "hi"', 'x\\y']), t)).toBe('(1,"say ""hi""","x\\\\y")');
    expect(parseDatum('(1,abc,)', t)).toEqual(new Record([1, 'abc', null]));
    expect(parseDatum('(1,"say ""hi""","")', t)).toEqual(new Record([1, 'say "hi"', '']));
    expect(formatDatum([new Record([1, 'a', 'b'])], arrayOf(t))).toBe('{"(1,a,b)"}');
  });
});
