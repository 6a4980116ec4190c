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
 */
import type { Logger } from 'pino';
import type { Change } from '../dataflow/zset.js';
import { buildDataflow, type Dataflow, type ErrorChange } from '../render/build-dataflow.js';
import type { EvalContext, SessionInfo } from '../plan/functions/function-impl.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { KvOp, KvReader, KvSnapshot, KvStore } from '../storage/kv-store.js';
import { concatBytes, keys, prefixRange } from '../storage/key-layout.js';
import type { Datum } from '../types/datum.js';
import { encodeKey } from '../types/key-codec.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { Mutex } from '../util/mutex.js';
import { Catalog } from '../catalog/catalog.js';
import type { RelationItem } from '../catalog/catalog-item.js';
import { applyChanges, applyErrorChanges, applyKeyedChanges, consolidateErrors, countViewErrors, decodeEntry, encodeEntry, readViewErrors, readRange, readTable, readView, tableEntryKey, viewEntryKey } from './collections.js';
import { planViewDataflow } from './view-plan.js';
import { PointCache } from './point-cache.js';
import { uniqueKey } from '../plan/unique-keys.js';
import type { Row } from '../types/datum.js';
import { sameWatermarks, type Watermarks } from '../dataflow/watermark.js';
import type { SinkItem } from '../catalog/catalog-item.js';
import { StreamRuntime } from './streams.js';
import { readSourceContents } from './kafka-ingest.js';
import { ingestRows, SourcePump, type IngestHost } from './source-pump.js';
import { createTickSink, type TickSink } from './tick-sink.js';
import { appendOnly } from '../plan/physical/append-only.js';
import { processingTimeProblem } from '../plan/processing-time.js';
import { lowerPlan } from '../plan/lower/lower-plan.js';
import { watermarkColumns } from '../plan/physical/watermark-columns.js';
import { StoredKeyBounds } from './stored-key-bounds.js';

/** How often views with a temporal filter are stepped when nothing else happens (ms). */
const CLOCK_TICK_MS = 1000;

/**
 * Told of every committed tick once its batch is durable (SUBSCRIBE), in tick order. By then
 * the next tick may already be in progress (ticks are written behind, see `#commit`), so the
 * listener gets that tick's watermarks and erroring views. It must only take note, never wait
 * or throw.
 */
/** A tick applied in memory with its batch issued; `durable` settles when the batch is written (rejects with 58030 if not). */
export interface Committed {
  tick: number;
  durable: Promise<void>;
}

export interface TickListener {
  /** `deltas`: the changes of every table, source and materialized view the tick changed. */
  committed(tick: number, deltas: ReadonlyMap<string, Change[]>, watermarks: ReadonlyMap<string, Watermarks>, erroring: ReadonlySet<string>): void;
  /** Items were dropped (called before they leave the catalog). */
  dropped(ids: readonly string[]): void;
}

/** An item that runs a dataflow: a materialized view (contents stored) or a sink (changes leave). */
type DataflowItem = RelationItem | SinkItem;

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

