/**
 * An Avro schema (its JSON text) read into `AvroShape`, a tree with named types resolved, and
 * the SQL type each shape maps to (the columns a source gets from its schema):
 *
 * | Avro                                         | SQL type                       |
 * |----------------------------------------------|--------------------------------|
 * | boolean                                      | boolean                        |
 * | int, long                                    | integer, bigint                |
 * | float, double                                | real, double precision         |
 * | string, enum                                 | text (uuid for logical uuid)   |
 * | bytes, fixed                                 | bytea                          |
 * | bytes/fixed with logical decimal(p, s)       | numeric(p, s)                  |
 * | int with logical date                        | date                           |
 * | int time-millis, long time-micros            | time                           |
 * | long timestamp-millis / -micros / -nanos     | timestamp with time zone       |
 * | long local-timestamp-millis / -micros        | timestamp                      |
 * | record                                       | struct (its fields in order)   |
 * | array                                        | T[]                            |
 * | map                                          | jsonb                          |
 * | union [null, T] (either order)               | T, nullable                    |
 *
 * Other unions (two or more non-null branches) and a bare null have no SQL type: a schema
 * that puts one where a column reads is refused when the source is created.
 */
import { SqlError, SqlState } from '../../types/sql-error.js';
import { arrayOf, T, type Column, type SqlType } from '../../types/sql-type.js';

export type AvroPrimitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export type AvroShape =
  | { kind: AvroPrimitive; logical?: string; precision?: number; scale?: number }
  | { kind: 'fixed'; name: string; size: number; logical?: string; precision?: number; scale?: number }
  | { kind: 'enum'; name: string; symbols: string[] }
  | { kind: 'record'; name: string; fields: { name: string; shape: AvroShape }[] }
  | { kind: 'array'; items: AvroShape }
  | { kind: 'map'; values: AvroShape }
  | { kind: 'union'; branches: AvroShape[] };

const PRIMITIVES = new Set<string>(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

function schemaError(message: string, detail?: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, `invalid Avro schema: ${message}`, detail === undefined ? {} : { detail });
}

/** Reads an Avro schema's JSON text; 22023 errors for text that is not one. */
export function parseAvroSchema(text: string): { json: unknown; shape: AvroShape } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw schemaError('it is not JSON', `${(e as Error).message}.`);
  }
  return { json, shape: new ShapeReader().read(json, '') };
}

/** Walks the schema JSON; named types are remembered by full name (and short name) for references. */
class ShapeReader {
  readonly #named = new Map<string, AvroShape>();

  read(s: unknown, namespace: string): AvroShape {
    if (typeof s === 'string') {
      if (PRIMITIVES.has(s)) return { kind: s as AvroPrimitive };
      const found = this.#named.get(s.includes('.') || namespace === '' ? s : `${namespace}.${s}`) ?? this.#named.get(s);
      if (!found) throw schemaError(`unknown type "${s}"`);
      return found;
    }
    if (Array.isArray(s)) return { kind: 'union', branches: s.map((b) => this.read(b, namespace)) };
    if (s === null || typeof s !== 'object') throw schemaError(`${JSON.stringify(s)} is not a type`);
    const o = s as { [k: string]: unknown };
    const type = o.type;
    const logical = typeof o.logicalType === 'string' ? o.logicalType : undefined;
    const decimal = { ...(typeof o.precision === 'number' ? { precision: o.precision } : {}), ...(typeof o.scale === 'number' ? { scale: o.scale } : {}) };
    if (typeof type === 'string' && PRIMITIVES.has(type)) {
      return { kind: type as AvroPrimitive, ...(logical ? { logical } : {}), ...decimal };
    }
    switch (type) {
      case 'record':
      case 'error':
      case 'enum':
      case 'fixed': {
        const { full, ns } = this.#name(o, namespace);
        if (type === 'enum') return this.#define(full, { kind: 'enum', name: full, symbols: Array.isArray(o.symbols) ? o.symbols.map(String) : [] });
        if (type === 'fixed') return this.#define(full, { kind: 'fixed', name: full, size: Number(o.size), ...(logical ? { logical } : {}), ...decimal });
        if (!Array.isArray(o.fields)) throw schemaError(`record "${full}" has no fields list`);
        const rec: AvroShape & { kind: 'record' } = { kind: 'record', name: full, fields: [] };
        this.#define(full, rec); // before its fields: a record may refer to itself
        for (const f of o.fields as { [k: string]: unknown }[]) {
          if (typeof f?.name !== 'string') throw schemaError(`a field of record "${full}" has no name`);
          rec.fields.push({ name: f.name, shape: this.read(f.type, ns) });
        }
        return rec;
      }
      case 'array':
        return { kind: 'array', items: this.read(o.items, namespace) };
      case 'map':
        return { kind: 'map', values: this.read(o.values, namespace) };
      default:
        if (typeof type === 'object' && type !== null) return this.read(type, namespace);
        throw schemaError(`unknown type ${JSON.stringify(type)}`);
    }
  }

