/**
 * Re-planning of the streaming DDL (weir grammar, sql/ast/weir-ast.ts): CREATE SOURCE, CREATE
 * TABLE … WATERMARK … APPEND ONLY, CREATE SINK → catalog items. Like plan-create.ts, used when
 * the statement runs and when the catalog is loaded at start.
 *
 * WITH options weir reads here (others are the connector's, checked by the adapter):
 *   connector                  'nexmark' | 'datagen' (a table has none: INSERT feeds it)
 *   late.policy                'drop' (default) | 'side_output' | 'correct'
 *   late.allowed.lateness      an interval ('10 seconds'), for 'correct'
 *   error.policy               kafka: 'side_output' (default: bad records to `<source>_errors`) | 'stop'
 *
 * Flink's filesystem table is a sink table or, with a file to read, an ordinary table filled
 * from it when created: filesystem-source-spec.ts decides which.
 */
import type { CatalogReader, CatalogRelation } from '../sql/catalog-reader.js';
import type { ColumnDef, FormatSpec, WeirStatement, WithOption } from '../sql/ast/weir-ast.js';
import { bindQuery, resolveTypeExpr } from '../sql/binder/index.js';
import { parseStatement } from '../sql/parser/parse.js';
import { parseInterval } from '../types/interval-format.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { lookupCast } from '../plan/functions/registry.js';
import { sameType, typeName, type Column, type SqlType } from '../types/sql-type.js';
import type { LatePolicy, RelationItem, SinkItem, StreamSpec } from './catalog-item.js';
import { DEFAULT_SCHEMA } from './catalog.js';
import { referencedIds, selectOf } from './plan-create.js';
import { fileSourceSpec, isFileSourceTable } from './filesystem-source-spec.js';
import { holdsProcessingTime } from '../plan/processing-time.js';
import { fileSinkSpec } from './filesystem-sink-spec.js';

type CreateSource = Extract<WeirStatement, { kind: 'CreateSource' }>;
type CreateSink = Extract<WeirStatement, { kind: 'CreateSink' }>;

const connectors = new Set(['nexmark', 'datagen', 'kafka']);
/**
 * Connectors of Flink's sink tables: `CREATE TABLE t (…) WITH ('connector' = 'blackhole')`, or
 * 'filesystem' (CSV files, `PARTITIONED BY`: filesystem-sink-spec.ts), written by INSERT INTO t SELECT.
 */
const sinkConnectors = new Set(['blackhole', 'filesystem']);
/** The types of a Kafka source's INCLUDE columns (the values: sources/kafka/include-columns.ts). */
const KAFKA_INCLUDE_TYPES: { [what: string]: SqlType } = {
  key: { kind: 'bytea' },
  partition: { kind: 'int4' },
  offset: { kind: 'int8' },
  timestamp: { kind: 'timestamptz' },
  headers: { kind: 'array', element: { kind: 'record', fields: [{ name: 'key', type: { kind: 'text' } }, { name: 'value', type: { kind: 'bytea' } }] } },
};

/** The type of an INCLUDE column: `header 'name'` is bytea, or varchar when declared so; a bare `header` is `headers`. */
function includeType(what: string, header: string | undefined, declared: string | undefined): SqlType {
  if (what === 'header' && header !== undefined) {
    const t = (declared ?? 'bytea').toLowerCase();
    return t === 'bytea' ? { kind: 'bytea' } : { kind: 'varchar' };
  }
  const type = KAFKA_INCLUDE_TYPES[what === 'header' ? 'headers' : what];
  if (!type) throw new SqlError(SqlState.featureNotSupported, `INCLUDE ${what} is not supported`, { hint: "Supported: key, partition, offset, timestamp, headers, header 'name' [varchar | bytea]." });
  return type;
}

/**
 * `connectorColumns`: the columns a connector produces when the statement lists none (a
 * nexmark source, a kafka source with an inline Avro schema); the adapter supplies it, as the
 * catalog does not know the connectors.
 */
