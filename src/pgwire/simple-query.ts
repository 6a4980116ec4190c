/**
 * simple-query: the Query message. The string is split into statements; each is prepared and
 * executed in turn, with its own RowDescription/DataRows/CommandComplete (text format). The
 * first error ends the string: its ErrorResponse is sent and the remaining statements are not
 * run. The caller sends ReadyForQuery afterwards.
 *
 *   Q "select 1; select 2"  →  T D C  T D C  Z
 *   Q ""                    →  I Z
 *   Q "select 1; bad; x"    →  T D C  E  Z
 */
import { Backend } from './message-codes.js';
import * as msg from './messages/backend.js';
import { sendError, sendNotices, sendParameterChanges, sendRows, toSqlError, type QueryContext } from './context.js';

export async function runSimpleQuery(ctx: QueryContext, sql: string): Promise<void> {
  let statements: string[];
  try {
    statements = ctx.session.splitStatements(sql);
  } catch (e) {
    sendError(ctx, toSqlError(e, ctx.log));
    return;
  }
  if (statements.length === 0) {
    ctx.w.empty(Backend.EmptyQueryResponse);
    return;
  }
  for (const text of statements) {
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
      }
      sendParameterChanges(ctx);
    } catch (e) {
      sendError(ctx, toSqlError(e, ctx.log));
      sendParameterChanges(ctx);
      return;
    }
  }
}
