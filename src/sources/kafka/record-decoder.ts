/**
 * The decoder dispatch of a Kafka source: FORMAT × ENCODE (and ENCODE's options) → the decoder,
 * and a record → its Intent through that decoder and the envelope, with the INCLUDE columns
 * appended. Everything a record can fail on (its bytes, its envelope, an INCLUDE header declared
 * varchar that is not UTF-8) throws DecodeError from `recordIntent`, so the caller stores it in
 * `<source>_errors`.
 *
 * | ENCODE | decoder           | options (FORMAT … ENCODE … (options))                       |
 * |--------|-------------------|-------------------------------------------------------------|
 * | JSON   | JsonRowDecoder    | —                                                           |
 * | CSV    | CsvRowDecoder     | delimiter (one character)                                   |
 * | TEXT   | TextRowDecoder    | —                                                           |
 * | BYTES  | BytesRowDecoder   | —                                                           |
 * | AVRO   | AvroRowDecoder    | schema.definition, schema.registry, avro.framing            |
 *
 * FORMAT DEBEZIUM takes ENCODE JSON or AVRO.
 */
import type { Row } from '../../types/datum.js';
import { encodeKey } from '../../types/key-codec.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { Column } from '../../types/sql-type.js';
import { AvroRowDecoder } from './decode-avro.js';
import { CsvRowDecoder } from './decode-csv.js';
import { DecodeError } from './decode-error.js';
import { JsonRowDecoder } from './decode-json.js';
import { BytesRowDecoder, TextRowDecoder } from './decode-text.js';
import { debeziumIntent, plainIntent, upsertIntent, type Intent } from './envelope.js';
import { includeDatum, type IncludeSpec } from './include-columns.js';
import type { KafkaRecord } from './kafka-client.js';

export type SourceFormat = 'plain' | 'upsert' | 'debezium';
export type SourceEncode = 'json' | 'csv' | 'text' | 'bytes' | 'avro';
export type RecordDecoder = JsonRowDecoder | CsvRowDecoder | TextRowDecoder | BytesRowDecoder | AvroRowDecoder;

export const ENCODES: readonly SourceEncode[] = ['json', 'csv', 'text', 'bytes', 'avro'];
const AVRO_OPTIONS = new Set(['schema.definition', 'schema.registry', 'avro.framing']);

/** The decoder of a source's value columns. Throws SqlError for options or columns it cannot use. */
export function recordDecoder(format: SourceFormat, encode: SourceEncode, columns: readonly Column[], options: readonly { key: string; value: string }[]): RecordDecoder {
  const get = (k: string) => options.find((o) => o.key === k)?.value;
  if (format === 'debezium' && encode !== 'json' && encode !== 'avro') {
    throw new SqlError(SqlState.featureNotSupported, 'FORMAT DEBEZIUM needs ENCODE JSON or ENCODE AVRO');
  }
  switch (encode) {
    case 'json':
      return new JsonRowDecoder(columns);
    case 'csv': {
      const delimiter = get('delimiter');
      try {
        return new CsvRowDecoder(columns, delimiter !== undefined ? { delimiter } : {});
      } catch (e) {
        throw new SqlError(SqlState.invalidParameterValue, (e as Error).message.toLowerCase());
      }
    }
    case 'text':
      return new TextRowDecoder(columns);
    case 'bytes':
      return new BytesRowDecoder(columns);
    case 'avro': {
      const unknown = options.find((o) => !AVRO_OPTIONS.has(o.key));
      if (unknown) {
        throw new SqlError(SqlState.invalidParameterValue, `unknown ENCODE AVRO option "${unknown.key}"`, { hint: `Supported: ${[...AVRO_OPTIONS].join(', ')}.` });
      }
      const schema = get('schema.definition');
      const registry = get('schema.registry');
      const framing = get('avro.framing');
      return new AvroRowDecoder(columns, {
        ...(schema !== undefined ? { schema } : {}),
        ...(registry !== undefined ? { registry } : {}),
        ...(framing !== undefined ? { framing } : {}),
        debezium: format === 'debezium',
      });
    }
  }
}

/** Readies a batch before `recordIntent` (an Avro decoder fetches the registry schemas it lacks). Never throws. */
export async function prepareRecords(decoder: RecordDecoder, records: readonly KafkaRecord[]): Promise<void> {
  if (decoder instanceof AvroRowDecoder) await decoder.prepare(records);
}

/**
 * What a record means, its row completed with the INCLUDE columns. `keyColumns`: DEBEZIUM's
 * primary key (see envelope.ts). Throws DecodeError (a SqlError) for a record that cannot be read.
 */
export function recordIntent(
  format: SourceFormat,
  record: KafkaRecord,
  decoder: RecordDecoder,
  keyColumns: readonly number[] | undefined,
  include: readonly IncludeSpec[],
): Intent {
  let intent: Intent;
  if (format === 'plain') intent = plainIntent(record, decoder);
  else if (format === 'upsert') intent = upsertIntent(record, decoder);
  else if (decoder instanceof AvroRowDecoder) intent = debeziumAvroIntent(record, decoder, keyColumns);
  else if (decoder instanceof JsonRowDecoder) intent = debeziumIntent(record, decoder, keyColumns);
  else throw new DecodeError('internal error: FORMAT DEBEZIUM without a JSON or Avro decoder');
  if (include.length > 0 && (intent.kind === 'Insert' || intent.kind === 'Upsert')) {
    intent = { ...intent, row: [...intent.row, ...include.map((s) => includeDatum(s, record))] };
  }
  return intent;
}

/** A Debezium change event in Avro: as debeziumIntent (envelope.ts) does for JSON. */
function debeziumAvroIntent(record: KafkaRecord, decoder: AvroRowDecoder, keyColumns: readonly number[] | undefined): Intent {
  if (record.value === null) return { kind: 'Skip' };
  const event = decoder.event(record.value);
  const keyOf = (row: Row): Uint8Array => {
    if (keyColumns) return encodeKey(keyColumns.map((i) => row[i]!));
    if (record.key === null) throw new DecodeError('a Debezium event without a key needs the source to declare a primary key');
    return record.key;
  };
  switch (event.op) {
    case 'c':
    case 'r':
    case 'u':
      if (event.after === null) throw new DecodeError(`a Debezium "${event.op}" event has no "after" record`);
      return { kind: 'Upsert', key: keyOf(event.after), row: event.after };
    case 'd':
      if (event.before === null) throw new DecodeError('a Debezium "d" event has no "before" record');
      return { kind: 'Delete', key: keyOf(event.before) };
    default:
      throw new DecodeError(event.op === 't' ? 'Debezium truncate events are not supported' : `unknown Debezium op ${JSON.stringify(event.op ?? null)}`);
  }
}
