/**
 * copy: the COPY sub-protocol, for a statement whose result is a copy-out (COPY … TO STDOUT,
 * SUBSCRIBE) or a copy-in (COPY … FROM STDIN). Both query paths call it.
 *
 *   copy-out:  H  d d d …  c  C        (an error instead of c C ends it: E)
 *   copy-in:   G  ← d d d … c          then C   (← f, or bad data: E)
 *
 * A copy-out's lines are flushed as each batch comes, so a SUBSCRIBE's rows reach the client
 * as they commit; a full socket pauses it (the subscription's buffer then fills, not weir's
 * memory without bound). The connection closing ends it. During copy-in, Flush and Sync are
 * ignored and any other message is an error, as in Postgres.
 */
import type { CopyInResult, CopyOutResult } from '../adapter/session-api.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { FLUSH_BYTES, type QueryContext } from './context.js';
import { Backend } from './message-codes.js';
import * as msg from './messages/backend.js';

/** Streams a copy-out to the client; throws what `next` throws (the caller sends the ErrorResponse). */
export async function sendCopyOut(ctx: QueryContext, r: CopyOutResult): Promise<void> {
  msg.copyResponse(ctx.w, Backend.CopyOutResponse, r.columnCount);
  await ctx.flush();
  const unregister = ctx.onClose(() => r.close());
  let done = false;
  try {
    for (;;) {
      const lines = await r.next();
      if (lines === null) break;
      for (const line of lines) {
        msg.copyData(ctx.w, line);
        if (ctx.w.length >= FLUSH_BYTES) await ctx.flush();
      }
      await ctx.flush();
    }
    done = true;
  } finally {
    unregister();
    if (!done) r.close();
  }
  ctx.w.empty(Backend.CopyDone);
  msg.commandComplete(ctx.w, r.commandTag());
}

/** Receives a copy-in from the client; sends CommandComplete. Throws SqlError on bad data or CopyFail. */
export async function receiveCopyIn(ctx: QueryContext, r: CopyInResult): Promise<void> {
  msg.copyResponse(ctx.w, Backend.CopyInResponse, r.columnCount);
  await ctx.flush();
  try {
    for (;;) {
      const m = await ctx.nextMessage();
      if (m === null) throw new SqlError(SqlState.protocolViolation, 'unexpected EOF on client connection with an open transaction');
      switch (m.kind) {
        case 'CopyData':
          await r.write(m.data);
          break;
        case 'CopyDone':
          msg.commandComplete(ctx.w, await r.end());
          return;
        case 'CopyFail':
          throw new SqlError(SqlState.queryCanceled, `COPY from stdin failed: ${m.message}`);
        case 'Flush':
        case 'Sync':
          break;
        default:
          throw new SqlError(SqlState.protocolViolation, `unexpected ${m.kind} message during COPY from stdin`);
      }
    }
  } catch (e) {
    r.fail();
    throw e;
  }
}
