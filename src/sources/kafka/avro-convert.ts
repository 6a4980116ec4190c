/**
 * From a decoded Avro value (as avsc gives it, longs as bigint) to a datum of a declared
 * column: the converter is chosen once per (Avro shape, SQL type), when the source starts or a
 * writer schema is first seen, so a column the schema cannot fill is refused then, not per record.
 *
 * | column type            | Avro it reads                                                          |
 * |------------------------|------------------------------------------------------------------------|
 * | boolean                | boolean                                                                |
 * | smallint, int, bigint  | int, long (range-checked)                                              |
 * | real, double           | int, long, float, double                                               |
 * | numeric(p,s)           | decimal (bytes / fixed), int, long, float, double; rounded to s        |
 * | text, varchar, char    | string, enum, and any primitive as its text                            |
 * | bytea                  | bytes, fixed                                                           |
 * | date                   | int (date)                                                             |
 * | time                   | int (time-millis), long (time-micros)                                  |
 * | timestamp, timestamptz | long (timestamp-millis/-micros/-nanos, local-timestamp-millis/-micros), int (date) |
 * | json, jsonb            | any (bytes as '\x…' hex text, longs exact when they fit a double, else as text) |
 * | T[]                    | array of what T reads                                                  |
 * | struct                 | record: fields by name, exactly, then ignoring case                    |
 * | any type               | string, read with Postgres's text input for the type                   |
 *
 * A union [null, T] reads as T, its null as NULL. Per record, a value out of range or text the
 * type cannot read is a DecodeError naming the column.
 */
import { Jsonb, Numeric, Record as SqlRecord, INT8_MAX, INT8_MIN, type Datum, type JsonValue } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import { coerceNumeric, parseDatum } from '../../types/text-format.js';
import { shapeName, unwrapNullable, type AvroShape } from './avro-schema.js';
import { DecodeError } from './decode-error.js';

/** A non-null decoded value → datum. Throws DecodeError. */
export type AvroConvert = (v: unknown) => Datum;

type AvroObject = { [k: string]: unknown };

/** Reads the fields of decoded records into datums, by name: a row's columns or a struct's fields. */
export class AvroFieldReader {
  readonly #keys: (string | null)[];
  readonly #convert: (AvroConvert | null)[];
  readonly #notNull: boolean[];
  readonly #paths: string[];

  /** Throws SqlError (42804 / 42703) when a field is missing or its type cannot fill its column. */
  constructor(record: AvroShape & { kind: 'record' }, fields: readonly { name: string; type: SqlType; nullable?: boolean }[], prefix: string) {
    this.#paths = fields.map((f) => prefix + f.name);
    this.#notNull = fields.map((f) => f.nullable === false);
    this.#keys = [];
    this.#convert = [];
    fields.forEach((f, i) => {
      const field = record.fields.find((x) => x.name === f.name) ?? record.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
      if (!field) {
        throw new SqlError(SqlState.undefinedColumn, `column "${this.#paths[i]}" is not a field of the Avro record "${record.name}"`, {
          detail: `Its fields are ${record.fields.map((x) => `"${x.name}"`).join(', ')}.`,
        });
      }
      const u = unwrapNullable(field.shape);
      this.#keys.push(field.name);
      this.#convert.push(u.shape.kind === 'null' ? null : avroConverter(u.shape, f.type, this.#paths[i]!));
    });
  }

