/**
 * The streaming DDL (weir grammar): CREATE SOURCE, CREATE TABLE … WATERMARK … APPEND ONLY,
 * CREATE SINK, DROP SOURCE | SINK; and Flink's INSERT INTO a sink table, which is a sink. Each runs under the coordinator's lock; a source starts
 * producing as soon as its catalog entry is committed, a sink hydrates like a materialized
 * view.
 */
import type { WeirStatement } from '../../sql/ast/weir-ast.js';
import type { InsertStmt } from '@pgsql/types';
import type { RelationItem, StoredItem } from '../../catalog/catalog-item.js';
import { parseStatement } from '../../sql/parser/parse.js';
import { isWord, tokenize } from '../../sql/parser/sql-tokens.js';
import { planCreateSink, planCreateSource, planErrorsTable, planLateTable } from '../../catalog/plan-source.js';
import { KAFKA_ERROR_COLUMNS } from '../kafka-ingest.js';
import { checkSinkDirectory } from '../file-sink.js';
import { fileSinkSpec } from '../../catalog/filesystem-sink-spec.js';
import { planViewDataflow } from '../view-plan.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { connectorColumns, StreamRuntime } from '../streams.js';
import { checkNameFree, noParams, planDropObjects } from './ddl.js';
import type { Planned, SessionContext } from './planned.js';
import type { Change } from '../../dataflow/zset.js';
import { fileSourceSpec } from '../../catalog/filesystem-source-spec.js';
import { readCsvFile } from '../../sources/filesystem/read-csv-file.js';

type CreateSource = Extract<WeirStatement, { kind: 'CreateSource' }>;
type CreateSink = Extract<WeirStatement, { kind: 'CreateSink' }>;
type DropWeirObject = Extract<WeirStatement, { kind: 'DropWeirObject' }>;

export function planCreateSourceStmt(ctx: SessionContext, stmt: CreateSource, sql: string): Planned {
  const tag = stmt.objectType === 'source' ? 'CREATE SOURCE' : 'CREATE TABLE';
  const connector = stmt.with.some((o) => o.key === 'connector');
  if (stmt.objectType === 'table' && stmt.watermark && !stmt.appendOnly && !connector) {
    throw new SqlError(SqlState.featureNotSupported, 'a table with a WATERMARK must be APPEND ONLY', {
      detail: 'Updates and deletes could change rows the watermark has already closed.',
      hint: 'Add APPEND ONLY after the column list.',
    });
  }
  return noParams(() =>
    ctx.coord.lock.run(async () => {
      const name = stmt.name[stmt.name.length - 1]!;
      const schemaName = stmt.name.length > 1 ? stmt.name[0] : undefined;
      if (!checkNameFree(ctx, schemaName, name, stmt.ifNotExists)) return tag;
      const catalog = ctx.coord.catalog;
      const createdAtUs = Date.now() * 1000;
      const item = planCreateSource(stmt, catalog.allocateId(), sql, catalog, createdAtUs, connectorColumns);
      if (!item.stream && !item.sinkConnector) {
        await createFileSourceTable(ctx, item, stmt);
        return tag;
      }
      // Checks the connector's options and the watermark expression now, not at the first tick.
      await StreamRuntime.create(item, catalog, ctx.coord.sourceLog).kafka?.close();
      if (item.sinkConnector?.name === 'filesystem') {
        await checkSinkDirectory(fileSinkSpec(item.sinkConnector.options, item.columns, item.sinkConnector.partitionedBy));
      }
      const stored: StoredItem = { id: item.id, kind: item.kind, schemaName: item.schemaName, name: item.name, sql, createdAtUs };
      let late;
      if (item.stream!.late.policy === 'side_output') {
        late = planLateTable(item, catalog.allocateId());
        if (catalog.byName(schemaName, late.name)) {
          throw new SqlError(SqlState.duplicateTable, `relation "${late.name}" already exists`, {
            detail: `A source with late.policy 'side_output' keeps its late rows in "${late.name}".`,
          });
        }
        item.stream!.lateTableId = late.id;
        stored.lateTableId = late.id;
      }
      let errors;
      if (item.stream!.connector?.name === 'kafka') {
        errors = planErrorsTable(item, catalog.allocateId(), KAFKA_ERROR_COLUMNS);
        if (catalog.byName(schemaName, errors.name)) {
          throw new SqlError(SqlState.duplicateTable, `relation "${errors.name}" already exists`, {
            detail: `A Kafka source keeps the records that do not decode in "${errors.name}".`,
          });
        }
        item.stream!.errorsTableId = errors.id;
        stored.errorsTableId = errors.id;
      }
      await ctx.coord.createStream(item, catalog.persistOps(stored), [late, errors].filter((t) => t !== undefined));
      return tag;
    }),
  );
}

