/**
 * The Session interface: everything pgwire may ask of the adapter. pgwire imports this file
 * only (DESIGN §8). One Session per client connection; calls on one session never overlap
 * (pgwire awaits each before sending the next).
 */
import type { Row } from '../types/datum.js';
import type { SqlType } from '../types/sql-type.js';
import type { SqlError } from '../types/sql-error.js';

export interface ResultColumn {
  name: string;
  type: SqlType;
  /** Catalog id of the source table and 1-based column number, when the column is a plain column of one; else 0. */
  tableOid?: number;
  columnNumber?: number;
}

/** A statement parsed and bound once, executed many times (the extended protocol's "prepared statement"). */
export interface PreparedStatement {
  /** The statement text as the client sent it (one statement). */
  readonly sql: string;
  /** Parameter types, index 0 = $1; inferred when the client sent none. */
  readonly paramTypes: SqlType[];
  /** The result columns, or null when the statement returns no rows (RowDescription vs NoData). */
  readonly columns: ResultColumn[] | null;
}

/** What executing one statement gives. Rows are complete (pgwire does the paging for row limits). */
export type StatementResult =
  | { kind: 'rows'; columns: ResultColumn[]; rows: Row[]; commandTag: string }
  | { kind: 'command'; commandTag: string }
  | { kind: 'empty' }
  | CopyOutResult
  | CopyInResult;

/**
 * COPY … TO STDOUT and SUBSCRIBE: CopyOutResponse (text format, `columnCount` columns), then
 * one CopyData per line `next` gives (each line already encoded, newline included), until it
 * gives null: then CopyDone and CommandComplete with `commandTag()`. A SUBSCRIBE never ends by
 * itself: `next` waits for the next tick's changes, and throws SqlError when canceled (57014)
 * or when the client fell too far behind. `close` = the client went away: stop now, and a
 * pending `next` gives null.
 */
export interface CopyOutResult {
  kind: 'copy-out';
  columnCount: number;
  next(): Promise<Uint8Array[] | null>;
  close(): void;
  commandTag(): string;
}

/**
 * COPY … FROM STDIN: CopyInResponse (text format, `columnCount` columns), then each CopyData
 * message's bytes go to `write` (a line may span messages); CopyDone calls `end`, which gives
 * the CommandComplete tag; CopyFail or a lost connection calls `fail`. `write` and `end` throw
 * SqlError on bad data (the COPY then changes nothing).
 */
export interface CopyInResult {
  kind: 'copy-in';
  columnCount: number;
  write(data: Uint8Array): Promise<void>;
  end(): Promise<string>;
  fail(): void;
}

export interface Notice {
  severity: 'NOTICE' | 'WARNING' | 'INFO' | 'DEBUG' | 'LOG';
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

export type TransactionStatus = 'idle' | 'in-transaction' | 'failed';

export interface Session {
  /** ParameterStatus values to report at startup (server_version, TimeZone, …). */
  readonly parameterStatus: ReadonlyMap<string, string>;
  /** Backend key data for CancelRequest. */
  readonly processId: number;
  readonly secretKey: number;

  /** Splits a simple-query string into statements (by the real grammar's tokens). */
  splitStatements(sql: string): string[];
  /**
   * Parses and binds one statement. `paramTypes` are the types the client declared
   * (undefined entries = infer). Throws SqlError on a bad statement.
   */
  prepare(sql: string, paramTypes: (SqlType | undefined)[]): Promise<PreparedStatement>;
  /**
   * Executes a prepared statement with decoded parameter values. Throws (or rejects with)
   * SqlError. A statement with nothing to wait for (an INSERT … VALUES gathered into the
   * batch) gives its result directly rather than as a Promise, which saves a batch of
   * single-row INSERTs a chain of microtask hops per row; callers handle both.
   */
  execute(stmt: PreparedStatement, params: Row): StatementResult | Promise<StatementResult>;

  /**
   * The end of a batch: a Sync (extended protocol) or the end of a simple-query string. Write
   * statements outside an explicit transaction are gathered until here and committed as one
   * tick (Postgres's implicit transaction); `failed` = a statement of the batch failed, so
   * the gathered writes are discarded. Throws SqlError if the commit fails.
   *
   * Resolves once the tick is applied in memory, with `durable` (when there was a tick) settling
   * once it is written, rejecting with a SqlError if that fails: the caller acknowledges the
   * batch only then, but may go on reading the client's next messages meanwhile (pipelining:
   * later statements see this tick).
   */
  endBatch(failed: boolean): Promise<{ durable?: Promise<void> }>;

  transactionStatus(): TransactionStatus;
  /** Called by pgwire when a statement fails inside an explicit transaction block. */
  markFailed(err: SqlError): void;
  /** Notices raised since the last call (pgwire sends them before the statement's result). */
  takeNotices(): readonly Notice[];
  /** Cancels the statement running on this session, if any (CancelRequest). */
  cancel(): void;
  /**
   * The connection closed while a statement runs: a statement that only waits (a FETCH from a
   * subscription) stops now; anything else runs to its end. `close` follows when it has.
   */
  disconnected?(): void;
  /**
   * The result columns of a cursor this session DECLAREd, which the extended protocol also
   * knows as a portal of that name (psycopg's named cursors Describe it); undefined if none.
   */
  cursorColumns?(name: string): ResultColumn[] | undefined;
  /** The connection closed: roll back an open transaction, free resources. */
  close(): Promise<void>;
  /** ParameterStatus changes caused by SET since the last call. */
  takeParameterChanges(): readonly [string, string][];
}

/** The server side: creates sessions and checks passwords (SCRAM when users are configured). */
export interface SessionFactory {
  /** Startup parameters (user, database, application_name, options…). Throws SqlError to refuse. */
  open(startup: ReadonlyMap<string, string>): Promise<Session>;
  /** For SCRAM-SHA-256: the stored password for a user, or undefined when trust auth applies. */
  passwordFor(user: string): string | undefined;
  /** Finds a session by its backend key data (CancelRequest). */
  findForCancel(processId: number, secretKey: number): Session | undefined;
}