export function planCreateSource(
  stmt: CreateSource,
  id: string,
  sql: string,
  catalog: CatalogReader,
  createdAtUs: number,
  connectorColumns: (connector: string, options: WithOption[], format?: FormatSpec) => Column[],
): RelationItem {
  const name = stmt.name[stmt.name.length - 1]!;
  const schemaName = stmt.name.length > 1 ? stmt.name[0]! : DEFAULT_SCHEMA;
  const legacyType = option(stmt.with, 'connector.type');
  if (legacyType !== undefined && (stmt.objectType !== 'table' || legacyType.toLowerCase() !== 'filesystem')) {
    throw new SqlError(SqlState.featureNotSupported, `'connector.type' = '${legacyType}' is not supported`, {
      hint: "Flink's legacy 'connector.type' key is read for filesystem tables (CREATE TABLE) only; write 'connector' = '…' for other connectors.",
    });
  }
  if (stmt.objectType === 'table' && isFileSourceTable(stmt.with, stmt.partitionedBy)) return planFileSourceTable(stmt, id, sql);
  const connectorName = option(stmt.with, 'connector')?.toLowerCase();
  if (connectorName !== undefined && !connectors.has(connectorName) && !sinkConnectors.has(connectorName)) {
    throw new SqlError(SqlState.featureNotSupported, `connector "${connectorName}" is not supported`, {
      hint: "Supported connectors: 'kafka', 'nexmark', 'datagen'; a table fed by INSERT needs none; a Flink sink table 'blackhole' or 'filesystem'.",
    });
  }
  if (stmt.objectType === 'source' && connectorName === undefined) {
    throw new SqlError(SqlState.invalidParameterValue, 'a source needs a connector', {
      hint: "Add WITH (connector = 'nexmark', …), or use CREATE TABLE … APPEND ONLY for a stream fed by INSERT.",
    });
  }
  const sinkTable = connectorName !== undefined && sinkConnectors.has(connectorName);
  if (sinkTable && stmt.objectType === 'source') {
    throw new SqlError(SqlState.featureNotSupported, `connector "${connectorName}" is a sink connector`, { hint: 'Use CREATE SINK, or CREATE TABLE for a Flink sink table.' });
  }
  // Flink spells every connector relation CREATE TABLE: with a generator it is a source.
  const isSource = stmt.objectType === 'source' || (connectorName !== undefined && !sinkTable);
  const declared: Column[] = [];
  const computedDefs: { name: string; expr: string; type?: ColumnDef['type'] }[] = [];
  const order: { computed: boolean; index: number }[] = [];
  const pkNames: string[] = [...(stmt.primaryKey ?? [])];
  const names = new Set<string>();
  for (const c of stmt.columns) {
    if (names.has(c.name)) throw new SqlError(SqlState.duplicateColumn, `column "${c.name}" specified more than once`);
    names.add(c.name);
    if (c.generated !== undefined) {
      order.push({ computed: true, index: computedDefs.length });
      computedDefs.push({ name: c.name, expr: c.generated, type: c.type });
      continue;
    }
    order.push({ computed: false, index: declared.length });
    declared.push({ name: c.name, type: resolveTypeExpr(c.type!), nullable: !c.notNull && !c.primaryKey });
    if (c.primaryKey) pkNames.push(c.name);
  }
  if (computedDefs.length > 0 && !(isSource && connectorName !== undefined && connectorName !== 'kafka')) {
    throw new SqlError(SqlState.featureNotSupported, 'computed columns are only supported on sources with a generator connector');
  }
  let physical = declared;
  if (physical.length === 0 && connectorName !== undefined && !sinkTable) {
    physical = connectorColumns(connectorName, stmt.with, stmt.format);
    for (const c of physical) order.splice(order.length - computedDefs.length, 0, { computed: false, index: physical.indexOf(c) });
  }
  if (physical.length === 0) {
    throw new SqlError(SqlState.featureNotSupported, `${isSource ? 'sources' : 'tables'} without columns are not supported`);
  }
  if (stmt.include.length > 0) {
    if (connectorName !== 'kafka') throw new SqlError(SqlState.featureNotSupported, 'INCLUDE is only supported for kafka sources');
    for (const inc of stmt.include) {
      const what = inc.what.toLowerCase();
      const type = includeType(what, inc.header, inc.type);
      const colName = inc.alias ?? (inc.header !== undefined ? `_rw_kafka_header_${inc.header}` : `_rw_kafka_${what}`);
      if (physical.some((c) => c.name === colName)) throw new SqlError(SqlState.duplicateColumn, `column "${colName}" specified more than once`);
      physical = [...physical, { name: colName, type, nullable: true }];
      order.splice(order.length - computedDefs.length, 0, { computed: false, index: physical.length - 1 });
    }
  }
  const computedTypes = computedDefs.length > 0 ? bindComputed(name, physical, computedDefs, catalog) : [];
  const columns: Column[] = order.map((o) => (o.computed ? { name: computedDefs[o.index]!.name, type: computedTypes[o.index]!, nullable: true } : physical[o.index]!));
  const primaryKey = pkNames.length > 0 ? pkNames.map((n) => columnIndex(columns, n)) : undefined;
  const late = latePolicy(stmt.with);
  if (option(stmt.with, 'error.policy') !== undefined && connectorName !== 'kafka') {
    throw new SqlError(SqlState.featureNotSupported, 'error.policy is only supported for kafka sources');
  }
  if (connectorName === 'kafka') errorPolicy(stmt.with);
  const stream: StreamSpec = {
    appendOnly: isSource || stmt.appendOnly || sinkTable,
    late,
  };
  if (connectorName !== undefined && !sinkTable) {
    stream.connector = { name: connectorName as 'nexmark' | 'datagen' | 'kafka', options: stmt.with, baseTimeUs: createdAtUs };
    if (stmt.include.length > 0) {
      stream.connector.include = stmt.include.map((i) => ({ what: i.what.toLowerCase(), ...(i.header !== undefined ? { header: i.header } : {}), ...(i.type !== undefined ? { type: i.type } : {}) }));
    }
    if (connectorName === 'kafka') {
      const format = {
        format: (stmt.format?.format ?? 'plain').toLowerCase(),
        encode: (stmt.format?.encode ?? 'json').toLowerCase(),
        ...(stmt.format?.options.length ? { options: stmt.format.options } : {}),
      };
      stream.connector.format = format;
      // A keyed format is a table: its rows change; only PLAIN is a stream of inserts.
      stream.appendOnly = format.format === 'plain';
      if (!stream.appendOnly && stmt.watermark) {
        throw new SqlError(SqlState.featureNotSupported, 'a WATERMARK needs FORMAT PLAIN', { detail: 'Upserts and deletes could change rows the watermark has already closed.' });
      }
    }
  }
  if (computedDefs.length > 0) {
    stream.computed = order.flatMap((o, i) => (o.computed ? [{ column: i, expr: computedExpr(computedDefs[o.index]!) }] : []));
  }
  const item: RelationItem = {
    id,
    kind: isSource ? 'source' : 'table',
    schemaName,
    name,
    columns,
    primaryKey,
    sql,
    dependsOn: [],
    stream,
    appendOnly: stream.appendOnly,
  };
  if (sinkTable) item.sinkConnector = { name: connectorName, options: stmt.with, ...(stmt.partitionedBy ? { partitionedBy: stmt.partitionedBy } : {}) };
  if (stmt.partitionedBy && connectorName !== 'filesystem') {
    throw new SqlError(SqlState.featureNotSupported, 'PARTITIONED BY is only supported for filesystem sink tables', {
      hint: "Add WITH ('connector' = 'filesystem', 'path' = …, 'format' = 'csv').",
    });
  }
  if (connectorName === 'filesystem') fileSinkSpec(stmt.with, columns, stmt.partitionedBy);
  if (stmt.watermark) {
    // A nexmark source without a column list gets its columns from the generator (set by the adapter).
    stream.watermark = { column: -1, expr: stmt.watermark.expr };
    resolveWatermark(item, stmt.watermark.column, catalog);
  }
  return item;
}

