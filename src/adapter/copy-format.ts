/**
 * copy-format: the lines of COPY … TO STDOUT and COPY … FROM STDIN in Postgres's text and
 * CSV formats, and the options that shape them (FORMAT, HEADER, DELIMITER, NULL, QUOTE,
 * ESCAPE, FORCE_QUOTE, ENCODING), checked with Postgres's words.
 *
 * text: fields split by a tab; NULL is `\N`; in a value, backslash, newline, carriage return,
 *       tab, backspace, form feed, vertical tab and the delimiter are escaped with a backslash
 *       (`a\tb`, `c:\\x`); reading also takes `\ooo` octal and `\xhh` hex escapes.
 * csv:  fields split by a comma; NULL is an empty unquoted field; a value holding the
 *       delimiter, the quote, a newline or a carriage return, or equal to the NULL string (so
 *       an empty string is `""`), is quoted, with quote and escape characters escaped.
 *
 *   ['a,b', null, '', 'x"y']  →  text: a,b\t\N\t\tx"y     csv: "a,b",,"","x""y"
 *
 * Values are each datum's text output (text-format.ts), so `COPY (…) TO STDOUT` prints what
 * SELECT would, and input is read with the column type's input function.
 */
import type { Row } from '../types/datum.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import type { SqlType } from '../types/sql-type.js';
import { formatDatum, parseBool, parseDatum } from '../types/text-format.js';

/** One COPY option as written: `FORMAT csv` → value 'csv'; `HEADER` alone → true; `FORCE_QUOTE (a, b)` → a list; `*` → '*'. */
export interface CopyOption {
  name: string;
  value: string | true | string[];
}

export interface CopyFormat {
  format: 'text' | 'csv';
  delimiter: string;
  null: string;
  header: boolean;
  quote: string;
  escape: string;
  /** CSV output: columns quoted even when they would not need it (names, or '*' for all). */
  forceQuote: string[] | '*';
}

const invalid = (message: string): SqlError => new SqlError(SqlState.invalidParameterValue, message);
const syntax = (message: string): SqlError => new SqlError(SqlState.syntaxError, message);

/** Checks COPY's options (Postgres's ProcessCopyOptions) and fills in the defaults of the format. */
export function copyFormat(options: readonly CopyOption[], direction: 'to' | 'from'): CopyFormat {
  const seen = new Set<string>();
  const given: Partial<Record<string, CopyOption['value']>> = {};
  for (const o of options) {
    const name = o.name.toLowerCase();
    if (seen.has(name)) throw syntax('conflicting or redundant options');
    seen.add(name);
    given[name] = o.value;
  }
  const str = (name: string): string | undefined => {
    const v = given[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw syntax(`${name} requires a string value`);
    return v;
  };
  const format = (str('format') ?? 'text').toLowerCase();
  if (format === 'binary') throw new SqlError(SqlState.featureNotSupported, 'COPY FORMAT binary is not supported', { hint: 'Use FORMAT text or FORMAT csv.' });
  if (format !== 'text' && format !== 'csv') throw invalid(`COPY format "${format}" not recognized`);
  const csv = format === 'csv';
  for (const name of seen) {
    if (!KNOWN.has(name)) {
      if (UNSUPPORTED.has(name)) throw new SqlError(SqlState.featureNotSupported, `COPY option ${name.toUpperCase()} is not supported`);
      throw syntax(`option "${name}" not recognized`);
    }
  }
  const header = given.header === undefined ? false : given.header === true ? true : headerValue(given.header);
  const delimiter = str('delimiter') ?? (csv ? ',' : '\t');
  const nullString = str('null') ?? (csv ? '' : '\\N');
  const quote = str('quote');
  const escape = str('escape');
  const encoding = str('encoding');
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    throw new SqlError(SqlState.featureNotSupported, `COPY ENCODING "${encoding}" is not supported`, { hint: 'weir reads and writes UTF8.' });
  }
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127) throw invalid('COPY delimiter must be a single one-byte character');
  if (delimiter === '\r' || delimiter === '\n') throw invalid('COPY delimiter cannot be newline or carriage return');
  if (nullString.includes('\r') || nullString.includes('\n')) throw invalid('COPY null representation cannot use newline or carriage return');
  if (!csv && '\\.abcdefghijklmnopqrstuvwxyz0123456789'.includes(delimiter)) throw invalid(`COPY delimiter cannot be "${delimiter}"`);
  if (!csv && quote !== undefined) throw new SqlError(SqlState.featureNotSupported, 'COPY quote available only in CSV mode');
  if (!csv && escape !== undefined) throw new SqlError(SqlState.featureNotSupported, 'COPY escape available only in CSV mode');
  const q = quote ?? '"';
  if (q.length !== 1) throw invalid('COPY quote must be a single one-byte character');
  const e = escape ?? q;
  if (e.length !== 1) throw invalid('COPY escape must be a single one-byte character');
  if (csv && delimiter === q) throw invalid('COPY delimiter and quote must be different');
  if (csv && nullString.includes(delimiter)) throw invalid('COPY delimiter must not appear in the NULL specification');
  const fq = given.force_quote;
  if (fq !== undefined) {
    if (!csv) throw new SqlError(SqlState.featureNotSupported, 'COPY force quote available only in CSV mode');
    if (direction === 'from') throw new SqlError(SqlState.featureNotSupported, 'COPY force quote only available using COPY TO');
  }
  const forceQuote: string[] | '*' = fq === undefined || fq === true ? [] : fq === '*' ? '*' : Array.isArray(fq) ? fq : [fq];
  return { format: csv ? 'csv' : 'text', delimiter, null: nullString, header, quote: q, escape: e, forceQuote };
}

