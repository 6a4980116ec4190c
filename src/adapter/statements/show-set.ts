/**
 * SHOW (objects, columns, CREATE text, a setting), SET and RESET.
 */
import type { VariableSetStmt, VariableShowStmt } from '@pgsql/types';
import type { WeirStatement } from '../../sql/ast/weir-ast.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T, typeName } from '../../types/sql-type.js';
import { assertNever } from '../../util/assert-never.js';
import type { ItemKind } from '../../catalog/catalog-item.js';
import { canonicalSetting, defaultSettings, REPORTED } from '../settings.js';
import { commitChanges } from './dml.js';
import { PendingWrites } from '../pending-writes.js';
import { command, rowsResult, type Planned, type SessionContext } from './planned.js';

const showKinds: Record<string, ItemKind | undefined> = {
  tables: 'table',
  views: 'view',
  'materialized-views': 'materialized-view',
  sources: 'source',
  sinks: 'sink',
  indexes: 'index',
};

export function planShowWeir(ctx: SessionContext, stmt: Extract<WeirStatement, { kind: 'ShowObjects' | 'ShowColumns' | 'ShowCreate' }>): Planned {
  const catalog = ctx.coord.catalog;
  switch (stmt.kind) {
    case 'ShowObjects': {
      if (stmt.objectType === 'schemas') return fixed([{ name: 'name' }], () => [['public']]);
      if (stmt.objectType === 'databases') return fixed([{ name: 'name' }], () => [['weir']]);
      const kind = showKinds[stmt.objectType];
      if (kind === 'index') {
        return fixed([{ name: 'name' }, { name: 'on' }, { name: 'key' }], () =>
          catalog
            .items()
            .flatMap((i) => (i.kind === 'index' ? [[i.name, catalog.get(i.onId)?.name ?? '', `{${i.columns.join(',')}}`]] : []))
            .sort(byFirst),
        );
      }
      return fixed([{ name: 'name' }], () =>
        catalog
          .items()
          .filter((i) => i.kind === kind && (stmt.from === undefined || i.schemaName === stmt.from))
          .map((i) => [i.name])
          .sort(byFirst),
      );
    }
    case 'ShowColumns': {
      const name = stmt.relation[stmt.relation.length - 1]!;
      const rel = catalog.getRelation(stmt.relation.length > 1 ? stmt.relation[0] : undefined, name);
      if (!rel) throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`);
      return fixed([{ name: 'name' }, { name: 'nullable', type: T.bool }, { name: 'type' }], () =>
        rel.columns.map((c) => [c.name, c.nullable, typeName(c.type)]),
      );
    }
    case 'ShowCreate': {
      const name = stmt.name[stmt.name.length - 1]!;
      const item = catalog.byName(stmt.name.length > 1 ? stmt.name[0] : undefined, name);
      if (!item || item.kind !== stmt.objectType) {
        throw new SqlError(SqlState.undefinedTable, `${stmt.objectType.replace('-', ' ')} "${name}" does not exist`);
      }
      return fixed([{ name: 'name' }, { name: 'create_sql' }], () => [[item.name, item.sql]]);
    }
    default:
      return assertNever(stmt, 'show statement');
  }
}

function byFirst(a: unknown[], b: unknown[]): number {
  return String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0;
}

function fixed(cols: { name: string; type?: typeof T.bool }[], rows: () => (string | boolean)[][]): Planned {
  const columns = cols.map((c) => ({ name: c.name, type: c.type ?? T.text }));
  return { paramTypes: [], columns, execute: async () => rowsResult(columns, rows(), `SHOW`) };
}

export function planShowSetting(ctx: SessionContext, stmt: VariableShowStmt): Planned {
  const name = stmt.name ?? '';
  if (name === 'all') {
    // Postgres's three columns; weir has no descriptions (yet), so the third is empty.
    const columns = [{ name: 'name', type: T.text }, { name: 'setting', type: T.text }, { name: 'description', type: T.text }];
    return {
      paramTypes: [],
      columns,
      execute: async () => rowsResult(columns, [...ctx.settings.entries()].sort(byFirst).map(([k, v]) => [k, v, '']), 'SHOW'),
    };
  }
  const key = canonicalSetting(name);
  const columns = [{ name: name.toLowerCase(), type: T.text }];
  return {
    paramTypes: [],
    columns,
    execute: async () => {
      const value = ctx.settings.get(key);
      if (value === undefined) throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`);
      return rowsResult(columns, [[value]], 'SHOW');
    },
  };
}

