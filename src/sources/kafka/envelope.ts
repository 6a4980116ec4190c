/**
 * Envelopes: what one record means for a source's contents, and the changes that follow.
 *
 *   FORMAT PLAIN     the value is a new row: Insert.
 *   FORMAT UPSERT    the value is the row for the record's key (Upsert), and a tombstone (a null
 *                    value) deletes it (Delete): a compacted topic read as a table.
 *   FORMAT DEBEZIUM  the value is a change event {before, after, op} (optionally inside
 *                    Debezium's {schema, payload}): op c / r / u upsert `after`, op d deletes
 *                    `before`'s key; the tombstone Debezium sends after a delete is Skip.
 *
 * A keyed intent names its key as bytes: UPSERT the record's key as sent (so the topic's
 * compaction and the source agree), DEBEZIUM the primary-key columns when given (as Postgres
 * sends only those in `before` for REPLICA IDENTITY DEFAULT), else the record's key. The caller
 * keeps the latest row per key (in its state, committed with the tick) and turns intents into
 * changes with `changesFor`, the literal formula Δ = −previous + next.
 *
 * Anything that is not one of these (a PLAIN tombstone, an UPSERT record without a key, an
 * unknown op) is a DecodeError, reported with the record, never skipped.
 */
import type { Change } from '../../dataflow/zset.js';
import type { Row } from '../../types/datum.js';
import { encodeKey } from '../../types/key-codec.js';
import { rowKeysEqual } from '../../types/row-key.js';
import { DecodeError } from './decode-error.js';
import { parseJson, type JsonRowDecoder } from './decode-json.js';
import { JsonNumber, type JsonInput } from './json-input.js';
import type { KafkaRecord } from './kafka-client.js';

export type Intent =
  | { kind: 'Insert'; row: Row }
  | { kind: 'Upsert'; key: Uint8Array; row: Row }
  | { kind: 'Delete'; key: Uint8Array }
  | { kind: 'Skip' };

export interface RowDecoder {
  decode(bytes: Uint8Array): Row;
}

export function plainIntent(record: KafkaRecord, decoder: RowDecoder): Intent {
  if (record.value === null) throw new DecodeError('a record without a value (a tombstone) has no meaning in FORMAT PLAIN');
  return { kind: 'Insert', row: decoder.decode(record.value) };
}

export function upsertIntent(record: KafkaRecord, decoder: RowDecoder): Intent {
  if (record.key === null) throw new DecodeError('a record without a key cannot be applied in FORMAT UPSERT');
  if (record.value === null) return { kind: 'Delete', key: record.key };
  return { kind: 'Upsert', key: record.key, row: decoder.decode(record.value) };
}

type JsonObject = { [key: string]: JsonInput };
const isObject = (v: JsonInput | undefined): v is JsonObject =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);

/**
 * A Debezium change event (ENCODE JSON). `keyColumns`: the primary key's column indexes in the
 * row; omitted, the record's key identifies the row.
 */
export function debeziumIntent(record: KafkaRecord, decoder: JsonRowDecoder, keyColumns?: readonly number[]): Intent {
  if (record.value === null) return { kind: 'Skip' };
  let event = parseJson(record.value);
  if (isObject(event) && 'payload' in event && 'schema' in event) event = event.payload!;
  if (event === null) return { kind: 'Skip' };
  if (!isObject(event)) throw new DecodeError('a Debezium event is a JSON object');
  const op = event.op;
  const keyOf = (row: Row): Uint8Array => {
    if (keyColumns) return encodeKey(keyColumns.map((i) => row[i]!));
    if (record.key === null) throw new DecodeError('a Debezium event without a key needs the source to declare a primary key');
    return record.key;
  };
  switch (op) {
    case 'c':
    case 'r':
    case 'u': {
      if (!isObject(event.after)) throw new DecodeError(`a Debezium "${op}" event has no "after" object`);
      const row = decoder.row(event.after);
      return { kind: 'Upsert', key: keyOf(row), row };
    }
    case 'd': {
      if (!isObject(event.before)) throw new DecodeError('a Debezium "d" event has no "before" object');
      // Only the key columns of `before` are needed (and, with REPLICA IDENTITY DEFAULT, sent).
      const before = decoder.row(event.before, false);
      return { kind: 'Delete', key: keyOf(before) };
    }
    default:
      throw new DecodeError(
        op === 't' ? 'Debezium truncate events are not supported' : `unknown Debezium op ${JSON.stringify(op ?? null)}`,
      );
  }
}

/**
 * The changes an intent makes, given the row its key had (`previous`), and the key's row after
 * it (undefined: none). Δ = −previous + next; an upsert of an equal row changes nothing.
 */
export function changesFor(previous: Row | undefined, intent: Intent): { changes: Change[]; next: Row | undefined } {
  switch (intent.kind) {
    case 'Insert':
      return { changes: [[intent.row, 1]], next: undefined };
    case 'Upsert':
      if (previous === undefined) return { changes: [[intent.row, 1]], next: intent.row };
      if (rowKeysEqual(previous, intent.row)) return { changes: [], next: intent.row };
      return { changes: [[previous, -1], [intent.row, 1]], next: intent.row };
    case 'Delete':
      return { changes: previous === undefined ? [] : [[previous, -1]], next: undefined };
    case 'Skip':
      return { changes: [], next: previous };
  }
}
