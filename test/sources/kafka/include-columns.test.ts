import { describe, expect, test } from 'vitest';
import { includeDatum, includeType, type IncludeSpec } from '../../../src/sources/kafka/include-columns.js';
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
});
