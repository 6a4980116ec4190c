/**
 * KafkaIngest: a Kafka source as the coordinator drives it (DESIGN §7). Reads the topic's
 * partitions from the positions stored with the last committed tick (never Kafka's group
 * offsets), decodes each record (ENCODE JSON | CSV | TEXT | BYTES | AVRO) and applies its envelope
 * (FORMAT PLAIN | UPSERT | DEBEZIUM), giving the tick its changes, the rows to store and the
 * records that did not decode (for `<source>_errors`).
 *
 * Storage of the source's contents:
 *   PLAIN              each tick's accepted rows of each partition, in offset order
 *                      (encodeRowsAfter: encodeRow([1, …row]) of each, concatenated), appended to
 *                      the source's SourceLog (storage/source-log.ts) before the tick's batch is
 *                      issued; the batch holds the pointer under `l/<id>/`, keyed by (partition,
 *                      offset of the tick's first record of it) (and the epoch once a recreated
 *                      topic started its offsets again). The rows stay out of LevelDB: at
 *                      100,000 events/s they were its memtable flushes and compactions, and so the
 *                      views' latency tail. A view created later hydrates from them
 *                      (`readSourceContents`, which reads only committed pointers);
 *   UPSERT, DEBEZIUM   one entry per key under `t/<id>/` (UPSERT: the record key's bytes; DEBEZIUM:
 *                      the primary key), which holds the key's current row: the previous row an
 *                      update retracts.
 * The current rows of an upsert source are kept in memory too (loaded once at start).
 *
 * Faults (docs/streaming.md, "Faults"): `status()` is what weir_source_stats shows.
 *   broker away, topic missing   'retrying: …'; the reader and `#assign` back off (100 ms doubling
 *                                to 5 s) and resume from the positions they kept
 *   a bad record, policy stop    'stopped: …'; the records before it are ingested, the position
 *                                stays at it, and nothing more is read until a restart reads it again
 *   a partition added            found by a metadata refresh every PARTITION_DISCOVERY_MS and read
 *                                from its earliest offset
 */
import type { Change } from '../dataflow/zset.js';
import type { KvOp, KvReader } from '../storage/kv-store.js';
import { decodePointer, encodePointer, type LogPointer, type SourceLog } from '../storage/source-log.js';
import { concatBytes, keys, prefixRange } from '../storage/key-layout.js';
import type { Row } from '../types/datum.js';
import { jitteredBackoffMs } from '../util/backoff.js';
import { encodeKey } from '../types/key-codec.js';
import { decodeRows, encodeRowsAfter } from '../types/value-codec.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import type { Column } from '../types/sql-type.js';
import type { KafkaReader, KafkaRecord, StartupMode } from '../sources/kafka/kafka-client.js';
import { KafkajsReader } from '../sources/kafka/kafkajs-reader.js';
import { includeSpec, type IncludeEntry, type IncludeSpec } from '../sources/kafka/include-columns.js';
import { changesFor, type Intent } from '../sources/kafka/envelope.js';
import { ENCODES, prepareRecords, recordDecoder, recordIntent, type RecordDecoder, type SourceEncode } from '../sources/kafka/record-decoder.js';
import { errorPolicy, type ErrorPolicy } from '../catalog/plan-source.js';
import { decodeEntry, encodeEntry } from './collections.js';

/** How often a running source looks for partitions added to its topic. */
export const PARTITION_DISCOVERY_MS = 5000;
const MAX_BACKOFF_MS = 5000;

export interface KafkaSpec {
  topic: string;
  brokers: string[];
  startup: StartupMode;
  format: 'plain' | 'upsert' | 'debezium';
  encode: SourceEncode;
  /** ENCODE's options: `FORMAT … ENCODE AVRO (schema.definition = …)`. */
  encodeOptions: { key: string; value: string }[];
  /** A record that does not decode: into `<source>_errors`, or the source stops at it. */
  errorPolicy: ErrorPolicy;
}

/**
 * What one poll gave. PLAIN: the inserted rows and their partitions (the watermark filter may
 * still drop some; `plainOps` stores the accepted ones). UPSERT / DEBEZIUM: the changes and the
 * entries to store. Both: the records that failed, as `<source>_errors` rows.
 */
