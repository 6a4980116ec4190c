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
import { SqlError } from '../types/sql-error.js';
import { Mutex } from '../util/mutex.js';
import { Catalog } from '../catalog/catalog.js';
import type { RelationItem } from '../catalog/catalog-item.js';
import { applyChanges, applyErrorChanges, applyKeyedChanges, consolidateErrors, countViewErrors, decodeEntry, readViewErrors, readRange, readTable, readView, tableEntryKey, viewEntryKey } from './collections.js';
import { planViewDataflow } from './view-plan.js';
import { PointCache } from './point-cache.js';
import { uniqueKey } from '../plan/unique-keys.js';

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
  #tick = 0;

  private constructor(
    readonly store: KvStore,
    readonly log: Logger,
    catalog: Catalog,
  ) {
    this.catalog = catalog;
  }

  get tick(): number {
    return this.#tick;
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
      if (item.kind === 'materialized-view') c.#dataflows.set(item.id, c.#build(item));
    }
    log.info({ tick: c.#tick, items: catalog.items().length }, 'catalog loaded');
    void c.#warmAll();
    return c;
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

  #build(item: RelationItem): Dataflow {
    const plan = planViewDataflow(item, this.catalog);
    this.#viewKeys.set(item.id, uniqueKey(plan, (id) => this.#uniqueStorageKey(id)));
    return buildDataflow(plan, { id: item.id, state: this.store, evalContext: () => this.evalContext() });
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
   */
  async commitTick(tableChanges: ReadonlyMap<string, Change[]>, extraOps: KvOp[] = []): Promise<void> {
    const ops: KvOp[] = [...extraOps];
    try {
      const deltas = new Map<string, Change[]>();
      for (const [tableId, changes] of tableChanges) {
        if (changes.length === 0) continue;
        const table = this.catalog.get(tableId) as RelationItem;
        const pk = table.primaryKey;
        if (pk) applyKeyedChanges(changes, keys.tablePrefix(tableId), pk, ops);
        else await applyChanges(this.store, changes, (row) => tableEntryKey(tableId, row, undefined), ops);
        deltas.set(tableId, changes);
      }
      const errorDeltas = new Map<string, number>();
      await this.#propagate(deltas, ops, errorDeltas);
      this.#tick++;
      ops.push({ type: 'put', key: keys.tick, value: utf8.encode(String(this.#tick)) });
      await this.store.write(ops);
      for (const id of deltas.keys()) this.#pointCache.invalidate(id);
      this.#noteErrors(errorDeltas);
    } catch (e) {
      this.#rebuildAll();
      throw e;
    }
  }

  /**
   * Pushes the tick's changes through every dataflow in catalog order. A view's errors flow
   * on to the views built on it (their error collections include their inputs' errors).
   */
  async #propagate(deltas: Map<string, Change[]>, ops: KvOp[], errorDeltas: Map<string, number>): Promise<void> {
    if (deltas.size === 0) return;
    const errDeltas = new Map<string, ErrorChange[]>();
    for (const item of this.catalog.relations()) {
      const df = this.#dataflows.get(item.id);
      if (!df) continue;
      const inputs = new Map<string, Change[]>();
      const inputErrs: ErrorChange[] = [];
      for (const id of df.inputIds) {
        const d = deltas.get(id);
        if (d && d.length > 0) inputs.set(id, d);
        for (const e of errDeltas.get(id) ?? []) inputErrs.push(e);
      }
      if (inputs.size === 0 && inputErrs.length === 0) continue;
      const out = inputs.size > 0 ? await df.step(inputs, ops) : { oks: [], errs: [] };
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
  async createMaterializedView(item: RelationItem, catalogOps: KvOp[]): Promise<void> {
    this.catalog.add(item);
    try {
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
      const out = await df.step(inputs, ops);
      await this.#applyViewChanges(item.id, out.oks, ops);
      const inputErrs: ErrorChange[] = [];
      for (const id of df.inputIds) if (this.catalog.get(id)?.kind === 'materialized-view') inputErrs.push(...(await readViewErrors(this.store, id)));
      const errs = await applyErrorChanges(this.store, item.id, [...out.errs, ...inputErrs], ops);
      this.#tick++;
      ops.push({ type: 'put', key: keys.tick, value: utf8.encode(String(this.#tick)) });
      await this.store.write(ops);
      this.#pointCache.invalidate(item.id);
      this.#noteErrors(new Map(errs !== 0 ? [[item.id, errs]] : []));
      this.#dataflows.set(item.id, df);
      this.log.info({ view: item.name, inputRows: rows, outputRows: out.oks.length, ms: Date.now() - started }, 'hydrated');
    } catch (e) {
      this.catalog.remove(item.id);
      throw e;
    }
  }

  /** Removes items (already checked for dependents) and their stored data. Call under `lock`. */
  async dropItems(ids: string[]): Promise<void> {
    const ops: KvOp[] = ids.map((id) => ({ type: 'del', key: keys.catalogItem(id) }));
    await this.store.write(ops);
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
      for (const prefix of [keys.tablePrefix(id), keys.statePrefix(id), keys.viewPrefix(id), keys.viewErrorPrefix(id)]) {
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

  /** The current contents of a table or materialized view, as changes. */
  readCollection(reader: KvReader, id: string): Promise<Change[]> {
    const item = this.catalog.get(id);
    return item?.kind === 'table' ? readTable(reader, id) : readView(reader, id);
  }

  #rebuildAll(): void {
    for (const item of this.catalog.relations()) {
      if (item.kind === 'materialized-view') this.#dataflows.set(item.id, this.#build(item));
    }
  }

  async close(): Promise<void> {
    await this.lock.run(async () => {
      await this.store.close();
    });
  }
}