/**
 * A filesystem source table (filesystem-source-spec.ts): an ordinary table of its declared
 * columns, whose first rows the adapter reads from the file when the table is created.
 */
function planFileSourceTable(stmt: CreateSource, id: string, sql: string): RelationItem {
  fileSourceSpec(stmt.with);
  const extras = stmt.watermark || stmt.appendOnly || stmt.include.length > 0 || stmt.format || (stmt.partitionedBy?.length ?? 0) > 0;
  if (extras || stmt.columns.some((c) => c.generated !== undefined || c.default !== undefined)) {
    throw new SqlError(SqlState.featureNotSupported, 'a filesystem source table takes plain columns only', {
      detail: 'WATERMARK, APPEND ONLY, INCLUDE, FORMAT, PARTITIONED BY, DEFAULT and computed columns are not supported on it.',
    });
  }
  const columns: Column[] = [];
  const pkNames = [...(stmt.primaryKey ?? [])];
  for (const c of stmt.columns) {
    if (columns.some((x) => x.name === c.name)) throw new SqlError(SqlState.duplicateColumn, `column "${c.name}" specified more than once`);
    columns.push({ name: c.name, type: resolveTypeExpr(c.type!), nullable: !c.notNull && !c.primaryKey });
    if (c.primaryKey) pkNames.push(c.name);
  }
  if (columns.length === 0) throw new SqlError(SqlState.featureNotSupported, 'tables without columns are not supported');
  const primaryKey = pkNames.length > 0 ? pkNames.map((n) => columnIndex(columns, n)) : undefined;
  for (const k of primaryKey ?? []) columns[k]!.nullable = false;
  const name = stmt.name[stmt.name.length - 1]!;
  const schemaName = stmt.name.length > 1 ? stmt.name[0]! : DEFAULT_SCHEMA;
  return { id, kind: 'table', schemaName, name, columns, primaryKey, sql, dependsOn: [] };
}