const KNOWN = new Set(['format', 'header', 'delimiter', 'null', 'quote', 'escape', 'force_quote', 'encoding']);
const UNSUPPORTED = new Set(['freeze', 'force_not_null', 'force_null', 'default', 'on_error', 'log_verbosity']);

function headerValue(v: string | string[]): boolean {
  if (typeof v !== 'string') throw syntax('header requires a Boolean value');
  if (v.toLowerCase() === 'match') return true;
  try {
    return parseBool(v);
  } catch {
    throw syntax('header requires a Boolean value');
  }
}

// ---- writing ----

const TEXT_ESCAPES: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\' };

function regexChar(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Encodes rows as COPY lines (each ending in a newline) of one column layout. */
export class CopyWriter {
  readonly #f: CopyFormat;
  readonly #types: readonly SqlType[];
  readonly #textSpecial: RegExp;
  readonly #csvSpecial: RegExp;
  readonly #forced: boolean[];

  constructor(f: CopyFormat, columns: readonly { name: string; type: SqlType }[]) {
    this.#f = f;
    this.#types = columns.map((c) => c.type);
    this.#textSpecial = new RegExp(`[\\b\\f\\n\\r\\t\\v\\\\${regexChar(f.delimiter)}]`, 'g');
    this.#csvSpecial = new RegExp(`[\\n\\r${regexChar(f.delimiter)}${regexChar(f.quote)}]`);
    const names = columns.map((c) => c.name);
    if (f.forceQuote !== '*') {
      for (const n of f.forceQuote) {
        if (!names.includes(n)) throw new SqlError(SqlState.undefinedColumn, `column "${n}" does not exist`);
      }
    }
    this.#forced = names.map((n) => f.forceQuote === '*' || f.forceQuote.includes(n));
  }

  /** The header line (column names), or undefined when HEADER is off. */
  header(names: readonly string[]): string | undefined {
    if (!this.#f.header) return undefined;
    const single = names.length === 1;
    return names.map((n) => (this.#f.format === 'csv' ? this.#csv(n, false, single) : this.#text(n))).join(this.#f.delimiter) + '\n';
  }

  line(row: Row): string {
    const f = this.#f;
    const single = row.length === 1;
    let out = '';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += f.delimiter;
      const d = row[i]!;
      if (d === null) {
        out += f.null;
        continue;
      }
      const s = formatDatum(d, this.#types[i]!);
      out += f.format === 'csv' ? this.#csv(s, this.#forced[i]!, single) : this.#text(s);
    }
    return out + '\n';
  }

  #text(s: string): string {
    this.#textSpecial.lastIndex = 0;
    return this.#textSpecial.test(s) ? s.replace(this.#textSpecial, (c) => TEXT_ESCAPES[c] ?? `\\${c}`) : s;
  }

  #csv(s: string, force: boolean, single: boolean): string {
    const f = this.#f;
    const quote = force || s === f.null || (single && s === '\\.') || this.#csvSpecial.test(s);
    if (!quote) return s;
    let out = f.quote;
    for (const c of s) out += c === f.quote || c === f.escape ? f.escape + c : c;
    return out + f.quote;
  }
}

// ---- reading ----

/**
 * Reads COPY data as it arrives in CopyData messages (a line or a UTF-8 character may be split
 * between them) into rows of the given column types. Postgres's errors, with the line number
 * and column in the detail: 22P04 for a malformed line, the type's own error for a bad value.
 */
export class CopyReader {
  readonly #f: CopyFormat;
  readonly #columns: readonly { name: string; type: SqlType }[];
  readonly #what: string;
  #bytes: Uint8Array = new Uint8Array(0);
  #text = '';
  #line = 0;
  #ended = false;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });

  /** `what`: the COPY's target as error details name it (`COPY t`). */
  constructor(f: CopyFormat, columns: readonly { name: string; type: SqlType }[], what: string) {
    this.#f = f;
    this.#columns = columns;
    this.#what = what;
  }

  /** The rows completed by this chunk. */
  push(chunk: Uint8Array): Row[] {
    if (this.#ended) return [];
    const all = concat(this.#bytes, chunk);
    const cut = all.lastIndexOf(10) + 1; // a newline byte never occurs inside a UTF-8 sequence
    this.#bytes = all.subarray(cut);
    if (cut === 0) return [];
    this.#text += this.#decode(all.subarray(0, cut));
    return this.#rows(false);
  }

  /** CopyDone: what remains (a last line without its newline). */
  finish(): Row[] {
    if (this.#ended) return [];
    this.#text += this.#decode(this.#bytes);
    this.#bytes = new Uint8Array(0);
    return this.#rows(true);
  }

  #decode(b: Uint8Array): string {
    try {
      return this.#decoder.decode(b);
    } catch {
      throw new SqlError('22021', 'invalid byte sequence for encoding "UTF8"', { detail: `${this.#what}, line ${this.#line + 1}` });
    }
  }

  #rows(final: boolean): Row[] {
    const out: Row[] = [];
    const csv = this.#f.format === 'csv';
    let pos = 0;
    const text = this.#text;
    while (pos < text.length && !this.#ended) {
      const record = csv ? this.#csvRecord(text, pos, final) : this.#textRecord(text, pos, final);
      if (record === null) break;
      pos = record.next;
      this.#line++;
      if (record.end) {
        this.#ended = true;
        break;
      }
      if (this.#line === 1 && this.#f.header) continue;
      out.push(this.#row(record.fields));
    }
    this.#text = text.slice(pos);
    return out;
  }

  #error(message: string): SqlError {
    return new SqlError('22P04', message, { detail: `${this.#what}, line ${this.#line}` });
  }

  #row(fields: (string | null)[]): Row {
    const cols = this.#columns;
    if (fields.length > cols.length) throw this.#error('extra data after last expected column');
    if (fields.length < cols.length) throw this.#error(`missing data for column "${cols[fields.length]!.name}"`);
    return fields.map((s, i) => {
      if (s === null) return null;
      try {
        return parseDatum(s, cols[i]!.type);
      } catch (e) {
        if (!SqlError.is(e)) throw e;
        throw new SqlError(e.code, e.message, { detail: `${this.#what}, line ${this.#line}, column ${cols[i]!.name}: "${s}"` });
      }
    });
  }

  /** One text-format line from `pos`: null when it is not complete yet. */
  #textRecord(text: string, pos: number, final: boolean): { fields: (string | null)[]; next: number; end: boolean } | null {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) {
      if (!final) return null;
      nl = text.length;
    }
    let line = text.slice(pos, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const next = nl + 1;
    if (line === '\\.') return { fields: [], next, end: true };
    const f = this.#f;
    const fields: (string | null)[] = [];
    let value = '';
    let raw = '';
    for (let i = 0; i <= line.length; i++) {
      const c = line[i];
      if (c === undefined || c === f.delimiter) {
        fields.push(raw === f.null ? null : value);
        value = '';
        raw = '';
        continue;
      }
      if (c !== '\\') {
        value += c;
        raw += c;
        continue;
      }
      const e = line[++i];
      if (e === undefined) throw this.#error('end-of-copy marker corrupt');
      raw += c + e;
      if (e >= '0' && e <= '7') {
        let digits = e;
        while (digits.length < 3 && line[i + 1] !== undefined && line[i + 1]! >= '0' && line[i + 1]! <= '7') digits += line[++i];
        raw += digits.slice(1);
        value += String.fromCharCode(parseInt(digits, 8) & 0xff);
      } else if (e === 'x' && /[0-9a-fA-F]/.test(line[i + 1] ?? '')) {
        let digits = line[++i]!;
        if (/[0-9a-fA-F]/.test(line[i + 1] ?? '')) digits += line[++i];
        raw += digits;
        value += String.fromCharCode(parseInt(digits, 16));
      } else {
        value += { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }[e] ?? e;
      }
    }
    return { fields, next, end: false };
  }

  /** One CSV record from `pos` (quoted fields may hold newlines): null when it is not complete yet. */
  #csvRecord(text: string, pos: number, final: boolean): { fields: (string | null)[]; next: number; end: boolean } | null {
    const f = this.#f;
    const lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0 && !final) return null;
    if (text.slice(pos, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '') === '\\.') {
      return { fields: [], next: lineEnd < 0 ? text.length : lineEnd + 1, end: true };
    }
    const fields: (string | null)[] = [];
    let i = pos;
    for (;;) {
      let value = '';
      let wasQuoted = false;
      let inQuotes = false;
      for (;;) {
        const c = text[i];
        if (c === undefined) {
          if (!final) return null;
          if (inQuotes) throw this.#error('unterminated CSV quoted field');
          break;
        }
        const n = text[i + 1];
        if (inQuotes) {
          if (n === undefined && !final) return null; // an escape or the closing quote: not known yet
          if (c === f.escape && (n === f.quote || n === f.escape)) {
            value += n;
            i += 2;
          } else {
            if (c === f.quote) inQuotes = false;
            else value += c;
            i++;
          }
          continue;
        }
        if (c === f.delimiter || c === '\n' || (c === '\r' && (n === '\n' || n === undefined))) break;
        if (c === f.quote) {
          inQuotes = true;
          wasQuoted = true; // a quoted field is never NULL, even when empty
        } else {
          value += c;
        }
        i++;
      }
      fields.push(!wasQuoted && value === f.null ? null : value);
      if (text[i] === f.delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      return { fields, next: i, end: false };
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
