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
import { buildDataflow, type Dataflow } from '../render/build-dataflow.js';
import type { EvalContext } from '../plan/functions/function-impl.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { KvOp, KvReader, KvSnapshot, KvStore } from '../storage/kv-store.js';
import { keys, prefixRange } from '../storage/key-layout.js';
import { SqlError } from '../types/sql-error.js';
import { Mutex } from '../util/mutex.js';
import { Catalog } from '../catalog/catalog.js';
import type { RelationItem } from '../catalog/catalog-item.js';
import { applyChanges, applyErrorChanges, readTable, readView, tableEntryKey, viewEntryKey } from './collections.js';
import { planViewDataflow } from './view-plan.js';

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

export class Coordinator {
  readonly lock = new Mutex();
  readonly catalog: Catalog;
  #dataflows = new Map<string, Dataflow>();
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
    for (const item of catalog.relations()) {
      if (item.kind === 'materialized-view') c.#dataflows.set(item.id, c.#build(item));
    }
    log.info({ tick: c.#tick, items: catalog.items().length }, 'catalog loaded');
    return c;
  }

  evalContext(): EvalContext {
    return { now: Math.round((performance.timeOrigin + performance.now()) * 1000), timeZone: 'UTC' };
  }

  snapshot(): KvSnapshot {
    return this.store.snapshot();
  }

  #build(item: RelationItem): Dataflow {
    const plan = planViewDataflow(item, this.catalog);
    return buildDataflow(plan, { id: item.id, state: this.store, evalContext: () => this.evalContext() });
  }

  /** Runs a one-shot dataflow (no persisted state) over the given inputs. */
  async runOneShot(plan: LogicalPlan, inputs: ReadonlyMap<string, Change[]>): Promise<Change[]> {
    const df = buildDataflow(plan, { id: 'oneshot', state: null, evalContext: () => this.evalContext() });
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
        await applyChanges(this.store, changes, (row) => tableEntryKey(tableId, row, table.primaryKey), ops);
        deltas.set(tableId, changes);
      }
      await this.#propagate(deltas, ops);
      this.#tick++;
      ops.push({ type: 'put', key: keys.tick, value: utf8.encode(String(this.#tick)) });
      await this.store.write(ops);
    } catch (e) {
      this.#rebuildAll();
      throw e;
    }
  }

  async #propagate(deltas: Map<string, Change[]>, ops: KvOp[]): Promise<void> {
    if (deltas.size === 0) return;
    for (const item of this.catalog.relations()) {
      const df = this.#dataflows.get(item.id);
      if (!df) continue;
      const inputs = new Map<string, Change[]>();
      for (const id of df.inputIds) {
        const d = deltas.get(id);
        if (d && d.length > 0) inputs.set(id, d);
      }
      if (inputs.size === 0) continue;
      const out = await df.step(inputs, ops);
      if (out.oks.length > 0) {
        await applyChanges(this.store, out.oks, (row) => viewEntryKey(item.id, row), ops);
        deltas.set(item.id, out.oks);
      }
      await applyErrorChanges(this.store, item.id, out.errs, ops);
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
      await applyChanges(this.store, out.oks, (row) => viewEntryKey(item.id, row), ops);
      await applyErrorChanges(this.store, item.id, out.errs, ops);
      this.#tick++;
      ops.push({ type: 'put', key: keys.tick, value: utf8.encode(String(this.#tick)) });
      await this.store.write(ops);
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
    for (const id of ids) {
      this.catalog.remove(id);
      this.#dataflows.delete(id);
    }
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
