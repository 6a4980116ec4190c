/**
 * A statement planned for execution: what Describe reports (parameter types, result
 * columns) and how to run it with parameter values. Each statement family has a
 * `plan…` function returning one of these; session.ts dispatches on the AST.
 */
import type { Change } from '../../dataflow/zset.js';
import type { Row } from '../../types/datum.js';
import type { Schema, SqlType } from '../../types/sql-type.js';
import type { Notice, ResultColumn, StatementResult } from '../session-api.js';
import type { Coordinator } from '../coordinator.js';
import type { PendingWrites } from '../pending-writes.js';

export interface Planned {
  paramTypes: SqlType[];
  columns: ResultColumn[] | null;
  /**
   * 'gathered': INSERT … VALUES, gathered into the batch's implicit transaction.
   * 'locked': a write that reads tables (UPDATE, DELETE, INSERT … SELECT): outside a
   * transaction block it runs and commits under the coordinator's lock, after the batch's
   * gathered writes, so it always reads the latest committed state.
   * Anything else commits the batch's gathered writes before it runs.
   */
  write?: 'gathered' | 'locked';
  /**
   * A read of tables only: it sees the batch's gathered writes through the overlay of
   * read-inputs.ts, so the batch stays open (and a later error still discards it, as
   * Postgres's implicit transaction does). A read of a materialized view needs the batch
   * committed first, since views only change in ticks.
   */
  readsTablesOnly?: boolean;
  /** May give its result directly when it has nothing to wait for (see Session.execute). */
  execute(params: Row): StatementResult | Promise<StatementResult>;
}

export interface TxState {
  status: 'idle' | 'in-transaction' | 'failed';
  /** Table changes of the open transaction, committed as one tick at COMMIT. */
  pending: PendingWrites;
  /**
   * Outside a transaction block: the changes of the current batch's write statements
   * (Postgres's implicit transaction), committed as one tick at the end of the batch or
   * before the next statement that is not a write.
   */
  implicit: PendingWrites;
}

export interface SessionContext {
  coord: Coordinator;
  /** The startup packet's user and database (pg_catalog, current_user, current_database()). */
  readonly user: string;
  readonly database: string;
  readonly processId: number;
  settings: Map<string, string>;
  tx: TxState;
  notice(n: Notice): void;
  parameterChanged(name: string, value: string): void;
  /** Throws 57014 if the client canceled the running statement (CancelRequest). */
  checkCanceled(): void;
  /** Calls `listener` on a CancelRequest or a disconnect (a statement that waits wakes up to check); returns its removal. */
  onCancel(listener: () => void): () => void;
  /** The client went away: a statement that waits for data stops waiting. */
  readonly disconnectedClient: boolean;
}

export function columnsOf(schema: Schema): ResultColumn[] {
  return schema.map((c) => ({ name: c.name, type: c.type }));
}

export function rowsResult(columns: ResultColumn[], rows: Row[], tag = `SELECT ${rows.length}`): StatementResult {
  return { kind: 'rows', columns, rows, commandTag: tag };
}

export function command(tag: string): StatementResult {
  return { kind: 'command', commandTag: tag };
}

/** Expands a consolidated Z-set into rows, repeating each by its diff. */
export function expandRows(changes: Change[]): Row[] {
  const rows: Row[] = [];
  for (const [row, diff] of changes) {
    if (diff < 0) throw new Error('internal error: a query result holds a negative diff');
    for (let i = 0; i < diff; i++) rows.push(row);
  }
  return rows;
}
