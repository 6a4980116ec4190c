/**
 * A catalog item: one named object. What is stored is `StoredItem` (the CREATE text plus an
 * id, DESIGN §5); everything else is derived by re-planning that text at start.
 */
import type { CatalogFunction, CatalogRelation, RelationKind } from '../sql/catalog-reader.js';

export type ItemKind = Exclude<RelationKind, 'system'> | 'index' | 'sink' | 'function';

/** The durable form: what `c/<id>` holds. */
export interface StoredItem {
  id: string;
  kind: ItemKind;
  schemaName: string;
  name: string;
  /** The CREATE statement, as the user wrote it (one statement, no trailing semicolon). */
  sql: string;
  /** When it was created (µs since the epoch): a generator source's event time starts there. */
  createdAtUs?: number;
  /** A source with late policy side_output: the id of its `<name>_late` table. */
  lateTableId?: string;
  /** A Kafka source: the id of its `<name>_errors` table. */
  errorsTableId?: string;
}

/** What a late row (event time below the watermark) gets: DESIGN §3. */
export type LatePolicy = 'drop' | 'side_output' | 'correct';

/**
 * The streaming facts of a source, or of a table with a WATERMARK / APPEND ONLY.
 * `connector` absent: rows come from INSERT.
 */
export interface StreamSpec {
  appendOnly: boolean;
  /** `WATERMARK FOR columns[column] AS expr` (expr: SQL text over the relation's columns). */
  watermark?: { column: number; expr: string };
  late: { policy: LatePolicy; allowedLatenessUs: number };
  connector?: {
    name: 'nexmark' | 'datagen' | 'kafka';
    options: { key: string; value: string }[];
    baseTimeUs: number;
    /** Kafka: FORMAT … ENCODE … (lower-case) and ENCODE's options (`ENCODE AVRO (schema.definition = …)`). */
    format?: { format: string; encode: string; options?: { key: string; value: string }[] };
    /** Kafka: the INCLUDE columns, in order; they are the last physical columns (`header`: INCLUDE header 'name' [type]). */
    include?: { what: string; header?: string; type?: string }[];
  };
  /** Kafka sources: the id of the `<name>_errors` table undecodable records go to. */
  errorsTableId?: string;
  /** For policy side_output: the id of the `<name>_late` table late rows go to. */
  lateTableId?: string;
  /**
   * Computed columns (Flink's `name AS expr`), in column order: `expr` is SQL over the other
   * (physical) columns, which are what the connector produces. Only with a connector.
   */
  computed?: { column: number; expr: string }[];
}

/** A relation item with its derived facts. */
export interface RelationItem extends CatalogRelation {
  kind: Exclude<RelationKind, 'system'>;
  sql: string;
  /** Ids of the items it reads (views), for DROP … CASCADE and restrict checks. */
  dependsOn: string[];
  /** Sources and stream tables. */
  stream?: StreamSpec;
  /** A materialized view created with EMIT ON WINDOW CLOSE: append-only, final rows. */
  emitOnWindowClose?: boolean;
  /** The `<source>_late` table of a source with late policy side_output: its source's id. */
  lateOf?: string;
  /**
   * A Flink sink table (`CREATE TABLE t (…) [PARTITIONED BY (…)] WITH ('connector' = 'blackhole' | 'filesystem')`): always empty;
   * `INSERT INTO t SELECT …` creates a sink into it (`SinkItem.into`).
   */
  sinkConnector?: { name: string; options: { key: string; value: string }[]; partitionedBy?: string[] };
}

/** CREATE SINK: a dataflow whose changes leave weir through a connector (blackhole: nowhere). */
export interface SinkItem {
  id: string;
  kind: 'sink';
  schemaName: string;
  name: string;
  sql: string;
  /** The query it runs (a view name becomes `SELECT * FROM view`). */
  viewSql: string;
  columns: import('../types/sql-type.js').Schema;
  connector: string;
  options: { key: string; value: string }[];
  /** `CREATE SINK … INTO table` (and Flink's INSERT INTO a sink table): the table's id. */
  into?: string;
  /** Kafka: FORMAT PLAIN | UPSERT | DEBEZIUM ENCODE JSON (lower-case). */
  format?: { format: string; encode: string };
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

/**
 * CREATE FUNCTION … LANGUAGE SQL: an expression over its parameters, inlined where it is
 * called. Functions have their own namespace and are not `CatalogItem`s (no relation, no
 * dataflow); the items whose SQL calls one list its id in `dependsOn`.
 */
export interface FunctionItem extends CatalogFunction {
  kind: 'function';
  sql: string;
}

export type CatalogItem = RelationItem | IndexItem | SinkItem;