/** A computed column's expression, cast to its declared type when it has one. */
function computedExpr(c: { expr: string; type?: ColumnDef['type'] }): string {
  if (c.type === undefined) return c.expr;
  return `CAST((${c.expr}) AS ${typeName(resolveTypeExpr(c.type))})`;
}

/** The relation of a source's physical columns, under its own name, for binding computed columns. */
function physicalRelation(name: string, columns: Column[]): RelationItem {
  return { id: PHYSICAL_ID, kind: 'source', schemaName: DEFAULT_SCHEMA, name, columns, sql: '', dependsOn: [] };
}

/** The id computed-column queries read the physical row under (streams.ts feeds it). */
export const PHYSICAL_ID = 'physical';

function bindComputed(name: string, physical: Column[], defs: { name: string; expr: string; type?: ColumnDef['type'] }[], catalog: CatalogReader): SqlType[] {
  const bound = bindComputedQuery(name, physical, defs.map(computedExpr), catalog);
  if (holdsProcessingTime(bound.plan)) {
    // A computed column is computed once, at ingestion, and again when a generator's history is read.
    throw new SqlError(SqlState.featureNotSupported, 'PROCTIME() is not supported in a computed column', {
      hint: 'Add it in a view over the source instead: CREATE VIEW v AS SELECT *, PROCTIME() AS p_time FROM source.',
    });
  }
  return bound.schema.map((c) => c.type);
}

/**
 * `SELECT <exprs> FROM <the physical row>`: what computes a source's computed columns (the
 * physical relation is `PHYSICAL_ID`, so a computed column cannot read another).
 */
export function bindComputedQuery(name: string, physical: Column[], exprs: string[], catalog: CatalogReader): ReturnType<typeof bindQuery> {
  const rel = physicalRelation(name, physical);
  const text = `SELECT ${exprs.join(', ')} FROM "${name.replace(/"/g, '""')}"`;
  const parsed = parseStatement(text);
  if (parsed.kind !== 'pg') throw new SqlError(SqlState.syntaxError, 'a computed column is not an expression');
  const reader: CatalogReader = {
    ...catalog,
    getRelation: (s, n): CatalogRelation | undefined => (n === name && (s === undefined || s === DEFAULT_SCHEMA) ? rel : catalog.getRelation(s, n)),
  };
  return bindQuery(selectOf(parsed.ast), reader, { paramTypes: [], sql: text });
}

/** Checks the watermark column and expression. */
function resolveWatermark(item: RelationItem, column: string, catalog: CatalogReader): void {
  const wm = item.stream?.watermark;
  if (!wm) return;
  const i = columnIndex(item.columns, column);
  const t = item.columns[i]!.type.kind;
  if (t !== 'timestamp' && t !== 'timestamptz') {
    throw new SqlError(SqlState.datatypeMismatch, `the watermark column "${column}" must be a timestamp, not ${t}`);
  }
  wm.column = i;
  const bound = bindWatermarkQuery(item, catalog);
  const rt = bound.schema[0]!.type.kind;
  if (rt !== 'timestamp' && rt !== 'timestamptz') {
    throw new SqlError(SqlState.datatypeMismatch, `the watermark expression must give a timestamp, not ${rt}`);
  }
}

