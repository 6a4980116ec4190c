/**
 * INSERT, UPDATE and DELETE. The binder gives a plan producing the rows to insert, the
 * old++new rows to update, or the rows to delete; it runs one-shot over the table's current
 * contents, the changes are checked (NOT NULL 23502, primary key 23505) and then committed
 * as one tick — or, inside BEGIN … COMMIT, added to the transaction's pending changes and
 * checked again at COMMIT. A failing statement changes nothing.
 */
import type { Node } from '@pgsql/types';
import { consolidate, type Change } from '../../dataflow/zset.js';
import { optimize } from '../../plan/optimize.js';
import { substituteParams } from '../../plan/plan-visit.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { bindStatement } from '../../sql/binder/index.js';
import type { BoundStatement } from '../../sql/binder/bound-statement.js';
import type { KvReader } from '../../storage/kv-store.js';
import type { Row } from '../../types/datum.js';
import { formatDatum } from '../../types/text-format.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { SqlType } from '../../types/sql-type.js';
import type { RelationItem } from '../../catalog/catalog-item.js';
import { tableEntryKey } from '../collections.js';
import { columnsOf, command, expandRows, rowsResult, type Planned, type SessionContext } from './planned.js';
import { runQuery } from './read-inputs.js';

type DmlStatement = Extract<BoundStatement, { kind: 'Insert' | 'Update' | 'Delete' }>;

export function planDml(ctx: SessionContext, ast: Node, sql: string, paramTypes: (SqlType | undefined)[]): Planned {
  const bound = bindStatement(ast, ctx.coord.catalog, { paramTypes, sql }) as DmlStatement;
  const columns = bound.returningSchema ? columnsOf(bound.returningSchema) : null;
  return {
    paramTypes: bound.paramTypes,
    columns,
    isWrite: true,
    async execute(params: Row) {
      const affected = await executeDml(ctx, bound, params);
      const tag = bound.kind === 'Insert' ? `INSERT 0 ${affected.length}` : `${bound.kind.toUpperCase()} ${affected.length}`;
      if (!bound.returning || !bound.returningSchema) return command(tag);
      return rowsResult(columns!, await evalReturning(ctx, bound, affected), tag);
    },
  };
}

/** Computes, checks and applies (or queues) the statement's changes; returns the affected rows. */
async function executeDml(ctx: SessionContext, bound: DmlStatement, params: Row): Promise<Row[]> {
  const table = ctx.coord.catalog.get(bound.tableId) as RelationItem;
  const plan = optimize(substituteParams(bound.plan, params));
  const run = async (reader: KvReader) => {
    // Reads see the gathered changes of this transaction or batch (read-inputs.ts).
    const rows = expandRows(await runQuery(ctx, plan, reader));
    const width = table.columns.length;
    let changes: Change[];
    let affected: Row[];
    switch (bound.kind) {
      case 'Insert':
        changes = rows.map((r) => [r, 1]);
        affected = rows;
        break;
      case 'Update':
        changes = [];
        affected = [];
        for (const r of rows) {
          const newRow = r.slice(width);
          changes.push([r.slice(0, width), -1], [newRow, 1]);
          affected.push(newRow);
        }
        break;
      case 'Delete':
        changes = rows.map((r) => [r, -1]);
        affected = rows;
        break;
    }
    await checkTableChanges(table, changes, gathered.get(table.id) ?? [], reader);
    return { changes, affected };
  };
  // Inside BEGIN … COMMIT the changes join the transaction; outside, the batch's implicit one.
  const gathered = ctx.tx.status === 'in-transaction' ? ctx.tx.pending : ctx.tx.implicit;
  const snap = ctx.coord.snapshot();
  try {
    const { changes, affected } = await run(snap);
    gathered.set(table.id, consolidate([...(gathered.get(table.id) ?? []), ...changes]));
    return affected;
  } finally {
    await snap.release();
  }
}

/**
 * Commits gathered table changes as one tick, checking them again under the lock: other
 * sessions may have committed since each statement ran.
 */
export async function commitChanges(ctx: SessionContext, changes: Map<string, Change[]>): Promise<void> {
  if (changes.size === 0) return;
  await ctx.coord.lock.run(async () => {
    for (const [tableId, tableChanges] of changes) {
      const table = ctx.coord.catalog.get(tableId);
      if (!table || table.kind !== 'table') {
        throw new SqlError(SqlState.undefinedTable, 'a table written in this transaction was dropped');
      }
      await checkTableChanges(table, tableChanges, [], ctx.coord.store);
    }
    await ctx.coord.commitTick(changes);
  });
}

/**
 * Checks a table's changes against its constraints: NOT NULL for every inserted row, and for
 * keyed tables that every key ends with at most one row (stored rows + earlier pending
 * changes + these changes).
 */
export async function checkTableChanges(table: RelationItem, changes: Change[], pending: Change[], reader: KvReader): Promise<void> {
  for (const [row, diff] of changes) {
    if (diff <= 0) continue;
    table.columns.forEach((c, i) => {
      if (!c.nullable && row[i] === null) {
        throw new SqlError(SqlState.notNullViolation, `null value in column "${c.name}" of relation "${table.name}" violates not-null constraint`, {
          detail: `Failing row contains (${row.map((d, j) => (d === null ? 'null' : formatDatum(d, table.columns[j]!.type))).join(', ')}).`,
        });
      }
    });
  }
  const pk = table.primaryKey;
  if (!pk) return;
  const all = consolidate([...pending, ...changes]);
  const byKey = new Map<string, { key: Uint8Array; row: Row; net: number }>();
  for (const [row, diff] of all) {
    const key = tableEntryKey(table.id, row, pk);
    const ks = Buffer.from(key).toString('latin1');
    const e = byKey.get(ks);
    if (e) {
      e.net += diff;
      if (diff > 0) e.row = row;
    } else byKey.set(ks, { key, row, net: diff });
  }
  const entries = [...byKey.values()].filter((e) => e.net > 0);
  const stored = await reader.getMany(entries.map((e) => e.key));
  entries.forEach((e, i) => {
    const exists = stored[i] ? 1 : 0;
    // A stored row that these changes remove has its -1 counted in `net` already, so this is
    // the number of rows the key ends with.
    if (exists + e.net > 1) {
      const cols = pk.map((c) => table.columns[c]!);
      throw new SqlError(SqlState.uniqueViolation, `duplicate key value violates unique constraint "${table.name}_pkey"`, {
        detail: `Key (${cols.map((c) => c.name).join(', ')})=(${pk.map((c) => formatDatum(e.row[c]!, table.columns[c]!.type)).join(', ')}) already exists.`,
      });
    }
  });
}

async function evalReturning(ctx: SessionContext, bound: DmlStatement, rows: Row[]): Promise<Row[]> {
  const table = ctx.coord.catalog.get(bound.tableId) as RelationItem;
  const plan: LogicalPlan = {
    kind: 'Map',
    input: { kind: 'Constant', rows, schema: table.columns },
    exprs: bound.returning!,
    schema: [...table.columns, ...bound.returningSchema!],
  };
  const width = table.columns.length;
  const projected: LogicalPlan = {
    kind: 'Project',
    input: plan,
    outputs: bound.returning!.map((_, i) => width + i),
    schema: bound.returningSchema!,
  };
  return expandRows(await ctx.coord.runOneShot(projected, new Map()));
}
