/**
 * A CatalogReader over a fixed list of relations, for binder and plan tests.
 * `fakeCatalog({ t: 'a int4, b text not null' })` builds tables from a tiny column DSL.
 */
import type { CatalogReader, CatalogRelation } from '../../src/sql/catalog-reader.js';
import type { Schema, SqlType } from '../../src/types/sql-type.js';

const TYPES: Record<string, SqlType> = {
  int2: { kind: 'int2' }, int4: { kind: 'int4' }, int8: { kind: 'int8' }, float4: { kind: 'float4' }, float8: { kind: 'float8' },
  numeric: { kind: 'numeric' }, text: { kind: 'text' }, varchar: { kind: 'varchar' }, bool: { kind: 'bool' }, date: { kind: 'date' },
  timestamp: { kind: 'timestamp' }, timestamptz: { kind: 'timestamptz' }, interval: { kind: 'interval' }, jsonb: { kind: 'jsonb' },
  bytea: { kind: 'bytea' }, uuid: { kind: 'uuid' },
};

/** "a int4, b text not null" → Schema. */
export function columns(spec: string): Schema {
  return spec.split(',').map((part) => {
    const [name, type, ...rest] = part.trim().split(/\s+/);
    const t = TYPES[type!];
    if (!t) throw new Error(`fake catalog: unknown type ${type}`);
    return { name: name!, type: t, nullable: rest.join(' ').toLowerCase() !== 'not null' };
  });
}

export class FakeCatalog implements CatalogReader {
  readonly relations = new Map<string, CatalogRelation>();
  #next = 1;

  table(name: string, spec: string, extra: Partial<CatalogRelation> = {}): this {
    return this.add({ id: `u${this.#next++}`, schemaName: 'public', name, kind: 'table', columns: columns(spec), ...extra });
  }

  view(name: string, spec: string, viewSql: string): this {
    return this.add({ id: `u${this.#next++}`, schemaName: 'public', name, kind: 'view', columns: columns(spec), viewSql });
  }

  add(rel: CatalogRelation): this {
    this.relations.set(`${rel.schemaName}.${rel.name}`, rel);
    return this;
  }

  getRelation(schemaName: string | undefined, name: string): CatalogRelation | undefined {
    return this.relations.get(`${schemaName ?? 'public'}.${name}`);
  }
}

export function fakeCatalog(tables: Record<string, string>): FakeCatalog {
  const c = new FakeCatalog();
  for (const [name, spec] of Object.entries(tables)) c.table(name, spec);
  return c;
}
