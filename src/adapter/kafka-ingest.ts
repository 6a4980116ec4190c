/**
 * KafkaIngest: a Kafka source as the coordinator drives it (DESIGN §7). Reads the topic's
 * partitions from the positions stored with the last committed tick (never Kafka's group
 * offsets), decodes each record (ENCODE JSON | CSV | TEXT | BYTES) and applies its envelope
 * (FORMAT PLAIN | UPSERT | DEBEZIUM), giving the tick its changes, the rows to store and the
 * records that did not decode (for `<source>_errors`).
 *
 * Storage of the source's contents, under `t/<id>/` like a table's (values encodeRow([diff, …row])):
 *   PLAIN              one entry per record, keyed by (partition, offset): nothing is read back;
 *   UPSERT, DEBEZIUM   one entry per key (UPSERT: the record key's bytes; DEBEZIUM: the primary key), which
 *                      holds the key's current row: the previous row an update retracts.
 * The current rows of an upsert source are kept in memory too (loaded once at start).
 */
import type { Change } from '../dataflow/zset.js';
import type { KvOp, KvReader } from '../storage/kv-store.js';
import { concatBytes, keys, prefixRange } from '../storage/key-layout.js';
import type { Row } from '../types/datum.js';
import { encodeKey } from '../types/key-codec.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import type { Column } from '../types/sql-type.js';
import type { KafkaReader, KafkaRecord, StartupMode } from '../sources/kafka/kafka-client.js';
import { KafkajsReader } from '../sources/kafka/kafkajs-reader.js';
import { JsonRowDecoder } from '../sources/kafka/decode-json.js';
import { CsvRowDecoder } from '../sources/kafka/decode-csv.js';
import { BytesRowDecoder, TextRowDecoder } from '../sources/kafka/decode-text.js';
import { includeDatum, type IncludeSpec } from '../sources/kafka/include-columns.js';
import { changesFor, debeziumIntent, plainIntent, upsertIntent, type Intent, type RowDecoder } from '../sources/kafka/envelope.js';
import { decodeEntry, encodeEntry } from './collections.js';

export interface KafkaSpec {
  topic: string;
  brokers: string[];
  startup: StartupMode;
  format: 'plain' | 'upsert' | 'debezium';
  encode: 'json' | 'csv' | 'text' | 'bytes';
}

/**
 * What one poll gave. PLAIN: the inserted rows with their storage keys (the watermark filter
 * may still drop some). UPSERT / DEBEZIUM: the changes and the entries to store. Both: the
 * records that failed, as `<source>_errors` rows.
 */
export interface KafkaBatch {
  inserts: { row: Row; key: Uint8Array; partition: number }[];
  changes: Change[];
  ops: KvOp[];
  errors: Row[];
  records: number;
  /** Set while the broker is away (the source retries; nothing is lost). */
  problem?: string;
}