export interface KafkaBatch {
  /** Which reading of the topic it came from: a rewind starts a new one (`KafkaIngest.stale`). */
  run: number;
  /** PLAIN: the inserted rows, in offset order per partition; `partitions[i]` is row i's. */
  rows: Row[];
  partitions: number[];
  /** PLAIN: per partition, the offset of the first record that gave a row (its storage key). */
  firsts: Map<number, bigint>;
  /** The epoch the rows were read in (KafkaIngest.epoch; part of their storage key from 1 on). */
  epoch: number;
  changes: Change[];
  ops: KvOp[];
  errors: Row[];
  records: number;
  /** The status when it is not 'running' ('retrying: …' while the broker is away, 'stopped: …'). */
  problem?: string;
}

/** Reads a Kafka source's WITH and FORMAT clauses; bad ones are 22023 / 0A000 errors. */
export function kafkaSpec(options: readonly { key: string; value: string }[], format: { format: string; encode: string; options?: { key: string; value: string }[] } | undefined, hasKey: boolean): KafkaSpec {
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
  if (!ENCODES.includes(e as SourceEncode)) {
    throw new SqlError(SqlState.featureNotSupported, `ENCODE ${e.toUpperCase()} is not supported`, { hint: 'Supported: JSON, CSV, TEXT, BYTES, AVRO.' });
  }
  if (f === 'debezium' && e !== 'json' && e !== 'avro') throw new SqlError(SqlState.featureNotSupported, 'FORMAT DEBEZIUM needs ENCODE JSON or ENCODE AVRO');
  if (f !== 'plain' && !hasKey) {
    throw new SqlError(SqlState.invalidTableDefinition, `FORMAT ${f.toUpperCase()} needs a primary key`, { hint: 'Declare the key columns: (id bigint PRIMARY KEY, …).' });
  }
  return { topic, brokers: servers.split(',').map((s) => s.trim()), startup, format: f, encode: e as SourceEncode, encodeOptions: format?.options ?? [], errorPolicy: errorPolicy(options) };
}

export class KafkaIngest {
  readonly #reader: KafkaReader;
  readonly #decoder: RecordDecoder;
  /** INCLUDE columns, appended to every decoded row. */
  readonly #include: IncludeSpec[];
  readonly #prefix: Uint8Array;
  /** PLAIN: where the rows go (their pointers under `l/<id>/`). */
  readonly #sourceLog: SourceLog;
  readonly #logPrefix: Uint8Array;
  /** FORMAT PLAIN without INCLUDE columns: a record's row is its decoded value. */
  readonly #plainRows: boolean;
  /** UPSERT / DEBEZIUM: the current row per key (hex of the key's bytes). */
  readonly #current = new Map<string, Row>();
  #assigned = false;
  #pending: Record<string, string> | undefined;
  /** Why the last assign or poll failed (undefined: it did not). */
  #retrying: string | undefined;
  #failures = 0;
  #retryAt = 0;
  #discoverAt = 0;
  /** Policy stop: the record it stopped at, and the positions to keep (that record's is its offset). */
  #stopped: { partition: number; offset: bigint; reason: string; positions: Record<string, string> } | undefined;
  readonly #log: ((level: string, message: string, extra: object) => void) | undefined;
  /**
   * PLAIN: how many times a partition's position moved back (the topic was deleted and created
   * again): part of the storage key from 1 on, so a new log's offsets never overwrite the rows of
   * an old one's. Stored in the progress record with the positions (StreamRuntime).
   */
  epoch = 0;
  /** A poll or assign failed, and no record has been read since. */
  #outage = false;
  /** The last batch is the first with records since an outage (`backlogged`). */
  #resumed = false;
  /** Bumped by each rewind: a batch polled before it is not ingested. */
  #run = 0;
  /** The poll in progress (a rewind waits for it: the reader takes one call at a time). */
  #polling: Promise<KafkaBatch> | undefined;

