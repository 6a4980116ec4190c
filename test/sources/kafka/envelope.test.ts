import { describe, expect, test } from 'vitest';
import { changesFor, debeziumIntent, plainIntent, upsertIntent, type Intent } from '../../../src/sources/kafka/envelope.js';
import { JsonRowDecoder } from '../../../src/sources/kafka/decode-json.js';
import type { KafkaRecord } from '../../../src/sources/kafka/kafka-client.js';
import type { Row } from '../../../src/types/datum.js';
import { encodeKey } from '../../../src/types/key-codec.js';
import { T, type Column } from '../../../src/types/sql-type.js';

const enc = (s: string) => new TextEncoder().encode(s);
const record = (key: string | null, value: string | null, offset = 0n): KafkaRecord => ({
  partition: 0,
  offset,
  key: key === null ? null : enc(key),
  value: value === null ? null : enc(value),
  timestampMs: 0,
  headers: [],
});
const cols: Column[] = [
  { name: 'id', type: T.int4, nullable: false },
  { name: 'name', type: T.text, nullable: false },
];
const json = new JsonRowDecoder(cols);

/** Applies intents to keyed state the way a source does, returning all changes. */
function apply(intents: Intent[]): { changes: [Row, number][]; state: Map<string, Row> } {
  const state = new Map<string, Row>();
  const changes: [Row, number][] = [];
  for (const intent of intents) {
    const key = intent.kind === 'Upsert' || intent.kind === 'Delete' ? Buffer.from(intent.key).toString('hex') : '';
    const out = changesFor(state.get(key), intent);
    changes.push(...out.changes);
    if (intent.kind === 'Upsert' || intent.kind === 'Delete') {
      if (out.next === undefined) state.delete(key);
      else state.set(key, out.next);
    }
  }
  return { changes, state };
}

describe('FORMAT PLAIN', () => {
  test('each value is an insert; a tombstone is an error', () => {
    expect(plainIntent(record(null, '{"id": 1, "name": "a"}'), json)).toEqual({ kind: 'Insert', row: [1, 'a'] });
    expect(changesFor(undefined, { kind: 'Insert', row: [1, 'a'] }).changes).toEqual([[[1, 'a'], 1]]);
    expect(() => plainIntent(record('k', null), json)).toThrow(/tombstone/);
  });
});

describe('FORMAT UPSERT', () => {
  test('the key keeps its latest value; a tombstone deletes it', () => {
    const intents = [
      record('k1', '{"id": 1, "name": "a"}'),
      record('k2', '{"id": 2, "name": "b"}'),
      record('k1', '{"id": 1, "name": "a2"}'),
      record('k1', '{"id": 1, "name": "a2"}'),
      record('k2', null),
      record('k3', null),
    ].map((r) => upsertIntent(r, json));
    const { changes, state } = apply(intents);
    expect(changes).toEqual([
      [[1, 'a'], 1],
      [[2, 'b'], 1],
      [[1, 'a'], -1],
      [[1, 'a2'], 1],
      [[2, 'b'], -1],
    ]);
    expect([...state.values()]).toEqual([[1, 'a2']]);
  });

  test('a record without a key is an error', () => {
    expect(() => upsertIntent(record(null, '{}'), json)).toThrow(/without a key/);
  });
});

describe('FORMAT DEBEZIUM', () => {
  const ev = (op: string, before: object | null, after: object | null, wrap = false) => {
    const payload = { before, after, op, source: { table: 't' }, ts_ms: 1 };
    return JSON.stringify(wrap ? { schema: { type: 'struct' }, payload } : payload);
  };

  test('c / r / u / d become upserts and deletes by primary key; the tombstone after a delete is skipped', () => {
    const intents = [
      ev('r', null, { id: 1, name: 'a' }),
      ev('c', null, { id: 2, name: 'b' }, true),
      ev('u', { id: 1, name: 'a' }, { id: 1, name: 'a2' }),
      ev('u', null, { id: 2, name: 'b2' }), // no `before` (REPLICA IDENTITY DEFAULT): the state has it
      ev('d', { id: 1 }, null), // only the key in `before`
      null,
    ].map((v) => debeziumIntent(record('{"id": 0}', v), json, [0]));
    expect(intents.at(-1)).toEqual({ kind: 'Skip' });
    expect((intents[4] as { key: Uint8Array }).key).toEqual(encodeKey([1]));
    const { changes, state } = apply(intents);
    expect(changes).toEqual([
      [[1, 'a'], 1],
      [[2, 'b'], 1],
      [[1, 'a'], -1],
      [[1, 'a2'], 1],
      [[2, 'b'], -1],
      [[2, 'b2'], 1],
      [[1, 'a2'], -1],
    ]);
    expect([...state.values()]).toEqual([[2, 'b2']]);
  });

  test('without key columns the record key identifies the row', () => {
    const i = debeziumIntent(record('{"id": 5}', ev('c', null, { id: 5, name: 'x' })), json);
    expect(i).toEqual({ kind: 'Upsert', key: enc('{"id": 5}'), row: [5, 'x'] });
  });

  test('malformed events are errors', () => {
    const intent = (v: string) => () => debeziumIntent(record('k', v), json, [0]);
    expect(intent(ev('t', null, null))).toThrow('Debezium truncate events are not supported');
    expect(intent(ev('x', null, null))).toThrow('unknown Debezium op "x"');
    expect(intent(ev('c', null, null))).toThrow('a Debezium "c" event has no "after" object');
    expect(intent(ev('d', null, null))).toThrow('a Debezium "d" event has no "before" object');
    expect(intent(ev('c', null, { id: 1 }))).toThrow('column "name": null value in a NOT NULL column');
    expect(intent('[1]')).toThrow('a Debezium event is a JSON object');
  });
});