/** `SELECT <watermark expr> FROM <item>`, bound with the item visible (it is not in the catalog yet). */
export function bindWatermarkQuery(item: RelationItem, catalog: CatalogReader): ReturnType<typeof bindQuery> {
  const text = `SELECT ${item.stream!.watermark!.expr} FROM "${item.name.replace(/"/g, '""')}"`;
  const parsed = parseStatement(text);
  if (parsed.kind !== 'pg') throw new SqlError(SqlState.syntaxError, 'the watermark expression is not an expression');
  const reader: CatalogReader = {
    ...catalog,
    getRelation: (s, n): CatalogRelation | undefined => (n === item.name && (s === undefined || s === item.schemaName) ? item : catalog.getRelation(s, n)),
  };
  return bindQuery(selectOf(parsed.ast), reader, { paramTypes: [], sql: text });
}

function latePolicy(with_: WithOption[]): StreamSpec['late'] {
  const p = (option(with_, 'late.policy') ?? 'drop').toLowerCase();
  if (p !== 'drop' && p !== 'side_output' && p !== 'correct') {
    throw new SqlError(SqlState.invalidParameterValue, `invalid late.policy "${p}"`, { hint: "Use 'drop', 'side_output' or 'correct'." });
  }
  const text = option(with_, 'late.allowed.lateness');
  let allowedLatenessUs = 0;
  if (text !== undefined) {
    if (p !== 'correct') throw new SqlError(SqlState.invalidParameterValue, "late.allowed.lateness needs late.policy = 'correct'");
    const iv = parseInterval(text);
    allowedLatenessUs = iv.totalMicros();
    if (allowedLatenessUs < 0) throw new SqlError(SqlState.invalidParameterValue, 'late.allowed.lateness must not be negative');
  } else if (p === 'correct') {
    throw new SqlError(SqlState.invalidParameterValue, "late.policy 'correct' needs late.allowed.lateness", {
      hint: "For example WITH (late.policy = 'correct', late.allowed.lateness = '10 seconds').",
    });
  }
  return { policy: p as LatePolicy, allowedLatenessUs };
}

/** What a Kafka source does with a record that does not decode: DESIGN §7, docs/streaming.md. */
export type ErrorPolicy = 'side_output' | 'stop';

export function errorPolicy(with_: readonly WithOption[]): ErrorPolicy {
  const p = (option(with_, 'error.policy') ?? 'side_output').toLowerCase();
  if (p !== 'side_output' && p !== 'stop') {
    throw new SqlError(SqlState.invalidParameterValue, `invalid error.policy "${p}"`, { hint: "Use 'side_output' (the default) or 'stop'." });
  }
  return p;
}

export function option(with_: readonly WithOption[], key: string): string | undefined {
  return with_.find((o) => o.key === key)?.value;
}

