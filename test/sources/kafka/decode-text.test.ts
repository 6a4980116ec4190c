import { describe, expect, test } from 'vitest';
import { BytesRowDecoder, TextRowDecoder } from '../../../src/sources/kafka/decode-text.js';
import { T, type Column, type SqlType } from '../../../src/types/sql-type.js';

const col = (name: string, type: SqlType): Column => ({ name, type, nullable: true });
const bytes = (s: string) => new TextEncoder().encode(s);

describe('ENCODE BYTES and TEXT', () => {
  test('BYTES: the value as it is, in one bytea column', () => {
    const raw = new Uint8Array([0, 255, 7]);
    const row = new BytesRowDecoder([col('b', T.bytea)]).decode(raw);
    expect(row).toEqual([raw]);
    expect(row[0]).not.toBe(raw);
    expect(() => new BytesRowDecoder([col('b', T.text)])).toThrow('ENCODE BYTES needs a bytea column, not text');
    expect(() => new BytesRowDecoder([])).toThrow('ENCODE BYTES needs exactly one column, not 0');
  });

  test('TEXT: UTF-8 text read as the column type', () => {
    expect(new TextRowDecoder([col('s', T.text)]).decode(bytes('héllo'))).toEqual(['héllo']);
    expect(new TextRowDecoder([col('n', T.int8)]).decode(bytes(' 42 '))).toEqual([42n]);
    expect(() => new TextRowDecoder([col('n', T.int8)]).decode(bytes('4x'))).toThrow('column "n": invalid input syntax for type bigint: "4x"');
    expect(() => new TextRowDecoder([col('s', T.text)]).decode(new Uint8Array([0xc3]))).toThrow('the record is not valid UTF-8');
    expect(() => new TextRowDecoder([col('a', T.text), col('b', T.text)])).toThrow(/exactly one column/);
  });
});
