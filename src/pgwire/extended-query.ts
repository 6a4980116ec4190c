/**
 * extended-query: Parse, Bind, Describe, Execute and Close, with the prepared statements and
 * portals of one connection.
 *
 * - Parse stores a statement under its name ("" = the unnamed statement, replaced by the next
 *   unnamed Parse; a named one must be closed before its name is reused).
 * - Bind decodes the parameters (text via parseDatum, binary via decodeBinary) into a portal
 *   ("" = the unnamed portal, replaced by the next unnamed Bind).
 * - Execute runs the portal's statement once, keeps the complete result in the portal and pages
 *   through it: with a row limit it sends at most that many DataRows and PortalSuspended, and
 *   the next Execute continues where it stopped.
 * - Portals live until the end of the transaction: at Sync in the idle state all are dropped.
 * - Any handler may throw; the connection then sends ErrorResponse and skips to Sync.
 */
import type { PreparedStatement, StatementResult } from '../adapter/session-api.js';
import type { Row } from '../types/datum.js';
import { decodeBinary } from '../types/binary-format.js';
import { typeOfOid, UNKNOWN_OID } from '../types/pg-oid.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import type { SqlType } from '../types/sql-type.js';
import { parseDatum } from '../types/text-format.js';
import { Backend } from './message-codes.js';
import * as msg from './messages/backend.js';
import { bindParamBytes, bindParamCount, type FormatCode, type FrontendMessage } from './messages/frontend.js';
import { sendNotices, sendParameterChanges, sendRows, type QueryContext } from './context.js';
import { receiveCopyIn, sendCopyOut } from './copy.js';

type Msg<K extends FrontendMessage['kind']> = Extract<FrontendMessage, { kind: K }>;

/** pino's trace level: Bind logs its parameters at or below it (levelVal: cheaper than isLevelEnabled, per row). */
const TRACE = 10;

interface Statement {
  /** null for an empty query string (Describe → NoData, Execute → EmptyQueryResponse). */
  readonly prepared: PreparedStatement | null;
  readonly paramTypes: SqlType[];
}

interface Portal {
  readonly statement: Statement;
  readonly params: Row;
  readonly resultFormats: FormatCode[];
  result: StatementResult | undefined;
  /** Rows already sent. */
  sent: number;
}

/**
 * The value of a text parameter that is just an optional '-' and one to nine ASCII digits (so
 * within int4's range), read from the bytes; undefined for anything else, which parseDatum
 * then reads (and rejects in Postgres's words). Batched INSERTs bind one per column per row.
 */
function plainSmallInt(data: Buffer, from: number, end: number): number | undefined {
  const neg = end > from && data[from] === 0x2d;
  const start = neg ? from + 1 : from;
  if (end - start < 1 || end - start > 9) return undefined;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = data[i]! - 0x30;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return neg ? -v + 0 : v; // + 0: -0 becomes 0, as parseInt4 gives
}

/**
 * Bind parameter i's value: binary via decodeBinary, text via parseDatum (small integers read
 * in place, without a view of their bytes).
 */
function bindParam(m: Msg<'Bind'>, i: number, t: SqlType, format: FormatCode): Row[number] {
  const start = m.ranges[2 * i]!;
  const len = m.ranges[2 * i + 1]!;
  if (len === -1) return null;
  const data = m.data;
  if (format === 1) {
    try {
      return decodeBinary(data.subarray(start, start + len), t);
    } catch (e) {
      if (SqlError.is(e)) throw new SqlError(SqlState.invalidBinaryRepresentation, `incorrect binary data format in bind parameter ${i + 1}`, { detail: e.message });
      throw e;
    }
  }
  if (t.kind === 'int4' || t.kind === 'int2') {
    const v = plainSmallInt(data, start, start + len);
    if (v !== undefined && (t.kind === 'int4' || (v >= -32768 && v <= 32767))) return v;
  }
  const text = data.toString('utf8', start, start + len);
  return t.kind === 'unknown' ? text : parseDatum(text, t);
}

