/**
 * CREATE TABLE / VIEW / MATERIALIZED VIEW / INDEX and DROP. Each runs under the
 * coordinator's lock and commits its catalog entry in one batch (a materialized view
 * together with its hydrated state and contents). DDL inside BEGIN … COMMIT takes effect at
 * once, outside the transaction.
 */
import { collectGetIds, mapPlanScalars } from '../../plan/plan-visit.js';
import { getFunction } from '../../plan/functions/registry.js';
import { visitScalar } from '../../plan/scalar-util.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { isSystemId } from '../../catalog/system/index.js';
import { planViewDataflow } from '../view-plan.js';
import { lowerPlan } from '../../plan/lower/lower-plan.js';
import type { DataflowNode } from '../../plan/physical/dataflow-plan.js';
import type { CreateStmt, CreateTableAsStmt, DropStmt, IndexStmt, Node, ViewStmt } from '@pgsql/types';
import { planCreateIndex, planCreateTable, planCreateView } from '../../catalog/plan-create.js';
import type { CatalogItem, ItemKind, StoredItem } from '../../catalog/catalog-item.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { command, type Planned, type SessionContext } from './planned.js';

const kindWords: Record<ItemKind, string> = {
  table: 'table',
  view: 'view',
  'materialized-view': 'materialized view',
  source: 'source',
  index: 'index',
  sink: 'sink',
  function: 'function',
};

export function noParams(run: () => Promise<string>): Planned {
  return { paramTypes: [], columns: null, execute: async () => command(await run()) };
}

function stored(item: CatalogItem): StoredItem {
  return { id: item.id, kind: item.kind, schemaName: item.schemaName, name: item.name, sql: item.sql };
}

/** Returns true when the name is free; false when taken and IF NOT EXISTS was given (a notice is sent). */
export function checkNameFree(ctx: SessionContext, schemaName: string | undefined, name: string, ifNotExists: boolean | undefined): boolean {
  const existing = ctx.coord.catalog.byName(schemaName, name);
  if (!existing) return true;
  if (ifNotExists) {
    ctx.notice({ severity: 'NOTICE', code: SqlState.duplicateTable, message: `relation "${name}" already exists, skipping` });
    return false;
  }
  throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
}

/**
 * Temporary relations would be silently permanent (kept in the catalog, surviving the session
 * and restarts): refused at statement time. (Not in plan-create.ts, which also replays stored items.)
 */
function refuseTemporary(rel: { relpersistence?: string } | undefined, what: string): void {
  if (rel?.relpersistence === 't') {
    throw new SqlError(SqlState.featureNotSupported, `CREATE TEMPORARY ${what} is not supported`, {
      hint: `Create an ordinary ${what.toLowerCase()} and drop it when done.`,
    });
  }
}

export function planCreateTableStmt(ctx: SessionContext, stmt: CreateStmt, sql: string): Planned {
  refuseTemporary(stmt.relation, 'TABLE');
  return noParams(() =>
    ctx.coord.lock.run(async () => {
      if (!checkNameFree(ctx, stmt.relation?.schemaname, stmt.relation?.relname ?? '', stmt.if_not_exists)) return 'CREATE TABLE';
      const item = planCreateTable(stmt, ctx.coord.catalog.allocateId(), sql);
      await ctx.coord.store.write(ctx.coord.catalog.persistOps(stored(item)));
      ctx.coord.catalog.add(item);
      return 'CREATE TABLE';
    }),
  );
}

