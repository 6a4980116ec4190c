/**
 * SourcePump: the source ticks. Every SOURCE_TICK_MS at most (at once while rows are waiting),
 * one tick takes every generator source's available rows and every Kafka source's polled
 * records, through each stream's watermark filter, into the coordinator's tick (one commit,
 * the sources' new positions in the same batch).
 *
 *   timer ─▶ poll Kafka (outside the lock, long poll) ─▶ lock: poll generators, ingest all,
 *   commit ─▶ (unlocked) wait for the previous source tick's write ─▶ timer
 *
 * One tick at a time: two would poll the same Kafka reader at once. A tick's batch is written
 * behind (Coordinator #commit): the next tick polls and computes while it is written, and waits
 * for the one before, so at most two are in flight. A tick that fails (storing a source's rows
 * failed: a full disk) puts the streams back to the last committed tick, so a Kafka source reads
 * those records again, and the next tick waits 100 ms, doubling up to 5 s while ticks keep
 * failing. The ingest functions below are also what
 * an INSERT into a stream table goes through (Coordinator.commitTick).
 */
import type { Logger } from 'pino';
import type { Change } from '../dataflow/zset.js';
import type { KvOp } from '../storage/kv-store.js';
import type { Row } from '../types/datum.js';
import { backoffMs } from '../util/backoff.js';
import type { Mutex } from '../util/mutex.js';
import type { Catalog } from '../catalog/catalog.js';
import type { RelationItem } from '../catalog/catalog-item.js';
import type { KafkaBatch } from './kafka-ingest.js';
import type { StreamRuntime } from './streams.js';

/**
 * Sources are polled at least this often (ms); a source with more rows waiting is polled again at
 * once. A Kafka source's poll is a long poll of up to this long: its fetch returns as soon as a
 * record arrives, so a record starts its tick on arrival rather than at the next interval.
 */
const SOURCE_TICK_MS = 50;
/** At most this many rows per source per tick. */
const SOURCE_ROWS_PER_TICK = 20_000;
/**
 * At most this many records per Kafka source per tick. Smaller than a generator's: a tick's
 * decoded records then stay in V8's young generation (64 MiB semi-spaces), and through Kafka
 * 5,000-record ticks took 8–23 % less CPU per event than 20,000-record ones (docs/benchmarks.md).
 * Not much smaller either: with 2,000 the server's threads other than the main one (GC helpers,
 * LevelDB) used 0.46 instead of 0.34 of a core at 107,000 events/s in the freshness benchmark,
 * at the same rate of ticks (probably: a Fetch response holds up to 1 MiB per partition, ~3,000
 * Nexmark records, and the part a tick leaves in the reader lives on into the next one).
 */
export const KAFKA_ROWS_PER_TICK = 5_000;

/** What ingestion needs of the coordinator. */
export interface IngestHost {
  readonly catalog: Catalog;
  /** Adds a table's changes to the tick's ops (its stored contents). */
  storeTable(table: RelationItem, changes: Change[], ops: KvOp[]): Promise<void>;
}

/** What the pump needs of the coordinator: its lock, its streams, and its tick. */
export interface PumpHost extends IngestHost {
  readonly lock: Mutex;
  readonly log: Logger;
  closed(): boolean;
  /** Benchmarks: sources are not polled while paused. */
  paused(): boolean;
  streams(): Iterable<StreamRuntime>;
  stream(id: string): StreamRuntime | undefined;
  /** Under the lock, first: rebuilds the in-memory state if an earlier tick's write failed. */
  recoverFailedWrite(): Promise<void>;
  /**
   * Under the lock: puts the in-memory state back to the last committed tick (operators, the
   * streams' watermarks and positions; a Kafka source reads its records again from there).
   */
  rollback(): Promise<void>;
  /** Under the lock: the tick's deltas through every dataflow, its batch issued. */
  commit(deltas: Map<string, Change[]>, ops: KvOp[]): Promise<{ durable: Promise<void> }>;
  /** After a source tick's batch is written (benchmarks). */
  sourceTickDone(tick: { ms: number; rows: number }): void;
}

