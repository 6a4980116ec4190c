/**
 * INSERT, UPDATE and DELETE. The binder gives a plan producing the rows to insert, the
 * old++new rows to update, or the rows to delete; it runs one-shot over the table's current
 * contents (plus the writes gathered before it), the changes are checked (NOT NULL 23502,
 * primary key 23505, see pending-writes.ts) and gathered: into the transaction inside
 * BEGIN … COMMIT, else into the batch's implicit transaction, which the session commits as
 * one tick at the end of the batch. A failing statement changes nothing.
 */
import type { Node } from '@pgsql/types';
import type { Change } from '../../dataflow/zset.js';
import { optimize } from '../../plan/optimize.js';
import { substituteParams } from '../../plan/plan-visit.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { compileValues, type ValuesFn } from '../../render/compile-linear.js';
import { bindStatement } from '../../sql/binder/index.js';
import type { BoundStatement } from '../../sql/binder/bound-statement.js';
import type { Row } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { SqlType } from '../../types/sql-type.js';
import type { RelationItem } from '../../catalog/catalog-item.js';
import type { Committed } from '../coordinator.js';
import { PendingWrites } from '../pending-writes.js';
import type { KvReader } from '../../storage/kv-store.js';
import type { StatementResult } from '../session-api.js';
import { columnsOf, command, expandRows, rowsResult, type Planned, type SessionContext } from './planned.js';
import { runQuery, sessionInfo } from './read-inputs.js';

type DmlStatement = Extract<BoundStatement, { kind: 'Insert' | 'Update' | 'Delete' }>;

export function planDml(ctx: SessionContext, ast: Node, sql: string, paramTypes: (SqlType | undefined)[]): Planned {
  const bound = bindStatement(ast, ctx.coord.catalog, { paramTypes, sql }) as DmlStatement;
  // INSERT … VALUES: compiled once, evaluated per execution without a dataflow.
  const values = compileValues(optimize(bound.plan));
  const columns = bound.returningSchema ? columnsOf(bound.returningSchema) : null;
  return {
    paramTypes: bound.paramTypes,
    columns,
    write: values && bound.kind === 'Insert' ? 'gathered' : 'locked',
    // Synchronous when executeDml is (an INSERT … VALUES gathered into the batch, without RETURNING).
    execute(params: Row) {
      const finish = (affected: Row[]): StatementResult | Promise<StatementResult> => {
        const tag = bound.kind === 'Insert' ? (affected.length === 1 ? 'INSERT 0 1' : `INSERT 0 ${affected.length}`) : `${bound.kind.toUpperCase()} ${affected.length}`;
        if (!bound.returning || !bound.returningSchema) return command(tag);
        return evalReturning(ctx, bound, affected).then((rows) => rowsResult(columns!, rows, tag));
      };
      const affected = executeDml(ctx, bound, params, values);
      return affected instanceof Promise ? affected.then(finish) : finish(affected);
    },
  };
}

/**
 * Computes and checks the statement's changes; returns the affected rows.
 * - Inside BEGIN … COMMIT: computed from a snapshot plus the transaction's own writes and
 *   added to them; COMMIT checks them again (keys, and that what they retract still exists).
 * - INSERT … VALUES outside a transaction block: added to the batch's implicit transaction.
 * - Any other write outside a transaction block: computed and committed under the lock, so
 *   concurrent UPDATEs of one row apply one after the other, as in Postgres.
 */
function executeDml(ctx: SessionContext, bound: DmlStatement, params: Row, values: ValuesFn | undefined): Row[] | Promise<Row[]> {
  const table = ctx.coord.catalog.get(bound.tableId) as RelationItem;
  if (ctx.tx.status !== 'in-transaction' && values && bound.kind === 'Insert') {
    // Gathered into the batch: synchronous unless the add has to wait (no microtask hop per row).
    const rows = values(params, ctx.coord.evalContext(sessionInfo(ctx)));
    const added = ctx.tx.implicit.add(table, rows.map((r) => [r, 1]));
    return added ? added.then(() => rows) : rows;
  }
  return executeDmlAsync(ctx, bound, params, values, table);
}

async function executeDmlAsync(ctx: SessionContext, bound: DmlStatement, params: Row, values: ValuesFn | undefined, table: RelationItem): Promise<Row[]> {
  if (ctx.tx.status === 'in-transaction') {
    const snap = ctx.coord.snapshot();
    try {
      const { changes, affected } = await computeChanges(ctx, bound, table, params, values, snap);
      await ctx.tx.pending.add(table, changes, snap);
      return affected;
    } finally {
      await snap.release();
    }
  }
  const { affected, committed } = await ctx.coord.lock.run(async () => {
    const { changes, affected } = await computeChanges(ctx, bound, table, params, values, ctx.coord.store);
    const writes = new PendingWrites();
    await writes.add(table, changes, ctx.coord.store, ctx.coord.keyBounds);
    return { affected, committed: await ctx.coord.commitTick(writes.toMap()) };
  });
  await committed.durable;
  return affected;
}

async function computeChanges(
  ctx: SessionContext,
  bound: DmlStatement,
  table: RelationItem,
  params: Row,
  values: ValuesFn | undefined,
  reader: KvReader,
): Promise<{ changes: Change[]; affected: Row[] }> {
  let rows: Row[];
  if (values) {
    rows = values(params, ctx.coord.evalContext(sessionInfo(ctx)));
  } else {
    const plan = optimize(substituteParams(bound.plan, params));
    // Reads see the transaction's own writes (read-inputs.ts).
    rows = expandRows(await runQuery(ctx, plan, reader));
  }
  const width = table.columns.length;
  switch (bound.kind) {
    case 'Insert':
      return { changes: rows.map((r) => [r, 1]), affected: rows };
    case 'Update': {
      const changes: Change[] = [];
      const affected: Row[] = [];
      for (const r of rows) {
        const newRow = r.slice(width);
        changes.push([r.slice(0, width), -1], [newRow, 1]);
        affected.push(newRow);
      }
      return { changes, affected };
    }
    case 'Delete':
      return { changes: rows.map((r) => [r, -1]), affected: rows };
  }
}

/**
 * Commits gathered table changes as one tick, checking stored keys under the lock: other
 * sessions may have committed since each statement ran.
 */
/**
 * Commits a transaction's writes as one tick. Resolves once the tick is applied and its batch
 * issued, with `durable` settling when the batch is written: acknowledge the client only then.
 */
export async function commitChanges(ctx: SessionContext, writes: PendingWrites): Promise<Committed | undefined> {
  if (writes.isEmpty) return undefined;
  return ctx.coord.lock.run(async () => {
    const changes = writes.toMap();
    for (const tableId of changes.keys()) {
      const table = ctx.coord.catalog.get(tableId);
      if (!table || table.kind !== 'table') {
        throw new SqlError(SqlState.undefinedTable, 'a table written in this transaction was dropped');
      }
    }
    await writes.checkStored(ctx.coord.store, ctx.coord.keyBounds);
    await writes.checkRetractions(ctx.coord.store);
    return ctx.coord.commitTick(changes);
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
  return expandRows(await ctx.coord.runOneShot(projected, new Map(), sessionInfo(ctx)));
}
