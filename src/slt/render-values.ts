/**
 * How a result set becomes the lines a test file compares: value rendering, sorting and hashing.
 *
 * Two rendering styles, chosen per file (run-file.ts):
 * - `sqlite` (SQLite's C harness, `.test` files): the column's type letter decides. `I` prints
 *   the value as a 64-bit integer (a real is truncated toward zero, text is read as SQLite's
 *   `sqlite3_column_int64` does, `t`/`f` is 1/0), `R` prints `%.3f`, `T` prints the text with
 *   `(empty)` for '' and `@` for each character outside printable ASCII. NULL is `NULL`.
 * - `postgres` (sqllogictest-rs, `.slt` files): the server's text output as is; NULL is
 *   `NULL` and '' is `(empty)`. Type letters are not used.
 *
 * Values are compared one per line (`valuewise`, SQLite) or one row per line (`rowwise`,
 * sqllogictest-rs: a row's values joined by one space, whitespace runs normalised).
 * Hashing is the C harness's: MD5 over every value followed by "\n", after sorting.
 */
import { createHash } from 'node:crypto';
import type { SortMode } from './slt-record.js';

export type RenderStyle = 'sqlite' | 'postgres';
export type ResultMode = 'valuewise' | 'rowwise';

/** A value as the engine gave it: Postgres text output, or null for SQL NULL. */
export type TextValue = string | null;

/** SQLite's `sqlite3_column_int64` on a value: integers exactly, reals truncated, other text → its numeric prefix or 0. */
export function sqliteInteger(text: string): string {
  const s = text.trim();
  if (/^[+-]?\d+$/.test(s)) return BigInt(s).toString();
  if (s === 't' || s === 'true') return '1';
  if (s === 'f' || s === 'false') return '0';
  const prefix = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  if (!prefix) return '0';
  const n = Number(prefix[0]);
  if (!Number.isFinite(n)) return n > 0 ? '9223372036854775807' : '-9223372036854775808';
  const t = Math.trunc(n);
  return Object.is(t, -0) ? '0' : BigInt(t).toString();
}

/** C's `printf("%.3f", x)`: rounds the exact binary value, ties to even (glibc). */
export function formatReal3(x: number): string {
  if (Number.isNaN(x)) return x > 0 ? 'nan' : '-nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const scaled = x * 1000;
  // An exact tie (x*1000 ends in .5 exactly) is the only case where toFixed (ties away) and glibc
  // (ties to even) differ; such x are multiples of 1/16, so x*1000 is computed exactly.
  if (Math.abs(scaled) < 2 ** 52 && scaled - Math.trunc(scaled) === (scaled < 0 ? -0.5 : 0.5)) {
    const lo = Math.trunc(scaled);
    const even = lo % 2 === 0 ? lo : lo + (scaled < 0 ? -1 : 1);
    return fixed3(even < 0 || (even === 0 && scaled < 0) ? '-' : '', BigInt(Math.abs(even)));
  }
  if (Math.abs(x) < 1e21) return x.toFixed(3);
  return fixed3(x < 0 ? '-' : '', BigInt(Math.abs(x)) * 1000n);
}

function fixed3(sign: string, thousandths: bigint): string {
  const digits = thousandths.toString().padStart(4, '0');
  return `${sign}${digits.slice(0, -3)}.${digits.slice(-3)}`;
}

/** SQLite's real value of a text: reads a numeric prefix, 0 when there is none. */
function sqliteReal(text: string): number {
  const s = text.trim();
  if (s === 't' || s === 'true') return 1;
  if (s === 'f' || s === 'false') return 0;
  if (/^[+-]?(infinity|inf)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const prefix = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  return prefix ? Number(prefix[0]) : 0;
}

/** Renders one value for comparison. `type` is the column's letter from the query header. */
export function renderValue(value: TextValue, type: string | undefined, style: RenderStyle): string {
  if (value === null) return 'NULL';
  if (style === 'postgres') return value === '' ? '(empty)' : value;
  switch (type) {
    case 'I':
      return sqliteInteger(value);
    case 'R':
      return formatReal3(sqliteReal(value));
    default: {
      if (value === '') return '(empty)';
      let out = '';
      for (const ch of value) {
        const c = ch.codePointAt(0)!;
        out += c < 0x20 || c > 0x7e ? '@' : ch;
      }
      return out;
    }
  }
}

/** Renders a result set (rows of text values) into rows of rendered strings. */
export function renderRows(rows: TextValue[][], types: string, style: RenderStyle): string[][] {
  return rows.map((row) => row.map((v, i) => renderValue(v, types[i], style)));
}

/** Byte-wise string comparison (C's strcmp on UTF-8 for ASCII-range data). */
function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Applies a sort mode; the result is the flat list of values in comparison order, and the rows. */
export function sortRows(rows: string[][], sort: SortMode | undefined): string[][] {
  if (sort === 'rowsort') {
    return [...rows].sort((a, b) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const c = strcmp(a[i]!, b[i]!);
        if (c !== 0) return c;
      }
      return a.length - b.length;
    });
  }
  if (sort === 'valuesort') {
    const values = rows.flat().sort(strcmp);
    const width = rows[0]?.length ?? 1;
    const out: string[][] = [];
    for (let i = 0; i < values.length; i += width) out.push(values.slice(i, i + width));
    return out;
  }
  return rows;
}

/** The C harness's result hash: MD5 over each value followed by a newline. */
export function hashValues(values: string[]): string {
  const h = createHash('md5');
  for (const v of values) h.update(`${v}\n`);
  return h.digest('hex');
}

/** One row as a line in rowwise mode: values joined by one space. */
export function rowLine(row: string[]): string {
  return row.join(' ');
}

/** sqllogictest-rs's normalisation of a rowwise line: trimmed, whitespace runs become one space. */
export function normalizeLine(line: string): string {
  return line.trim().split(/\s+/).join(' ');
}

/**
 * An expected line with RisingWave's spelling of timestamptz values (`2024-01-01 00:00:10+00:00`,
 * the zone's minutes always written) in Postgres's (`…+00`, minutes only when not zero), which
 * weir prints: the same value, so the RisingWave corpus compares as the same line.
 */
export function postgresTimestamptz(line: string): string {
  return line.replace(/(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{2}):00(?=\s|$)/g, '$1');
}

/** The result lines to write for a result set (used by the comparison and by `--complete`). */
export function resultLines(rows: string[][], mode: ResultMode, hashThreshold: number): string[] {
  const values = rows.flat();
  if (hashThreshold > 0 && values.length > hashThreshold) return [`${values.length} values hashing to ${hashValues(values)}`];
  return mode === 'valuewise' ? values : rows.map(rowLine);
}