export function planCreateViewStmt(
  ctx: SessionContext,
  stmt: { ViewStmt: ViewStmt } | { CreateTableAsStmt: CreateTableAsStmt },
  sql: string,
  emitOnWindowClose = false,
): Planned {
  const materialized = 'CreateTableAsStmt' in stmt;
  if (materialized && stmt.CreateTableAsStmt.objtype !== 'OBJECT_MATVIEW') {
    throw new SqlError(SqlState.featureNotSupported, 'CREATE TABLE AS is not supported', {
      hint: 'Use CREATE MATERIALIZED VIEW to keep a query result up to date.',
    });
  }
  const tag = materialized ? 'CREATE MATERIALIZED VIEW' : 'CREATE VIEW';
  refuseTemporary(materialized ? stmt.CreateTableAsStmt.into?.rel : stmt.ViewStmt.view, 'VIEW');
  return noParams(() =>
    ctx.coord.lock.run(async () => {
      const rel = materialized ? stmt.CreateTableAsStmt.into?.rel : stmt.ViewStmt.view;
      const ifNotExists = materialized ? stmt.CreateTableAsStmt.if_not_exists : false;
      if (!materialized && stmt.ViewStmt.replace) {
        throw new SqlError(SqlState.featureNotSupported, 'CREATE OR REPLACE VIEW is not supported', {
          hint: 'Drop the view and create it again.',
        });
      }
      if (!checkNameFree(ctx, rel?.schemaname, rel?.relname ?? '', ifNotExists)) return tag;
      const item = planCreateView(stmt, ctx.coord.catalog.allocateId(), sql, ctx.coord.catalog);
      if (emitOnWindowClose) item.emitOnWindowClose = true;
      const ops = ctx.coord.catalog.persistOps(stored(item));
      if (materialized) {
        const plan = planViewDataflow(item, ctx.coord.catalog);
        if (emitOnWindowClose && ctx.coord.watermarkColumnsOfPlan(plan).size === 0) {
          throw new SqlError(SqlState.featureNotSupported, 'EMIT ON WINDOW CLOSE needs a watermarked column in the output', {
            detail: 'A row is emitted when the watermark passes it, so one of its columns must carry a watermark.',
            hint: 'Group by window_start or window_end of a TUMBLE or HOP over a source or table with a WATERMARK.',
          });
        }
        if (nowOutsideTemporalFilter(lowerPlan(plan).root)) {
          throw new SqlError(SqlState.featureNotSupported, 'now() is only supported in a temporal filter in a materialized view', {
            detail: "A maintained view cannot hold a value that changes with every read; it can hold rows while a time condition holds.",
            hint: "Compare a column with now() in WHERE, for example WHERE ts > now() - INTERVAL '1' HOUR.",
          });
        }
        const sessionFn = sessionFunctionIn(plan);
        if (sessionFn) {
          throw new SqlError(SqlState.featureNotSupported, `${sessionFn}() is not supported in a materialized view`, {
            detail: 'Its value depends on the session that reads it, which a maintained view does not have.',
          });
        }
        if (collectGetIds(plan).some(isSystemId)) {
          throw new SqlError(SqlState.featureNotSupported, 'materialized views over pg_catalog or information_schema relations are not supported', {
            detail: 'System relations are computed when they are read, not maintained.',
            hint: 'Use CREATE VIEW instead.',
          });
        }
        await ctx.coord.createMaterializedView(item, ops);
      } else {
        await ctx.coord.store.write(ops);
        ctx.coord.catalog.add(item);
      }
      return tag;
    }),
  );
}

export function planCreateIndexStmt(ctx: SessionContext, stmt: IndexStmt, sql: string): Planned {
  if (stmt.unique) {
    // Accepting it would promise a uniqueness that nothing checks.
    throw new SqlError(SqlState.featureNotSupported, 'CREATE UNIQUE INDEX is not supported', {
      hint: 'Declare a PRIMARY KEY on the table to have its key checked.',
    });
  }
  return noParams(() =>
    ctx.coord.lock.run(async () => {
      if (stmt.idxname && !checkNameFree(ctx, stmt.relation?.schemaname, stmt.idxname, stmt.if_not_exists)) return 'CREATE INDEX';
      const item = planCreateIndex(stmt, ctx.coord.catalog.allocateId(), sql, ctx.coord.catalog);
      if (!checkNameFree(ctx, item.schemaName, item.name, stmt.if_not_exists)) return 'CREATE INDEX';
      await ctx.coord.store.write(ctx.coord.catalog.persistOps(stored(item)));
      ctx.coord.catalog.add(item);
      return 'CREATE INDEX';
    }),
  );
}

const dropKinds: Record<string, ItemKind> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized-view',
  OBJECT_INDEX: 'index',
};

export function planDrop(ctx: SessionContext, stmt: DropStmt): Planned {
  const kind = dropKinds[stmt.removeType ?? ''];
  if (!kind) {
    throw new SqlError(SqlState.featureNotSupported, `DROP ${String(stmt.removeType).replace('OBJECT_', '')} is not supported`);
  }
  const names = (stmt.objects ?? []).map((obj) => ((obj as { List: { items: Node[] } }).List.items ?? []).map((n) => (n as { String: { sval: string } }).String.sval));
  return planDropObjects(ctx, kind, names, stmt.missing_ok === true, stmt.behavior === 'DROP_CASCADE');
}

