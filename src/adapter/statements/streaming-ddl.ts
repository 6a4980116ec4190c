/**
 * The streaming DDL (weir grammar): CREATE SOURCE, CREATE TABLE … WATERMARK … APPEND ONLY,
 * CREATE SINK, DROP SOURCE | SINK. Each runs under the coordinator's lock; a source starts
 * producing as soon as its catalog entry is committed, a sink hydrates like a materialized
 * view.
 */
import type { WeirStatement } from '../../sql/ast/weir-ast.js';
import type { StoredItem } from '../../catalog/catalog-item.js';
import { planCreateSink, planCreateSource, planLateTable } from '../../catalog/plan-source.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { connectorColumns, StreamRuntime } from '../streams.js';
import { checkNameFree, noParams, planDropObjects } from './ddl.js';
import type { Planned, SessionContext } from './planned.js';

type CreateSource = Extract<WeirStatement, { kind: 'CreateSource' }>;
type CreateSink = Extract<WeirStatement, { kind: 'CreateSink' }>;
type DropWeirObject = Extract<WeirStatement, { kind: 'DropWeirObject' }>;

export function planCreateSourceStmt(ctx: SessionContext, stmt: CreateSource, sql: string): Planned {
  const tag = stmt.objectType === 'source' ? 'CREATE SOURCE' : 'CREATE TABLE';
  if (stmt.objectType === 'table' && stmt.watermark && !stmt.appendOnly) {
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
      // Checks the connector's options and the watermark expression now, not at the first tick.
      StreamRuntime.create(item, catalog);
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
      await ctx.coord.createStream(item, catalog.persistOps(stored), late);
      return tag;
    }),
  );
}

export function planCreateSinkStmt(ctx: SessionContext, stmt: CreateSink, sql: string): Planned {
  return noParams(() =>
    ctx.coord.lock.run(async () => {
      const name = stmt.name[stmt.name.length - 1]!;
      if (!checkNameFree(ctx, stmt.name.length > 1 ? stmt.name[0] : undefined, name, stmt.ifNotExists)) return 'CREATE SINK';
      const catalog = ctx.coord.catalog;
      const item = planCreateSink(stmt, catalog.allocateId(), sql, catalog);
      const stored: StoredItem = { id: item.id, kind: 'sink', schemaName: item.schemaName, name: item.name, sql };
      await ctx.coord.createMaterializedView(item, catalog.persistOps(stored));
      return 'CREATE SINK';
    }),
  );
}

export function planDropWeirObject(ctx: SessionContext, stmt: DropWeirObject): Planned {
  return planDropObjects(ctx, stmt.objectType, stmt.names, stmt.ifExists, stmt.cascade);
}