  /** `checkNotNull: false` reads a partial row (Debezium's `before`). */
  read(obj: AvroObject, checkNotNull = true): Datum[] {
    const out: Datum[] = new Array(this.#keys.length);
    for (let i = 0; i < out.length; i++) {
      const v = obj[this.#keys[i]!];
      if (v === null || v === undefined) {
        if (this.#notNull[i] && checkNotNull) throw new DecodeError('null value in a NOT NULL column', this.#paths[i]);
        out[i] = null;
      } else {
        out[i] = this.#convert[i]!(v);
      }
    }
    return out;
  }
}

/** The converter from values of `shape` to datums of `t`; SqlError 42804 when there is none. */
export function avroConverter(shape: AvroShape, t: SqlType, path: string): AvroConvert {
  const mismatch = () =>
    new SqlError(SqlState.datatypeMismatch, `column "${path}" is of type ${typeName(t)} but the Avro schema gives ${shapeName(shape)}`, {
      hint: 'Declare the column with the type the Avro field maps to (see the ENCODE AVRO type table in docs/streaming.md).',
    });
  const fromText: AvroConvert = (v) => DecodeError.wrap(path, () => parseDatum(String(v), t));
  const logical = 'logical' in shape ? shape.logical : undefined;
  if (shape.kind === 'union') {
    const u = unwrapNullable(shape);
    if (u.shape.kind === 'union') {
      if (t.kind === 'jsonb' || t.kind === 'json') return jsonConverter(t);
      throw mismatch();
    }
    return avroConverter(u.shape, t, path);
  }
  switch (t.kind) {
    case 'bool':
      if (shape.kind === 'boolean') return (v) => v as boolean;
      break;
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid':
      if ((shape.kind === 'int' || shape.kind === 'long') && logical === undefined) {
        const [min, max] = t.kind === 'int2' ? [-32768n, 32767n] : t.kind === 'int4' ? [-2147483648n, 2147483647n] : t.kind === 'oid' ? [0n, 4294967295n] : [INT8_MIN, INT8_MAX];
        return (v) => {
          const b = BigInt(v as number | bigint);
          if (b < min || b > max) throw new DecodeError(`${b} is out of range for type ${typeName(t)}`, path);
          return t.kind === 'int8' ? b : Number(b);
        };
      }
      break;
    case 'float4':
    case 'float8': {
      const f = t.kind === 'float4' ? Math.fround : (x: number) => x;
      if (['int', 'long', 'float', 'double'].includes(shape.kind) && logical === undefined) return (v) => f(Number(v));
      break;
    }
    case 'numeric':
      if ((shape.kind === 'bytes' || shape.kind === 'fixed') && logical === 'decimal') {
        const scale = shape.scale ?? 0;
        return (v) => DecodeError.wrap(path, () => coerceNumeric(new Numeric(twosComplement(v as Uint8Array), scale), t.precision, t.scale));
      }
      if ((shape.kind === 'int' || shape.kind === 'long') && logical === undefined) return (v) => DecodeError.wrap(path, () => coerceNumeric(Numeric.fromBigInt(BigInt(v as number | bigint)), t.precision, t.scale));
      if (shape.kind === 'float' || shape.kind === 'double') return (v) => DecodeError.wrap(path, () => coerceNumeric(Numeric.fromNumber(v as number), t.precision, t.scale));
      break;
    case 'text':
    case 'varchar':
    case 'char':
      if (['string', 'enum', 'boolean', 'int', 'long', 'float', 'double'].includes(shape.kind)) return fromText;
      break;
    case 'bytea':
      if ((shape.kind === 'bytes' || shape.kind === 'fixed') && logical !== 'decimal') return (v) => new Uint8Array(v as Uint8Array);
      break;
    case 'date':
      if (shape.kind === 'int' && logical === 'date') return (v) => v as number;
      break;
    case 'time':
      if (shape.kind === 'int' && logical === 'time-millis') return (v) => (v as number) * 1000;
      if (shape.kind === 'long' && logical === 'time-micros') return (v) => Number(v);
      break;
    case 'timestamp':
    case 'timestamptz': {
      if (shape.kind === 'int' && logical === 'date') return (v) => (v as number) * 86_400_000_000;
      const perMicro = { 'timestamp-millis': 1000, 'local-timestamp-millis': 1000, 'timestamp-micros': 1, 'local-timestamp-micros': 1, 'timestamp-nanos': 0.001 }[logical ?? ''];
      if (shape.kind === 'long' && perMicro !== undefined) {
        return (v) => {
          const us = perMicro >= 1 ? Number(v as bigint) * perMicro : Number((v as bigint) / 1000n);
          if (!Number.isSafeInteger(us)) throw new DecodeError(`${String(v)} is out of range for type ${typeName(t)}`, path);
          return us;
        };
      }
      break;
    }
    case 'json':
    case 'jsonb':
      return jsonConverter(t);
    case 'array':
      if (shape.kind === 'array') {
        const u = unwrapNullable(shape.items);
        const el = u.shape.kind === 'null' ? () => null : avroConverter(u.shape, t.element, `${path}[]`);
        return (v) => (v as unknown[]).map((x) => (x === null ? null : el(x)));
      }
      break;
    case 'record':
      if (shape.kind === 'record') {
        const fields = new AvroFieldReader(shape, t.fields, `${path}.`);
        return (v) => new SqlRecord(fields.read(v as AvroObject));
      }
      break;
    case 'interval':
    case 'uuid':
    case 'unknown':
      break;
  }
  if (shape.kind === 'string' || shape.kind === 'enum') return fromText;
  throw mismatch();
}

/** A big-endian two's complement integer (Avro's decimal) as a bigint. */
function twosComplement(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return bytes[0]! & 0x80 ? n - (1n << BigInt(bytes.length * 8)) : n;
}

function jsonConverter(t: SqlType): AvroConvert {
  return t.kind === 'json' ? (v) => JSON.stringify(jsonOf(v)) : (v) => new Jsonb(jsonOf(v));
}

/** A decoded Avro value as JSON: bytes as '\x…' hex, longs as numbers when exact, else as text. */
function jsonOf(v: unknown): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return v.map(jsonOf);
  const out: { [k: string]: JsonValue } = {};
  for (const [k, x] of Object.entries(v as AvroObject)) out[k] = jsonOf(x);
  return out;
}
