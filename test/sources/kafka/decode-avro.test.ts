import avro from 'avsc';
import { describe, expect, test } from 'vitest';
import { columnsOf, parseAvroSchema } from '../../../src/sources/kafka/avro-schema.js';
import { AvroRowDecoder } from '../../../src/sources/kafka/decode-avro.js';
import { Jsonb, Numeric, Record as SqlRecord } from '../../../src/types/datum.js';
import { arrayOf, T, typeName, type Column, type SqlType } from '../../../src/types/sql-type.js';

const col = (name: string, type: SqlType, nullable = true): Column => ({ name, type, nullable });

/** An inline-schema decoder and an encoder for the same schema (avsc, longs as JS numbers). */
function both(schema: object, columns: Column[], framing?: string) {
  const decoder = new AvroRowDecoder(columns, { schema: JSON.stringify(schema), ...(framing ? { framing } : {}) });
  const type = avro.Type.forSchema(schema as avro.Schema);
  return { decoder, encode: (v: object) => new Uint8Array(type.toBuffer(v)) };
}

const reason = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('AvroRowDecoder', () => {
  test('longs past 2^53 stay exact; fields match ignoring case; decimals may be negative', () => {
    const schema = {
      type: 'record',
      name: 'r',
      fields: [
        { name: 'Big', type: 'long' },
        { name: 'd', type: { type: 'fixed', name: 'dec', size: 3, logicalType: 'decimal', precision: 6, scale: 3 } },
      ],
    };
    const { decoder } = both(schema, [col('big', T.int8), col('d', { kind: 'numeric', precision: 6, scale: 3 })]);
    // 2^60 + 1 as Avro's zig-zag varint, then the fixed(3) two's complement of -1234 (-1.234).
    const zigzag = (n: bigint) => {
      let z = (n << 1n) ^ (n >> 63n);
      const out: number[] = [];
      while (z >= 0x80n) {
        out.push(Number((z & 0x7fn) | 0x80n));
        z >>= 7n;
      }
      out.push(Number(z));
      return out;
    };
    const bytes = new Uint8Array([...zigzag((1n << 60n) + 1n), 0xff, 0xfb, 0x2e]);
    expect(decoder.decode(bytes)).toEqual([(1n << 60n) + 1n, new Numeric(-1234n, 3)]);
  });

  test('times, local timestamps, maps as jsonb, arrays of nullable records as struct arrays', () => {
    const schema = {
      type: 'record',
      name: 'r',
      fields: [
        { name: 't1', type: { type: 'int', logicalType: 'time-millis' } },
        { name: 't2', type: { type: 'long', logicalType: 'time-micros' } },
        { name: 'lt', type: { type: 'long', logicalType: 'local-timestamp-micros' } },
        { name: 'm', type: { type: 'map', values: 'long' } },
        { name: 'items', type: { type: 'array', items: ['null', { type: 'record', name: 'item', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }] }] } },
      ],
    };
    const item: SqlType = { kind: 'record', fields: [{ name: 'sku', type: T.text }, { name: 'qty', type: T.int4 }] };
    const columns = [col('t1', T.time), col('t2', T.time), col('lt', T.timestamp), col('m', T.jsonb), col('items', arrayOf(item))];
    const { decoder, encode } = both(schema, columns);
    const row = decoder.decode(encode({ t1: 3_600_000, t2: 1_500_000, lt: 1_000_000, m: { a: 1, b: 2 }, items: [{ sku: 'x', qty: 2 }, null] }));
    expect(row).toEqual([3_600_000_000, 1_500_000, 1_000_000, new Jsonb({ a: 1, b: 2 }), [new SqlRecord(['x', 2]), null]]);
    expect(columnsOf(parseAvroSchema(JSON.stringify(schema)).shape).map((c) => typeName(c.type))).toEqual([
      'time without time zone',
      'time without time zone',
      'timestamp without time zone',
      'jsonb',
      'record[]',
    ]);
  });

  test('per record: trailing bytes, truncated data, a NULL in a NOT NULL column, an int out of range are DecodeErrors', () => {
    const schema = { type: 'record', name: 'r', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: ['null', 'string'] }] };
    const { decoder, encode } = both(schema, [col('a', T.int2), col('b', T.text, false)]);
    expect(decoder.decode(encode({ a: 7, b: 'x' }))).toEqual([7, 'x']);
    expect(reason(() => decoder.decode(new Uint8Array([...encode({ a: 7, b: 'x' }), 0])))).toMatch(/^invalid Avro data: /);
    expect(reason(() => decoder.decode(new Uint8Array([0x0e, 0x02, 0x08])))).toMatch(/^invalid Avro data: /);
    expect(reason(() => decoder.decode(encode({ a: 7, b: null })))).toBe('column "b": null value in a NOT NULL column');
    expect(reason(() => decoder.decode(encode({ a: 40_000, b: 'x' })))).toBe('column "a": 40000 is out of range for type smallint');
  });

  test('the Confluent frame: the id is not looked up for an inline schema; a value without the frame is a DecodeError', () => {
    const schema = { type: 'record', name: 'r', fields: [{ name: 'a', type: 'string' }] };
    const { decoder, encode } = both(schema, [col('a', T.text)], 'confluent');
    const body = encode({ a: 'hi' });
    expect(decoder.decode(new Uint8Array([0, 0, 0, 0, 99, ...body]))).toEqual(['hi']);
    expect(reason(() => decoder.decode(body))).toBe('expected the Confluent wire format (byte 0, a 4-byte schema id, then Avro binary)');
  });

  test('when the source is created: unions of several types, bad options, a self-referencing record without columns', () => {
    const union = { type: 'record', name: 'r', fields: [{ name: 'u', type: ['int', 'string'] }] };
    expect(reason(() => both(union, [col('u', T.int4)]))).toBe('column "u" is of type integer but the Avro schema gives union [int, string]');
    expect(both(union, [col('u', T.jsonb)]).decoder.decode(new Uint8Array([2, 4, 0x68, 0x69]))).toEqual([new Jsonb('hi')]);
    expect(reason(() => new AvroRowDecoder([], { schema: '{}', framing: 'magic' }))).toBe('invalid avro.framing "magic"');
    expect(reason(() => new AvroRowDecoder([], { registry: 'http://127.0.0.1:1', framing: 'none' }))).toBe("schema.registry needs avro.framing = 'confluent'");
    expect(reason(() => new AvroRowDecoder([], { registry: 'ftp://x' }))).toBe('invalid schema.registry "ftp://x"');
    const list = { type: 'record', name: 'node', fields: [{ name: 'v', type: 'int' }, { name: 'next', type: ['null', 'node'] }] };
    expect(reason(() => columnsOf(parseAvroSchema(JSON.stringify(list)).shape))).toBe('column "next": the Avro record "node" contains itself');
    const { decoder, encode } = both(list, [col('v', T.int4)]);
    expect(decoder.decode(encode({ v: 1, next: { v: 2, next: null } }))).toEqual([1]);
  });
});
