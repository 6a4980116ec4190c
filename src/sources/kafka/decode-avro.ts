/**
 * ENCODE AVRO: a record's value, Avro binary, → a row of the source's schema (the columns take
 * the writer record's fields by name, exactly and then ignoring case; types as in
 * avro-convert.ts). The writer schema is either
 *
 *   inline      `schema.definition = '<Avro schema JSON>'`; values are plain Avro binary, or in
 *               the Confluent wire format with `avro.framing = 'confluent'` (the schema id in
 *               the frame is then not looked up: the inline schema is the writer's);
 *   a registry  `schema.registry = 'http://host:port'`: values are in the Confluent wire format
 *               (byte 0, a 4-byte big-endian schema id, Avro binary) and each id's schema is
 *               fetched once (`prepare`, before a batch is decoded) and kept.
 *
 * FORMAT DEBEZIUM reads Debezium's Avro envelope (`before`, `after`: [null, row record], `op`):
 * the columns are the fields of the `after` record.
 *
 * A declared column that the (inline) schema does not have, or cannot fill, is an error when the
 * source is created; with a registry it is a DecodeError for the records of that writer schema.
 * Undecodable bytes (truncated, trailing bytes, a bad frame, a schema id the registry does not
 * give) are DecodeErrors: the records go to `<source>_errors`.
 */
import avro from 'avsc';
import type { Row } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { Column } from '../../types/sql-type.js';
import { AvroFieldReader } from './avro-convert.js';
import { columnsOf, parseAvroSchema, shapeName, unwrapNullable, type AvroShape } from './avro-schema.js';
import { DecodeError } from './decode-error.js';
import type { KafkaRecord } from './kafka-client.js';
import { SchemaRegistryClient } from './schema-registry-client.js';

export interface AvroOptions {
  /** The writer schema's JSON text (`schema.definition`). */
  schema?: string;
  /** A Confluent-compatible registry's address (`schema.registry`). */
  registry?: string;
  /** `avro.framing`: 'none' (plain Avro binary; the default inline) or 'confluent'. */
  framing?: string;
  /** FORMAT DEBEZIUM: the schema is Debezium's envelope around the row record. */
  debezium?: boolean;
}

/** A Debezium change event read from Avro: the op and the rows of `before` and `after`. */
export interface AvroChangeEvent {
  op: unknown;
  before: Row | null;
  after: Row | null;
}

/** What one writer schema decodes with: the avsc type, and how its value becomes a row or an event. */
interface WriterPlan {
  type: avro.Type;
  row?: AvroFieldReader;
  envelope?: { before: AvroFieldReader; after: AvroFieldReader };
}

/** Longs as bigint (avsc's default, a JS number, refuses values past 2^53). */
const bigintLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as number),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

export class AvroRowDecoder {
  readonly #inline: WriterPlan | undefined;
  readonly #registry: SchemaRegistryClient | undefined;
  readonly #framed: boolean;
  readonly #debezium: boolean;
  /** Registry: each schema id's plan, or why it cannot be used (a fetch that failed is asked again). */
  readonly #plans = new Map<number, WriterPlan | { failed: string; retry: boolean }>();