/** Reads a Kafka source's WITH and FORMAT clauses; bad ones are 22023 / 0A000 errors. */
export function kafkaSpec(options: readonly { key: string; value: string }[], format: { format: string; encode: string } | undefined, hasKey: boolean): KafkaSpec {
  const get = (k: string) => options.find((o) => o.key === k)?.value;
  const topic = get('topic');
  if (!topic) throw new SqlError(SqlState.invalidParameterValue, 'a kafka source needs a topic', { hint: "Add WITH (topic = 'name', …)." });
  const servers = get('properties.bootstrap.server') ?? get('properties.bootstrap.servers');
  if (!servers) {
    throw new SqlError(SqlState.invalidParameterValue, 'a kafka source needs properties.bootstrap.server', { hint: "For example properties.bootstrap.server = '127.0.0.1:9092'." });
  }
  const mode = (get('scan.startup.mode') ?? get('kafka.scan.startup.mode') ?? 'earliest').toLowerCase();
  let startup: StartupMode;
  const ts = get('scan.startup.timestamp.millis') ?? get('scan.startup.timestamp_millis');
  if (ts !== undefined) startup = { kind: 'timestamp', ms: Number(ts) };
  else if (mode === 'earliest' || mode === 'latest') startup = { kind: mode };
  else throw new SqlError(SqlState.invalidParameterValue, `invalid scan.startup.mode "${mode}"`, { hint: "Use 'earliest', 'latest', or scan.startup.timestamp.millis." });
  const f = (format?.format ?? 'plain').toLowerCase();
  const e = (format?.encode ?? 'json').toLowerCase();
  if (f !== 'plain' && f !== 'upsert' && f !== 'debezium') throw new SqlError(SqlState.featureNotSupported, `FORMAT ${f.toUpperCase()} is not supported`);
  if (e !== 'json' && e !== 'csv' && e !== 'text' && e !== 'bytes') {
    throw new SqlError(SqlState.featureNotSupported, `ENCODE ${e.toUpperCase()} is not supported`, { hint: 'Supported: JSON, CSV, TEXT, BYTES.' });
  }
  if (f === 'debezium' && e !== 'json') throw new SqlError(SqlState.featureNotSupported, 'FORMAT DEBEZIUM needs ENCODE JSON');
  if (f !== 'plain' && !hasKey) {
    throw new SqlError(SqlState.invalidTableDefinition, `FORMAT ${f.toUpperCase()} needs a primary key`, { hint: 'Declare the key columns: (id bigint PRIMARY KEY, …).' });
  }
  return { topic, brokers: servers.split(',').map((s) => s.trim()), startup, format: f, encode: e };
}

export class KafkaIngest {
  readonly #reader: KafkaReader;
  readonly #decoder: RowDecoder;
  readonly #jsonDecoder: JsonRowDecoder | undefined;
  /** INCLUDE columns, appended to every decoded row. */
  readonly #include: IncludeSpec[];
  readonly #prefix: Uint8Array;
  /** UPSERT / DEBEZIUM: the current row per key (hex of the key's bytes). */
  readonly #current = new Map<string, Row>();
  #assigned = false;
  #pending: Record<string, string> | undefined;

  constructor(
    readonly id: string,
    readonly spec: KafkaSpec,
    readonly columns: Column[],
    readonly primaryKey: number[] | undefined,
    include: string[] = [],
    log?: (level: string, message: string, extra: object) => void,
  ) {
    this.#include = include.map((what) => ({ kind: what }) as IncludeSpec);
    const decoded = columns.slice(0, columns.length - include.length);
    this.#reader = new KafkajsReader({ brokers: spec.brokers, clientId: `weir-${id}`, ...(log ? { log } : {}), maxBackoffMs: 5000 });
    const d =
      spec.encode === 'json' ? new JsonRowDecoder(decoded) : spec.encode === 'csv' ? new CsvRowDecoder(decoded) : spec.encode === 'text' ? new TextRowDecoder(decoded) : new BytesRowDecoder(decoded);
    this.#jsonDecoder = d instanceof JsonRowDecoder ? d : undefined;
    this.#decoder = d;
    this.#prefix = keys.tablePrefix(id);
  }