export class Coordinator {
  readonly lock = new Mutex();
  readonly catalog: Catalog;
  #dataflows = new Map<string, Dataflow>();
  #viewKeys = new Map<string, number[] | undefined>();
  /** Views whose error collection is not empty, as of the last commit (replaced, never mutated). */
  #erroring: ReadonlySet<string> = new Set();
  #errorCounts = new Map<string, number>();
  readonly #pointCache = new PointCache();
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
    readonly log: Logger,
    catalog: Catalog,
  ) {
    this.catalog = catalog;
    this.keyBounds = new StoredKeyBounds(store);
    this.#ingestHost = { catalog, storeTable: (table, changes, ops) => this.#storeTable(table, changes, ops) };
    this.#pump = new SourcePump({
      ...this.#ingestHost,
      lock: this.lock,
      log,
      closed: () => this.#closed,
      paused: () => this.sourcesPaused,
      streams: () => this.#streams.values(),
      stream: (id) => this.#streams.get(id),
      recoverFailedWrite: () => this.#recoverFailedWrite(),
      commit: (deltas, ops) => this.#commit(deltas, ops),
      sourceTickDone: (tick) => this.onSourceTick?.(tick),
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

  static async open(store: KvStore, log: Logger, loadCatalog: (c: Coordinator) => Promise<void>): Promise<Coordinator> {
    const nextIdBytes = await store.get(keys.nextId);
    const catalog = new Catalog(nextIdBytes ? Number(utf8d.decode(nextIdBytes)) : 1);
    const c = new Coordinator(store, log, catalog);
    const tickBytes = await store.get(keys.tick);
    c.#tick = tickBytes ? Number(utf8d.decode(tickBytes)) : 0;
    await loadCatalog(c);
    c.#errorCounts = await countViewErrors(store);
    c.#erroring = new Set(c.#errorCounts.keys());
    for (const item of catalog.relations()) {
      if (item.stream) await c.#addStream(item);
    }
    for (const item of c.#dataflowItems()) {
      c.#dataflows.set(item.id, c.#build(item));
      if (item.kind === 'sink') c.#addSink(item);
    }
    log.info({ tick: c.#tick, items: catalog.items().length }, 'catalog loaded');
    void c.#warmAll();
    c.#pump.schedule(0);
    c.#scheduleClock();
    return c;
  }

  /** Steps the views with temporal filters once a second, so rows enter and leave them as time passes. */
  #scheduleClock(): void {
    if (this.#closed || this.#clockTimer !== undefined) return;
    if (![...this.#dataflows.values()].some((d) => d.timeDependent)) return;
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

  /** A sink's sender (none for blackhole); it sends what its outbox holds from an earlier run at once. */
  #addSink(item: SinkItem): void {
    const sink = this.#newSink(item);
    if (!sink) return;
    this.#sinks.set(item.id, sink);
    sink.kick();
  }

  #newSink(item: SinkItem): TickSink | undefined {
    return createTickSink(item, this.catalog, () => uniqueKey(planViewDataflow(item, this.catalog), (id) => this.#uniqueStorageKey(id)), this.store, this.log);
  }

  /** A Kafka or filesystem sink's status (weir_sink_stats); undefined for a blackhole sink. */
  sinkStatus(id: string): string | undefined {
    return this.#sinks.get(id)?.status();
  }

  /** Whether a plan only ever inserts (a FORMAT PLAIN sink needs it). */
  appendOnlyPlan(plan: LogicalPlan): boolean {
    return appendOnly(lowerPlan(plan).root, (id) => this.#appendOnlyInput(id));
  }

  #appendOnlyInput(id: string): boolean {
    const item = this.catalog.get(id);
    if (!item || item.kind === 'index' || item.kind === 'sink') return false;
    if (item.kind === 'materialized-view') return item.emitOnWindowClose === true || this.appendOnlyPlan(planViewDataflow(item, this.catalog));
    return item.appendOnly === true;
  }

  /** Materialized views and sinks, in id order (a dataflow's inputs come before it). */
  #dataflowItems(): DataflowItem[] {
    return this.catalog.items().filter((i): i is DataflowItem => i.kind === 'materialized-view' || i.kind === 'sink');
  }

  async #addStream(item: RelationItem): Promise<StreamRuntime> {
    const rt = StreamRuntime.create(item, this.catalog, this.log);
    await rt.load(this.store);
    rt.startPacing(Date.now());
    if (rt.kafka) await rt.kafka.start(this.store, rt.kafkaPositions);
    this.#streams.set(item.id, rt);
    const w = rt.watermarks();
    if (w) this.#watermarks.set(item.id, w);
    return rt;
  }

  /** The columns of a plan's output that carry a watermark (physical/watermark-columns.ts). */
  watermarkColumnsOfPlan(plan: LogicalPlan): Set<number> {
    const memo = new Map<string, ReadonlySet<number>>();
    const of = (id: string): ReadonlySet<number> => {
      let s = memo.get(id);
      if (s) return s;
      const item = this.catalog.get(id);
      s = new Set<number>();
      if (item && item.kind !== 'index' && item.kind !== 'sink') {
        if (item.stream?.watermark) s = new Set([item.stream.watermark.column]);
        else if (item.kind === 'materialized-view') s = watermarkColumns(lowerPlan(planViewDataflow(item, this.catalog)).root, of);
      }
      memo.set(id, s);
      return s;
    };
    return watermarkColumns(lowerPlan(plan).root, of);
  }

  /** The live state of a source or stream table (introspection, tests). */
  stream(id: string): StreamRuntime | undefined {
    return this.#streams.get(id);
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

  async #storeTable(table: RelationItem, changes: Change[], ops: KvOp[]): Promise<void> {
    const pk = table.primaryKey;
    if (pk) applyKeyedChanges(changes, keys.tablePrefix(table.id), pk, ops);
    else await applyChanges(this.store, changes, (row) => tableEntryKey(table.id, row, undefined), ops);
  }

  /**
   * Loads every dataflow's operator state in the background after a start, one view at a
   * time, so the first write does not wait for all of it. Reads never need it (they read
   * view contents); a write to a view still loading waits for that view.
   */
  async #warmAll(): Promise<void> {
    for (const [id, df] of [...this.#dataflows]) {
      const started = Date.now();
      try {
        await df.warm();
        this.log.info({ view: this.catalog.get(id)?.name, ms: Date.now() - started }, 'view state loaded');
      } catch (e) {
        this.log.error({ view: this.catalog.get(id)?.name, err: e }, 'loading view state failed');
      }
    }
  }

  /** The context scalar functions see; `session` for statements a session runs (catalog functions). */
  evalContext(session?: SessionInfo): EvalContext {
    const now = Math.round((performance.timeOrigin + performance.now()) * 1000);
    return session ? { now, timeZone: 'UTC', session } : { now, timeZone: 'UTC' };
  }

  snapshot(): KvSnapshot {
    return this.store.snapshot();
  }

  /**
   * The views whose error collection is not empty as of the last commit. Taken together
   * with `snapshot()` (both synchronous) it describes the same tick.
   */
  viewsWithErrors(): ReadonlySet<string> {
    return this.#erroring;
  }

  #noteErrors(deltas: Map<string, number>): void {
    if (deltas.size === 0) return;
    for (const [id, d] of deltas) {
      const n = (this.#errorCounts.get(id) ?? 0) + d;
      if (n > 0) this.#errorCounts.set(id, n);
      else this.#errorCounts.delete(id);
    }
    this.#erroring = new Set(this.#errorCounts.keys());
  }

  #build(item: DataflowItem): Dataflow {
    const plan = planViewDataflow(item, this.catalog);
    if (item.kind === 'materialized-view') this.#viewKeys.set(item.id, uniqueKey(plan, (id) => this.#uniqueStorageKey(id)));
    const emitOnWindowClose = item.kind === 'materialized-view' && item.emitOnWindowClose === true;
    return buildDataflow(plan, { id: item.id, state: this.store, evalContext: () => this.evalContext(), emitOnWindowClose, inputAppendOnly: (id) => this.#appendOnlyInput(id) });
  }

  /**
   * A view with a unique key (plan/unique-key.ts) is stored by that key: each changed row is
   * one put or del, with no read. Its layout follows from the plan, so a change to uniqueKey
   * that alters an existing view's key needs a migration of stored contents.
   */
  async #applyViewChanges(viewId: string, changes: Change[], ops: KvOp[]): Promise<void> {
    const key = this.#viewKeys.get(viewId);
    if (key) applyKeyedChanges(changes, keys.viewPrefix(viewId), key, ops);
    else await applyChanges(this.store, changes, (row) => viewEntryKey(viewId, row), ops);
  }

  /** The dataflow maintaining a materialized view (benchmarks and tests). */
  dataflowFor(viewId: string): Dataflow {
    const df = this.#dataflows.get(viewId);
    if (!df) throw new Error(`no dataflow for ${viewId}`);
    return df;
  }

  /** A collection's unique key: a table's primary key, a view's stored key. */
  #uniqueStorageKey(id: string): number[] | undefined {
    const item = this.catalog.get(id);
    if (item?.kind === 'table') return item.primaryKey;
    return this.#viewKeys.get(id);
  }

  /** The unique key a view's contents are stored by, if it has one. */
  viewKey(viewId: string): number[] | undefined {
    return this.#viewKeys.get(viewId);
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
        await this.#storeTable(table, changes, ops);
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
      for (const id of deltas.keys()) this.#pointCache.invalidate(id);
      this.#watermarks = watermarks.all;
      this.#runAll = false;
      this.#noteErrors(errorDeltas);
    } catch (e) {
      await this.#recover();
      throw e;
    }
    const tickWatermarks = this.#watermarks;
    const erroring = this.#erroring;
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

  async #recover(): Promise<void> {
    this.#rebuildAll();
    for (const rt of this.#streams.values()) {
      await rt.load(this.store);
      if (rt.kafka) await rt.kafka.rewind(rt.kafkaPositions, this.store);
    }
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
    for (const item of this.#dataflowItems()) {
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
        await this.#applyViewChanges(item.id, out.oks, ops);
        deltas.set(item.id, out.oks);
      }
      const errs = consolidateErrors([...out.errs, ...inputErrs]);
      if (errs.length > 0) errDeltas.set(item.id, errs);
      const d = await applyErrorChanges(this.store, item.id, errs, ops);
      if (d !== 0) errorDeltas.set(item.id, d);
    }
  }

  /**
   * Creates a materialized view: builds its dataflow, hydrates it from the current contents
   * of its inputs, and commits state, contents and the catalog entry in one tick. Call under `lock`.
   */
  async createMaterializedView(item: DataflowItem, catalogOps: KvOp[]): Promise<void> {
    await this.#recoverFailedWrite();
    this.catalog.add(item);
    try {
      const emitOnWindowClose = item.kind === 'materialized-view' && item.emitOnWindowClose === true;
      const problem = processingTimeProblem(lowerPlan(planViewDataflow(item, this.catalog)).root, (id) => this.#appendOnlyInput(id), emitOnWindowClose);
      if (problem) throw problem;
      const df = this.#build(item);
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
      if (item.kind === 'materialized-view') await this.#applyViewChanges(item.id, out.oks, ops);
      const sink = item.kind === 'sink' ? this.#newSink(item) : undefined;
      if (sink) for (const op of sink.outboxOps(this.#tick + 1, out.oks, out.watermarks)) ops.push(op);
      const inputErrs: ErrorChange[] = [];
      for (const id of df.inputIds) if (this.catalog.get(id)?.kind === 'materialized-view') inputErrs.push(...(await readViewErrors(this.store, id)));
      const errs = await applyErrorChanges(this.store, item.id, [...out.errs, ...inputErrs], ops);
      this.#tick++;
      ops.push({ type: 'put', key: keys.tick, value: utf8.encode(String(this.#tick)) });
      await this.store.write(ops);
      this.#pointCache.invalidate(item.id);
      this.#noteErrors(new Map(errs !== 0 ? [[item.id, errs]] : []));
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
    for (const id of ids) this.#pointCache.invalidate(id);
    for (const id of ids) {
      this.catalog.remove(id);
      this.#dataflows.delete(id);
      this.#viewKeys.delete(id);
    }
    this.#noteErrors(new Map(ids.map((id) => [id, -(this.#errorCounts.get(id) ?? 0)])));
    // Ids are never reused, so clearing the data after the catalog entry is gone is safe
    // even if a crash interrupts it: what remains is unreachable.
    for (const id of ids) {
      for (const prefix of [keys.tablePrefix(id), keys.statePrefix(id), keys.viewPrefix(id), keys.viewErrorPrefix(id), utf8.encode(`o/${id}/`)]) {
        await this.#clear(prefix);
      }
    }
  }

  async #clear(prefix: Uint8Array): Promise<void> {
    for await (const chunk of this.store.scan(prefixRange(prefix))) {
      await this.store.write(chunk.map(([key]) => ({ type: 'del', key })));
    }
  }

  /**
   * The columns a collection's stored entries are keyed by, in order: a table's primary key,
   * a view's unique key; else every column (entries keyed by the whole row).
   */
  storageKey(id: string): number[] | undefined {
    const item = this.catalog.get(id);
    if (!item || item.kind === 'index') return undefined;
    if (item.kind === 'table') return item.primaryKey ?? item.columns.map((_, i) => i);
    if (item.kind === 'materialized-view') return this.#viewKeys.get(id) ?? item.columns.map((_, i) => i);
    return undefined;
  }

  /** The entries of a table or materialized view whose leading key columns equal `values`. */
  async readKeyPrefix(reader: KvReader, id: string, values: Datum[]): Promise<Change[]> {
    const item = this.catalog.get(id);
    const prefix = item?.kind === 'table' ? keys.tablePrefix(id) : keys.viewPrefix(id);
    const key = concatBytes(prefix, encodeKey(values));
    if (values.length === this.storageKey(id)?.length) {
      // The whole key: one point read instead of an iterator; of the latest state, cached.
      const value = reader === this.store ? await this.#pointCache.get(id, key, () => reader.get(key)) : await reader.get(key);
      return value ? [decodeEntry(value)] : [];
    }
    return readRange(reader, key);
  }

  /**
   * The current contents of a table, source or materialized view, as changes. A generator
   * source's contents are its history, generated again up to the position stored in `reader`.
   */
  async readCollection(reader: KvReader, id: string): Promise<Change[]> {
    const item = this.catalog.get(id);
    const rt = this.#streams.get(id);
    if (rt?.generator) return (await rt.history(reader)).map((r): Change => [r, 1]);
    if (item?.kind === 'source') return readSourceContents(reader, id);
    return item?.kind === 'table' ? readTable(reader, id) : readView(reader, id);
  }

  #rebuildAll(): void {
    for (const item of this.#dataflowItems()) this.#dataflows.set(item.id, this.#build(item));
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
    });
  }
}
