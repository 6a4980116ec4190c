import { describe, expect, test } from 'vitest';
import { CsvRowDecoder } from '../../../src/sources/kafka/decode-csv.js';
import { DecodeError } from '../../../src/sources/kafka/decode-error.js';
import { Numeric } from '../../../src/types/datum.js';
import { T, type Column, type SqlType } from '../../../src/types/sql-type.js';

const col = (name: string, type: SqlType, nullable = true): Column => ({ name, type, nullable });
const bytes = (s: string) => new TextEncoder().encode(s);

describe('CsvRowDecoder', () => {
  const cols = [col('id', T.int8), col('name', T.text), col('amount', T.numeric), col('at', T.timestamp)];
  const d = new CsvRowDecoder(cols);

  test('fields by position, read with Postgres text input', () => {
    expect(d.decode(bytes('1,ann,10.50,2024-01-02 03:04:05\n'))).toEqual([1n, 'ann', Numeric.parse('10.50'), 1704164645000000]);
  });

  test('quotes: delimiters, doubled quotes and line breaks inside; "" is empty, nothing is NULL', () => {
    expect(d.fields('1,"a, ""b""\nc",,""')).toEqual(['1', 'a, "b"\nc', null, '']);
    expect(d.fields('x,')).toEqual(['x', null]);
    expect(d.fields('')).toEqual([null]);
  });

  test('another delimiter', () => {
    const tsv = new CsvRowDecoder([col('a', T.int4), col('b', T.text)], { delimiter: '\t' });
    expect(tsv.decode(bytes('7\thello, world\r\n'))).toEqual([7, 'hello, world']);
  });

  test('errors say what is wrong, naming the column', () => {
    const reason = (line: string, dec = d) => {
      try {
        dec.decode(bytes(line));
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(reason('1,ann,3')).toBe('expected 4 fields, got 3');
    expect(reason('1,ann,3,2024-01-01,x')).toBe('expected 4 fields, got 5');
    expect(reason('x,ann,3,2024-01-01')).toBe('column "id": invalid input syntax for type bigint: "x"');
    expect(reason('1,"ann,3,2024-01-01')).toBe('unterminated quoted field');
    expect(reason('1,"ann"x,3,2024-01-01')).toBe('unexpected character after a quoted field at position 8');
    expect(reason('1,a"nn,3,2024-01-01')).toBe('a quote inside an unquoted field at position 4');
    expect(reason(',a', new CsvRowDecoder([col('id', T.int4, false), col('b', T.text)]))).toBe('column "id": null value in a NOT NULL column');
  });

  test('a delimiter must be one character other than the quote', () => {
    expect(() => new CsvRowDecoder(cols, { delimiter: '::' })).toThrow();
    expect(() => new CsvRowDecoder(cols, { delimiter: '"' })).toThrow();
  });
});