/** DROP of any kind: checks kinds and dependents, then drops the targets and (CASCADE) what depends on them. */
export function planDropObjects(ctx: SessionContext, kind: ItemKind, objects: string[][], missingOk: boolean, cascade: boolean): Planned {
  const tag = `DROP ${kindWords[kind].toUpperCase()}`;
  return noParams(() =>
    ctx.coord.lock.run(async () => {
      const catalog = ctx.coord.catalog;
      const targets: CatalogItem[] = [];
      for (const names of objects) {
        const name = names[names.length - 1]!;
        const schemaName = names.length > 1 ? names[names.length - 2] : undefined;
        const item = catalog.byName(schemaName, name);
        if (!item) {
          if (missingOk) {
            ctx.notice({ severity: 'NOTICE', code: SqlState.undefinedTable, message: `${kindWords[kind]} "${name}" does not exist, skipping` });
            continue;
          }
          throw new SqlError(kind === 'index' ? SqlState.undefinedObject : SqlState.undefinedTable, `${kindWords[kind]} "${name}" does not exist`);
        }
        if (item.kind !== kind || (item.kind === 'table' && item.lateOf !== undefined)) {
          if (item.kind === 'table' && item.lateOf !== undefined) {
            throw new SqlError(SqlState.wrongObjectType, `"${name}" belongs to a source (its late or undecodable records)`, { hint: 'It is dropped with its source.' });
          }
          throw new SqlError(SqlState.wrongObjectType, `"${name}" is not a ${kindWords[kind]}`, {
            hint: `Use DROP ${kindWords[item.kind].toUpperCase()} to remove a ${kindWords[item.kind]}.`,
          });
        }
        targets.push(item);
      }
      // Everything that depends on the targets, transitively.
      const all = new Map<string, CatalogItem>();
      const visit = (item: CatalogItem): void => {
        if (all.has(item.id)) return;
        all.set(item.id, item);
        for (const dep of catalog.dependents(item.id)) {
          const part = dep.kind === 'table' && dep.lateOf === item.id; // a source's `_late` table goes with it
          if (!cascade && !targets.includes(dep) && dep.kind !== 'index' && !part) {
            throw new SqlError(SqlState.dependentObjectsStillExist, `cannot drop ${kindWords[item.kind]} "${item.name}" because other objects depend on it`, {
              detail: `${kindWords[dep.kind]} "${dep.name}" depends on ${kindWords[item.kind]} "${item.name}".`,
              hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
            });
          }
          visit(dep);
        }
      };
      for (const t of targets) visit(t);
      // As Postgres: name what CASCADE dropped besides the targets (indexes go silently).
      const cascaded = [...all.values()].filter((i) => !targets.includes(i) && i.kind !== 'index' && !(i.kind === 'table' && i.lateOf !== undefined));
      if (cascaded.length > 0) {
        const lines = cascaded.map((i) => `drop cascades to ${kindWords[i.kind]} ${i.name}`);
        ctx.notice(
          lines.length === 1
            ? { severity: 'NOTICE', code: SqlState.successfulCompletion, message: lines[0]! }
            : { severity: 'NOTICE', code: SqlState.successfulCompletion, message: `drop cascades to ${lines.length} other objects`, detail: lines.join('\n') },
        );
      }
      if (all.size > 0) await ctx.coord.dropItems([...all.keys()]);
      return tag;
    }),
  );
}

/** True when the dataflow plan reads now() / mz_now() anywhere but in a TemporalFilter's bounds. */
function nowOutsideTemporalFilter(node: DataflowNode): boolean {
  const visit = (v: unknown, key: string): boolean => {
    if (Array.isArray(v)) return v.some((x) => visit(x, key));
    if (!v || typeof v !== 'object') return false;
    const o = v as Record<string, unknown>;
    if (o.kind === 'Unmaterializable' && (o.fn === 'now' || o.fn === 'mz_now')) return true;
    return Object.entries(o).some(([k, x]) => !(o.kind === 'TemporalFilter' && k === 'bounds') && visit(x, k));
  };
  return visit(node, '');
}

/** The SQL name of a session-dependent function (current_user, pg_get_viewdef…) the plan calls, if any. */
function sessionFunctionIn(plan: LogicalPlan): string | undefined {
  let found: string | undefined;
  mapPlanScalars(plan, (e) => {
    visitScalar(e, (x) => {
      if (x.kind === 'Call' && !found && getFunction(x.fn).session) found = getFunction(x.fn).sqlName;
    });
    return e;
  });
  return found;
}