export class SourcePump {
  readonly #host: PumpHost;
  #timer: NodeJS.Timeout | undefined;
  #pumping = false;
  #again = false;
  /** The tick running now, if any (awaited by stop). */
  #run: Promise<void> | undefined;
  /** The last tick's write (with its report); never rejects. */
  #durable: Promise<void> = Promise.resolve();
  /** A Kafka source returned a full batch: the next poll does not wait. */
  #kafkaBacklog = false;
  /** Source ticks failed in a row (the next one waits longer: 100 ms doubling up to 5 s). */
  #failures = 0;

  constructor(host: PumpHost) {
    this.#host = host;
  }

  /** Runs a source tick after `delayMs` (0: as soon as the running one ends), if any source has rows to give. */
  schedule(delayMs: number): void {
    if (this.#pumping) {
      if (delayMs === 0) this.#again = true;
      return;
    }
    if (this.#host.closed() || this.#timer !== undefined) return;
    if (![...this.#host.streams()].some((s) => (s.generator !== null && !s.exhausted) || s.kafka !== null)) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run = this.#tick();
    }, delayMs);
  }

  /** No more ticks; resolves when the running one and its write are done. Call once the host reports closed. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#run;
    await this.#durable;
  }

  async #tick(): Promise<void> {
    const host = this.#host;
    this.#pumping = true;
    const pumpStarted = performance.now();
    let more = false;
    let arrived = false;
    try {
      // Kafka is polled outside the lock: a network wait must not hold up writers. Every Kafka
      // source long-polls (in parallel) for up to SOURCE_TICK_MS, none while a backlog is read.
      const kafka = new Map<string, KafkaBatch>();
      const readers = host.closed() || host.paused() ? [] : [...host.streams()].filter((rt) => rt.kafka !== null);
      const waitMs = this.#kafkaBacklog ? 0 : SOURCE_TICK_MS;
      const batches = await Promise.all(readers.map((rt) => rt.kafka!.poll(KAFKA_ROWS_PER_TICK, waitMs)));
      this.#kafkaBacklog = false;
      readers.forEach((rt, i) => {
        const b = batches[i]!;
        if (b.problem !== rt.problem) host.log.warn({ source: rt.item.name, status: b.problem ?? 'running' }, 'kafka source status');
        rt.problem = b.problem;
        if (b.records >= KAFKA_ROWS_PER_TICK) more = this.#kafkaBacklog = true;
        if (b.records > 0 || b.errors.length > 0) {
          arrived = true;
          kafka.set(rt.item.id, b);
        }
      });
      let committed: { durable: Promise<void> } | undefined;
      let started = 0;
      let polled = 0;
      await host.lock.run(async () => {
        if (host.closed() || host.paused()) return;
        await host.recoverFailedWrite();
        started = performance.now();
        const now = Date.now();
        const deltas = new Map<string, Change[]>();
        const ops: KvOp[] = [];
        let any = false;
        const ingested: StreamRuntime[] = [];
        try {
          for (const rt of host.streams()) {
            if (!rt.generator || rt.exhausted) continue;
            const before = rt.position;
            const rows = rt.poll(now, SOURCE_ROWS_PER_TICK);
            if (rt.position === before) continue;
            any = true;
            if (rt.position - before >= SOURCE_ROWS_PER_TICK) more = true;
            polled += rows.length;
            ingested.push(rt);
            await ingestRows(host, rt, rows, deltas, ops);
          }
          for (const [id, batch] of kafka) {
            const rt = host.stream(id);
            if (!rt?.kafka || rt.kafka.stale(batch)) continue; // dropped, or rewound by a failed tick, meanwhile
            any = true;
            polled += batch.records;
            ingested.push(rt);
            await ingestKafka(host, rt, batch, deltas, ops);
          }
        } catch (e) {
          // Ingesting failed (the source log's disk full, say): the streams moved on in memory,
          // the tick did not. Back to the last committed tick, so nothing is skipped.
          await host.rollback();
          for (const rt of ingested) rt.tickFailure = `could not store the tick: ${(e as Error).message}`;
          throw e;
        }
        if (!any) return;
        committed = await host.commit(deltas, ops);
        for (const rt of ingested) rt.tickFailure = undefined;
      });
      if (committed) {
        const previous = this.#durable;
        const rows = polled;
        this.#durable = committed.durable.then(
          () => host.sourceTickDone({ ms: performance.now() - started, rows }),
          () => undefined, // logged by the commit; the next tick recovers
        );
        await previous;
      }
      this.#failures = 0;
    } catch (e) {
      this.#failures++;
      host.log.error({ err: e, failures: this.#failures }, 'source tick failed');
    }
    this.#pumping = false;
    const again = more || arrived || this.#again;
    this.#again = false;
    // Records arrived: long-poll again at once. Otherwise the next tick comes SOURCE_TICK_MS
    // after this one started (the long poll took that already, unless a source returned at
    // once: broker away, backing off, no Kafka source).
    if (this.#failures > 0) this.schedule(backoffMs(this.#failures, 5000));
    else this.schedule(again ? 0 : Math.max(0, SOURCE_TICK_MS - (performance.now() - pumpStarted)));
  }
}

/** A stream's new rows: late ones split off (to its `_late` table or dropped), accepted ones become its delta. */
export async function ingestRows(host: IngestHost, rt: StreamRuntime, rows: Row[], deltas: Map<string, Change[]>, ops: KvOp[]): Promise<void> {
  const { accepted, late } = rt.split(rows);
  const item = rt.item;
  if (accepted.length > 0) {
    const changes: Change[] = accepted.map((r) => [r, 1]);
    // A generator's rows are not stored: its history is generated again when read.
    if (!rt.generator) await host.storeTable(item, changes, ops);
    addDelta(deltas, item.id, changes);
  }
  await storeLate(host, rt, late, deltas, ops);
  ops.push(rt.progressOp());
}

/**
 * A Kafka source's polled batch: PLAIN rows through the watermark filter (accepted ones
 * stored per tick and partition), UPSERT / DEBEZIUM changes as they are, undecodable
 * records into `<source>_errors`, and the new positions in the progress record.
 */
export async function ingestKafka(host: IngestHost, rt: StreamRuntime, batch: KafkaBatch, deltas: Map<string, Change[]>, ops: KvOp[]): Promise<void> {
  const item = rt.item;
  if (batch.rows.length > 0) {
    const { accepted, late } = rt.split(batch.rows, batch.partitions);
    for (const op of rt.kafka!.plainOps(batch, accepted)) ops.push(op);
    if (accepted.length > 0) addDelta(deltas, item.id, accepted.map((r): Change => [r, 1]));
    await storeLate(host, rt, late, deltas, ops);
  }
  if (batch.changes.length > 0) {
    rt.rows += batch.changes.filter((c) => c[1] > 0).length;
    for (const op of batch.ops) ops.push(op);
    addDelta(deltas, item.id, batch.changes);
  }
  const errorsId = item.stream?.errorsTableId;
  if (batch.errors.length > 0 && errorsId) {
    const changes: Change[] = batch.errors.map((r) => [r, 1]);
    await host.storeTable(host.catalog.get(errorsId) as RelationItem, changes, ops);
    addDelta(deltas, errorsId, changes);
  }
  ops.push(rt.progressOp());
}

/** Late rows into the stream's `_late` table, when it has one (otherwise they were only counted). */
async function storeLate(host: IngestHost, rt: StreamRuntime, late: Row[], deltas: Map<string, Change[]>, ops: KvOp[]): Promise<void> {
  const lateId = rt.item.stream?.lateTableId;
  if (late.length === 0 || !lateId) return;
  const changes: Change[] = late.map((r) => [r, 1]);
  await host.storeTable(host.catalog.get(lateId) as RelationItem, changes, ops);
  addDelta(deltas, lateId, changes);
}

function addDelta(deltas: Map<string, Change[]>, id: string, changes: Change[]): void {
  const prev = deltas.get(id);
  deltas.set(id, prev ? prev.concat(changes) : changes);
}
