/**
 * Parsing: SQL text → statements. Flink's `backtick` identifiers are first made double-quoted
 * ones (backtick-rewrite.ts). weir's own statements (grammar/, via peggy) are tried first;
 * everything else goes to libpg-query, the real Postgres grammar, so syntax errors are
 * Postgres's own words with Postgres's 1-based position. Before libpg-query, text rewrites
 * make streaming spellings Postgres syntax: a trailing EMIT ON WINDOW CLOSE is cut off (and
 * flagged), Flink's window table functions become plain calls (window-tvf-rewrite.ts) and
 * temporal joins a marked call (temporal-join-rewrite.ts).
 *
 * Statements are split on top-level semicolons by a small lexer that knows Postgres's
 * strings, quoted identifiers, dollar quotes and comments, so a semicolon inside them does
 * not split.
 */
import { loadModule, parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { WeirStatement } from '../ast/weir-ast.js';
import { stripEmitOnWindowClose } from './emit-on-window-close.js';
import { parse as parseWeir } from './generated/weir-parser.js';
import { rewriteBackticks } from './backtick-rewrite.js';
import { tokenize } from './sql-tokens.js';
import { rewriteWindowTvfs } from './window-tvf-rewrite.js';
import { rewriteTemporalJoins } from './temporal-join-rewrite.js';

export type ParsedStatement =
  /**
   * A Postgres statement; `sql` is the text as written. `emitOnWindowClose`: the text ended in
   * `EMIT ON WINDOW CLOSE` (stripped before libpg-query parsed it), usually a CREATE
   * MATERIALIZED VIEW; for any other statement the caller decides what it means.
   */
  | { kind: 'pg'; ast: Node; sql: string; emitOnWindowClose?: boolean }
  | { kind: 'weir'; ast: WeirStatement; sql: string };

let loaded = false;

/** Loads the Postgres parser (WASM). Call once at start; parse functions need it. */
export async function initParser(): Promise<void> {
  if (!loaded) {
    await loadModule();
    loaded = true;
  }
}

/** Splits SQL text into statement texts (without the trailing semicolon, empty ones dropped). */
export function splitStatements(sql: string): string[] {
  return splitStatementsAt(sql).map((s) => s.text);
}

/**
 * Splits SQL text on top-level semicolons, with each statement's offset (in UTF-16 units)
 * in the text. The lexer (sql-tokens.ts) skips what may hold a semicolon: 'strings' (with ''
 * and, for E'…', backslash escapes), "identifiers", $tag$ dollar quotes $tag$, -- comments and
 * nested block comments. An unterminated one runs to the end (the parser reports it).
 */
export function splitStatementsAt(sql: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let start = 0;
  const push = (end: number) => {
    const text = sql.slice(start, end);
    if (!isBlank(text)) out.push({ text, offset: start });
  };
  for (const t of tokenize(sql)) {
    if (t.kind === 'punct' && t.text === ';') {
      push(t.start);
      start = t.end;
    }
  }
  push(sql.length);
  return out;
}

function isBlank(s: string): boolean {
  return tokenize(s).length === 0;
}

/** Parses one statement's text. Throws SqlError 42601 with position on a syntax error. */
export function parseStatement(sql: string): ParsedStatement {
  const quoted = rewriteBackticks(sql);
  const weir = tryParseWeir(quoted.text);
  if (weir) return { kind: 'weir', ast: weir, sql };
  const stripped = stripEmitOnWindowClose(quoted.text);
  const windows = rewriteWindowTvfs(stripped ?? quoted.text);
  const lookups = rewriteTemporalJoins(windows.text);
  let result;
  try {
    result = parseSync(lookups.text);
  } catch (e) {
    throw toSyntaxError(e, (o) => quoted.originalOffset(windows.originalOffset(lookups.originalOffset(o))));
  }
  const stmts = result.stmts ?? [];
  if (stmts.length !== 1 || !stmts[0]!.stmt) {
    throw new SqlError(SqlState.syntaxError, 'expected exactly one statement', {
      detail: `The text holds ${stmts.length} statements.`,
    });
  }
  return { kind: 'pg', ast: stmts[0]!.stmt, sql, ...(stripped !== undefined ? { emitOnWindowClose: true } : {}) };
}

/** Parses SQL text holding any number of statements. */
export function parseStatements(sql: string): ParsedStatement[] {
  return splitStatements(sql).map(parseStatement);
}

/** Leading white space and comments. */
const LEADING = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
/** The first words of weir's statement families that Postgres also has (a failed parse falls back to it). */
const SHARED_PREFIX = /^(?:show|explain|flush|fetch)\b/i;
/** Statements only weir has: a failed parse is a syntax error here. */
const WEIR_ONLY_PREFIX =
  /^(?:create\s+(?:source|sink)|drop\s+(?:source|sink)|subscribe|copy\s*\(\s*subscribe|declare\s+\S+\s+(?:no\s+scroll\s+)?cursor\s+(?:without\s+hold\s+)?for\s+subscribe)\b/i;
/** CREATE TABLE is weir's only with a streaming clause; these words are a cheap hint that it may have one. */
const STREAMING_TABLE = /^create\s+table\b/i;
const STREAMING_HINT = /\b(?:watermark|append\s+only|format|connector)\b/i;

function tryParseWeir(sql: string): WeirStatement | undefined {
  const head = sql.slice(LEADING.exec(sql)![0].length);
  const weirOnly = WEIR_ONLY_PREFIX.test(head);
  if (!weirOnly && !SHARED_PREFIX.test(head) && !(STREAMING_TABLE.test(head) && STREAMING_HINT.test(head))) return undefined;
  try {
    return parseWeir(sql, { startRule: 'Statement' }) as WeirStatement;
  } catch (e) {
    if (weirOnly) throw weirSyntaxError(e, sql);
    return undefined;
  }
}

/**
 * A peggy error as Postgres words: `syntax error at or near "tok"` / `at end of input` with
 * the 1-based position, or the grammar's own message (`error(…)` in an action).
 */
function weirSyntaxError(e: unknown, sql: string): SqlError {
  const err = e as { message?: string; expected?: unknown[] | null; location?: { start: { offset: number } } };
  if (!err.location) return new SqlError(SqlState.syntaxError, err.message ?? 'syntax error');
  const at = tokenize(sql.slice(err.location.start.offset))[0];
  const offset = err.location.start.offset + (at?.start ?? 0);
  if (err.expected === null || err.expected === undefined) {
    return new SqlError(SqlState.syntaxError, err.message ?? 'syntax error', { position: offset + 1 });
  }
  if (!at) return new SqlError(SqlState.syntaxError, 'syntax error at end of input', { position: sql.trimEnd().length + 1 });
  return new SqlError(SqlState.syntaxError, `syntax error at or near "${at.text}"`, { position: offset + 1 });
}

function toSyntaxError(e: unknown, originalOffset: (offset: number) => number): SqlError {
  const err = e as { message?: string; sqlDetails?: { message?: string; cursorPosition?: number } };
  const message = err.sqlDetails?.message ?? err.message ?? 'syntax error';
  const cursor = err.sqlDetails?.cursorPosition;
  return new SqlError(SqlState.syntaxError, message, { position: cursor !== undefined ? originalOffset(cursor) + 1 : undefined });
}
