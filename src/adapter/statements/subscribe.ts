/**
 * SUBSCRIBE and cursors (Materialize's): `SUBSCRIBE [TO] name | (query) [WITH (SNAPSHOT,
 * PROGRESS)]` streams a Subscription (subscription.ts) as COPY TO STDOUT text rows until the
 * client cancels or goes away; `COPY (SUBSCRIBE …) TO STDOUT [WITH (FORMAT csv …)]` is the same.
 * Inside a transaction block, `DECLARE c CURSOR FOR SUBSCRIBE …` keeps it open and
 * `FETCH n | ALL c [WITH (TIMEOUT = '1s')]` returns the rows waiting (waiting up to the timeout
 * for the first; without one, until a row comes). `DECLARE c CURSOR FOR SELECT …` holds the
 * query's rows for FETCH. CLOSE, COMMIT, ROLLBACK and the session's end close cursors.
 *
 * What a subscription follows: a table, source or materialized view directly (its deltas);
 * a view or any other query through a dataflow of the query kept in memory while it lasts.
 */
import type { ClosePortalStmt, DeclareCursorStmt, FetchStmt } from '@pgsql/types';
import type { Row } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { parseBool } from '../../types/text-format.js';
import { parseInterval } from '../../types/interval-format.js';
import type { SubscribeStatement, WithOption } from '../../sql/ast/weir-ast.js';
import { parseStatement } from '../../sql/parser/parse.js';
import { collectGetIds } from '../../plan/plan-visit.js';
import { isSystemId } from '../../catalog/system/index.js';
import { applyFinishing } from '../view-plan.js';
import { bindQuery } from '../../sql/binder/index.js';
import { optimize } from '../../plan/optimize.js';
import { selectOf } from '../../catalog/plan-create.js';
import { Subscription, type SubscribeOptions, type SubscribeSource } from '../subscription.js';
import type { CopyOutResult, ResultColumn } from '../session-api.js';
import { CopyWriter, copyFormat, type CopyFormat } from '../copy-format.js';
import { columnsOf, command, rowsResult, type Planned, type SessionContext } from './planned.js';
import { planSelect } from './query.js';
import { sessionInfo } from './read-inputs.js';

/** Rows per CopyData batch of a SUBSCRIBE (each batch is flushed). */
const COPY_BATCH_ROWS = 10_000;

export function planSubscribe(ctx: SessionContext, stmt: SubscribeStatement, sql: string): Planned {
  const source = subscribeSource(ctx, stmt, sql);
  const options = subscribeOptions(stmt.options);
  const format = copyFormat((stmt.copyOptions ?? []).map((o) => ({ name: o.key, value: o.value })), 'to');
  return {
    paramTypes: [],
    columns: null,
    async execute() {
      const sub = await openSubscription(ctx, source, options);
      return subscribeCopyOut(ctx, sub, format);
    },
  };
}

export function planDeclareSubscribe(ctx: SessionContext, cursor: string, stmt: SubscribeStatement, sql: string): Planned {
  const source = subscribeSource(ctx, stmt, sql);
  const options = subscribeOptions(stmt.options);
  return {
    paramTypes: [],
    columns: null,
    async execute() {
      const cursors = declaring(ctx, cursor);
      const sub = await openSubscription(ctx, source, options);
      cursors.set(cursor, {
        columns: sub.columns,
        subscription: true,
        fetch: async (count, timeoutMs) => (await takeRows(ctx, sub, count, timeoutMs)) ?? [],
        close: () => sub.close(),
      });
      return command('DECLARE CURSOR');
    },
  };
}

/** DECLARE c CURSOR FOR SELECT …: the query runs now; FETCH pages through its rows. */
export function planDeclareSelect(ctx: SessionContext, stmt: DeclareCursorStmt, sql: string): Planned {
  const options = stmt.options ?? 0;
  if (options & CURSOR_OPT_HOLD) throw new SqlError(SqlState.featureNotSupported, 'DECLARE CURSOR WITH HOLD is not supported');
  if (options & CURSOR_OPT_BINARY) throw new SqlError(SqlState.featureNotSupported, 'DECLARE BINARY CURSOR is not supported');
  if (!stmt.query || !('SelectStmt' in stmt.query)) throw new SqlError(SqlState.featureNotSupported, 'DECLARE CURSOR is only supported for SELECT and SUBSCRIBE');
  const query = planSelect(ctx, stmt.query, sql, []);
  const cursor = stmt.portalname ?? '';
  return {
    paramTypes: query.paramTypes,
    columns: null,
    async execute(params: Row) {
      const cursors = declaring(ctx, cursor);
      const result = await query.execute(params);
      if (result.kind !== 'rows') throw new Error('internal error: a SELECT without rows');
      const rows = result.rows;
      let at = 0;
      cursors.set(cursor, {
        columns: result.columns,
        subscription: false,
        fetch: async (count) => {
          const out = rows.slice(at, at + Math.min(count, rows.length - at));
          at += out.length;
          return out;
        },
        close: () => undefined,
      });
      return command('DECLARE CURSOR');
    },
  };
}