  #name(o: { [k: string]: unknown }, namespace: string): { full: string; ns: string } {
    if (typeof o.name !== 'string') throw schemaError(`a ${String(o.type)} type needs a name`);
    if (o.name.includes('.')) return { full: o.name, ns: o.name.slice(0, o.name.lastIndexOf('.')) };
    const ns = typeof o.namespace === 'string' ? o.namespace : namespace;
    return { full: ns === '' ? o.name : `${ns}.${o.name}`, ns };
  }

  #define(full: string, shape: AvroShape): AvroShape {
    this.#named.set(full, shape);
    const short = full.slice(full.lastIndexOf('.') + 1);
    if (!this.#named.has(short)) this.#named.set(short, shape);
    return shape;
  }
}

/** `[null, T]` → T (and whether null is allowed); any other shape as it is. */
export function unwrapNullable(shape: AvroShape): { shape: AvroShape; nullable: boolean } {
  if (shape.kind !== 'union') return { shape, nullable: shape.kind === 'null' };
  const others = shape.branches.filter((b) => b.kind !== 'null');
  if (others.length === 1) return { shape: others[0]!, nullable: others.length < shape.branches.length };
  return { shape, nullable: others.length < shape.branches.length };
}

/** A short name of a shape for messages: `long (timestamp-millis)`, `record "r"`. */
export function shapeName(shape: AvroShape): string {
  switch (shape.kind) {
    case 'record':
    case 'enum':
      return `${shape.kind} "${shape.name}"`;
    case 'fixed':
      return shape.logical ? `fixed (${shape.logical})` : 'fixed';
    case 'array':
      return `array of ${shapeName(shape.items)}`;
    case 'map':
      return `map of ${shapeName(shape.values)}`;
    case 'union':
      return `union [${shape.branches.map(shapeName).join(', ')}]`;
    default:
      return shape.logical ? `${shape.kind} (${shape.logical})` : shape.kind;
  }
}

/** The SQL type a shape reads into by default (the table in the header); 0A000 when none. */
export function sqlTypeOf(shape: AvroShape, path: string, seen: ReadonlySet<string> = new Set()): SqlType {
  const none = () => new SqlError(SqlState.featureNotSupported, `column "${path}": Avro ${shapeName(shape)} has no SQL type`);
  switch (shape.kind) {
    case 'boolean':
      return T.bool;
    case 'int':
      return shape.logical === 'date' ? T.date : shape.logical === 'time-millis' ? T.time : T.int4;
    case 'long':
      if (shape.logical === 'time-micros') return T.time;
      if (shape.logical === 'timestamp-millis' || shape.logical === 'timestamp-micros' || shape.logical === 'timestamp-nanos') return T.timestamptz;
      if (shape.logical === 'local-timestamp-millis' || shape.logical === 'local-timestamp-micros') return T.timestamp;
      return T.int8;
    case 'float':
      return T.float4;
    case 'double':
      return T.float8;
    case 'string':
      return shape.logical === 'uuid' ? { kind: 'uuid' } : T.text;
    case 'enum':
      return T.text;
    case 'bytes':
    case 'fixed':
      return shape.logical === 'decimal' ? { kind: 'numeric', ...(shape.precision !== undefined ? { precision: shape.precision } : {}), scale: shape.scale ?? 0 } : T.bytea;
    case 'record': {
      if (seen.has(shape.name)) throw new SqlError(SqlState.featureNotSupported, `column "${path}": the Avro record "${shape.name}" contains itself`);
      const inner = new Set(seen).add(shape.name);
      return { kind: 'record', fields: shape.fields.map((f) => ({ name: f.name, type: sqlTypeOf(unwrapNullable(f.shape).shape, `${path}.${f.name}`, inner) })) };
    }
    case 'array':
      return arrayOf(sqlTypeOf(unwrapNullable(shape.items).shape, `${path}[]`, seen));
    case 'map':
      return T.jsonb;
    case 'union': {
      const u = unwrapNullable(shape);
      if (u.shape.kind === 'union') throw none();
      return sqlTypeOf(u.shape, path, seen);
    }
    case 'null':
      throw none();
  }
}

/** The columns of a record schema: one per field, nullable when the field's type is [null, T]. */
export function columnsOf(shape: AvroShape): Column[] {
  if (shape.kind !== 'record') throw schemaError(`the top-level type is ${shapeName(shape)}, not a record`);
  return shape.fields.map((f) => {
    const u = unwrapNullable(f.shape);
    return { name: f.name, type: sqlTypeOf(u.shape, f.name, new Set([shape.name])), nullable: u.nullable };
  });
}