export class ExtendedQuery {
  readonly #statements = new Map<string, Statement>();
  readonly #portals = new Map<string, Portal>();

  constructor(readonly ctx: QueryContext) {}

  async parse(m: Msg<'Parse'>): Promise<void> {
    this.ctx.log.debug({ sql: m.sql, name: m.name }, 'parse');
    if (m.name !== '' && this.#statements.has(m.name)) {
      throw new SqlError('42P05', `prepared statement "${m.name}" already exists`);
    }
    const declared = m.paramOids.map((oid) => {
      if (oid === 0 || oid === UNKNOWN_OID) return undefined;
      const t = typeOfOid(oid);
      if (!t) throw new SqlError(SqlState.undefinedObject, `type with OID ${oid} does not exist`);
      return t;
    });
    let statement: Statement;
    if (m.sql.trim() === '') {
      statement = { prepared: null, paramTypes: declared.map((t) => t ?? { kind: 'unknown' }) };
    } else {
      const prepared = await this.ctx.session.prepare(m.sql, declared);
      statement = { prepared, paramTypes: prepared.paramTypes };
    }
    sendNotices(this.ctx);
    this.#statements.set(m.name, statement);
    this.ctx.w.empty(Backend.ParseComplete);
  }

  bind(m: Msg<'Bind'>): void {
    const statement = this.#statements.get(m.statement);
    if (!statement) throw new SqlError(SqlState.invalidSqlStatementName, `prepared statement "${m.statement}" does not exist`);
    if (m.portal !== '' && this.#portals.has(m.portal)) {
      throw new SqlError('42P03', `cursor "${m.portal}" already exists`);
    }
    const types = statement.paramTypes;
    const n = bindParamCount(m);
    if (m.paramFormats.length > 1 && m.paramFormats.length !== n) {
      throw new SqlError(SqlState.protocolViolation, `bind message has ${m.paramFormats.length} parameter formats but ${n} parameters`);
    }
    if (n !== types.length) {
      throw new SqlError(
        SqlState.protocolViolation,
        `bind message supplies ${n} parameters, but prepared statement "${m.statement}" requires ${types.length}`,
      );
    }
    const columns = statement.prepared?.columns ?? null;
    const nResults = columns?.length ?? 0;
    if (m.resultFormats.length > 1 && m.resultFormats.length !== nResults) {
      throw new SqlError(SqlState.protocolViolation, `bind message has ${m.resultFormats.length} result formats but query has ${nResults} columns`);
    }
    // Sized once: a [] grown by push reserves 17 slots, and this runs per row of a batch.
    const params: Row = new Array<Row[number]>(n);
    for (let i = 0; i < n; i++) params[i] = bindParam(m, i, types[i]!, msg.formatOf(m.paramFormats, i));
    if (this.ctx.log.levelVal <= TRACE) {
      const shown = types.map((_, i) => {
        const raw = bindParamBytes(m, i);
        return raw === null ? null : msg.formatOf(m.paramFormats, i) === 1 ? `<${raw.length} bytes>` : raw.toString('utf8');
      });
      this.ctx.log.trace({ statement: m.statement, params: shown }, 'bind');
    }
    this.#portals.set(m.portal, { statement, params, resultFormats: m.resultFormats, result: undefined, sent: 0 });
    this.ctx.w.empty(Backend.BindComplete);
  }

  describe(m: Msg<'Describe'>): void {
    if (m.target === 'S') {
      const s = this.#statements.get(m.name);
      if (!s) throw new SqlError(SqlState.invalidSqlStatementName, `prepared statement "${m.name}" does not exist`);
      msg.parameterDescription(this.ctx.w, s.paramTypes);
      this.#describeColumns(s, []);
    } else {
      const p = this.#portals.get(m.name);
      if (!p) {
        // A cursor DECLAREd by SQL is a portal too, as in Postgres.
        const columns = m.name !== '' ? this.ctx.session.cursorColumns?.(m.name) : undefined;
        if (!columns) throw new SqlError(SqlState.invalidCursorName, `portal "${m.name}" does not exist`);
        msg.rowDescription(this.ctx.w, columns, []);
        return;
      }
      this.#describeColumns(p.statement, p.resultFormats);
    }
  }

