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
import type { FormatCode, FrontendMessage } from './messages/frontend.js';
import { sendNotices, sendParameterChanges, sendRows, type QueryContext } from './context.js';
import { receiveCopyIn, sendCopyOut } from './copy.js';

type Msg<K extends FrontendMessage['kind']> = Extract<FrontendMessage, { kind: K }>;

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
function plainSmallInt(raw: Buffer): number | undefined {
  const n = raw.length;
  const neg = n > 0 && raw[0] === 0x2d;
  const start = neg ? 1 : 0;
  if (n - start < 1 || n - start > 9) return undefined;
  let v = 0;
  for (let i = start; i < n; i++) {
    const c = raw[i]! - 0x30;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return neg ? -v + 0 : v; // + 0: -0 becomes 0, as parseInt4 gives
}

/** One Bind parameter's value: binary via decodeBinary, text via parseDatum (small integers read in place). */
function bindParam(raw: Buffer | null, t: SqlType, format: FormatCode, i: number): Row[number] {
  if (raw === null) return null;
  if (format === 1) {
    try {
      return decodeBinary(raw, t);
    } catch (e) {
      if (SqlError.is(e)) throw new SqlError(SqlState.invalidBinaryRepresentation, `incorrect binary data format in bind parameter ${i + 1}`, { detail: e.message });
      throw e;
    }
  }
  if (t.kind === 'int4' || t.kind === 'int2') {
    const v = plainSmallInt(raw);
    if (v !== undefined && (t.kind === 'int4' || (v >= -32768 && v <= 32767))) return v;
  }
  const text = raw.toString('utf8');
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
    if (m.paramFormats.length > 1 && m.paramFormats.length !== m.params.length) {
      throw new SqlError(SqlState.protocolViolation, `bind message has ${m.paramFormats.length} parameter formats but ${m.params.length} parameters`);
    }
    if (m.params.length !== types.length) {
      throw new SqlError(
        SqlState.protocolViolation,
        `bind message supplies ${m.params.length} parameters, but prepared statement "${m.statement}" requires ${types.length}`,
      );
    }
    const columns = statement.prepared?.columns ?? null;
    const nResults = columns?.length ?? 0;
    if (m.resultFormats.length > 1 && m.resultFormats.length !== nResults) {
      throw new SqlError(SqlState.protocolViolation, `bind message has ${m.resultFormats.length} result formats but query has ${nResults} columns`);
    }
    const params: Row = [];
    for (let i = 0; i < m.params.length; i++) params.push(bindParam(m.params[i]!, types[i]!, msg.formatOf(m.paramFormats, i), i));
    if (this.ctx.log.isLevelEnabled('trace')) {
      const shown = m.params.map((raw, i) => (raw === null ? null : msg.formatOf(m.paramFormats, i) === 1 ? `<${raw.length} bytes>` : raw.toString('utf8')));
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

  async execute(m: Msg<'Execute'>): Promise<void> {
    const p = this.#portals.get(m.portal);
    if (!p) throw new SqlError(SqlState.invalidCursorName, `portal "${m.portal}" does not exist`);
    if (p.statement.prepared === null) {
      this.ctx.w.empty(Backend.EmptyQueryResponse);
      return;
    }
    if (p.result === undefined) {
      p.result = await this.ctx.session.execute(p.statement.prepared, p.params);
      sendNotices(this.ctx);
    }
    const r = p.result;
    switch (r.kind) {
      case 'empty':
        this.ctx.w.empty(Backend.EmptyQueryResponse);
        break;
      case 'command':
        msg.commandComplete(this.ctx.w, r.commandTag);
        break;
      case 'copy-out':
      case 'copy-in':
        // COPY runs once, whatever the row limit; a second Execute of the portal completes at once.
        p.result = { kind: 'command', commandTag: 'COPY 0' };
        if (r.kind === 'copy-out') await sendCopyOut(this.ctx, r);
        else await receiveCopyIn(this.ctx, r);
        break;
      case 'rows': {
        const from = p.sent;
        const to = m.maxRows > 0 ? Math.min(r.rows.length, from + m.maxRows) : r.rows.length;
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
