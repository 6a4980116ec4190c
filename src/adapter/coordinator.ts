/**
 * Coordinator: owns the store, the catalog and the dataflows of the materialized views, and
 * runs ticks (DESIGN §3). A tick takes the table changes of one write statement or
 * transaction, pushes them through every affected dataflow in catalog order (a view's inputs
 * always come before it), and commits table data, operator state, view contents, view errors
 * and the tick number in ONE batch. Writers run one at a time under `lock`; readers take a
 * snapshot of the last committed tick and never wait.
 *
 * If anything fails inside a tick before the batch is written, the in-memory operator state
 * may be ahead of the store, so every dataflow is rebuilt from the store (lazily reloaded).
 * Source ticks (generators, Kafka) are driven by the SourcePump (source-pump.ts) through the
 * same commit; a clock tick steps views with temporal filters once a second.
 *
 * Read top to bottom: opening and closing; the tick (`commitTick`, `#commit`, `#propagate`,
 * recovery, the clock); DDL; dataflows; reads. Its parts with a concept of their own live
 * beside it: stored-collections.ts (storage keys, reads and writes of stored entries),
 * maintained-dataflows.ts (the dataflows kept running), view-error-counts.ts (which views are
 * erroring) and plan-properties.ts (append-only, watermark columns).
 */
import type { Logger } from 'pino';
import type { Change } from '../dataflow/zset.js';
import { buildDataflow, type Dataflow, type ErrorChange } from '../render/build-dataflow.js';
import type { EvalContext, SessionInfo } from '../plan/functions/function-impl.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { KvOp, KvReader, KvSnapshot, KvStore } from '../storage/kv-store.js';
import { keys, prefixRange } from '../storage/key-layout.js';
import type { SourceLog } from '../storage/source-log.js';
import type { Datum, Row } from '../types/datum.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { Mutex } from '../util/mutex.js';
import { Catalog } from '../catalog/catalog.js';
import type { RelationItem, SinkItem } from '../catalog/catalog-item.js';
import { applyErrorChanges, consolidateErrors, readViewErrors } from './collections.js';
import { planViewDataflow } from './view-plan.js';
import { uniqueKey } from '../plan/unique-keys.js';
import { sameWatermarks, type Watermarks } from '../dataflow/watermark.js';
import { StreamRuntime } from './streams.js';
import { ingestRows, SourcePump, type IngestHost } from './source-pump.js';
import { createTickSink, type TickSink } from './tick-sink.js';
import { processingTimeProblem } from '../plan/processing-time.js';
import { lowerPlan } from '../plan/lower/lower-plan.js';
import { StoredKeyBounds } from './stored-key-bounds.js';
import { StoredCollections } from './stored-collections.js';
import { ViewErrorCounts } from './view-error-counts.js';
import { appendOnlyInput, appendOnlyPlan, watermarkColumnsOfPlan } from './plan-properties.js';
import { MaintainedDataflows, type DataflowItem } from './maintained-dataflows.js';

/** How often views with a temporal filter are stepped when nothing else happens (ms). */
const CLOCK_TICK_MS = 1000;

/** A tick applied in memory with its batch issued; `durable` settles when the batch is written (rejects with 58030 if not). */
export interface Committed {
  tick: number;
  durable: Promise<void>;
}

/**
 * Told of every committed tick once its batch is durable (SUBSCRIBE), in tick order. By then
 * the next tick may already be in progress (ticks are written behind, see `#commit`), so the
 * listener gets that tick's watermarks and erroring views. It must only take note, never wait
 * or throw.
 */
