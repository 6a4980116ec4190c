/**
 * CREATE FUNCTION … LANGUAGE SQL and DROP FUNCTION [IF EXISTS] f [(types)] [CASCADE]. A
 * function is stored as its CREATE text like any catalog item; the views and sinks that call
 * it depend on it, so DROP FUNCTION without CASCADE refuses while they exist (2BP01).
 */
import type { CreateFunctionStmt, DropStmt, Node, ObjectWithArgs } from '@pgsql/types';
import type { CatalogItem } from '../../catalog/catalog-item.js';
import { planCreateFunction } from '../../catalog/plan-function.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { noParams } from './ddl.js';
import type { Planned, SessionContext } from './planned.js';

export function planCreateFunctionStmt(ctx: SessionContext, stmt: CreateFunctionStmt, sql: string): Planned {
  return noParams(() =>
    ctx.coord.lock.run(async () => {
      const catalog = ctx.coord.catalog;
      const item = planCreateFunction(stmt, catalog.allocateId(), sql, catalog, true);
      if (catalog.getFunction(item.schemaName, item.name)) {
        throw new SqlError(SqlState.duplicateFunction, `function "${item.name}" already exists`, { detail: 'weir keeps one function per name.' });
      }
      await ctx.coord.store.write(catalog.persistOps({ id: item.id, kind: 'function', schemaName: item.schemaName, name: item.name, sql }));
      catalog.add(item);
      return 'CREATE FUNCTION';
    }),
  );
}

export function planDropFunction(ctx: SessionContext, stmt: DropStmt): Planned {
  const cascade = stmt.behavior === 'DROP_CASCADE';
  return noParams(() =>
    ctx.coord.lock.run(async () => {
      const catalog = ctx.coord.catalog;
      const ids: string[] = [];
      for (const obj of stmt.objects ?? []) {
        const o = (obj as { ObjectWithArgs?: ObjectWithArgs }).ObjectWithArgs;
        const names = (o?.objname ?? []).map((n: Node) => ('String' in n ? (n.String.sval ?? '') : ''));
        const name = names[names.length - 1] ?? '';
        const fn = catalog.getFunction(names.length > 1 ? names[names.length - 2] : undefined, name);
        if (!fn) {
          if (stmt.missing_ok) {
            ctx.notice({ severity: 'NOTICE', code: SqlState.undefinedFunction, message: `function ${name}() does not exist, skipping` });
            continue;
          }
          throw new SqlError(SqlState.undefinedFunction, `function ${name}() does not exist`);
        }
        ids.push(fn.id);
      }
      // What calls the functions, transitively.
      const all = new Map<string, CatalogItem | undefined>(ids.map((id) => [id, undefined]));
      const visit = (id: string): void => {
        for (const dep of catalog.dependents(id)) {
          if (all.has(dep.id)) continue;
          if (!cascade) {
            throw new SqlError(SqlState.dependentObjectsStillExist, 'cannot drop function because other objects depend on it', {
              detail: `"${dep.name}" calls it.`,
              hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
            });
          }
          all.set(dep.id, dep);
          visit(dep.id);
        }
      };
      for (const id of ids) visit(id);
      const cascaded = [...all.values()].filter((i): i is CatalogItem => i !== undefined && i.kind !== 'index');
      if (cascaded.length > 0) {
        ctx.notice({ severity: 'NOTICE', code: SqlState.successfulCompletion, message: `drop cascades to ${cascaded.map((i) => `"${i.name}"`).join(', ')}` });
      }
      if (all.size > 0) await ctx.coord.dropItems([...all.keys()]);
      return 'DROP FUNCTION';
    }),
  );
}