  #describeColumns(s: Statement, formats: FormatCode[]): void {
    const columns = s.prepared?.columns ?? null;
    if (columns === null) this.ctx.w.empty(Backend.NoData);
    else msg.rowDescription(this.ctx.w, columns, formats);
  }

  /**
   * Runs the portal's statement (the first time) and sends its result. Synchronous when the
   * statement gives its result directly and the reply needs no flush (a command tag, such as a
   * gathered INSERT's); otherwise the promise of the rest.
   */
  execute(m: Msg<'Execute'>): Promise<void> | undefined {
    const p = this.#portals.get(m.portal);
    if (!p) throw new SqlError(SqlState.invalidCursorName, `portal "${m.portal}" does not exist`);
    const prepared = p.statement.prepared;
    if (prepared === null) {
      this.ctx.w.empty(Backend.EmptyQueryResponse);
      return undefined;
    }
    if (p.result !== undefined) return this.#reply(p, p.result, m.maxRows);
    const result = this.ctx.session.execute(prepared, p.params);
    if (result instanceof Promise) return result.then((r) => this.#first(p, r, m.maxRows));
    return this.#first(p, result, m.maxRows);
  }

  #first(p: Portal, r: StatementResult, maxRows: number): Promise<void> | undefined {
    p.result = r;
    sendNotices(this.ctx);
    return this.#reply(p, r, maxRows);
  }

  /** The reply to an Execute: a command's tag at once; rows and COPY through #replyAsync. */
  #reply(p: Portal, r: StatementResult, maxRows: number): Promise<void> | undefined {
    switch (r.kind) {
      case 'empty':
        this.ctx.w.empty(Backend.EmptyQueryResponse);
        break;
      case 'command':
        msg.commandComplete(this.ctx.w, r.commandTag);
        break;
      case 'copy-out':
      case 'copy-in':
      case 'rows':
        return this.#replyAsync(p, r, maxRows);
    }
    sendParameterChanges(this.ctx);
    return undefined;
  }

  async #replyAsync(p: Portal, r: Extract<StatementResult, { kind: 'rows' | 'copy-out' | 'copy-in' }>, maxRows: number): Promise<void> {
    switch (r.kind) {
      case 'copy-out':
      case 'copy-in':
        // COPY runs once, whatever the row limit; a second Execute of the portal completes at once.
        p.result = { kind: 'command', commandTag: 'COPY 0' };
        if (r.kind === 'copy-out') await sendCopyOut(this.ctx, r);
        else await receiveCopyIn(this.ctx, r);
        break;
      case 'rows': {
        const from = p.sent;
        const to = maxRows > 0 ? Math.min(r.rows.length, from + maxRows) : r.rows.length;
        await sendRows(this.ctx, r.rows, from, to, r.columns, p.resultFormats);
        p.sent = to;
        if (to < r.rows.length) {
          this.ctx.w.empty(Backend.PortalSuspended);
        } else {
          // A portal run in several Executes reports the rows of the last one, as Postgres does.
          const tag = from === 0 ? r.commandTag : r.commandTag.replace(/\d+$/, String(to - from));
          msg.commandComplete(this.ctx.w, tag);
        }
        break;
      }
    }
    sendParameterChanges(this.ctx);
  }

  close(m: Msg<'Close'>): void {
    if (m.target === 'S') this.#statements.delete(m.name);
    else this.#portals.delete(m.name);
    this.ctx.w.empty(Backend.CloseComplete);
  }

  /** At Sync: outside a transaction block the implicit transaction ended, and its portals with it. */
  sync(): void {
    if (this.ctx.session.transactionStatus() === 'idle') this.#portals.clear();
  }
}
