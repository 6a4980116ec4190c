/**
 * Parsing: SQL text → statements. weir's own statements (grammar/, via peggy) are tried
 * first; everything else goes to libpg-query, the real Postgres grammar, so syntax errors are
 * Postgres's own words with Postgres's 1-based position.
 *
 * Statements are split on top-level semicolons using the Postgres scanner's tokens, so a
 * semicolon inside a string, a dollar-quoted body or a comment does not split.
 */
import { loadModule, parseSync, scanSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { WeirStatement } from '../ast/weir-ast.js';
import { parse as parseWeir } from './generated/weir-parser.js';

export type ParsedStatement =
  | { kind: 'pg'; ast: Node; sql: string }
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
  let tokens: { start: number; end: number; text: string }[];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    // An unterminated string or comment: let the parser report it on the whole text.
    return sql.trim() === '' ? [] : [sql];
  }
  const out: string[] = [];
  let start = 0;
  for (const t of tokens) {
    if (t.text === ';') {
      const stmt = sql.slice(start, t.start);
      if (!isBlank(stmt)) out.push(stmt);
      start = t.end;
    }
  }
  const last = sql.slice(start);
  if (!isBlank(last)) out.push(last);
  return out;
}

function isBlank(s: string): boolean {
  return s.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '';
}

/** Parses one statement's text. Throws SqlError 42601 with position on a syntax error. */
export function parseStatement(sql: string): ParsedStatement {
  const weir = tryParseWeir(sql);
  if (weir) return { kind: 'weir', ast: weir, sql };
  let result;
  try {
    result = parseSync(sql);
  } catch (e) {
    throw toSyntaxError(e);
  }
  const stmts = result.stmts ?? [];
  if (stmts.length !== 1 || !stmts[0]!.stmt) {
    throw new SqlError(SqlState.syntaxError, 'expected exactly one statement', {
      detail: `The text holds ${stmts.length} statements.`,
    });
  }
  return { kind: 'pg', ast: stmts[0]!.stmt, sql };
}

/** Parses SQL text holding any number of statements. */
export function parseStatements(sql: string): ParsedStatement[] {
  return splitStatements(sql).map(parseStatement);
}

function tryParseWeir(sql: string): WeirStatement | undefined {
  // Cheap check first: every weir statement starts with one of these words.
  if (!/^\s*(?:--[^\n]*\n\s*)*(?:show|explain)\b/i.test(sql)) return undefined;
  try {
    return parseWeir(sql, { startRule: 'Statement' }) as WeirStatement;
  } catch {
    return undefined;
  }
}

function toSyntaxError(e: unknown): SqlError {
  const err = e as { message?: string; sqlDetails?: { message?: string; cursorPosition?: number } };
  const message = err.sqlDetails?.message ?? err.message ?? 'syntax error';
  const cursor = err.sqlDetails?.cursorPosition;
  return new SqlError(SqlState.syntaxError, message, { position: cursor !== undefined ? cursor + 1 : undefined });
}
