/**
 * Session: one client connection's state (settings, transaction) and the dispatch of each
 * statement to its family's planner in statements/. pgwire drives it through session-api.ts.
 *
 * A prepared statement is planned once; if the catalog changed since (DDL by anyone), it is
 * planned again at execute so it never runs against dropped or replaced objects. A simple
 * query's SELECT is planned once per text while neither the catalog nor the settings change
 * (plan-cache.ts).
 */
import type { ClosePortalStmt, CopyStmt, DeclareCursorStmt, DropStmt, FetchStmt, InsertStmt, Node } from '@pgsql/types';
import { parseStatement, splitStatementsAt, type ParsedStatement } from '../sql/parser/parse.js';
import type { Row } from '../types/datum.js';
import { assertNever } from '../util/assert-never.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import type { SqlType } from '../types/sql-type.js';
import type { Coordinator } from './coordinator.js';
import type { Notice, PreparedStatement, ResultColumn, Session, StatementResult, TransactionStatus } from './session-api.js';
import { PendingWrites } from './pending-writes.js';
import { PlanCache, type CachedPlan } from './plan-cache.js';
import { canonicalSetting, defaultSettings, REPORTED } from './settings.js';
import { planCreateIndexStmt, planCreateTableStmt, planCreateViewStmt, planDrop } from './statements/ddl.js';
import { planCreateFunctionStmt, planDropFunction } from './statements/function-ddl.js';
import { planCreateSinkStmt, planCreateSourceStmt, planDropWeirObject, planInsertIntoSinkTable } from './statements/streaming-ddl.js';
import { commitChanges, planDml } from './statements/dml.js';
import { explainQuery, planExplain } from './statements/explain.js';
import type { Planned, SessionContext, TxState } from './statements/planned.js';
import { planSelect } from './statements/query.js';
import { planSet, planShowSetting, planShowWeir, planTransaction } from './statements/show-set.js';
import { closeCursors, cursorColumns, planClose, planDeclareSelect, planDeclareSubscribe, planFetch, planFetchStmt, planSubscribe } from './statements/subscribe.js';
import { planCopy } from './statements/copy.js';

/** What takeNotices and takeParameterChanges give when there is nothing: shared, never written to. */
const NONE: readonly never[] = [];

class Prepared implements PreparedStatement {
  constructor(
    readonly sql: string,
    readonly parsed: ParsedStatement | null,
    readonly requestedTypes: (SqlType | undefined)[],
    public planned: Planned | null,
    public catalogVersion: number,
  ) {}
  get paramTypes(): SqlType[] {
    return this.planned?.paramTypes ?? [];
  }
  get columns(): ResultColumn[] | null {
    return this.planned?.columns ?? null;
  }
}

export class WeirSession implements Session, SessionContext {
  readonly settings = defaultSettings();
  readonly tx: TxState = { status: 'idle', pending: new PendingWrites(), implicit: new PendingWrites() };
  #notices: Notice[] = [];
  #paramChanges: [string, string][] = [];
  #canceled = false;
  readonly #cancelListeners = new Set<() => void>();
  /** Statements parsed by splitStatements, waiting for their prepare. */
  #parsed = new Map<string, ParsedStatement>();
  /** Simple-query SELECTs planned before, by their text. */
  readonly #plans = new PlanCache();
  readonly user: string;
  readonly database: string;

  constructor(
    readonly coord: Coordinator,
    readonly processId: number,
    readonly secretKey: number,
    startup: ReadonlyMap<string, string>,
  ) {
    this.user = startup.get('user') ?? 'weir';
    this.database = startup.get('database') ?? this.user;
    // Every other startup parameter is a setting, as in Postgres; `options` may carry more
    // as `-c name=value`. The formats weir does not vary (UTC, UTF8, ISO dates, postgres
    // intervals) keep their values, whatever the client asks for.
    const fixed = new Set(['user', 'database', 'replication', 'TimeZone', 'client_encoding', 'DateStyle', 'IntervalStyle']);
    for (const [k, v] of startup) {
      if (fixed.has(k) || fixed.has(canonicalSetting(k))) continue;
      if (k === 'options') {
        for (const m of v.matchAll(/(?:-c\s*|--)([A-Za-z_.]+)=(\S+)/g)) this.settings.set(canonicalSetting(m[1]!), m[2]!);
      } else {
        this.settings.set(canonicalSetting(k), v);
      }
    }
  }

