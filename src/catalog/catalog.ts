/**
 * Catalog: the named objects of one database, in memory, persisted as CREATE text under
 * `c/<id>` and re-planned at start. Implements the binder's CatalogReader. Ids are "u1",
 * "u2", … in creation order, so an object's dependencies always have smaller ids and
 * replaying items in id order rebuilds the catalog.
 *
 * The catalog only records; deciding whether a DDL statement is allowed (dependencies,
 * CASCADE) is the adapter's job, using `dependents`.
 */
import type { CatalogReader, CatalogRelation } from '../sql/catalog-reader.js';
import type { KvOp } from '../storage/kv-store.js';
import { keys } from '../storage/key-layout.js';
import type { CatalogItem, FunctionItem, RelationItem, StoredItem } from './catalog-item.js';
import { isSystemSchema, isUnsupportedSystemRelation, relationOidByName, systemRelation } from './system/index.js';

const utf8 = new TextEncoder();

export const DEFAULT_SCHEMA = 'public';

export class Catalog implements CatalogReader {
  #items = new Map<string, CatalogItem>();
  /** Relations, indexes and sinks share one namespace; functions have their own. */
  #byName = new Map<string, CatalogItem>();
  #functions = new Map<string, FunctionItem>();
  #functionIds = new Map<string, FunctionItem>();
  #nextId: number;
  /** Bumped on every change; prepared statements re-bind when it moved. */
  version = 0;

  constructor(nextId = 1) {
    this.#nextId = nextId;
  }

  allocateId(): string {
    return `u${this.#nextId++}`;
  }

  /** The KvOps that persist a new item (and the id counter): part of the DDL's batch. */
  persistOps(item: StoredItem): KvOp[] {
    return [
      { type: 'put', key: keys.catalogItem(item.id), value: utf8.encode(JSON.stringify(item)) },
      { type: 'put', key: keys.nextId, value: utf8.encode(String(this.#nextId)) },
    ];
  }

  add(item: CatalogItem | FunctionItem): void {
    if (item.kind === 'function') {
      this.#functions.set(nameKey(item.schemaName, item.name), item);
      this.#functionIds.set(item.id, item);
    } else {
      this.#items.set(item.id, item);
      this.#byName.set(nameKey(item.schemaName, item.name), item);
    }
    this.version++;
  }

  remove(id: string): void {
    const fn = this.#functionIds.get(id);
    if (fn) {
      this.#functionIds.delete(id);
      this.#functions.delete(nameKey(fn.schemaName, fn.name));
      this.version++;
      return;
    }
    const item = this.#items.get(id);
    if (!item) return;
    this.#items.delete(id);
    this.#byName.delete(nameKey(item.schemaName, item.name));
    this.version++;
  }

  /** A SQL function by name (CatalogReader). */
  getFunction(schemaName: string | undefined, name: string): FunctionItem | undefined {
    return this.#functions.get(nameKey(schemaName ?? DEFAULT_SCHEMA, name));
  }

  /** The SQL functions, in id order. */
  functions(): FunctionItem[] {
    return [...this.#functionIds.values()].sort((a, b) => idNumber(a.id) - idNumber(b.id));
  }

  get(id: string): CatalogItem | undefined {
    return this.#items.get(id);
  }

  byName(schemaName: string | undefined, name: string): CatalogItem | undefined {
    return this.#byName.get(nameKey(schemaName ?? DEFAULT_SCHEMA, name));
  }

  /** Items in id order (creation order: dependencies first). */
  items(): CatalogItem[] {
    return [...this.#items.values()].sort((a, b) => idNumber(a.id) - idNumber(b.id));
  }

  relations(): RelationItem[] {
    return this.items().filter((i): i is RelationItem => i.kind !== 'index' && i.kind !== 'sink');
  }

  /** Items that depend on `id`, directly. */
  dependents(id: string): CatalogItem[] {
    return this.items().filter((i) => i.dependsOn.includes(id));
  }

  /**
   * pg_catalog and information_schema names are system relations (system/); an unqualified
   * name is a user object first, then a pg_catalog relation (Postgres's search path, with
   * user objects allowed to shadow the catalog).
   */
  getRelation(schemaName: string | undefined, name: string): CatalogRelation | undefined {
    if (schemaName !== undefined && isSystemSchema(schemaName)) return systemRelation(schemaName, name);
    const item = this.byName(schemaName, name);
    if (item) return item.kind !== 'index' && item.kind !== 'sink' ? item : undefined;
    return schemaName === undefined ? systemRelation('pg_catalog', name) : undefined;
  }

  isUnsupportedSystemRelation(schemaName: string | undefined, name: string): boolean {
    return isUnsupportedSystemRelation(schemaName, name);
  }

  relationOid(schemaName: string | undefined, name: string): number | undefined {
    return relationOidByName({ catalog: this }, schemaName, name);
  }
}

function nameKey(schemaName: string, name: string): string {
  return `${schemaName}.${name}`;
}

function idNumber(id: string): number {
  return Number(id.slice(1));
}
