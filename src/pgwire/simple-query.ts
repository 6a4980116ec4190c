/**
 * simple-query: the Query message. The string is split into statements; each is prepared and
 * executed in turn, with its own RowDescription/DataRows/CommandComplete (text format). The
 * first error ends the string: its ErrorResponse is sent and the remaining statements are not
 * run. The caller sends ReadyForQuery afterwards.
 *
 *   Q "select 1; select 2"  →  T D C  T D C  Z
 *   Q ""                    →  I Z
 *   Q "select 1; bad; x"    →  T D C  E  Z
 *   Q "copy (…) to stdout"  →  H d… c C  Z       (copy.ts)
 */
import { SqlError } from '../types/sql-error.js';
import { Backend } from './message-codes.js';
import * as msg from './messages/backend.js';
import { sendError, sendNotices, sendParameterChanges, sendRows, toSqlError, type QueryContext } from './context.js';
import { receiveCopyIn, sendCopyOut } from './copy.js';

/** Returns false when a statement failed (the batch's writes are then discarded). */
export async function runSimpleQuery(ctx: QueryContext, sql: string): Promise<boolean> {
  ctx.log.debug({ sql }, 'query');
  let statements: string[];
  try {
    statements = ctx.session.splitStatements(sql);
  } catch (e) {
    sendError(ctx, toSqlError(e, ctx.log));
    return false;
  }
  if (statements.length === 0) {
    ctx.w.empty(Backend.EmptyQueryResponse);
    return true;
  }
  let searchFrom = 0;
  for (const text of statements) {
    // Where this statement starts in the string: error positions count from the string's start.
    const at = sql.indexOf(text, searchFrom);
    const offset = at < 0 ? 0 : at;
    if (at >= 0) searchFrom = at + text.length;
    try {
      const stmt = await ctx.session.prepare(text, []);
      const result = await ctx.session.execute(stmt, []);
      sendNotices(ctx);
      switch (result.kind) {
        case 'rows':
          msg.rowDescription(ctx.w, result.columns, []);
          await sendRows(ctx, result.rows, 0, result.rows.length, result.columns, []);
          msg.commandComplete(ctx.w, result.commandTag);
          break;
        case 'command':
          msg.commandComplete(ctx.w, result.commandTag);
          break;
        case 'empty':
          ctx.w.empty(Backend.EmptyQueryResponse);
          break;
        case 'copy-out':
          await sendCopyOut(ctx, result);
          break;
        case 'copy-in':
          await receiveCopyIn(ctx, result);
          break;
      }
      sendParameterChanges(ctx);
    } catch (e) {
      sendError(ctx, shiftPosition(toSqlError(e, ctx.log), sql, offset));
      sendParameterChanges(ctx);
      return false;
    }
  }
  return true;
}

/** The error with its position moved from the statement's text to the whole query string (in characters). */
function shiftPosition(err: SqlError, sql: string, offset: number): SqlError {
  if (err.position === undefined || offset === 0) return err;
  const chars = [...sql.slice(0, offset)].length;
  const shifted = new SqlError(err.code, err.message, { detail: err.detail, hint: err.hint, position: err.position + chars });
  shifted.stack = err.stack;
  return shifted;
}
