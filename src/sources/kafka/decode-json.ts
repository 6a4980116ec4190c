/**
 * ENCODE JSON: a record's value, one JSON object, → a row of the source's schema. Columns take
 * the fields of the same name, matched exactly first and then ignoring case (as RisingWave
 * does); a missing field is NULL, a field that no column names is ignored. Struct columns read
 * nested objects the same way.
 *
 * | column type            | accepts                                                           |
 * |------------------------|-------------------------------------------------------------------|
 * | boolean                | true/false, or a string Postgres reads as boolean                 |
 * | smallint, int, bigint  | an integral number (exact to 64 bits), or a numeric string        |
 * | real, double           | a number, or a string ('NaN', 'Infinity', '1.5')                  |
 * | numeric(p,s)           | a number (exact, as written), or a string; rounded to s           |
 * | text, varchar, char    | a string; any other value as its JSON text                        |
 * | bytea                  | a base64 string (Debezium's bytes), or '\x…' hex                  |
 * | date                   | 'YYYY-MM-DD', or days since 1970-01-01                            |
 * | time                   | 'HH:MM:SS[.ffffff]', or ms since midnight                         |
 * | timestamp, timestamptz | ISO 8601 / Postgres text ('2024-01-02T03:04:05Z'), or epoch ms    |
 * | interval, uuid         | their Postgres text                                               |
 * | json, jsonb            | any value                                                         |
 * | T[]                    | an array of T, or Postgres's array text                           |
 * | struct                 | an object (fields by name, as above), or Postgres's record text   |
 *
 * Anything else is a DecodeError naming the column: nothing is dropped or coerced silently.
 *
 * Speed (the ingest hot path): each column's converter is built once per schema, and the common
 * cases skip the general text parser: a string for text or varchar is the datum itself, a
 * safe integer for an integer column is checked by range only, and a timestamp in the usual ISO
 * spelling is read by iso-timestamp.ts; everything else goes through Postgres's text input.
 */
import { Jsonb, Numeric, Record as SqlRecord, INT8_MAX, INT8_MIN, type Datum, type Row } from '../../types/datum.js';
import type { Column, SqlType } from '../../types/sql-type.js';
import { typeName } from '../../types/sql-type.js';
import { SqlError } from '../../types/sql-error.js';
import { coerceNumeric, parseDatum } from '../../types/text-format.js';
import { DecodeError, utf8Text } from './decode-error.js';
import { isoTimestampMicros } from './iso-timestamp.js';
import { JsonNumber, jsonText, jsonValue, parseJsonInput, type JsonInput } from './json-input.js';

type Convert = (v: JsonInput) => Datum;
type JsonObject = { [key: string]: JsonInput };

const isObject = (v: JsonInput): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);

