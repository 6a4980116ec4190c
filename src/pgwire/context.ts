/**
 * context: what the query handlers (simple-query.ts, extended-query.ts) share with the
 * connection: the session, the outgoing MessageWriter, flushing with backpressure, the logger,
 * and the common replies (errors, notices, ParameterStatus after SET, result rows).
 */
import type { Logger } from 'pino';
import type { ResultColumn, Session } from '../adapter/session-api.js';
import type { Row } from '../types/datum.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import type { MessageWriter } from './message-writer.js';
import { TxStatus } from './message-codes.js';
import * as msg from './messages/backend.js';
import type { FormatCode, FrontendMessage } from './messages/frontend.js';

/** Flush the writer once it holds this much, so large results stream instead of piling up. */
export const FLUSH_BYTES = 64 * 1024;

export interface QueryContext {
  readonly session: Session;
  readonly w: MessageWriter;
  readonly log: Logger;
  /** Sends everything written so far; resolves when the socket can take more. */
  flush(): Promise<void>;
  /**
   * The next message from the client, waiting for it (COPY FROM STDIN reads its CopyData
   * this way while its statement runs); null once the connection is closed.
   */
  nextMessage(): Promise<FrontendMessage | null>;
  /** Calls `listener` when the connection closes (a SUBSCRIBE stops); returns the unregistering function. */
  onClose(listener: () => void): () => void;
}

/** Any thrown value as a SqlError: SqlErrors pass through, anything else is an internal error (logged). */
export function toSqlError(e: unknown, log: Logger): SqlError {
  if (SqlError.is(e)) return e;
  log.error({ err: e }, 'internal error');
  return new SqlError(SqlState.internalError, e instanceof Error ? e.message : String(e));
}

/** An ERROR-severity ErrorResponse's fields. */
export function errorFields(err: SqlError): Parameters<typeof msg.errorResponse>[1] {
  return { severity: 'ERROR', code: err.code, message: err.message, detail: err.detail, hint: err.hint, position: err.position };
}

/** Notices first, then the ErrorResponse; a failure inside a transaction block marks it failed. */
export function sendError(ctx: QueryContext, err: SqlError): void {
  sendNotices(ctx);
  msg.errorResponse(ctx.w, errorFields(err));
  if (ctx.session.transactionStatus() === 'in-transaction') ctx.session.markFailed(err);
}

export function sendNotices(ctx: QueryContext): void {
  for (const n of ctx.session.takeNotices()) msg.noticeResponse(ctx.w, n);
}

export function sendParameterChanges(ctx: QueryContext): void {
  for (const [name, value] of ctx.session.takeParameterChanges()) msg.parameterStatus(ctx.w, name, value);
}

/** DataRows for rows[from, to), flushing as the buffer fills. */
export async function sendRows(
  ctx: QueryContext,
  rows: readonly Row[],
  from: number,
  to: number,
  columns: readonly ResultColumn[],
  formats: readonly FormatCode[],
): Promise<void> {
  for (let i = from; i < to; i++) {
    msg.dataRow(ctx.w, rows[i]!, columns, formats);
    if (ctx.w.length >= FLUSH_BYTES) await ctx.flush();
  }
}

/** The ReadyForQuery status byte for the session's transaction state. */
export function statusByte(session: Session): number {
  switch (session.transactionStatus()) {
    case 'idle': return TxStatus.Idle;
    case 'in-transaction': return TxStatus.InTransaction;
    case 'failed': return TxStatus.Failed;
  }
}