  constructor(
    readonly id: string,
    readonly spec: KafkaSpec,
    readonly columns: Column[],
    readonly primaryKey: number[] | undefined,
    sourceLog: SourceLog,
    include: (IncludeEntry | string)[] = [],
    log?: (level: string, message: string, extra: object) => void,
  ) {
    this.#sourceLog = sourceLog;
    this.#logPrefix = keys.sourceLogPrefix(id);
    this.#include = include.map(includeSpec);
    this.#log = log;
    const decoded = columns.slice(0, columns.length - include.length);
    this.#reader = new KafkajsReader({ brokers: spec.brokers, clientId: `weir-${id}`, maxBackoffMs: MAX_BACKOFF_MS });
    this.#decoder = recordDecoder(spec.format, spec.encode, decoded, spec.encodeOptions);
    this.#prefix = keys.tablePrefix(id);
    this.#plainRows = spec.format === 'plain' && include.length === 0;
  }

  /** Loads an upsert source's current rows; assigns the partitions from the stored positions (or the startup mode). */
  async start(reader: KvReader, positions: Record<string, string> | undefined): Promise<void> {
    if (this.spec.format !== 'plain') {
      for await (const chunk of reader.scan(prefixRange(this.#prefix))) {
        for (const [k, v] of chunk) this.#current.set(Buffer.from(k.subarray(this.#prefix.length)).toString('hex'), decodeEntry(v)[0]);
      }
    }
    this.#pending = positions;
    try {
      await this.#assign(positions);
    } catch (e) {
      // The broker or topic is not there yet: `poll` assigns once it is.
      this.#failed(e);
    }
  }

  /**
   * Reads the partitions the topic has now: stored positions where there are some; a partition
   * without one from the startup mode on first start, else from its earliest offset (it was
   * added to the topic after the source started: all of it is new).
   */
  async #assign(positions: Record<string, string> | undefined): Promise<void> {
    const parts = await this.#reader.partitions(this.spec.topic);
    const stored = positions ?? {};
    this.#discoverAt = Date.now() + PARTITION_DISCOVERY_MS;
    const same = this.#assigned && parts.length === Object.keys(stored).length && parts.every((p) => stored[p] !== undefined);
    if (same) return;
    const missing = parts.filter((p) => stored[p] === undefined);
    const mode: StartupMode = Object.keys(stored).length > 0 ? { kind: 'earliest' } : this.spec.startup;
    const starts = missing.length > 0 ? await this.#reader.startOffsets(this.spec.topic, missing, mode) : [];
    const kept = parts.filter((p) => stored[p] !== undefined);
    if (this.#assigned && missing.length > 0) this.#log?.('info', 'kafka source: partitions added to the topic, read from their earliest offsets', { topic: this.spec.topic, partitions: missing });
    for (const p of Object.keys(stored).map(Number)) {
      if (!parts.includes(p)) this.#log?.('warn', 'kafka source: a partition left the topic', { topic: this.spec.topic, partition: p });
    }
    this.#reader.assign(this.spec.topic, [...kept.map((p) => ({ partition: p, offset: BigInt(stored[p]!) })), ...starts]);
    this.#assigned = true;
  }

  /** A failed assign: retried after 100 ms doubling up to 5 s, with jitter. */
  #failed(e: unknown): void {
    this.#failures++;
    this.#retryAt = Date.now() + jitteredBackoffMs(this.#failures, MAX_BACKOFF_MS);
    this.#retrying = (e as Error).message;
    this.#outage = true;
  }

  /** What weir_source_stats shows: 'running', 'retrying: <why>' or 'stopped: <where and why>'. */
  status(): string {
    const s = this.#stopped;
    if (s) return `stopped: the record at partition ${s.partition}, offset ${s.offset} did not decode: ${s.reason}`;
    return this.#retrying === undefined ? 'running' : `retrying: ${this.#retrying}`;
  }

  /** The partitions being read. */
  partitionIds(): number[] {
    return Object.keys(this.positions()).map(Number);
  }

  /**
   * The partitions with records in the log past their position (as of their last fetch). Every
   * partition, in the first batch after the reader was failing: a long poll returns when the
   * first partition's records arrive after an outage, before the others' high watermarks show
   * theirs, and none of them has been quiet (for watermark idleness) while it could not be read.
   */
  backlogged(): number[] {
    if (this.#resumed) return this.partitionIds();
    const out: number[] = [];
    for (const [p, o] of this.#reader.positions()) {
      const high = this.#reader.highWatermark(p);
      if (high !== undefined && o < high) out.push(p);
    }
    return out;
  }

  /** The positions to store with the tick: the next offset per partition. */
  positions(): Record<string, string> {
    if (this.#stopped) return { ...this.#stopped.positions };
    if (!this.#assigned) return { ...(this.#pending ?? {}) };
    const out: Record<string, string> = {};
    for (const [p, o] of this.#reader.positions()) out[p] = o.toString();
    return out;
  }

  /** After a failed tick: read again from the last committed positions. */
  async rewind(positions: Record<string, string> | undefined, reader: KvReader): Promise<void> {
    await this.#polling?.catch(() => undefined);
    this.#run++;
    this.#current.clear();
    this.#stopped = undefined;
    this.#assigned = false;
    await this.start(reader, positions);
  }

  /** Whether `batch` was polled before a rewind (its records are read again: it must not be ingested). */
  stale(batch: KafkaBatch): boolean {
    return batch.run !== this.#run;
  }

  /**
   * One poll: at most `max` records, turned into changes, stored entries and error rows. With
   * nothing buffered, it waits up to `waitMs` for a record to arrive (a long poll: it returns as
   * soon as one does).
   */
  poll(max: number, waitMs = 0): Promise<KafkaBatch> {
    const p = this.#poll(max, waitMs);
    this.#polling = p;
    return p;
  }

  async #poll(max: number, waitMs: number): Promise<KafkaBatch> {
    const run = this.#run;
    const empty = (): KafkaBatch => ({ run, rows: [], partitions: [], firsts: new Map(), epoch: this.epoch, changes: [], ops: [], errors: [], records: 0, problem: this.status() });
    if (this.#stopped) return empty();
    if (!this.#assigned || Date.now() >= this.#discoverAt) {
      if (Date.now() < this.#retryAt) return empty();
      try {
        await this.#assign(this.#assigned ? this.positions() : this.#pending);
        this.#failures = 0;
      } catch (e) {
        this.#failed(e);
        if (!this.#assigned) return empty();
        // Assigned already: the reader reports (and retries) what is wrong.
        this.#discoverAt = this.#retryAt;
      }
    }
    const before = this.#reader.positions();
    const res = await this.#reader.poll(max, waitMs);
    await prepareRecords(this.#decoder, res.records);
    const batch: KafkaBatch = { run, rows: [], partitions: [], firsts: new Map(), epoch: this.epoch, changes: [], ops: [], errors: [], records: res.records.length };
    this.#retrying = res.error?.message;
    if (res.error !== undefined) this.#outage = true;
    this.#resumed = res.records.length > 0 && this.#outage;
    if (res.records.length > 0) this.#outage = false;
    for (const r of res.resets) {
      if (r.resumedAt < r.requested) this.epoch++;
      before.set(r.partition, r.resumedAt);
      this.#log?.('warn', 'kafka source: position reset', { topic: this.spec.topic, ...r, requested: String(r.requested), resumedAt: String(r.resumedAt) });
      batch.errors.push([r.partition, r.requested, null, null, `offset ${r.requested} is no longer in the log; resumed at ${r.resumedAt}: ${r.reason}`]);
    }
    batch.epoch = this.epoch;
    const stop = this.spec.errorPolicy === 'stop';
    for (const rec of res.records) {
      const failure = this.#apply(rec, batch);
      if (failure !== undefined && stop) {
        const positions: Record<string, string> = {};
        for (const [p, o] of before) positions[p] = o.toString();
        this.#stopped = { partition: rec.partition, offset: rec.offset, reason: failure, positions };
        this.#log?.('error', 'kafka source stopped at a record that does not decode', { topic: this.spec.topic, partition: rec.partition, offset: String(rec.offset), reason: failure });
        break;
      }
      // Only a stop needs the positions before the record it stopped at.
      if (stop) before.set(rec.partition, rec.offset + 1n);
    }
    if (this.status() !== 'running') batch.problem = this.status();
    return batch;
  }

  /** Applies one record to the batch; a record that does not decode gives its reason (policy side_output: also an error row). */
  #apply(rec: KafkaRecord, batch: KafkaBatch): string | undefined {
    let intent: Intent;
    try {
      if (this.#plainRows && rec.value !== null) {
        // FORMAT PLAIN without INCLUDE columns (plainIntent's row, without its Intent object).
        batch.rows.push(this.#decoder.decode(rec.value));
        batch.partitions.push(rec.partition);
        if (!batch.firsts.has(rec.partition)) batch.firsts.set(rec.partition, rec.offset);
        return undefined;
      }
      intent = recordIntent(this.spec.format, rec, this.#decoder, this.primaryKey, this.#include);
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      if (this.spec.errorPolicy === 'side_output') batch.errors.push([rec.partition, rec.offset, rec.key, rec.value, e.message]);
      return e.message;
    }
    if (intent.kind === 'Skip') return undefined;
    if (intent.kind === 'Insert') {
      batch.rows.push(intent.row);
      batch.partitions.push(rec.partition);
      if (!batch.firsts.has(rec.partition)) batch.firsts.set(rec.partition, rec.offset);
      return undefined;
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
    return undefined;
  }

  /**
   * PLAIN: stores a batch's accepted rows (`accepted`: `batch.rows` or the ones of them the
   * watermark filter let through, in order): appends each partition's to the source log now, and
   * returns the puts of their pointers for the tick's batch, keyed by the offset of the
   * partition's first record in the batch.
   */
  plainOps(batch: KafkaBatch, accepted: readonly Row[]): KvOp[] {
    const all = accepted === batch.rows || accepted.length === batch.rows.length;
    const keep = all ? undefined : new Set(accepted);
    const byPartition = new Map<number, Row[]>();
    for (let i = 0; i < batch.rows.length; i++) {
      const row = batch.rows[i]!;
      if (keep && !keep.has(row)) continue;
      const p = batch.partitions[i]!;
      let rows = byPartition.get(p);
      if (rows === undefined) byPartition.set(p, (rows = []));
      rows.push(row);
    }
    const ops: KvOp[] = [];
    for (const [p, rows] of byPartition) {
      const first = batch.firsts.get(p)!;
      const at = batch.epoch === 0 ? [p, first] : [p, first, batch.epoch];
      const pointer = this.#sourceLog.append(this.id, encodeRowsAfter(1, rows));
      ops.push({ type: 'put', key: concatBytes(this.#logPrefix, encodeKey(at)), value: encodePointer(pointer) });
    }
    return ops;
  }

  async close(): Promise<void> {
    await this.#reader.close();
  }
}

/**
 * The stored contents of a source as of `reader`: the entries under `t/<id>/` (one row each)
 * and a PLAIN Kafka source's rows in its log at the pointers under `l/<id>/` (`plainOps`).
 */
export async function readSourceContents(reader: KvReader, sourceLog: SourceLog, id: string): Promise<Change[]> {
  const out: Change[] = [];
  // Both hold encodeRow([diff, …row]) lists (one row for an entry under `t/`).
  const add = (bytes: Uint8Array): void => {
    for (const r of decodeRows(bytes)) out.push([r.slice(1), r[0] as number]);
  };
  for await (const chunk of reader.scan(prefixRange(keys.tablePrefix(id)))) {
    for (const [, v] of chunk) add(v);
  }
  const pointers: LogPointer[] = [];
  for await (const chunk of reader.scan(prefixRange(keys.sourceLogPrefix(id)))) {
    for (const [, v] of chunk) pointers.push(decodePointer(v));
  }
  let stored: Uint8Array[];
  try {
    stored = await sourceLog.read(id, pointers);
  } catch (e) {
    throw new SqlError(SqlState.dataCorrupted, 'the stored rows of a source cannot be read', {
      detail: `${(e as Error).message}.`,
      hint: 'The source log under the data directory (source-log/) is missing files or damaged; dropping the source and creating it again reads the topic anew.',
    });
  }
  for (const bytes of stored) add(bytes);
  return out;
}

/** The columns of a Kafka source's `<name>_errors` relation. */
export const KAFKA_ERROR_COLUMNS: Column[] = [
  { name: 'partition', type: { kind: 'int4' }, nullable: true },
  { name: 'offset', type: { kind: 'int8' }, nullable: true },
  { name: 'key', type: { kind: 'bytea' }, nullable: true },
  { name: 'value', type: { kind: 'bytea' }, nullable: true },
  { name: 'reason', type: { kind: 'text' }, nullable: true },
];
