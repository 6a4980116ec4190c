/**
 * StoredCollections: where the entries of tables, sources and materialized views live in the
 * store, and the coordinator's reads and writes of them.
 *
 * - Storage keys: a table's entries are keyed by its primary key, a materialized view's by its
 *   unique key when its plan has one (plan/unique-keys.ts, decided when its dataflow is built),
 *   else by the whole row. A keyed change is one put or del, with no read.
 * - Reads: a collection's whole contents (a generator source's are its history, generated
 *   again), or the entries whose leading key columns equal given values: a point get when the
 *   values cover the whole key (of the latest state: through the PointCache), else a range; a
 *   small view's whole contents, of the latest state, through the PointCache too.
 * - Writes: a tick's changes of a table or view, as ops of the tick's batch.
 *
 * State: one key per materialized view, plus the PointCache (bounded per collection). Both
 * forget a dropped collection.
 */
import type { Change } from '../dataflow/zset.js';
import type { Catalog } from '../catalog/catalog.js';
import type { RelationItem } from '../catalog/catalog-item.js';
import type { KvOp, KvReader, KvStore } from '../storage/kv-store.js';
import { concatBytes, keys } from '../storage/key-layout.js';
import type { Datum } from '../types/datum.js';
import { encodeKey } from '../types/key-codec.js';
import { applyChanges, applyKeyedChanges, decodeEntry, readRange, readTable, readView, tableEntryKey, viewEntryKey } from './collections.js';
import type { SourceLog } from '../storage/source-log.js';
import { readSourceContents } from './kafka-ingest.js';
import { PointCache } from './point-cache.js';
import type { StreamRuntime } from './streams.js';

export class StoredCollections {
  /** Each materialized view's unique key (undefined: stored by the whole row). */
  readonly #viewKeys = new Map<string, number[] | undefined>();
  readonly #pointCache = new PointCache();

  readonly #store: KvStore;
  readonly #catalog: Catalog;
  /** The live sources and stream tables (a generator's contents are its history). */
  readonly #streams: ReadonlyMap<string, StreamRuntime>;
  /** A PLAIN Kafka source's rows (pointed at from the store). */
  readonly #sourceLog: SourceLog;

  constructor(store: KvStore, sourceLog: SourceLog, catalog: Catalog, streams: ReadonlyMap<string, StreamRuntime>) {
    this.#store = store;
    this.#sourceLog = sourceLog;
    this.#catalog = catalog;
    this.#streams = streams;
  }

  /** Records the unique key a view is stored by (when its dataflow is built). */
  setViewKey(viewId: string, key: number[] | undefined): void {
    this.#viewKeys.set(viewId, key);
  }

  /** A collection's unique key: a table's primary key, a view's stored key. */
  uniqueStorageKey(id: string): number[] | undefined {
    const item = this.#catalog.get(id);
    if (item?.kind === 'table') return item.primaryKey;
    return this.#viewKeys.get(id);
  }

  /**
   * The columns a collection's stored entries are keyed by, in order: a table's primary key,
   * a view's unique key; else every column (entries keyed by the whole row).
   */
  storageKey(id: string): number[] | undefined {
    const item = this.#catalog.get(id);
    if (!item || item.kind === 'index') return undefined;
    if (item.kind === 'table') return item.primaryKey ?? item.columns.map((_, i) => i);
    if (item.kind === 'materialized-view') return this.#viewKeys.get(id) ?? item.columns.map((_, i) => i);
    return undefined;
  }

  /** The entries of a table or materialized view whose leading key columns equal `values`. */
  async readKeyPrefix(reader: KvReader, id: string, values: Datum[]): Promise<Change[]> {
    const item = this.#catalog.get(id);
    const prefix = item?.kind === 'table' ? keys.tablePrefix(id) : keys.viewPrefix(id);
    const key = concatBytes(prefix, encodeKey(values));
    if (values.length === this.storageKey(id)?.length) {
      // The whole key: one point read instead of an iterator; of the latest state, cached.
      const value = reader === this.#store ? await this.#pointCache.get(id, key, () => reader.get(key)) : await reader.get(key);
      return value ? [decodeEntry(value)] : [];
    }
    return readRange(reader, key);
  }

  /**
   * The current contents of a table, source or materialized view, as changes. A generator
   * source's contents are its history, generated again up to the position stored in `reader`.
   */
  async readCollection(reader: KvReader, id: string): Promise<Change[]> {
    const item = this.#catalog.get(id);
    const rt = this.#streams.get(id);
    if (rt?.generator) return (await rt.history(reader)).map((r): Change => [r, 1]);
    if (item?.kind === 'source') return readSourceContents(reader, this.#sourceLog, id);
    if (item?.kind === 'table') return readTable(reader, id);
    // A small view read again and again (a dashboard's count): its contents come from the cache.
    return reader === this.#store ? this.#pointCache.contents(id, () => readView(reader, id)) : readView(reader, id);
  }

  /** A table's changes as ops of the tick's batch (a table without a primary key reads its entries' diffs). */
  async storeTable(table: RelationItem, changes: Change[], ops: KvOp[]): Promise<void> {
    const pk = table.primaryKey;
    if (pk) applyKeyedChanges(changes, keys.tablePrefix(table.id), pk, ops);
    else await applyChanges(this.#store, changes, (row) => tableEntryKey(table.id, row, undefined), ops);
  }

  /**
   * A view's changes as ops of the tick's batch. A view with a unique key is stored by that
   * key: each changed row is one put or del, with no read. Its layout follows from the plan,
   * so a change to uniqueKey that alters an existing view's key needs a migration of stored
   * contents.
   */
  async applyViewChanges(viewId: string, changes: Change[], ops: KvOp[]): Promise<void> {
    const key = this.#viewKeys.get(viewId);
    if (key) applyKeyedChanges(changes, keys.viewPrefix(viewId), key, ops);
    else await applyChanges(this.#store, changes, (row) => viewEntryKey(viewId, row), ops);
  }

  /** A tick changed the collection (call once its batch is issued): cached point reads are dropped. */
  changed(id: string): void {
    this.#pointCache.invalidate(id);
  }

  /** The collection was dropped. */
  forget(id: string): void {
    this.#pointCache.invalidate(id);
    this.#viewKeys.delete(id);
  }
}