function columnIndex(columns: Column[], name: string): number {
  const i = columns.findIndex((c) => c.name === name);
  if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`);
  return i;
}

/** The `<source>_errors` table of a Kafka source: the records that did not decode, with why. */
export function planErrorsTable(source: RelationItem, id: string, columns: Column[]): RelationItem {
  return {
    id,
    kind: 'table',
    schemaName: source.schemaName,
    name: `${source.name}_errors`,
    columns,
    sql: `-- records of ${source.name} that did not decode`,
    dependsOn: [source.id],
    lateOf: source.id,
  };
}

/** The `<source>_late` table of a source with late policy side_output. */
export function planLateTable(source: RelationItem, id: string): RelationItem {
  return {
    id,
    kind: 'table',
    schemaName: source.schemaName,
    name: `${source.name}_late`,
    columns: source.columns.map((c) => ({ ...c, nullable: true })),
    sql: `-- late rows of ${source.name}`,
    dependsOn: [source.id],
    lateOf: source.id,
  };
}

export function planCreateSink(stmt: CreateSink, id: string, sql: string, catalog: CatalogReader): SinkItem {
  const name = stmt.name[stmt.name.length - 1]!;
  const schemaName = stmt.name.length > 1 ? stmt.name[0]! : DEFAULT_SCHEMA;
  const into = stmt.into ? sinkTable(stmt.into, catalog) : undefined;
  const connector = (option(stmt.with, 'connector') ?? into?.sinkConnector?.name ?? '').toLowerCase();
  if (connector === 'filesystem' && !into) {
    throw new SqlError(SqlState.featureNotSupported, 'a filesystem sink needs a sink table', {
      hint: "Create the table with CREATE TABLE t (…) [PARTITIONED BY (…)] WITH ('connector' = 'filesystem', …), then INSERT INTO t SELECT ….",
    });
  }
  if (connector !== 'blackhole' && connector !== 'kafka' && connector !== 'filesystem') {
    throw new SqlError(SqlState.featureNotSupported, connector ? `sink connector "${connector}" is not supported` : 'a sink needs a connector', {
      hint: "Supported: 'kafka', and 'blackhole', which discards the changes (for benchmarks).",
    });
  }
  let format: { format: string; encode: string } | undefined;
  if (connector === 'kafka') {
    format = { format: (stmt.format?.format ?? 'plain').toLowerCase(), encode: (stmt.format?.encode ?? 'json').toLowerCase() };
    if (!['plain', 'upsert', 'debezium'].includes(format.format) || format.encode !== 'json') {
      throw new SqlError(SqlState.featureNotSupported, `FORMAT ${format.format.toUpperCase()} ENCODE ${format.encode.toUpperCase()} is not supported for kafka sinks`, {
        hint: 'Use FORMAT PLAIN, UPSERT or DEBEZIUM with ENCODE JSON.',
      });
    }
    for (const k of ['topic', 'properties.bootstrap.server']) {
      if (option(stmt.with, k) === undefined) throw new SqlError(SqlState.invalidParameterValue, `a kafka sink needs ${k}`);
    }
  }
  let viewSql: string;
  if (stmt.from) {
    const rel = catalog.getRelation(stmt.from.length > 1 ? stmt.from[0] : undefined, stmt.from[stmt.from.length - 1]!);
    if (!rel) throw new SqlError(SqlState.undefinedTable, `relation "${stmt.from.join('.')}" does not exist`);
    viewSql = `SELECT * FROM ${stmt.from.map((p) => `"${p.replace(/"/g, '""')}"`).join('.')}`;
  } else {
    viewSql = stmt.query ?? '';
  }
  const parsed = parseStatement(viewSql);
  if (parsed.kind !== 'pg') throw new SqlError(SqlState.syntaxError, 'a sink must be defined by a query');
  const bound = bindQuery(selectOf(parsed.ast), catalog, { paramTypes: [], sql: viewSql });
  const dependsOn = referencedIds(parsed.ast, catalog);
  if (into) {
    checkAssignable(bound.schema, into);
    dependsOn.push(into.id);
  }
  return {
    id,
    kind: 'sink',
    schemaName,
    name,
    sql,
    viewSql,
    columns: bound.schema,
    connector,
    options: into?.sinkConnector ? [...into.sinkConnector.options, ...stmt.with] : stmt.with,
    ...(into ? { into: into.id } : {}),
    ...(format ? { format } : {}),
    dependsOn,
  };
}

/** The table of `CREATE SINK … INTO table`: it must be a Flink sink table. */
function sinkTable(name: string[], catalog: CatalogReader): RelationItem {
  const rel = catalog.getRelation(name.length > 1 ? name[0] : undefined, name[name.length - 1]!) as RelationItem | undefined;
  if (!rel) throw new SqlError(SqlState.undefinedTable, `relation "${name.join('.')}" does not exist`);
  if (!rel.sinkConnector) {
    throw new SqlError(SqlState.featureNotSupported, `sinking into "${rel.name}" is not supported`, {
      detail: 'Only a sink table (CREATE TABLE … WITH (connector = \'blackhole\' or \'filesystem\')) can be the target of a sink.',
    });
  }
  return rel;
}

/** The query's columns must fit the table's, as INSERT's assignment casts allow. */
function checkAssignable(columns: Column[], table: RelationItem): void {
  if (columns.length !== table.columns.length) {
    throw new SqlError(
      SqlState.syntaxError,
      columns.length > table.columns.length ? 'INSERT has more expressions than target columns' : 'INSERT has more target columns than expressions',
    );
  }
  columns.forEach((c, i) => {
    const target = table.columns[i]!;
    if (c.type.kind === 'unknown' || sameType(c.type, target.type)) return;
    const cast = lookupCast(c.type, target.type);
    if (!cast || cast.context === 'explicit') {
      throw new SqlError(SqlState.datatypeMismatch, `column "${target.name}" is of type ${typeName(target.type)} but expression is of type ${typeName(c.type)}`, {
        hint: 'You will need to rewrite or cast the expression.',
      });
    }
  });
}