/** Postgres's FETCH (libpg-query FetchStmt): forward only. */
export function planFetchStmt(ctx: SessionContext, stmt: FetchStmt): Planned {
  if (stmt.ismove) throw new SqlError(SqlState.featureNotSupported, 'MOVE is not supported');
  if (stmt.direction !== undefined && stmt.direction !== 'FETCH_FORWARD') {
    throw new SqlError(SqlState.featureNotSupported, 'only FETCH FORWARD is supported', { hint: 'Cursors in weir cannot move backwards or to an absolute position.' });
  }
  const n = Number(stmt.howMany ?? 0);
  return planFetch(ctx, stmt.portalname ?? '', n >= FETCH_ALL ? Infinity : n, []);
}

/** FETCH `count` (Infinity = ALL) rows of a cursor; `options`: Materialize's TIMEOUT. */
export function planFetch(ctx: SessionContext, cursor: string, count: number, options: readonly WithOption[]): Planned {
  let timeoutMs: number | undefined;
  for (const o of options) {
    if (o.key !== 'timeout') throw new SqlError(SqlState.syntaxError, `FETCH option "${o.key}" not recognized`);
    timeoutMs = intervalMs(o.value, 'TIMEOUT');
  }
  const found = cursorsOf(ctx).get(cursor);
  if (!found) throw noCursor(cursor);
  return {
    paramTypes: [],
    columns: found.columns,
    async execute() {
      const c = cursorsOf(ctx).get(cursor);
      if (!c) throw noCursor(cursor);
      const rows = await c.fetch(count, timeoutMs);
      return rowsResult(c.columns, rows, `FETCH ${rows.length}`);
    },
  };
}

export function planClose(ctx: SessionContext, stmt: ClosePortalStmt): Planned {
  const name = stmt.portalname;
  return {
    paramTypes: [],
    columns: null,
    async execute() {
      const cursors = cursorsOf(ctx);
      if (name === undefined) {
        closeCursors(ctx);
        return command('CLOSE CURSOR ALL');
      }
      const c = cursors.get(name);
      if (!c) throw noCursor(name);
      c.close();
      cursors.delete(name);
      return command('CLOSE CURSOR');
    },
  };
}

/** The end of a transaction block or of the session: every cursor goes (a subscription stops). */
export function closeCursors(ctx: SessionContext): void {
  const cursors = sessionCursors.get(ctx);
  if (!cursors || cursors.size === 0) return;
  for (const c of cursors.values()) c.close();
  cursors.clear();
}

// ---- shared ----

interface Cursor {
  columns: ResultColumn[];
  subscription: boolean;
  /** Up to `count` rows; a subscription waits up to `timeoutMs` (undefined: until one comes) for the first. */
  fetch(count: number, timeoutMs: number | undefined): Promise<Row[]>;
  close(): void;
}

/** libpg-query's FETCH ALL count, and DECLARE's option bits (Postgres's parsenodes.h). */
const FETCH_ALL = 2147483647;
const CURSOR_OPT_BINARY = 0x1;
const CURSOR_OPT_HOLD = 0x20;

const sessionCursors = new WeakMap<SessionContext, Map<string, Cursor>>();

/** The columns of a cursor DECLAREd in this session (Describe of the portal of that name). */
export function cursorColumns(ctx: SessionContext, name: string): ResultColumn[] | undefined {
  return cursorsOf(ctx).get(name)?.columns;
}

function cursorsOf(ctx: SessionContext): Map<string, Cursor> {
  let m = sessionCursors.get(ctx);
  if (!m) sessionCursors.set(ctx, (m = new Map()));
  return m;
}

function noCursor(name: string): SqlError {
  return new SqlError(SqlState.invalidCursorName, `cursor "${name}" does not exist`);
}

/** The session's cursors, checked for a DECLARE: inside a transaction block, under a free name. */
function declaring(ctx: SessionContext, name: string): Map<string, Cursor> {
  if (ctx.tx.status !== 'in-transaction') throw new SqlError(SqlState.noActiveSqlTransaction, 'DECLARE CURSOR can only be used in transaction blocks');
  const cursors = cursorsOf(ctx);
  if (cursors.has(name)) throw new SqlError('42P03', `cursor "${name}" already exists`);
  return cursors;
}

function subscribeOptions(options: readonly WithOption[]): SubscribeOptions {
  const out: SubscribeOptions = { snapshot: true, progress: false };
  for (const o of options) {
    if (o.key !== 'snapshot' && o.key !== 'progress') throw new SqlError(SqlState.syntaxError, `SUBSCRIBE option "${o.key}" not recognized`, { hint: 'The options are SNAPSHOT and PROGRESS.' });
    let v: boolean;
    try {
      v = parseBool(o.value);
    } catch {
      throw new SqlError(SqlState.invalidParameterValue, `invalid value for SUBSCRIBE option ${o.key.toUpperCase()}: "${o.value}"`, { hint: 'Use true or false.' });
    }
    out[o.key] = v;
  }
  return out;
}

