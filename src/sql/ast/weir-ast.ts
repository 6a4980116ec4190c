/**
 * The AST of weir's own statements (parsed by the peggy grammar in grammar/). Postgres
 * statements keep libpg-query's AST (the Postgres parse tree as JSON, typed by @pgsql/types).
 */
export type QualifiedName = string[];

export type ShowObjectType =
  | 'tables'
  | 'views'
  | 'materialized-views'
  | 'sources'
  | 'sinks'
  | 'indexes'
  | 'schemas'
  | 'databases';

export type ShowCreateType = 'table' | 'view' | 'materialized-view' | 'source';

export type ExplainStage = 'logical' | 'optimized' | 'physical';

/**
 * A column type as written. `named` is Postgres type syntax kept as text (`bigint`,
 * `numeric(10,2)`, `timestamp with time zone`, `varchar`, `int[]`), resolved by the binder;
 * `struct` is RisingWave's `STRUCT<name type, …>` (Flink's `ROW<name type, …>`), optionally an array.
 */
export type TypeExpr =
  | { kind: 'named'; text: string }
  | { kind: 'struct'; fields: { name: string; type: TypeExpr }[]; array: boolean };

export interface ColumnDef {
  name: string;
  /** Absent for Flink's computed column `name AS expr` (the expression's type). */
  type?: TypeExpr;
  notNull: boolean;
  primaryKey: boolean;
  /** DEFAULT expression, as SQL text. */
  default?: string;
  /**
   * `name [type] AS expr`: a generated (computed) column computed from the row's other columns,
   * as SQL text (Flink's Nexmark source derives `dateTime` from the struct columns this way).
   */
  generated?: string;
}

/** `WATERMARK FOR column AS expr`: expr is SQL text over the row's columns. */
export interface WatermarkDef {
  column: string;
  expr: string;
}

/**
 * One `key = value` of a WITH (…) list. Keys are dotted words, lower-cased, quotes removed
 * (`properties.bootstrap.server`, `'connector'` → `connector`); values are the literal's text
 * (a string's contents, a number's digits, an identifier's name).
 */
export interface WithOption {
  key: string;
  value: string;
}

/** `FORMAT PLAIN | UPSERT | DEBEZIUM ENCODE JSON | CSV | AVRO | BYTES | TEXT [( options )]`, lower-cased. */
export interface FormatSpec {
  format: string;
  encode: string;
  options: WithOption[];
}

/** `INCLUDE key | partition | offset | timestamp | headers [AS name]` (Kafka sources). */
export interface IncludeDef {
  what: string;
  /** `INCLUDE header 'name'`: the header's name, and the type written after it ('varchar', 'bytea', 'text'). */
  header?: string;
  type?: string;
  alias?: string;
}

/**
 * SUBSCRIBE [TO] name | (query) [WITH (…)] (Materialize): the relation's or the query's current
 * contents, then its changes as they commit. `options` are SNAPSHOT and PROGRESS, unchecked
 * here. `copyOptions`: written as `COPY (SUBSCRIBE …) TO STDOUT [WITH (…)]`, with the COPY's options.
 */
export interface SubscribeStatement {
  kind: 'Subscribe';
  target: { kind: 'relation'; name: QualifiedName } | { kind: 'query'; query: string };
  options: WithOption[];
  copyOptions?: WithOption[];
}

export type WeirStatement =
  /**
   * CREATE SOURCE, and CREATE TABLE when it carries a WATERMARK, APPEND ONLY, a WITH
   * (connector = …) or FORMAT clause (a table fed by INSERT or by a connector).
   */
  | {
      kind: 'CreateSource';
      /** 'source' for CREATE SOURCE; 'table' for CREATE TABLE. */
      objectType: 'source' | 'table';
      name: QualifiedName;
      ifNotExists: boolean;
      columns: ColumnDef[];
      /** A table constraint `PRIMARY KEY (a, b)` (column-level ones are in ColumnDef). */
      primaryKey?: string[];
      watermark?: WatermarkDef;
      appendOnly: boolean;
      include: IncludeDef[];
      with: WithOption[];
      format?: FormatSpec;
      /** Flink's `PARTITIONED BY (a, b)` (CREATE TABLE of a filesystem sink table): the partition columns. */
      partitionedBy?: string[];
    }
  /** CREATE SINK name FROM relation | AS query WITH (…) [FORMAT …]; CREATE SINK name INTO table AS query [WITH (…)]. */
  | {
      kind: 'CreateSink';
      name: QualifiedName;
      ifNotExists: boolean;
      /** The table it writes into (a Flink sink table). */
      into?: QualifiedName;
      from?: QualifiedName;
      /** The query's SQL text (for `AS query`). */
      query?: string;
      with: WithOption[];
      format?: FormatSpec;
    }
  /** DROP SOURCE | SINK [IF EXISTS] name [, …] [CASCADE | RESTRICT] (tables and views are Postgres syntax). */
  | { kind: 'DropWeirObject'; objectType: 'source' | 'sink'; names: QualifiedName[]; ifExists: boolean; cascade: boolean }

  | { kind: 'Explain'; stage: ExplainStage; query: string }
  | { kind: 'ExplainView'; stage: ExplainStage; materialized: boolean; name: QualifiedName }
  | { kind: 'ShowObjects'; objectType: ShowObjectType; from?: string }
  | { kind: 'ShowColumns'; relation: QualifiedName }
  | { kind: 'ShowCreate'; objectType: ShowCreateType; name: QualifiedName }
  | SubscribeStatement
  /** DECLARE cursor CURSOR FOR SUBSCRIBE …: a subscription read with FETCH (DECLARE … FOR SELECT is Postgres syntax). */
  | { kind: 'DeclareSubscribe'; cursor: string; subscribe: SubscribeStatement }
  /** FETCH … cursor WITH (TIMEOUT = …) (Materialize); FETCH without options is Postgres syntax. */
  | { kind: 'Fetch'; cursor: string; count: number | 'all'; options: WithOption[] }
  /** RisingWave's FLUSH: make the writes before it visible (weir: commit the batch's gathered writes). */
  | { kind: 'Flush' };

export type WeirStatementKind = WeirStatement['kind'];