export interface TickListener {
  /** `deltas`: the changes of every table, source and materialized view the tick changed. */
  committed(tick: number, deltas: ReadonlyMap<string, Change[]>, watermarks: ReadonlyMap<string, Watermarks>, erroring: ReadonlySet<string>): void;
  /** Items were dropped (called before they leave the catalog). */
  dropped(ids: readonly string[]): void;
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

export class Coordinator {
  readonly lock = new Mutex();
  readonly catalog: Catalog;
  /** The dataflows of the materialized views and sinks. */
  readonly #dataflows: MaintainedDataflows;
  /** Storage keys, reads and writes of tables', sources' and views' entries. */
  readonly #stored: StoredCollections;
  /** Error counts of the views, as of the last commit. */
  readonly #errors = new ViewErrorCounts();
  /** Upper bounds of the keyed tables' stored keys: the primary-key check skips reads above them. */
  readonly keyBounds: StoredKeyBounds;
  #tick = 0;
  /** Sources and stream tables: watermark filters, generators, positions. */
  readonly #streams = new Map<string, StreamRuntime>();
  /** Column watermarks of every collection that has some, as of the last commit. */
  #watermarks = new Map<string, Watermarks>();
  /** After a start, the first tick runs every dataflow once so view watermarks are derived again. */
  #runAll = true;
  /** The source ticks (source-pump.ts). */
  readonly #pump: SourcePump;
  readonly #ingestHost: IngestHost;
  #clockTimer: NodeJS.Timeout | undefined;
  /** Kafka and filesystem sinks: their outboxes and senders. */
  readonly #sinks = new Map<string, TickSink>();
  /** Set for a clock tick: time-dependent dataflows step even without input. */
  #clockTick = false;
  #closed = false;
  /** A tick's write failed; the next tick rebuilds the in-memory state first. */
  #writeFailed = false;
  readonly #tickListeners = new Set<TickListener>();
  /** SUBSCRIBE: rows of changes kept for a client that does not read them before its subscription ends (subscription.ts). */
  subscribeBufferRows = 100_000;
  /** Benchmarks: while true, sources are not polled (so every source starts at once). */
  sourcesPaused = false;
  /** Benchmarks: called after each source tick commits, with its duration and the rows it ingested. */
  onSourceTick: ((tick: { ms: number; rows: number }) => void) | undefined;