  get parameterStatus(): ReadonlyMap<string, string> {
    return new Map([...this.settings].filter(([k]) => REPORTED.has(k)));
  }

  /**
   * Splits a simple-query string and parses every statement before any runs: as in
   * Postgres, a syntax error anywhere in the string runs nothing. The parses are kept for
   * the `prepare` calls that follow.
   */
  splitStatements(sql: string): string[] {
    const parts = splitStatementsAt(sql);
    this.#parsed.clear();
    for (const { text, offset } of parts) {
      if (this.#cachedPlan(text) !== undefined) continue; // parsed before, and planned
      try {
        this.#parsed.set(text, parseStatement(text));
      } catch (e) {
        if (e instanceof SqlError && e.position !== undefined) e.position += [...sql.slice(0, offset)].length;
        throw e;
      }
    }
    return parts.map((p) => p.text);
  }

  async prepare(sql: string, paramTypes: (SqlType | undefined)[]): Promise<PreparedStatement> {
    if (sql.trim() === '') return new Prepared(sql, null, paramTypes, null, this.coord.catalog.version);
    const version = this.coord.catalog.version;
    if (paramTypes.length === 0) {
      const hit = this.#cachedPlan(sql);
      if (hit !== undefined) return new Prepared(sql, hit.parsed, paramTypes, hit.planned, version);
    }
    const parsed = this.#parsed.get(sql) ?? parseStatement(sql);
    this.#parsed.delete(sql);
    const planned = this.#plan(parsed, paramTypes);
    if (paramTypes.length === 0) this.#plans.offer(sql, { parsed, planned, catalogVersion: version, settingsVersion: this.settings.version });
    return new Prepared(sql, parsed, paramTypes, planned, version);
  }

  #cachedPlan(sql: string): CachedPlan | undefined {
    return this.#plans.get(sql, this.coord.catalog.version, this.settings.version);
  }

  /**
   * Synchronous when nothing waits: no gathered writes to commit first and a statement that
   * gives its result directly (an INSERT … VALUES gathered into the batch). Errors thrown
   * before the statement runs reach the caller the same way, thrown or rejected (pgwire
   * handles both alike).
   */
  execute(stmt: PreparedStatement, params: Row): StatementResult | Promise<StatementResult> {
    const p = stmt as Prepared;
    if (!p.parsed) return { kind: 'empty' };
    this.#canceled = false;
    if (this.tx.status === 'failed' && !isTransactionEnd(p.parsed)) {
      throw new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    if (p.catalogVersion !== this.coord.catalog.version || !p.planned) {
      p.planned = this.#plan(p.parsed, p.requestedTypes.length > 0 ? p.requestedTypes : p.paramTypes);
      p.catalogVersion = this.coord.catalog.version;
    }
    const planned = p.planned;
    if (planned.write !== 'gathered' && !planned.readsTablesOnly && !this.tx.implicit.isEmpty) {
      return this.#commitImplicit().then(() => this.#run(planned, params));
    }
    return this.#run(planned, params);
  }

  /** Runs a planned statement; then, if a transaction block ended, its cursors are closed. */
  #run(planned: Planned, params: Row): StatementResult | Promise<StatementResult> {
    let result: StatementResult | Promise<StatementResult>;
    try {
      result = planned.execute(params);
    } catch (e) {
      this.#afterStatement();
      throw e;
    }
    if (result instanceof Promise) return result.finally(() => this.#afterStatement());
    this.#afterStatement();
    return result;
  }

  #afterStatement(): void {
    if (this.tx.status === 'idle') closeCursors(this); // a transaction block ended: its cursors with it
  }

  async endBatch(failed: boolean): Promise<{ durable?: Promise<void> }> {
    if (failed) {
      this.tx.implicit = new PendingWrites();
      return {};
    }
    if (this.tx.implicit.isEmpty) return {};
    const writes = this.tx.implicit;
    this.tx.implicit = new PendingWrites();
    const committed = await commitChanges(this, writes);
    return { durable: committed?.durable };
  }