  /** Loads an upsert source's current rows; assigns the partitions from the stored positions (or the startup mode). */
  async start(reader: KvReader, positions: Record<string, string> | undefined): Promise<void> {
    if (this.spec.format !== 'plain') {
      for await (const chunk of reader.scan(prefixRange(this.#prefix))) {
        for (const [k, v] of chunk) this.#current.set(Buffer.from(k.subarray(this.#prefix.length)).toString('hex'), decodeEntry(v)[0]);
      }
    }
    try {
      await this.#assign(positions);
    } catch {
      // The broker or topic is not there yet: `poll` assigns once it is.
      this.#pending = positions;
    }
  }

  async #assign(positions: Record<string, string> | undefined): Promise<void> {
    const parts = await this.#reader.partitions(this.spec.topic);
    const stored = positions ?? {};
    const missing = parts.filter((p) => stored[p] === undefined);
    const starts = missing.length > 0 ? await this.#reader.startOffsets(this.spec.topic, missing, this.spec.startup) : [];
    this.#reader.assign(this.spec.topic, [
      ...parts.filter((p) => stored[p] !== undefined).map((p) => ({ partition: p, offset: BigInt(stored[p]!) })),
      ...starts,
    ]);
    this.#assigned = true;
  }

  /** The partitions being read. */
  partitionIds(): number[] {
    return Object.keys(this.positions()).map(Number);
  }

  /** The positions to store with the tick: the next offset per partition. */
  positions(): Record<string, string> {
    if (!this.#assigned) return { ...(this.#pending ?? {}) };
    const out: Record<string, string> = {};
    for (const [p, o] of this.#reader.positions()) out[p] = o.toString();
    return out;
  }

  /** After a failed tick: read again from the last committed positions. */
  async rewind(positions: Record<string, string> | undefined, reader: KvReader): Promise<void> {
    this.#current.clear();
    await this.start(reader, positions);
  }

  /** One poll: at most `max` records, turned into changes, stored entries and error rows. */
  async poll(max: number): Promise<KafkaBatch> {
    if (!this.#assigned) {
      try {
        await this.#assign(this.#pending);
      } catch (e) {
        return { inserts: [], changes: [], ops: [], errors: [], records: 0, problem: (e as Error).message };
      }
    }
    const res = await this.#reader.poll(max, 0);
    const batch: KafkaBatch = { inserts: [], changes: [], ops: [], errors: [], records: res.records.length };
    if (res.error) batch.problem = res.error.message;
    for (const r of res.resets) {
      batch.errors.push([r.partition, r.requested, null, null, `offset ${r.requested} is no longer in the log; resumed at ${r.resumedAt}: ${r.reason}`]);
    }
    for (const rec of res.records) this.#apply(rec, batch);
    return batch;
  }

  #apply(rec: KafkaRecord, batch: KafkaBatch): void {
    let intent: Intent;
    try {
      intent =
        this.spec.format === 'plain'
          ? plainIntent(rec, this.#decoder)
          : this.spec.format === 'upsert'
            ? upsertIntent(rec, this.#decoder)
            : debeziumIntent(rec, this.#jsonDecoder!, this.primaryKey);
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      batch.errors.push([rec.partition, rec.offset, rec.key, rec.value, e.message]);
      return;
    }
    if (intent.kind === 'Skip') return;
    if (this.#include.length > 0 && (intent.kind === 'Insert' || intent.kind === 'Upsert')) {
      intent = { ...intent, row: [...intent.row, ...this.#include.map((s) => includeDatum(s, rec))] };
    }
    if (intent.kind === 'Insert') {
      batch.inserts.push({ row: intent.row, key: concatBytes(this.#prefix, encodeKey([rec.partition, rec.offset])), partition: rec.partition });
      return;
    }
    // UPSERT: keyed by the record key's bytes; DEBEZIUM: by the primary key (the envelope encodes it).
    const key = intent.key;
    const hex = Buffer.from(key).toString('hex');
    const { changes, next } = changesFor(this.#current.get(hex), intent);
    for (const c of changes) batch.changes.push(c);
    const storeKey = concatBytes(this.#prefix, key);
    if (next === undefined) {
      this.#current.delete(hex);
      batch.ops.push({ type: 'del', key: storeKey });
    } else {
      this.#current.set(hex, next);
      batch.ops.push({ type: 'put', key: storeKey, value: encodeEntry(next, 1) });
    }
  }

  async close(): Promise<void> {
    await this.#reader.close();
  }
}

/** The columns of a Kafka source's `<name>_errors` relation. */
export const KAFKA_ERROR_COLUMNS: Column[] = [
  { name: 'partition', type: { kind: 'int4' }, nullable: true },
  { name: 'offset', type: { kind: 'int8' }, nullable: true },
  { name: 'key', type: { kind: 'bytea' }, nullable: true },
  { name: 'value', type: { kind: 'bytea' }, nullable: true },
  { name: 'reason', type: { kind: 'text' }, nullable: true },
];
