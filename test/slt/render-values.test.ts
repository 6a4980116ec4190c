import { describe, expect, test } from 'vitest';
import { formatReal3, hashValues, normalizeLine, postgresTimestamptz, renderValue, resultLines, sortRows, sqliteInteger } from '../../src/slt/render-values.js';

describe('SQLite rendering (type letter decides)', () => {
  test('I: integers exactly, reals truncated toward zero, text by its numeric prefix', () => {
    expect(['42', '-7', '9223372036854775807', '3.9', '-3.9', '1e3', 'abc', '12abc', 't', 'f'].map(sqliteInteger)).toEqual([
      '42', '-7', '9223372036854775807', '3', '-3', '1000', '0', '12', '1', '0',
    ]);
  });

  test('R: %.3f with ties to even', () => {
    expect([1, 2.5, -1.0005, 0.0625, 0.1875, -0.0625, 1e22, 123.4567].map(formatReal3)).toEqual([
      '1.000', '2.500', '-1.000', '0.062', '0.188', '-0.062', '10000000000000000000000.000', '123.457',
    ]);
  });

  test('NULL, (empty), non-printable characters as @', () => {
    expect(renderValue(null, 'I', 'sqlite')).toBe('NULL');
    expect(renderValue(null, 'T', 'sqlite')).toBe('NULL');
    expect(renderValue('', 'T', 'sqlite')).toBe('(empty)');
    expect(renderValue('a\tb\u00e9', 'T', 'sqlite')).toBe('a@b@');
    expect(renderValue('150.5', 'R', 'sqlite')).toBe('150.500');
    expect(renderValue('150.5', 'I', 'sqlite')).toBe('150');
  });

  test('postgres style keeps the server text, whatever the letter', () => {
    expect(renderValue('2022-01-01 10:00:00', 'I', 'postgres')).toBe('2022-01-01 10:00:00');
    expect(renderValue('', 'T', 'postgres')).toBe('(empty)');
    expect(renderValue(null, 'T', 'postgres')).toBe('NULL');
    expect(renderValue('1.5', 'R', 'postgres')).toBe('1.5');
  });
});

describe('sorting and hashing', () => {
  test('rowsort compares rows value by value as strings; valuesort sorts every value', () => {
    const rows = [['2', 'b'], ['10', 'a'], ['2', 'a']];
    expect(sortRows(rows, 'rowsort')).toEqual([['10', 'a'], ['2', 'a'], ['2', 'b']]);
    expect(sortRows(rows, 'valuesort').flat()).toEqual(['10', '2', '2', 'a', 'a', 'b']);
    expect(sortRows(rows, 'nosort')).toBe(rows);
  });

  test('the hash is MD5 over each value followed by a newline (the C harness)', () => {
    // md5("1\n2\n") computed independently: printf '1\n2\n' | md5sum
    expect(hashValues(['1', '2'])).toBe('6ddb4095eb719e2a9f0a3f95677d24e0');
  });

  test('results above the threshold are written as a hash; rowwise joins a row with spaces', () => {
    const rows = [['1', '2'], ['3', '4'], ['5', '6']];
    expect(resultLines(rows, 'valuewise', 8)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(resultLines(rows, 'valuewise', 4)).toEqual([`6 values hashing to ${hashValues(['1', '2', '3', '4', '5', '6'])}`]);
    expect(resultLines(rows, 'rowwise', 0)).toEqual(['1 2', '3 4', '5 6']);
    expect(normalizeLine('  8  2022-01-01\t11:00:00 ')).toBe('8 2022-01-01 11:00:00');
  });

  test("RisingWave's timestamptz spelling (+00:00) is read as Postgres's (+00); other offsets and text stay", () => {
    expect(postgresTimestamptz('1 2024-01-01 00:00:10+00:00 2024-01-01 00:00:05.5+00:00')).toBe('1 2024-01-01 00:00:10+00 2024-01-01 00:00:05.5+00');
    expect(postgresTimestamptz('2024-01-01 00:00:10+05:30 a+00:00 10:00:00+00:00x')).toBe('2024-01-01 00:00:10+05:30 a+00:00 10:00:00+00:00x');
  });
});
