/**
 * A catalog item: one named object. What is stored is `StoredItem` (the CREATE text plus an
 * id, DESIGN §5); everything else is derived by re-planning that text at start.
 */
import type { CatalogRelation, RelationKind } from '../sql/catalog-reader.js';

export type ItemKind = Exclude<RelationKind, 'system'> | 'index';

/** The durable form: what `c/<id>` holds. */
export interface StoredItem {
  id: string;
  kind: ItemKind;
  schemaName: string;
  name: string;
  /** The CREATE statement, as the user wrote it (one statement, no trailing semicolon). */
  sql: string;
}

/** A relation item with its derived facts. */
export interface RelationItem extends CatalogRelation {
  kind: Exclude<RelationKind, 'system'>;
  sql: string;
  /** Ids of the items it reads (views), for DROP … CASCADE and restrict checks. */
  dependsOn: string[];
}

export interface IndexItem {
  id: string;
  kind: 'index';
  schemaName: string;
  name: string;
  sql: string;
  onId: string;
  columns: string[];
  dependsOn: string[];
}

export type CatalogItem = RelationItem | IndexItem;