/** A short rendering of a JSON value for an error message. */
function show(v: JsonInput): string {
  const s = jsonText(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export class JsonRowDecoder {
  readonly #fields: FieldReader;

  constructor(readonly columns: readonly Column[]) {
    this.#fields = new FieldReader(columns, '');
  }

  /** The row of a record's value. Throws DecodeError. */
  decode(bytes: Uint8Array): Row {
    return this.row(parseJson(bytes));
  }

  /**
   * The row of an already parsed JSON value (Debezium's `before` / `after`). Throws DecodeError.
   * `checkNotNull: false` reads a partial row (Debezium's `before` of a delete holds only the key).
   */
  row(value: JsonInput, checkNotNull = true): Row {
    if (!isObject(value)) throw new DecodeError(`expected a JSON object, got ${show(value)}`);
    return this.#fields.read(value, checkNotNull);
  }
}

/** Parses a record's bytes as JSON; DecodeError on bad UTF-8 or bad JSON. */
export function parseJson(bytes: Uint8Array): JsonInput {
  const text = utf8Text(bytes);
  try {
    return parseJsonInput(text);
  } catch (e) {
    throw new DecodeError(`invalid JSON: ${(e as Error).message}`);
  }
}

/** Reads the named fields of objects into datums: a row's columns, or a struct's fields. */
class FieldReader {
  readonly #names: string[];
  readonly #lower: string[];
  readonly #convert: Convert[];
  readonly #notNull: boolean[];
  readonly #paths: string[];
  /** Names Object.prototype has ("constructor", "__proto__", …): looked up as own properties only. */
  readonly #inherited: boolean[];

  constructor(fields: readonly { name: string; type: SqlType; nullable?: boolean }[], prefix: string) {
    this.#names = fields.map((f) => f.name);
    this.#lower = fields.map((f) => f.name.toLowerCase());
    this.#paths = fields.map((f) => prefix + f.name);
    this.#convert = fields.map((f, i) => converter(f.type, this.#paths[i]!));
    this.#notNull = fields.map((f) => f.nullable === false);
    this.#inherited = fields.map((f) => f.name in Object.prototype);
  }

  read(obj: JsonObject, checkNotNull = true): Datum[] {
    const out: Datum[] = new Array(this.#names.length);
    let folded: Map<string, JsonInput> | undefined;
    for (let i = 0; i < this.#names.length; i++) {
      // One property lookup, except for the few names Object.prototype has.
      const name = this.#names[i]!;
      let v: JsonInput | undefined = this.#inherited[i] && !Object.hasOwn(obj, name) ? undefined : obj[name];
      if (v === undefined) {
        folded ??= foldKeys(obj);
        v = folded.get(this.#lower[i]!);
      }
      if (v === undefined || v === null) {
        if (this.#notNull[i] && checkNotNull) throw new DecodeError('null value in a NOT NULL column', this.#paths[i]);
        out[i] = null;
      } else {
        out[i] = this.#convert[i]!(v);
      }
    }
    return out;
  }
}

/** The object's keys in lower case (the first of keys equal ignoring case wins). */
function foldKeys(obj: JsonObject): Map<string, JsonInput> {
  const m = new Map<string, JsonInput>();
  for (const [k, v] of Object.entries(obj)) {
    const l = k.toLowerCase();
    if (!m.has(l)) m.set(l, v);
  }
  return m;
}

/** How a non-null JSON value becomes a datum of type `t`; `path` names the column in errors. */
function converter(t: SqlType, path: string): Convert {
  const bad = (v: JsonInput, what: string) => new DecodeError(`expected ${what} for type ${typeName(t)}, got ${show(v)}`, path);
  // Postgres's text input, its errors as DecodeErrors about this column (no closure per call).
  const fromText = (s: string): Datum => {
    try {
      return parseDatum(s, t);
    } catch (e) {
      throw e instanceof SqlError && !(e instanceof DecodeError) ? new DecodeError(e.message, path) : e;
    }
  };
  switch (t.kind) {
    case 'bool':
      return (v) => (typeof v === 'boolean' ? v : typeof v === 'string' ? fromText(v) : throwIt(bad(v, 'a boolean')));
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid': {
      const [min, max] =
        t.kind === 'int2' ? [-32768n, 32767n] : t.kind === 'int4' ? [-2147483648n, 2147483647n] : t.kind === 'oid' ? [0n, 4294967295n] : [INT8_MIN, INT8_MAX];
      const fromBig = (b: bigint, v: JsonInput): Datum => {
        if (b < min || b > max) throw new DecodeError(`${show(v)} is out of range for type ${typeName(t)}`, path);
        return t.kind === 'int8' ? b : Number(b);
      };
      const [minN, maxN] = [Number(min), Number(max)];
      const int8 = t.kind === 'int8';
      return (v) => {
        if (typeof v === 'number') {
          // A safe integer is exact (a longer literal came as a JsonNumber): only its range is checked.
          if (Number.isSafeInteger(v) && v >= minN && v <= maxN) return int8 ? BigInt(v) : v;
          if (!Number.isInteger(v)) throw bad(v, 'an integer');
          return fromBig(BigInt(v), v);
        }
        if (v instanceof JsonNumber) {
          const n = Numeric.parse(v.text);
          if (!n.equals(n.trunc())) throw bad(v, 'an integer');
          return fromBig(n.toBigIntTrunc(), v);
        }
        if (typeof v === 'string') return fromText(v);
        throw bad(v, 'an integer');
      };
    }
    case 'float4':
    case 'float8': {
      const f = t.kind === 'float4' ? Math.fround : (x: number) => x;
      return (v) => {
        if (typeof v === 'number') return f(v);
        if (v instanceof JsonNumber) return f(Number(v.text));
        if (typeof v === 'string') return fromText(v);
        throw bad(v, 'a number');
      };
    }
    case 'numeric':
      return (v) => {
        if (typeof v === 'number' || v instanceof JsonNumber) {
          const text = typeof v === 'number' ? String(v) : v.text;
          return DecodeError.wrap(path, () => coerceNumeric(Numeric.parse(text), t.precision, t.scale));
        }
        if (typeof v === 'string') return fromText(v);
        throw bad(v, 'a number');
      };
    case 'text':
    case 'varchar':
      if (t.kind === 'text' || t.length === undefined) return (v) => (typeof v === 'string' ? v : jsonText(v));
      return (v) => fromText(typeof v === 'string' ? v : jsonText(v));
    case 'char':
      return (v) => fromText(typeof v === 'string' ? v : jsonText(v));
    case 'bytea':
      return (v) => {
        if (typeof v !== 'string') throw bad(v, 'a base64 string');
        if (v.startsWith('\\x')) return fromText(v);
        if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) throw bad(v, 'a base64 string');
        return new Uint8Array(Buffer.from(v, 'base64'));
      };
    case 'date':
      return (v) => {
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        if (typeof v === 'string') return fromText(v);
        throw bad(v, 'a date string or a number of days');
      };
    case 'time':
      return (v) => {
        if (typeof v === 'number' && v >= 0 && v <= 86_400_000) return Math.round(v * 1000);
        if (typeof v === 'string') return fromText(v);
        throw bad(v, 'a time string or milliseconds since midnight');
      };
    case 'timestamp':
    case 'timestamptz':
      return (v) => {
        if (typeof v === 'number' && Number.isFinite(v)) {
          const us = Math.round(v * 1000);
          if (!Number.isSafeInteger(us)) throw new DecodeError(`${show(v)} is out of range for type ${typeName(t)}`, path);
          return us;
        }
        if (typeof v === 'string') return isoTimestampMicros(v) ?? fromText(v);
        throw bad(v, 'a timestamp string or epoch milliseconds');
      };
    case 'interval':
    case 'uuid':
      return (v) => (typeof v === 'string' ? fromText(v) : throwIt(bad(v, 'a string')));
    case 'json':
      return (v) => jsonText(v);
    case 'jsonb':
      return (v) => new Jsonb(jsonValue(v));
    case 'array': {
      const el = converter(t.element, `${path}[]`);
      return (v) => {
        if (Array.isArray(v)) return v.map((x) => (x === null ? null : el(x)));
        if (typeof v === 'string') return fromText(v);
        throw bad(v, 'an array');
      };
    }
    case 'record': {
      const fields = new FieldReader(t.fields, `${path}.`);
      return (v) => {
        if (isObject(v)) return new SqlRecord(fields.read(v));
        if (typeof v === 'string') return fromText(v);
        throw bad(v, 'an object');
      };
    }
    case 'unknown':
      return (v) => throwIt(bad(v, 'a value'));
  }
}

function throwIt(e: Error): never {
  throw e;
}
