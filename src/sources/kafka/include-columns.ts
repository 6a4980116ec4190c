/**
 * INCLUDE columns: the parts of a Kafka record other than its value, as extra columns
 * (`INCLUDE key AS k, partition AS p, offset AS o, timestamp AS ts, headers AS h,
 * header 'trace' AS t`).
 *
 * | INCLUDE        | type                                  | value                                  |
 * |----------------|---------------------------------------|----------------------------------------|
 * | key            | bytea                                 | the key's bytes (NULL without a key)   |
 * | partition      | integer                               | the partition id                       |
 * | offset         | bigint                                | the record's offset                    |
 * | timestamp      | timestamp with time zone              | the record's timestamp                 |
 * | headers        | struct<key text, value bytea>[]       | every header, in order                 |
 * | header 'name'  | bytea, or varchar when declared so    | the last header of that name, or NULL  |
 *
 * `INCLUDE header 'name' varchar` reads the header's bytes as UTF-8: bytes that are not valid
 * UTF-8 make the record a DecodeError (it goes to `<source>_errors`), never a guessed string.
 * A bare `INCLUDE header` is `headers`.
 */
import { Record as SqlRecord, type Datum } from '../../types/datum.js';
import { arrayOf, T, type SqlType } from '../../types/sql-type.js';
import { DecodeError, utf8Text } from './decode-error.js';
import type { KafkaRecord } from './kafka-client.js';

export type IncludeSpec =
  | { kind: 'key' }
  | { kind: 'partition' }
  | { kind: 'offset' }
  | { kind: 'timestamp' }
  | { kind: 'headers' }
  | { kind: 'header'; name: string; as?: 'bytea' | 'varchar' };

/** An INCLUDE as the catalog keeps it (`what`, and for one header its name and declared type). */
export interface IncludeEntry {
  what: string;
  header?: string;
  type?: string;
}

/** The spec of a catalog INCLUDE entry. */
export function includeSpec(e: IncludeEntry | string): IncludeSpec {
  if (typeof e === 'string') return includeSpec({ what: e });
  const what = e.what.toLowerCase();
  if (what === 'header' && e.header !== undefined) {
    const t = (e.type ?? 'bytea').toLowerCase();
    return { kind: 'header', name: e.header, as: t === 'varchar' || t === 'text' ? 'varchar' : 'bytea' };
  }
  if (what === 'header' || what === 'headers') return { kind: 'headers' };
  return { kind: what } as IncludeSpec;
}

const HEADER_TYPE: SqlType = {
  kind: 'record',
  fields: [
    { name: 'key', type: T.text },
    { name: 'value', type: T.bytea },
  ],
};

export function includeType(spec: IncludeSpec): SqlType {
  switch (spec.kind) {
    case 'key':
      return T.bytea;
    case 'header':
      return spec.as === 'varchar' ? T.varchar : T.bytea;
    case 'partition':
      return T.int4;
    case 'offset':
      return T.int8;
    case 'timestamp':
      return T.timestamptz;
    case 'headers':
      return arrayOf(HEADER_TYPE);
  }
}

export function includeDatum(spec: IncludeSpec, record: KafkaRecord): Datum {
  switch (spec.kind) {
    case 'key':
      return record.key === null ? null : new Uint8Array(record.key);
    case 'partition':
      return record.partition;
    case 'offset':
      return record.offset;
    case 'timestamp':
      return record.timestampMs * 1000;
    case 'headers':
      return record.headers.map((h) => new SqlRecord([h.key, h.value === null ? null : new Uint8Array(h.value)]));
    case 'header': {
      for (let i = record.headers.length - 1; i >= 0; i--) {
        const h = record.headers[i]!;
        if (h.key !== spec.name) continue;
        if (h.value === null) return null;
        if (spec.as !== 'varchar') return new Uint8Array(h.value);
        try {
          return utf8Text(h.value);
        } catch {
          throw new DecodeError(`the header "${spec.name}" is not valid UTF-8`);
        }
      }
      return null;
    }
  }
}