  /** Commits the batch's gathered writes before a statement that is not one of them, and waits until they are written. */
  async #commitImplicit(): Promise<void> {
    if (this.tx.implicit.isEmpty) return;
    const writes = this.tx.implicit;
    this.tx.implicit = new PendingWrites();
    await (await commitChanges(this, writes))?.durable;
  }

  #plan(parsed: ParsedStatement, paramTypes: (SqlType | undefined)[]): Planned {
    if (parsed.kind === 'pg') return this.#planPg(parsed.ast, parsed.sql, paramTypes, parsed.emitOnWindowClose === true);
    const ast = parsed.ast;
    switch (ast.kind) {
      case 'Explain': {
        const inner = parseStatement(ast.query);
        if (inner.kind !== 'pg') throw new SqlError(SqlState.featureNotSupported, 'EXPLAIN of this statement is not supported');
        return explainQuery(this, inner.ast, ast.query, ast.stage);
      }
      case 'ExplainView': {
        const name = ast.name[ast.name.length - 1]!;
        const item = this.coord.catalog.byName(ast.name.length > 1 ? ast.name[0] : undefined, name);
        const wanted = ast.materialized ? 'materialized-view' : 'view';
        if (!item || item.kind !== wanted) {
          throw new SqlError(SqlState.undefinedTable, `${ast.materialized ? 'materialized view' : 'view'} "${name}" does not exist`);
        }
        const inner = parseStatement((item as { viewSql?: string }).viewSql ?? '');
        if (inner.kind !== 'pg') throw new Error('internal error: a view without a query');
        return explainQuery(this, inner.ast, inner.sql, ast.stage);
      }
      case 'ShowObjects':
      case 'ShowColumns':
      case 'ShowCreate':
        return planShowWeir(this, ast);
      case 'Flush':
        // Like every statement that is not a write, it commits the batch's gathered writes first.
        return { paramTypes: [], columns: null, execute: async () => ({ kind: 'command', commandTag: 'FLUSH' }) };
      case 'CreateSource':
        return planCreateSourceStmt(this, ast, parsed.sql);
      case 'CreateSink':
        return planCreateSinkStmt(this, ast, parsed.sql);
      case 'DropWeirObject':
        return planDropWeirObject(this, ast);
      case 'Subscribe':
        return planSubscribe(this, ast, parsed.sql);
      case 'DeclareSubscribe':
        return planDeclareSubscribe(this, ast.cursor, ast.subscribe, parsed.sql);
      case 'Fetch':
        return planFetch(this, ast.cursor, ast.count === 'all' ? Infinity : ast.count, ast.options);
      default:
        return assertNever(ast, 'weir statement');
    }
  }

  #planPg(ast: Node, sql: string, paramTypes: (SqlType | undefined)[], emitOnWindowClose: boolean): Planned {
    const kind = Object.keys(ast)[0]!;
    const body = (ast as unknown as Record<string, never>)[kind];
    if (emitOnWindowClose && kind !== 'CreateTableAsStmt') {
      throw new SqlError(SqlState.featureNotSupported, 'EMIT ON WINDOW CLOSE is only supported in CREATE MATERIALIZED VIEW');
    }
    switch (kind) {
      case 'SelectStmt':
        return planSelect(this, ast, sql, paramTypes);
      case 'InsertStmt':
        return planInsertIntoSinkTable(this, body as InsertStmt, sql) ?? planDml(this, ast, sql, paramTypes);
      case 'UpdateStmt':
      case 'DeleteStmt':
        return planDml(this, ast, sql, paramTypes);
      case 'CreateStmt':
        return planCreateTableStmt(this, body, sql);
      case 'ViewStmt':
      case 'CreateTableAsStmt':
        return planCreateViewStmt(this, ast as never, sql, emitOnWindowClose);
      case 'IndexStmt':
        return planCreateIndexStmt(this, body, sql);
      case 'DropStmt':
        return (body as DropStmt).removeType === 'OBJECT_FUNCTION' ? planDropFunction(this, body) : planDrop(this, body);
      case 'CreateFunctionStmt':
        return planCreateFunctionStmt(this, body, sql);
      case 'TransactionStmt':
        return planTransaction(this, (body as { kind: string }).kind);
      case 'VariableSetStmt':
        return planSet(this, body);
      case 'VariableShowStmt':
        return planShowSetting(this, body);
      case 'ExplainStmt':
        return planExplain(this, body, sql);
      case 'CopyStmt':
        return planCopy(this, body as CopyStmt, sql);
      case 'DeclareCursorStmt':
        return planDeclareSelect(this, body as DeclareCursorStmt, sql);
      case 'FetchStmt':
        return planFetchStmt(this, body as FetchStmt);
      case 'ClosePortalStmt':
        return planClose(this, body as ClosePortalStmt);
      case 'DiscardStmt':
      case 'DeallocateStmt':
        return { paramTypes: [], columns: null, execute: async () => ({ kind: 'command', commandTag: kind === 'DiscardStmt' ? 'DISCARD ALL' : 'DEALLOCATE' }) };
      default:
        throw new SqlError(SqlState.featureNotSupported, `${statementName(kind, body)} is not supported`);
    }
  }

  transactionStatus(): TransactionStatus {
    return this.tx.status;
  }

  markFailed(_err: SqlError): void {
    if (this.tx.status === 'in-transaction') this.tx.status = 'failed';
  }

  notice(n: Notice): void {
    this.#notices.push(n);
  }

  takeNotices(): readonly Notice[] {
    const n = this.#notices;
    if (n.length === 0) return NONE; // the common case, once per statement: no new array
    this.#notices = [];
    return n;
  }

  parameterChanged(name: string, value: string): void {
    this.#paramChanges.push([name, value]);
  }

  takeParameterChanges(): readonly [string, string][] {
    const c = this.#paramChanges;
    if (c.length === 0) return NONE;
    this.#paramChanges = [];
    return c;
  }

  /**
   * CancelRequest: the running statement stops at its next check (between the reads of its
   * inputs, and before it evaluates or commits) with 57014. A statement that already
   * committed its tick is not undone.
   */
  cancel(): void {
    this.#canceled = true;
    for (const listener of [...this.#cancelListeners]) listener();
  }

  disconnectedClient = false;

  cursorColumns(name: string): ResultColumn[] | undefined {
    return cursorColumns(this, name);
  }

  disconnected(): void {
    this.disconnectedClient = true;
    for (const listener of [...this.#cancelListeners]) listener();
  }

  onCancel(listener: () => void): () => void {
    this.#cancelListeners.add(listener);
    return () => this.#cancelListeners.delete(listener);
  }

  checkCanceled(): void {
    if (this.#canceled) {
      this.#canceled = false;
      throw new SqlError(SqlState.queryCanceled, 'canceling statement due to user request');
    }
  }

  async close(): Promise<void> {
    closeCursors(this);
    this.tx.status = 'idle';
    this.tx.pending = new PendingWrites();
    this.tx.implicit = new PendingWrites();
  }
}

function isTransactionEnd(p: ParsedStatement): boolean {
  if (p.kind !== 'pg' || !('TransactionStmt' in p.ast)) return false;
  const k = (p.ast.TransactionStmt as { kind?: string }).kind;
  return k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK';
}

/** Statement kinds whose name does not follow from the AST node's name. */
const statementNames: Record<string, string> = {
  CreateEnumStmt: 'CREATE TYPE',
  CompositeTypeStmt: 'CREATE TYPE',
  CreateSeqStmt: 'CREATE SEQUENCE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  CopyStmt: 'COPY',
  CreateFunctionStmt: 'CREATE FUNCTION',
  CreateTrigStmt: 'CREATE TRIGGER',
  CreateSchemaStmt: 'CREATE SCHEMA',
  CreatedbStmt: 'CREATE DATABASE',
  AlterTableStmt: 'ALTER TABLE',
  RenameStmt: 'ALTER … RENAME',
  CreateRoleStmt: 'CREATE ROLE',
  TruncateStmt: 'TRUNCATE',
  ListenStmt: 'LISTEN',
  NotifyStmt: 'NOTIFY',
  DeclareCursorStmt: 'DECLARE',
  FetchStmt: 'FETCH',
  PrepareStmt: 'PREPARE',
  ExecuteStmt: 'EXECUTE',
  DoStmt: 'DO',
  CallStmt: 'CALL',
  LockStmt: 'LOCK',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  CommentStmt: 'COMMENT',
};

/** "CreateFunctionStmt" → "CREATE FUNCTION" style name for the not-supported message. */
function statementName(kind: string, body: { is_grant?: boolean; is_vacuumcmd?: boolean }): string {
  if (kind === 'GrantStmt') return body.is_grant ? 'GRANT' : 'REVOKE';
  if (kind === 'VacuumStmt') return body.is_vacuumcmd ? 'VACUUM' : 'ANALYZE';
  if (statementNames[kind]) return statementNames[kind];
  return kind
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}
