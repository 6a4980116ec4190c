/**
 * MaintainedDataflows: the dataflows the coordinator keeps running, one per materialized view
 * and per sink, each built from its item's plan (view-plan.ts) with its operator state in the
 * store. They are stepped in catalog (id) order, so a dataflow's inputs always come before it.
 *
 * Building a view's dataflow also decides the key its contents are stored by (its plan's
 * unique key, StoredCollections.setViewKey), and whether the dataflow writes those contents
 * itself (`Dataflow.storesOutput`: a GROUP BY at the root keeps its group state beside each row). After a start the operator state is loaded in the
 * background (`warmAll`); after a failed tick every dataflow is built again from the store
 * (`rebuildAll`), since the in-memory state may be ahead of it.
 *
 * State: one Dataflow per item (its operators' caches; the state itself is in the store).
 */
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/catalog.js';
import type { RelationItem, SinkItem } from '../catalog/catalog-item.js';
import type { EvalContext } from '../plan/functions/function-impl.js';
import { uniqueKey } from '../plan/unique-keys.js';
import { buildDataflow, type Dataflow } from '../render/build-dataflow.js';
import type { KvStore } from '../storage/kv-store.js';
import { keys } from '../storage/key-layout.js';
import { appendOnlyInput } from './plan-properties.js';
import type { StoredCollections } from './stored-collections.js';
import { planViewDataflow } from './view-plan.js';

/** An item that runs a dataflow: a materialized view (contents stored) or a sink (changes leave). */
export type DataflowItem = RelationItem | SinkItem;

export class MaintainedDataflows {
  readonly #dataflows = new Map<string, Dataflow>();

  readonly #store: KvStore;
  readonly #catalog: Catalog;
  readonly #stored: StoredCollections;
  readonly #evalContext: () => EvalContext;
  readonly #log: Logger;

  constructor(store: KvStore, catalog: Catalog, stored: StoredCollections, evalContext: () => EvalContext, log: Logger) {
    this.#store = store;
    this.#catalog = catalog;
    this.#stored = stored;
    this.#evalContext = evalContext;
    this.#log = log;
  }

  /** Materialized views and sinks, in id order (a dataflow's inputs come before it). */
  items(): DataflowItem[] {
    return this.#catalog.items().filter((i): i is DataflowItem => i.kind === 'materialized-view' || i.kind === 'sink');
  }

  get(id: string): Dataflow | undefined {
    return this.#dataflows.get(id);
  }

  set(id: string, df: Dataflow): void {
    this.#dataflows.set(id, df);
  }

  delete(id: string): void {
    this.#dataflows.delete(id);
  }

  /** Whether any dataflow depends on the time (a temporal filter): the clock must step it. */
  anyTimeDependent(): boolean {
    return [...this.#dataflows.values()].some((d) => d.timeDependent);
  }

  /** An item's dataflow, not yet registered; a view's storage key is decided here. */
  build(item: DataflowItem): Dataflow {
    const plan = planViewDataflow(item, this.#catalog);
    const viewKey = item.kind === 'materialized-view' ? uniqueKey(plan, (id) => this.#stored.uniqueStorageKey(id)) : undefined;
    if (item.kind === 'materialized-view') this.#stored.setViewKey(item.id, viewKey);
    const emitOnWindowClose = item.kind === 'materialized-view' && item.emitOnWindowClose === true;
    return buildDataflow(plan, {
      id: item.id,
      state: this.#store,
      evalContext: this.#evalContext,
      emitOnWindowClose,
      inputAppendOnly: (id) => appendOnlyInput(this.#catalog, id),
      ...(viewKey ? { viewOutput: { prefix: keys.viewPrefix(item.id), key: viewKey } } : {}),
    });
  }

  /** Builds every item's dataflow again from the store (at start, and after a failed tick). */
  rebuildAll(): void {
    for (const item of this.items()) this.#dataflows.set(item.id, this.build(item));
  }

  /**
   * Loads every dataflow's operator state in the background after a start, one view at a
   * time, so the first write does not wait for all of it. Reads never need it (they read
   * view contents); a write to a view still loading waits for that view.
   */
  async warmAll(): Promise<void> {
    for (const [id, df] of [...this.#dataflows]) {
      const started = Date.now();
      try {
        await df.warm();
        this.#log.info({ view: this.#catalog.get(id)?.name, ms: Date.now() - started }, 'view state loaded');
      } catch (e) {
        this.#log.error({ view: this.#catalog.get(id)?.name, err: e }, 'loading view state failed');
      }
    }
  }
}