export function planSet(ctx: SessionContext, stmt: VariableSetStmt): Planned {
  return {
    paramTypes: [],
    columns: null,
    execute: async () => {
      const defaults = defaultSettings();
      switch (stmt.kind) {
        case 'VAR_SET_VALUE':
        case 'VAR_SET_CURRENT':
          apply(ctx, canonicalSetting(stmt.name ?? ''), settingValue(stmt));
          return command('SET');
        case 'VAR_SET_DEFAULT':
        case 'VAR_RESET': {
          const key = canonicalSetting(stmt.name ?? '');
          const d = defaults.get(key);
          if (d === undefined) ctx.settings.delete(key);
          else apply(ctx, key, d);
          return command(stmt.kind === 'VAR_RESET' ? 'RESET' : 'SET');
        }
        case 'VAR_RESET_ALL':
          // Settings weir does not know were only remembered: RESET ALL forgets them, as RESET does.
          for (const k of [...ctx.settings.keys()]) if (!defaults.has(k)) ctx.settings.delete(k);
          for (const [k, v] of defaults) apply(ctx, k, v);
          return command('RESET');
        case 'VAR_SET_MULTI':
          // SET TRANSACTION … / SET SESSION CHARACTERISTICS: weir's transactions are serializable.
          return command('SET');
        default:
          throw new SqlError(SqlState.featureNotSupported, 'this form of SET is not supported');
      }
    },
  };
}

function apply(ctx: SessionContext, key: string, value: string): void {
  if (key === 'TimeZone' && !['utc', 'gmt', 'etc/utc', 'z', '+00', '00:00', 'zulu'].includes(value.toLowerCase())) {
    throw new SqlError(SqlState.invalidParameterValue, `invalid value for parameter "TimeZone": "${value}"`, {
      detail: 'weir supports only the UTC time zone for now.',
    });
  }
  if (key === 'client_encoding' && !['utf8', 'utf-8', 'unicode'].includes(value.toLowerCase().replace(/'/g, ''))) {
    throw new SqlError(SqlState.invalidParameterValue, `invalid value for parameter "client_encoding": "${value}"`, {
      detail: 'weir speaks UTF8 only.',
    });
  }
  const stored = key === 'client_encoding' ? 'UTF8' : key === 'TimeZone' ? 'UTC' : value;
  ctx.settings.set(key, stored);
  if (REPORTED.has(key)) ctx.parameterChanged(key, stored);
}

function settingValue(stmt: VariableSetStmt): string {
  const parts = (stmt.args ?? []).map((a) => {
    const c = (a as { A_Const?: { sval?: { sval: string }; ival?: { ival?: number }; fval?: { fval: string }; boolval?: { boolval?: boolean } } }).A_Const;
    if (!c) throw new SqlError(SqlState.featureNotSupported, 'SET accepts only constant values');
    if (c.sval) return c.sval.sval;
    if (c.ival) return String(c.ival.ival ?? 0);
    if (c.fval) return c.fval.fval;
    if (c.boolval) return c.boolval.boolval ? 'on' : 'off';
    return '';
  });
  return parts.join(', ');
}

export function planTransaction(ctx: SessionContext, kind: string): Planned {
  return {
    paramTypes: [],
    columns: null,
    execute: async () => {
      const tx = ctx.tx;
      switch (kind) {
        case 'TRANS_STMT_BEGIN':
        case 'TRANS_STMT_START':
          if (tx.status !== 'idle') {
            ctx.notice({ severity: 'WARNING', code: SqlState.activeSqlTransaction, message: 'there is already a transaction in progress' });
          } else {
            tx.status = 'in-transaction';
          }
          return command('BEGIN');
        case 'TRANS_STMT_COMMIT': {
          if (tx.status === 'idle') {
            ctx.notice({ severity: 'WARNING', code: SqlState.noActiveSqlTransaction, message: 'there is no transaction in progress' });
            return command('COMMIT');
          }
          const failed = tx.status === 'failed';
          const pending = tx.pending;
          tx.status = 'idle';
          tx.pending = new PendingWrites();
          if (failed) return command('ROLLBACK');
          await (await commitChanges(ctx, pending))?.durable;
          return command('COMMIT');
        }
        case 'TRANS_STMT_ROLLBACK':
          if (tx.status === 'idle') {
            ctx.notice({ severity: 'WARNING', code: SqlState.noActiveSqlTransaction, message: 'there is no transaction in progress' });
          }
          tx.status = 'idle';
          tx.pending = new PendingWrites();
          return command('ROLLBACK');
        default:
          throw new SqlError(SqlState.featureNotSupported, `${kind.replace('TRANS_STMT_', '')} is not supported`);
      }
    },
  };
}