/** A filesystem source table: its file's rows become its contents, committed with its catalog entry in one tick. */
async function createFileSourceTable(ctx: SessionContext, item: RelationItem, stmt: CreateSource): Promise<void> {
  const catalog = ctx.coord.catalog;
  const rows = readCsvFile(fileSourceSpec(stmt.with), item.columns, item.primaryKey);
  const stored: StoredItem = { id: item.id, kind: item.kind, schemaName: item.schemaName, name: item.name, sql: item.sql };
  catalog.add(item);
  try {
    await ctx.coord.commitTick(new Map([[item.id, rows.map((r): Change => [r, 1])]]), catalog.persistOps(stored));
  } catch (e) {
    catalog.remove(item.id);
    throw e;
  }
}

export function planCreateSinkStmt(ctx: SessionContext, stmt: CreateSink, sql: string): Planned {
  return noParams(() =>
    ctx.coord.lock.run(async () => {
      const name = stmt.name[stmt.name.length - 1]!;
      if (!checkNameFree(ctx, stmt.name.length > 1 ? stmt.name[0] : undefined, name, stmt.ifNotExists)) return 'CREATE SINK';
      const catalog = ctx.coord.catalog;
      const item = planCreateSink(stmt, catalog.allocateId(), sql, catalog);
      if (item.connector === 'kafka' && item.format?.format === 'plain' && !ctx.coord.appendOnlyPlan(planViewDataflow(item, catalog))) {
        throw new SqlError(SqlState.featureNotSupported, 'FORMAT PLAIN needs an append-only query', {
          detail: 'The query can update or delete rows, which a plain Kafka topic cannot express.',
          hint: 'Use FORMAT UPSERT or FORMAT DEBEZIUM, or a view with EMIT ON WINDOW CLOSE.',
        });
      }
      if (item.connector === 'filesystem' && !ctx.coord.appendOnlyPlan(planViewDataflow(item, catalog))) {
        throw new SqlError(SqlState.featureNotSupported, 'a filesystem sink needs an append-only query', {
          detail: 'The query can update or delete rows, which files of appended lines cannot express.',
          hint: 'Write the query so that it only inserts rows (a view with EMIT ON WINDOW CLOSE, or no aggregation), or use a kafka sink with FORMAT UPSERT.',
        });
      }
      const stored: StoredItem = { id: item.id, kind: 'sink', schemaName: item.schemaName, name: item.name, sql };
      await ctx.coord.createMaterializedView(item, catalog.persistOps(stored));
      return 'CREATE SINK';
    }),
  );
}

/**
 * Flink's `INSERT INTO t SELECT …` where t is a sink table (CREATE TABLE t … WITH
 * ('connector' = 'blackhole')): a continuous job, so it becomes a sink into t, stored as
 * `CREATE SINK "t_insert_<n>" INTO t AS <query>` (the first free n). Undefined for any other
 * INSERT. A column list or RETURNING is 0A000.
 */
export function planInsertIntoSinkTable(ctx: SessionContext, insert: InsertStmt, sql: string): Planned | undefined {
  const rv = insert.relation;
  if (!rv?.relname) return undefined;
  const table = ctx.coord.catalog.byName(rv.schemaname, rv.relname);
  if (!table || table.kind !== 'table' || !(table as RelationItem).sinkConnector) return undefined;
  if ((insert.cols ?? []).length > 0 || insert.returningClause || insert.onConflictClause || insert.withClause) {
    throw new SqlError(SqlState.featureNotSupported, 'INSERT into a sink table takes a plain query', {
      detail: 'A column list, RETURNING and WITH are not supported there.',
    });
  }
  // The query: the text after the table name (offsets of the text as written; backticks keep them).
  const tokens = tokenize(sql).filter((t) => t.start >= (rv.location ?? 0));
  let i = 1;
  while (tokens[i]?.text === '.' && tokens[i + 1]) i += 2;
  const rest = tokens[i];
  if (!rest || isWord(rest, 'as') || isWord(rest, 'default')) {
    throw new SqlError(SqlState.featureNotSupported, 'INSERT into a sink table takes a plain query');
  }
  const query = sql.slice(rest.start).replace(/;\s*$/, '');
  const target = sql.slice(tokens[0]!.start, tokens[i - 1]!.end);
  let n = 1;
  while (ctx.coord.catalog.byName(rv.schemaname, `${table.name}_insert_${n}`)) n++;
  const sinkName = `${table.name}_insert_${n}`;
  const text = `CREATE SINK "${sinkName}" INTO ${target} AS ${query}`;
  const parsed = parseStatement(text);
  if (parsed.kind !== 'weir' || parsed.ast.kind !== 'CreateSink') throw new Error('internal error: the sink of an INSERT did not parse');
  const sink = planCreateSinkStmt(ctx, parsed.ast, text);
  return { ...sink, execute: async (params) => (await sink.execute(params), { kind: 'command', commandTag: 'INSERT 0 0' }) };
}

export function planDropWeirObject(ctx: SessionContext, stmt: DropWeirObject): Planned {
  return planDropObjects(ctx, stmt.objectType, stmt.names, stmt.ifExists, stmt.cascade);
}
