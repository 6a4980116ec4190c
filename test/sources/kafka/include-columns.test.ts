import { describe, expect, test } from 'vitest';
import { includeDatum, includeSpec, includeType, type IncludeSpec } from '../../../src/sources/kafka/include-columns.js';
import type { KafkaRecord } from '../../../src/sources/kafka/kafka-client.js';
import { Record as SqlRecord } from '../../../src/types/datum.js';
import { typeName } from '../../../src/types/sql-type.js';

const rec: KafkaRecord = {
  partition: 3,
  offset: 42n,
  key: new Uint8Array([1, 2]),
  value: null,
  timestampMs: 1_700_000_000_123,
  headers: [
    { key: 'trace', value: new Uint8Array([9]) },
    { key: 'x', value: null },
    { key: 'trace', value: new Uint8Array([10]) },
  ],
};

describe('INCLUDE columns', () => {
  test('types and values', () => {
    const specs: IncludeSpec[] = [{ kind: 'key' }, { kind: 'partition' }, { kind: 'offset' }, { kind: 'timestamp' }, { kind: 'headers' }, { kind: 'header', name: 'trace' }, { kind: 'header', name: 'none' }];
    expect(specs.map((s) => typeName(includeType(s)))).toEqual(['bytea', 'integer', 'bigint', 'timestamp with time zone', 'record[]', 'bytea', 'bytea']);
    expect(specs.map((s) => includeDatum(s, rec))).toEqual([
      new Uint8Array([1, 2]),
      3,
      42n,
      1_700_000_000_123_000,
      [new SqlRecord(['trace', new Uint8Array([9])]), new SqlRecord(['x', null]), new SqlRecord(['trace', new Uint8Array([10])])],
      new Uint8Array([10]),
      null,
    ]);
    expect(includeDatum({ kind: 'key' }, { ...rec, key: null })).toBeNull();
  });

  test("header 'name' varchar: the value as UTF-8 text; bytes that are not UTF-8 are a DecodeError", () => {
    const spec = includeSpec({ what: 'header', header: 'trace', type: 'varchar' });
    expect(spec).toEqual({ kind: 'header', name: 'trace', as: 'varchar' });
    expect(typeName(includeType(spec))).toBe('character varying');
    const text = { ...rec, headers: [{ key: 'trace', value: new TextEncoder().encode('ab-é') }] };
    expect(includeDatum(spec, text)).toBe('ab-é');
    expect(includeDatum(spec, { ...rec, headers: [] })).toBeNull();
    expect(() => includeDatum(spec, { ...rec, headers: [{ key: 'trace', value: new Uint8Array([0xff]) }] })).toThrow('the header "trace" is not valid UTF-8');
    expect(includeSpec({ what: 'header' })).toEqual({ kind: 'headers' });
    expect(includeSpec({ what: 'header', header: 'h' })).toEqual({ kind: 'header', name: 'h', as: 'bytea' });
    expect(includeSpec('offset')).toEqual({ kind: 'offset' });
  });
});