/**
 * What to follow: a stored collection directly, anything else as a query run by a dataflow in
 * memory. An error's position in the query is moved to the statement (`sql`).
 */
function subscribeSource(ctx: SessionContext, stmt: SubscribeStatement, sql: string): SubscribeSource {
  try {
    return resolveSource(ctx, stmt);
  } catch (e) {
    if (!SqlError.is(e) || e.position === undefined || stmt.target.kind !== 'query') throw e;
    const at = sql.indexOf(stmt.target.query);
    if (at > 0) e.position += [...sql.slice(0, at)].length;
    throw e;
  }
}

function resolveSource(ctx: SessionContext, stmt: SubscribeStatement): SubscribeSource {
  const catalog = ctx.coord.catalog;
  let query: string;
  if (stmt.target.kind === 'relation') {
    const name = stmt.target.name;
    const item = catalog.byName(name.length > 1 ? name[name.length - 2] : undefined, name[name.length - 1]!);
    if (!item) throw new SqlError(SqlState.undefinedTable, `relation "${name.join('.')}" does not exist`);
    if (item.kind === 'table' || item.kind === 'source' || item.kind === 'materialized-view') {
      return { kind: 'collection', id: item.id, columns: columnsOf(item.columns) };
    }
    if (item.kind !== 'view') throw new SqlError(SqlState.wrongObjectType, `"${item.name}" is not a relation`, { hint: 'SUBSCRIBE follows a table, source, view or materialized view.' });
    query = `SELECT * FROM ${quoteIdent(item.schemaName)}.${quoteIdent(item.name)}`;
  } else {
    query = stmt.target.query;
  }
  const parsed = parseStatement(query);
  if (parsed.kind !== 'pg' || !('SelectStmt' in parsed.ast)) throw new SqlError(SqlState.syntaxError, 'SUBSCRIBE needs a SELECT query');
  // As a view's query: ORDER BY … LIMIT becomes a TopK (view-plan.ts).
  const bound = bindQuery(selectOf(parsed.ast), catalog, { paramTypes: [], sql: query });
  const plan = optimize(applyFinishing(bound.plan, bound.finishing));
  const columns = columnsOf(bound.schema);
  const ids = collectGetIds(plan);
  if (ids.some(isSystemId)) throw new SqlError(SqlState.featureNotSupported, 'SUBSCRIBE to a system relation is not supported');
  const get = plan.kind === 'Get' ? catalog.get(plan.id) : undefined;
  if (get && get.kind !== 'index' && get.kind !== 'sink' && get.kind !== 'view') {
    return { kind: 'collection', id: get.id, columns };
  }
  return { kind: 'query', plan, columns };
}

function openSubscription(ctx: SessionContext, source: SubscribeSource, options: SubscribeOptions): Promise<Subscription> {
  return Subscription.open(ctx.coord, source, options, ctx.coord.subscribeBufferRows, sessionInfo(ctx));
}

/**
 * Up to `max` rows of the subscription, waiting up to `timeoutMs` (undefined = no limit) for
 * the first; null once it is closed or the client went away. A CancelRequest stops the wait with 57014.
 */
async function takeRows(ctx: SessionContext, sub: Subscription, max: number, timeoutMs: number | undefined): Promise<Row[] | null> {
  const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  const unregister = ctx.onCancel(() => sub.interrupt());
  try {
    for (;;) {
      ctx.checkCanceled();
      const rows = sub.take(max);
      if (rows.length > 0) return rows;
      if (sub.closed || ctx.disconnectedClient) return null;
      const left = deadline === undefined ? undefined : deadline - Date.now();
      if (left !== undefined && left <= 0) return [];
      await sub.wait(left);
    }
  } finally {
    unregister();
  }
}

function subscribeCopyOut(ctx: SessionContext, sub: Subscription, format: CopyFormat): CopyOutResult {
  const writer = new CopyWriter(format, sub.columns);
  let header = writer.header(sub.columns.map((c) => c.name));
  return {
    kind: 'copy-out',
    columnCount: sub.columns.length,
    async next() {
      if (header !== undefined) {
        const h = header;
        header = undefined;
        return [Buffer.from(h, 'utf8')];
      }
      const rows = await takeRows(ctx, sub, COPY_BATCH_ROWS, undefined);
      if (rows === null) return null;
      return rows.map((r) => Buffer.from(writer.line(r), 'utf8'));
    },
    close: () => sub.close(),
    commandTag: () => 'SUBSCRIBE',
  };
}

function intervalMs(value: string, what: string): number {
  let ms: number;
  try {
    ms = parseInterval(value).totalMicros() / 1000;
  } catch {
    throw new SqlError(SqlState.invalidParameterValue, `invalid ${what}: "${value}"`, { hint: "Give an interval, for example '1s' or '500ms'." });
  }
  if (!(ms >= 0)) throw new SqlError(SqlState.invalidParameterValue, `${what} must not be negative`);
  return ms;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