  /** Throws SqlError for bad options, a bad inline schema, or columns the schema cannot fill. */
  constructor(
    readonly columns: readonly Column[],
    options: AvroOptions,
  ) {
    this.#debezium = options.debezium === true;
    const framing = (options.framing ?? (options.registry !== undefined ? 'confluent' : 'none')).toLowerCase();
    if (framing !== 'none' && framing !== 'confluent') {
      throw new SqlError(SqlState.invalidParameterValue, `invalid avro.framing "${framing}"`, { hint: "Use 'none' (plain Avro binary) or 'confluent'." });
    }
    this.#framed = framing === 'confluent';
    if ((options.schema === undefined) === (options.registry === undefined)) {
      throw new SqlError(SqlState.invalidParameterValue, 'ENCODE AVRO needs either schema.definition or schema.registry', {
        hint: `For example ENCODE AVRO (schema.definition = '{"type": "record", "name": "r", "fields": [...]}').`,
      });
    }
    if (options.registry !== undefined) {
      if (!this.#framed) throw new SqlError(SqlState.invalidParameterValue, "schema.registry needs avro.framing = 'confluent'", { detail: 'The schema id is in the frame.' });
      this.#registry = new SchemaRegistryClient(options.registry);
    } else {
      this.#inline = this.#plan(options.schema!);
    }
  }

  /** With a registry: fetches the schemas of the records' ids not yet known. Never throws. */
  async prepare(records: readonly KafkaRecord[]): Promise<void> {
    if (!this.#registry) return;
    const ids = new Set<number>();
    for (const r of records) {
      if (r.value === null || r.value.length < 5 || r.value[0] !== 0) continue;
      const id = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length).readUInt32BE(1);
      const known = this.#plans.get(id);
      if (known === undefined || ('failed' in known && known.retry)) ids.add(id);
    }
    for (const id of ids) {
      try {
        const text = await this.#registry.schemaById(id);
        try {
          this.#plans.set(id, this.#plan(text));
        } catch (e) {
          this.#plans.set(id, { failed: `schema id ${id}: ${(e as Error).message}`, retry: false });
        }
      } catch (e) {
        this.#plans.set(id, { failed: (e as Error).message, retry: true });
      }
    }
  }

  /** The row of a record's value (FORMAT PLAIN / UPSERT). Throws DecodeError. */
  decode(bytes: Uint8Array): Row {
    const { plan, value } = this.#read(bytes);
    if (!plan.row) throw new DecodeError('internal error: not a row schema');
    return plan.row.read(value);
  }

  /** A Debezium change event (FORMAT DEBEZIUM). Throws DecodeError. */
  event(bytes: Uint8Array): AvroChangeEvent {
    const { plan, value } = this.#read(bytes);
    if (!plan.envelope) throw new DecodeError('internal error: not a Debezium envelope schema');
    const before = value.before as { [k: string]: unknown } | null | undefined;
    const after = value.after as { [k: string]: unknown } | null | undefined;
    return {
      op: value.op,
      before: before ? plan.envelope.before.read(before, false) : null,
      after: after ? plan.envelope.after.read(after) : null,
    };
  }

  #read(bytes: Uint8Array): { plan: WriterPlan; value: { [k: string]: unknown } } {
    let body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    let plan = this.#inline;
    if (this.#framed) {
      if (body.length < 5 || body[0] !== 0) throw new DecodeError('expected the Confluent wire format (byte 0, a 4-byte schema id, then Avro binary)');
      const id = body.readUInt32BE(1);
      body = body.subarray(5);
      if (this.#registry) {
        const p = this.#plans.get(id);
        if (p === undefined) throw new DecodeError(`schema id ${id} was not fetched from the schema registry`);
        if ('failed' in p) throw new DecodeError(p.failed);
        plan = p;
      }
    }
    try {
      return { plan: plan!, value: plan!.type.fromBuffer(body) as { [k: string]: unknown } };
    } catch (e) {
      throw new DecodeError(`invalid Avro data: ${(e as Error).message}`);
    }
  }

  /** Reads a writer schema and checks the columns against it. Throws SqlError. */
  #plan(text: string): WriterPlan {
    const { json, shape } = parseAvroSchema(text);
    let type: avro.Type;
    try {
      type = avro.Type.forSchema(json as avro.Schema, { registry: { long: bigintLong }, omitRecordMethods: true, wrapUnions: 'auto' });
    } catch (e) {
      throw new SqlError(SqlState.invalidParameterValue, `invalid Avro schema: ${(e as Error).message}`);
    }
    const rec = asRecord(shape, 'the Avro schema');
    if (!this.#debezium) return { type, row: new AvroFieldReader(rec, this.columns, '') };
    const row = (name: string) => {
      const f = rec.fields.find((x) => x.name === name);
      if (!f) throw new SqlError(SqlState.invalidParameterValue, `the Avro schema of FORMAT DEBEZIUM needs a "${name}" field`, { detail: "Debezium's envelope has before, after and op." });
      return asRecord(unwrapNullable(f.shape).shape, `the "${name}" field`);
    };
    if (!rec.fields.some((x) => x.name === 'op')) row('op');
    return { type, envelope: { before: new AvroFieldReader(row('before'), this.columns, ''), after: new AvroFieldReader(row('after'), this.columns, '') } };
  }
}

function asRecord(shape: AvroShape, what: string): AvroShape & { kind: 'record' } {
  if (shape.kind !== 'record') throw new SqlError(SqlState.invalidParameterValue, `${what} is ${shapeName(shape)}, not a record`);
  return shape;
}

/**
 * The columns of a source declared without a column list (`CREATE SOURCE s WITH (…) FORMAT PLAIN
 * ENCODE AVRO (schema.definition = …)`): the record's fields, or for FORMAT DEBEZIUM the fields
 * of the envelope's `after` record. A registry's schema is not read at CREATE time: such a source
 * lists its columns. Throws SqlError.
 */
export function avroSchemaColumns(format: string, options: readonly { key: string; value: string }[]): Column[] {
  const text = options.find((o) => o.key === 'schema.definition')?.value;
  if (text === undefined) {
    throw new SqlError(SqlState.featureNotSupported, 'a kafka source with ENCODE AVRO (schema.registry = …) needs a column list', {
      hint: 'List the columns, or give the schema inline with schema.definition.',
    });
  }
  const rec = asRecord(parseAvroSchema(text).shape, 'the Avro schema');
  if (format.toLowerCase() !== 'debezium') return columnsOf(rec);
  const after = rec.fields.find((f) => f.name === 'after');
  if (!after) throw new SqlError(SqlState.invalidParameterValue, 'the Avro schema of FORMAT DEBEZIUM needs a "after" field');
  return columnsOf(asRecord(unwrapNullable(after.shape).shape, 'the "after" field'));
}
