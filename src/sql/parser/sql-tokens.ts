/**
 * A small SQL lexer: text → tokens with their offsets, white space and comments dropped. It
 * knows what may hide a keyword, a parenthesis or a semicolon: 'strings' ('' doubled, and
 * backslash escapes in E'…'), "quoted identifiers", $tag$ dollar quotes $tag$, -- comments
 * and nested block comments. An unterminated one runs to the end of the text (the parser
 * reports it). Used to split statements and by the text rewrites done before libpg-query
 * (EMIT ON WINDOW CLOSE, window table functions); it does not validate anything.
 */

export type TokenKind =
  /** A keyword or plain identifier (as written; compare case-insensitively). */
  | 'word'
  /** A "quoted identifier", quotes included. */
  | 'quoted'
  /** A string constant (E'…', $$…$$ included), quotes included. */
  | 'string'
  | 'number'
  /** `$1` */
  | 'param'
  /** An operator: a run of + - * / < > = ~ ! @ # % ^ & | ` ? : (so `::` and `=>` are one token). */
  | 'op'
  /** One of ( ) [ ] , ; . */
  | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the first character, in UTF-16 units. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const OP_CHAR = /[+\-*/<>=~!@#%^&|`?:]/;

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number) => out.push({ kind, text: sql.slice(start, end), start, end });
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'") {
      i = skipString(sql, i, false);
      push('string', start, i);
    } else if (c === '"') {
      const close = sql.indexOf('"', i + 1);
      i = close < 0 ? n : close + 1;
      // "" inside a quoted identifier is a quote: keep going.
      while (i < n && sql[i] === '"') {
        const next = sql.indexOf('"', i + 1);
        i = next < 0 ? n : next + 1;
      }
      push('quoted', start, i);
    } else if (WORD_START.test(c)) {
      while (i < n && WORD_CHAR.test(sql[i]!)) i++;
      if (sql[i] === "'" && i - start === 1 && (c === 'E' || c === 'e')) {
        i = skipString(sql, i, true);
        push('string', start, i);
      } else push('word', start, i);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(sql.slice(i, i + 400))!;
      i += m[0].length;
      push('number', start, i);
    } else if (c === '$') {
      const m = /^\$(?:([0-9]+)|([A-Za-z_][A-Za-z0-9_]*)?\$)/.exec(sql.slice(i, i + 64));
      if (m && m[1] !== undefined) {
        i += m[0].length;
        push('param', start, i);
      } else if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        i = close < 0 ? n : close + m[0].length;
        push('string', start, i);
      } else {
        i++;
        push('op', start, i);
      }
    } else if (OP_CHAR.test(c)) {
      while (i < n && OP_CHAR.test(sql[i]!) && !(sql[i] === '-' && sql[i + 1] === '-') && !(sql[i] === '/' && sql[i + 1] === '*')) i++;
      push('op', start, i);
    } else {
      i++;
      push('punct', start, i);
    }
  }
  return out;
}

/** Past the closing quote of the string starting at `i` (a quote); `escapes`: backslash escapes (E'…'). */
function skipString(sql: string, i: number, escapes: boolean): number {
  const n = sql.length;
  i++;
  while (i < n) {
    const d = sql[i];
    if (escapes && d === '\\') i += 2;
    else if (d === "'") {
      if (sql[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return n;
}

function skipBlockComment(sql: string, i: number): number {
  const n = sql.length;
  let depth = 1;
  i += 2;
  while (i < n && depth > 0) {
    if (sql[i] === '/' && sql[i + 1] === '*') (depth++, (i += 2));
    else if (sql[i] === '*' && sql[i + 1] === '/') (depth--, (i += 2));
    else i++;
  }
  return i;
}

/** A word token equal (case-insensitively) to `word`. */
export function isWord(t: Token | undefined, word: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === word;
}

/** The index of the `)` matching the `(` at `open`, or -1 if it is never closed. */
export function matchingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')' && --depth === 0) return i;
  }
  return -1;
}