  private constructor(
    readonly store: KvStore,
    /** Where PLAIN Kafka sources keep their rows (the store keeps pointers to them). */
    readonly sourceLog: SourceLog,
    readonly log: Logger,
    catalog: Catalog,
  ) {
    this.catalog = catalog;
    this.keyBounds = new StoredKeyBounds(store);
    this.#stored = new StoredCollections(store, sourceLog, catalog, this.#streams);
    this.#dataflows = new MaintainedDataflows(store, catalog, this.#stored, () => this.evalContext(), log);
    this.#ingestHost = { catalog, storeTable: (table, changes, ops) => this.#stored.storeTable(table, changes, ops) };
    this.#pump = new SourcePump({
      ...this.#ingestHost,
      lock: this.lock,
      log,
      closed: () => this.#closed,
      paused: () => this.sourcesPaused,
      streams: () => this.#streams.values(),
      stream: (id) => this.#streams.get(id),
      recoverFailedWrite: () => this.#recoverFailedWrite(),
      rollback: () => this.#recover(),
      commit: (deltas, ops) => this.#commit(deltas, ops),
      sourceTickDone: (tick) => this.onSourceTick?.(tick),
    });
  }

  static async open(store: KvStore, sourceLog: SourceLog, log: Logger, loadCatalog: (c: Coordinator) => Promise<void>): Promise<Coordinator> {
    const nextIdBytes = await store.get(keys.nextId);
    const catalog = new Catalog(nextIdBytes ? Number(utf8d.decode(nextIdBytes)) : 1);
    const c = new Coordinator(store, sourceLog, log, catalog);
    const tickBytes = await store.get(keys.tick);
    c.#tick = tickBytes ? Number(utf8d.decode(tickBytes)) : 0;
    await loadCatalog(c);
    // The logs of sources whose DROP a crash interrupted.
    await sourceLog.retain(new Set(catalog.items().map((i) => i.id)));
    await c.#errors.load(store);
    for (const item of catalog.relations()) {
      if (item.stream) await c.#addStream(item);
    }
    for (const item of c.#dataflows.items()) {
      c.#dataflows.set(item.id, c.#dataflows.build(item));
      if (item.kind === 'sink') c.#addSink(item);
    }
    log.info({ tick: c.#tick, items: catalog.items().length }, 'catalog loaded');
    void c.#dataflows.warmAll();
    c.#pump.schedule(0);
    c.#scheduleClock();
    return c;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#clockTimer !== undefined) clearTimeout(this.#clockTimer);
    this.#clockTimer = undefined;
    await this.#pump.stop();
    await this.lock.run(async () => {
      await this.store.settle();
      for (const rt of this.#streams.values()) await rt.kafka?.close().catch(() => undefined);
      for (const s of this.#sinks.values()) await s.close();
      await this.store.close();
      await this.sourceLog.close();
    });
  }

  get tick(): number {
    return this.#tick;
  }

  /** The column watermarks of every collection that has some, as of the last commit. */
  get watermarks(): ReadonlyMap<string, Watermarks> {
    return this.#watermarks;
  }

  /** How many tick listeners (subscriptions) are registered (tests). */
  get tickListenerCount(): number {
    return this.#tickListeners.size;
  }

  /** Registers a listener of committed ticks (call under `lock` to start at a known tick); returns its removal. */
  onTick(listener: TickListener): () => void {
    this.#tickListeners.add(listener);
    return () => this.#tickListeners.delete(listener);
  }

  // The tick: changes through every dataflow, one batch, written behind; recovery after a failure.

  /**
   * Commits one tick: table changes (already validated: keys unique, NOT NULL) flow through
   * every dependent view; `extraOps` (catalog entries) join the same batch. Call under `lock`.
   * Returns once the tick is applied in memory and its batch issued; `durable` settles when
   * the batch is written (acknowledge the writer only then).
   */
  async commitTick(tableChanges: ReadonlyMap<string, Change[]>, extraOps: KvOp[] = []): Promise<Committed> {
    await this.#recoverFailedWrite();
    const ops: KvOp[] = [...extraOps];
    const deltas = new Map<string, Change[]>();
    try {
      for (const [tableId, changes] of tableChanges) {
        if (changes.length === 0) continue;
        const table = this.catalog.get(tableId) as RelationItem;
        const rt = this.#streams.get(tableId);
        if (rt) {
          // A stream table: append-only (checked when planned), rows in arrival order through its watermark filter.
          const rows: Row[] = [];
          for (const [row, diff] of changes) for (let k = 0; k < diff; k++) rows.push(row);
          await ingestRows(this.#ingestHost, rt, rows, deltas, ops);
          continue;
        }
        await this.#stored.storeTable(table, changes, ops);
        deltas.set(tableId, changes);
      }
    } catch (e) {
      await this.#recover();
      throw e;
    }
    return this.#commit(deltas, ops);
  }

  /**
   * The rest of a tick: the deltas through every dataflow, then everything in one batch.
   * On failure the in-memory state (operators, streams) is rebuilt from the store.
   *
   * Write-behind: the batch is issued, not awaited, so the caller can release the lock and the
   * next tick can run while LevelDB writes this one (the store applies writes in order, and
   * reads and snapshots begun after the call see it). `durable` settles when it is written;
   * writers are acknowledged, sinks kicked and tick listeners told only then. If the write
   * fails, every tick issued after it fails too, and the next tick first rebuilds the
   * in-memory state from the store (`#recoverFailedWrite`).
   */
  async #commit(deltas: Map<string, Change[]>, ops: KvOp[]): Promise<Committed> {
    let tick: number;
    let durable: Promise<void>;
    try {
      const errorDeltas = new Map<string, number>();
      const watermarks = this.#nextWatermarks(deltas.keys());
      await this.#propagate(deltas, ops, errorDeltas, watermarks);
      tick = ++this.#tick;
      ops.push({ type: 'put', key: keys.tick, value: utf8.encode(String(tick)) });
      durable = this.store.write(ops);
      for (const id of deltas.keys()) this.#stored.changed(id);
      this.#watermarks = watermarks.all;
      this.#runAll = false;
      this.#errors.note(errorDeltas);
    } catch (e) {
      await this.#recover();
      throw e;
    }
    const tickWatermarks = this.#watermarks;
    const erroring = this.#errors.erroring;
    durable = durable.then(
      () => {
        for (const s of this.#sinks.values()) s.kick();
        for (const l of this.#tickListeners) l.committed(tick, deltas, tickWatermarks, erroring);
      },
      (e: unknown) => {
        this.#writeFailed = true;
        this.log.error({ err: e, tick }, 'tick write failed');
        throw new SqlError(SqlState.ioError, 'could not write the tick to storage', { detail: `Tick ${tick} was not committed: ${e instanceof Error ? e.message : String(e)}.` });
      },
    );
    return { tick, durable };
  }

  /**
   * Pushes the tick's changes through every dataflow in catalog order. A view's errors flow
   * on to the views built on it (their error collections include their inputs' errors).
   */
  async #propagate(
    deltas: Map<string, Change[]>,
    ops: KvOp[],
    errorDeltas: Map<string, number>,
    watermarks: { all: Map<string, Watermarks>; changed: Set<string> },
  ): Promise<void> {
    if (deltas.size === 0 && watermarks.changed.size === 0 && !this.#runAll && !this.#clockTick) return;
    const errDeltas = new Map<string, ErrorChange[]>();
    for (const item of this.#dataflows.items()) {
      const df = this.#dataflows.get(item.id);
      if (!df) continue;
      const inputs = new Map<string, Change[]>();
      const inputErrs: ErrorChange[] = [];
      for (const id of df.inputIds) {
        const d = deltas.get(id);
        if (d && d.length > 0) inputs.set(id, d);
        for (const e of errDeltas.get(id) ?? []) inputErrs.push(e);
      }
      const wmMoved = df.inputIds.some((id) => watermarks.changed.has(id));
      const clock = this.#clockTick && df.timeDependent;
      if (inputs.size === 0 && inputErrs.length === 0 && !wmMoved && !this.#runAll && !clock) continue;
      const out =
        inputs.size > 0 || wmMoved || this.#runAll || clock
          ? await df.step(inputs, ops, watermarks.all)
          : { oks: [], errs: [], watermarks: watermarks.all.get(item.id) };
      if (!sameWatermarks(out.watermarks, watermarks.all.get(item.id))) {
        if (out.watermarks) watermarks.all.set(item.id, out.watermarks);
        else watermarks.all.delete(item.id);
        watermarks.changed.add(item.id);
      }
      if (item.kind === 'sink') {
        // blackhole: the changes go nowhere; kafka, filesystem: into the outbox, in this tick's batch.
        const sink = this.#sinks.get(item.id);
        if (sink) for (const op of sink.outboxOps(this.#tick + 1, out.oks, out.watermarks)) ops.push(op);
        continue;
      }
      if (out.oks.length > 0) {
        if (!df.storesOutput) await this.#stored.applyViewChanges(item.id, out.oks, ops);
        deltas.set(item.id, out.oks);
      }
      const errs = consolidateErrors([...out.errs, ...inputErrs]);
      if (errs.length > 0) errDeltas.set(item.id, errs);
      const d = await applyErrorChanges(this.store, item.id, errs, ops);
      if (d !== 0) errorDeltas.set(item.id, d);
    }
  }

  /** The streams' watermarks after this tick's ingestion, and which collections' moved. */
  #nextWatermarks(_ids: Iterable<string>): { all: Map<string, Watermarks>; changed: Set<string> } {
    const all = new Map(this.#watermarks);
    const changed = new Set<string>();
    for (const [id, rt] of this.#streams) {
      const w = rt.watermarks();
      if (!w) continue;
      if (!sameWatermarks(w, all.get(id))) changed.add(id);
      all.set(id, w);
    }
    return { all, changed };
  }

  /**
   * After a failed write (see `#commit`): waits for the writes still in flight, then rebuilds
   * the in-memory state from the store and takes its tick number back. Call under `lock`.
   */
  async #recoverFailedWrite(): Promise<void> {
    if (!this.#writeFailed) return;
    await this.store.settle();
    this.#writeFailed = false;
    const tickBytes = await this.store.get(keys.tick);
    this.#tick = tickBytes ? Number(utf8d.decode(tickBytes)) : 0;
    await this.#recover();
  }

  async #recover(): Promise<void> {
    this.#dataflows.rebuildAll();
    for (const rt of this.#streams.values()) {
      await rt.load(this.store);
      if (rt.kafka) await rt.kafka.rewind(rt.kafkaPositions, this.store);
    }
  }

  /** Steps the views with temporal filters once a second, so rows enter and leave them as time passes. */
  #scheduleClock(): void {
    if (this.#closed || this.#clockTimer !== undefined) return;
    if (!this.#dataflows.anyTimeDependent()) return;
    this.#clockTimer = setTimeout(() => {
      this.#clockTimer = undefined;
      void this.lock
        .run(async () => {
          if (this.#closed) return;
          this.#clockTick = true;
          try {
            await this.#recoverFailedWrite();
            await (await this.#commit(new Map(), [])).durable;
          } finally {
            this.#clockTick = false;
          }
        })
        .catch((e: unknown) => this.log.error({ err: e }, 'clock tick failed'))
        .finally(() => this.#scheduleClock());
    }, CLOCK_TICK_MS);
  }

  // DDL: each item's dataflow, stream or sink registered with its catalog entry (one tick or write).

  /**
   * Creates a materialized view: builds its dataflow, hydrates it from the current contents
   * of its inputs, and commits state, contents and the catalog entry in one tick. Call under `lock`.
   */
  async createMaterializedView(item: DataflowItem, catalogOps: KvOp[]): Promise<void> {
    await this.#recoverFailedWrite();
    this.catalog.add(item);
    try {
      const emitOnWindowClose = item.kind === 'materialized-view' && item.emitOnWindowClose === true;
      const problem = processingTimeProblem(lowerPlan(planViewDataflow(item, this.catalog)).root, (id) => appendOnlyInput(this.catalog, id), emitOnWindowClose);
      if (problem) throw problem;
      const df = this.#dataflows.build(item);
      const inputs = new Map<string, Change[]>();
      let rows = 0;
      for (const id of df.inputIds) {
        const changes = await this.readCollection(this.store, id);
        rows += changes.length;
        inputs.set(id, changes);
        this.log.info({ view: item.name, input: id, rows: changes.length }, 'hydrating: read input');
      }
      const started = Date.now();
      const ops: KvOp[] = [...catalogOps];
      const out = await df.step(inputs, ops, this.#watermarks);
      if (out.watermarks) this.#watermarks.set(item.id, out.watermarks);
      if (item.kind === 'materialized-view' && !df.storesOutput) await this.#stored.applyViewChanges(item.id, out.oks, ops);
      const sink = item.kind === 'sink' ? this.#newSink(item) : undefined;
      if (sink) for (const op of sink.outboxOps(this.#tick + 1, out.oks, out.watermarks)) ops.push(op);
      const inputErrs: ErrorChange[] = [];
      for (const id of df.inputIds) if (this.catalog.get(id)?.kind === 'materialized-view') inputErrs.push(...(await readViewErrors(this.store, id)));
      const errs = await applyErrorChanges(this.store, item.id, [...out.errs, ...inputErrs], ops);
      this.#tick++;
      ops.push({ type: 'put', key: keys.tick, value: utf8.encode(String(this.#tick)) });
      await this.store.write(ops);
      this.#stored.changed(item.id);
      this.#errors.note(new Map(errs !== 0 ? [[item.id, errs]] : []));
      this.#dataflows.set(item.id, df);
      if (sink) {
        this.#sinks.set(item.id, sink);
        sink.kick();
      }
      this.#scheduleClock();
      this.log.info({ view: item.name, inputRows: rows, outputRows: out.oks.length, ms: Date.now() - started }, 'hydrated');
    } catch (e) {
      this.catalog.remove(item.id);
      throw e;
    }
  }

  /** Registers a new source or stream table (its catalog entry is in `ops`) and starts polling it. Call under `lock`. */
  async createStream(item: RelationItem, ops: KvOp[], parts: RelationItem[] = []): Promise<void> {
    await this.#recoverFailedWrite();
    this.catalog.add(item);
    for (const p of parts) this.catalog.add(p);
    try {
      const rt = await this.#addStream(item);
      await this.store.write([...ops, rt.progressOp()]);
    } catch (e) {
      void this.#streams.get(item.id)?.kafka?.close();
      this.#streams.delete(item.id);
      this.catalog.remove(item.id);
      for (const p of parts) this.catalog.remove(p.id);
      throw e;
    }
    this.#pump.schedule(0);
  }

  async #addStream(item: RelationItem): Promise<StreamRuntime> {
    const rt = StreamRuntime.create(item, this.catalog, this.sourceLog, this.log);
    await rt.load(this.store);
    rt.startPacing(Date.now());
    if (rt.kafka) await rt.kafka.start(this.store, rt.kafkaPositions);
    this.#streams.set(item.id, rt);
    const w = rt.watermarks();
    if (w) this.#watermarks.set(item.id, w);
    return rt;
  }

  /** A sink's sender (none for blackhole); it sends what its outbox holds from an earlier run at once. */
  #addSink(item: SinkItem): void {
    const sink = this.#newSink(item);
    if (!sink) return;
    this.#sinks.set(item.id, sink);
    sink.kick();
  }

  #newSink(item: SinkItem): TickSink | undefined {
    return createTickSink(item, this.catalog, () => uniqueKey(planViewDataflow(item, this.catalog), (id) => this.#stored.uniqueStorageKey(id)), this.store, this.log);
  }

  /** Removes items (already checked for dependents) and their stored data. Call under `lock`. */
  async dropItems(ids: string[]): Promise<void> {
    await this.#recoverFailedWrite();
    const ops: KvOp[] = ids.flatMap((id): KvOp[] => [
      { type: 'del', key: keys.catalogItem(id) },
      { type: 'del', key: keys.sourceProgress(id) },
    ]);
    await this.store.write(ops);
    for (const l of this.#tickListeners) l.dropped(ids);
    for (const id of ids) {
      void this.#streams.get(id)?.kafka?.close();
      this.#streams.delete(id);
      void this.#sinks.get(id)?.close();
      this.#sinks.delete(id);
      this.#watermarks.delete(id);
    }
    for (const id of ids) {
      this.#stored.forget(id);
      this.catalog.remove(id);
      this.#dataflows.delete(id);
    }
    this.#errors.note(new Map(ids.map((id) => [id, -this.#errors.count(id)])));
    // Ids are never reused, so clearing the data after the catalog entry is gone is safe
    // even if a crash interrupts it: what remains is unreachable.
    for (const id of ids) {
      for (const prefix of [keys.tablePrefix(id), keys.sourceLogPrefix(id), keys.statePrefix(id), keys.viewPrefix(id), keys.viewErrorPrefix(id), utf8.encode(`o/${id}/`)]) {
        await this.#clear(prefix);
      }
      await this.sourceLog.drop(id);
    }
  }

  async #clear(prefix: Uint8Array): Promise<void> {
    for await (const chunk of this.store.scan(prefixRange(prefix))) {
      await this.store.write(chunk.map(([key]) => ({ type: 'del', key })));
    }
  }

  // Dataflows: the maintained ones (maintained-dataflows.ts), one-shot ones for SELECT, the time they see.

  /** The dataflow maintaining a materialized view (benchmarks and tests). */
  dataflowFor(viewId: string): Dataflow {
    const df = this.#dataflows.get(viewId);
    if (!df) throw new Error(`no dataflow for ${viewId}`);
    return df;
  }

  /** Runs a one-shot dataflow (no persisted state) over the given inputs. */
  async runOneShot(plan: LogicalPlan, inputs: ReadonlyMap<string, Change[]>, session?: SessionInfo): Promise<Change[]> {
    const df = buildDataflow(plan, { id: 'oneshot', state: null, evalContext: () => this.evalContext(session) });
    const out = await df.step(inputs, []);
    if (out.errs.length > 0) {
      const [err] = out.errs[0]!;
      throw new SqlError(err.code, err.message);
    }
    return out.oks;
  }

  /** The context scalar functions see; `session` for statements a session runs (catalog functions). */
  evalContext(session?: SessionInfo): EvalContext {
    const now = Math.round((performance.timeOrigin + performance.now()) * 1000);
    return session ? { now, timeZone: 'UTC', session } : { now, timeZone: 'UTC' };
  }

  // Reads (stored-collections.ts) and introspection: they never wait for a writer.

  snapshot(): KvSnapshot {
    return this.store.snapshot();
  }

  /**
   * The views whose error collection is not empty as of the last commit. Taken together
   * with `snapshot()` (both synchronous) it describes the same tick.
   */
  viewsWithErrors(): ReadonlySet<string> {
    return this.#errors.erroring;
  }

  /** The columns a collection's stored entries are keyed by, in order: primary key, unique key, or the whole row. */
  storageKey(id: string): number[] | undefined {
    return this.#stored.storageKey(id);
  }

  /** The entries of a table or materialized view whose leading key columns equal `values` (a point read when they cover the key). */
  readKeyPrefix(reader: KvReader, id: string, values: Datum[]): Promise<Change[]> {
    return this.#stored.readKeyPrefix(reader, id, values);
  }

  /** The current contents of a table, source or materialized view, as changes. */
  readCollection(reader: KvReader, id: string): Promise<Change[]> {
    return this.#stored.readCollection(reader, id);
  }

  /** The live state of a source or stream table (introspection, tests). */
  stream(id: string): StreamRuntime | undefined {
    return this.#streams.get(id);
  }

  /** A Kafka or filesystem sink's status (weir_sink_stats); undefined for a blackhole sink. */
  sinkStatus(id: string): string | undefined {
    return this.#sinks.get(id)?.status();
  }

  /** Whether a plan only ever inserts (a FORMAT PLAIN sink needs it; plan-properties.ts). */
  appendOnlyPlan(plan: LogicalPlan): boolean {
    return appendOnlyPlan(this.catalog, plan);
  }

  /** The columns of a plan's output that carry a watermark (plan-properties.ts). */
  watermarkColumnsOfPlan(plan: LogicalPlan): Set<number> {
    return watermarkColumnsOfPlan(this.catalog, plan);
  }
}
