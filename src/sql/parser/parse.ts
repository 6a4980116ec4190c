/**
 * Parsing: SQL text → statements. weir's own statements (grammar/, via peggy) are tried
 * first; everything else goes to libpg-query, the real Postgres grammar, so syntax errors are
 * Postgres's own words with Postgres's 1-based position.
 *
 * Statements are split on top-level semicolons by a small lexer that knows Postgres's
 * strings, quoted identifiers, dollar quotes and comments, so a semicolon inside them does
 * not split.
 */
import { loadModule, parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { WeirStatement } from '../ast/weir-ast.js';
import { parse as parseWeir } from './generated/weir-parser.js';

export type ParsedStatement =
  /**
   * A Postgres statement. `emitOnWindowClose`: a CREATE MATERIALIZED VIEW whose text ended in
   * `EMIT ON WINDOW CLOSE` (stripped before libpg-query parsed it).
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
 * in the text. A small lexer skips what may hold a semicolon: 'strings' (with '' and, for
 * E'…', backslash escapes), "identifiers", $tag$ dollar quotes $tag$, -- comments and
 * nested block comments. An unterminated one runs to the end (the parser reports it).
 */
export function splitStatementsAt(sql: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  const push = (end: number) => {
    const text = sql.slice(start, end);
    if (!isBlank(text)) out.push({ text, offset: start });
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 59 /* ; */) {
      push(i);
      start = ++i;
    } else if (c === 39 /* ' */) {
      const escapes = i > 0 && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && (i < 2 || !/[A-Za-z0-9_]/.test(sql[i - 2]!));
      i++;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (escapes && d === 92 /* \ */) i += 2;
        else if (d === 39) {
          if (sql.charCodeAt(i + 1) === 39) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === 34 /* " */) {
      i = sql.indexOf('"', i + 1);
      i = i < 0 ? n : i + 1;
    } else if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      i = sql.indexOf('\n', i);
      i = i < 0 ? n : i + 1;
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql.charCodeAt(i) === 47 && sql.charCodeAt(i + 1) === 42) (depth++, (i += 2));
        else if (sql.charCodeAt(i) === 42 && sql.charCodeAt(i + 1) === 47) (depth--, (i += 2));
        else i++;
      }
    } else if (c === 36 /* $ */) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (m && !(i > 0 && /[A-Za-z0-9_]/.test(sql[i - 1]!))) {
        const end = sql.indexOf(m[0], i + m[0].length);
        i = end < 0 ? n : end + m[0].length;
      } else i++;
    } else i++;
  }
  push(n);
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
  if (!/^\s*(?:--[^\n]*\n\s*)*(?:show|explain|flush)\b/i.test(sql)) return undefined;
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
