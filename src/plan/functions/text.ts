/**
 * text.ts owns the string functions: length / char_length / octet_length, lower, upper, substr,
 * position / strpos, replace, btrim / ltrim / rtrim, left, right, repeat, reverse, concat,
 * concat_ws, || (text, and text with any non-array value), split_part, starts_with, lpad, rpad,
 * initcap, md5, ascii, chr, translate, to_hex, quote_literal, quote_ident.
 * Pattern matching (LIKE, regular expressions) is in pattern.ts.
 *
 * Positions and lengths count characters (Unicode code points), as Postgres does in UTF-8, not
 * UTF-16 units.
 */
import { createHash } from 'node:crypto';
import type { Datum } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { isStringKind, T, type SqlType } from '../../types/sql-type.js';
import { formatDatum } from '../../types/text-format.js';
import { ANY, fn, invalidParameter, needsSpecialize, type Fn } from './define.js';
import { specializedId } from './type-key.js';

const s = (d: Datum): string => d as string;
const n = (d: Datum): number => d as number;

const SURROGATE = /[\uD800-\uDFFF]/;

/** The string as an array of characters (code points) when it has astral characters, else itself. */
function chars(str: string): string | string[] {
  return SURROGATE.test(str) ? Array.from(str) : str;
}

function charLength(str: string): number {
  return SURROGATE.test(str) ? Array.from(str).length : str.length;
}

function slice(str: string, start: number, end?: number): string {
  const c = chars(str);
  return typeof c === 'string' ? c.slice(start, end) : c.slice(start, end).join('');
}

/** substr(s, start [, count]) with Postgres's 1-based start that may be before the string. */
function substr(str: string, start: number, count?: number): string {
  if (count !== undefined && count < 0) throw new SqlError('22011', 'negative substring length not allowed');
  const from = Math.max(start, 1);
  const to = count === undefined ? Infinity : start + count; // exclusive, 1-based
  if (to <= from) return '';
  return slice(str, from - 1, to === Infinity ? undefined : to - 1);
}

function strpos(str: string, sub: string): number {
  const i = str.indexOf(sub);
  if (i <= 0) return i + 1;
  return charLength(str.slice(0, i)) + 1;
}

function trimChars(str: string, set: string, left: boolean, right: boolean): string {
  const c = Array.from(str);
  const drop = new Set(Array.from(set));
  let a = 0;
  let b = c.length;
  if (left) while (a < b && drop.has(c[a]!)) a++;
  if (right) while (b > a && drop.has(c[b - 1]!)) b--;
  return c.slice(a, b).join('');
}

function leftN(str: string, k: number): string {
  const len = charLength(str);
  return slice(str, 0, k >= 0 ? Math.min(k, len) : Math.max(len + k, 0));
}

function rightN(str: string, k: number): string {
  const len = charLength(str);
  return slice(str, k >= 0 ? Math.max(len - k, 0) : Math.min(-k, len));
}

function pad(str: string, len: number, fill: string, left: boolean): string {
  if (len <= 0) return '';
  const c = Array.from(str);
  if (c.length >= len || fill === '') return c.slice(0, len).join('');
  const f = Array.from(fill);
  const padding: string[] = [];
  for (let i = 0; padding.length < len - c.length; i++) padding.push(f[i % f.length]!);
  return left ? padding.join('') + str : str + padding.join('');
}

function splitPart(str: string, delim: string, field: number): string {
  if (field === 0) throw invalidParameter('field position must not be zero');
  if (delim === '') return field === 1 || field === -1 ? str : '';
  const parts = str.split(delim);
  const i = field > 0 ? field - 1 : parts.length + field;
  return parts[i] ?? '';
}

function initcap(str: string): string {
  let out = '';
  let inWord = false;
  for (const ch of str) {
    const alnum = /[\p{L}\p{N}]/u.test(ch);
    out += alnum ? (inWord ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    inWord = alnum;
  }
  return out;
}

function chr(code: number): string {
  if (code === 0) throw new SqlError(SqlState.programLimitExceeded, 'null character not permitted');
  if (code < 0 || code > 0x10ffff) throw new SqlError(SqlState.programLimitExceeded, 'requested character too large for encoding: ' + code);
  if (code >= 0xd800 && code <= 0xdfff) throw new SqlError(SqlState.programLimitExceeded, 'requested character not valid for encoding: ' + code);
  return String.fromCodePoint(code);
}

function translate(str: string, from: string, to: string): string {
  const f = Array.from(from);
  const t = Array.from(to);
  let out = '';
  for (const ch of str) {
    const i = f.indexOf(ch);
    if (i < 0) out += ch;
    else if (i < t.length) out += t[i];
  }
  return out;
}

function quoteIdent(str: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(str) ? str : '"' + str.replace(/"/g, '""') + '"';
}

function quoteLiteral(str: string): string {
  const q = "'" + str.replace(/'/g, "''").replace(/\\/g, '\\\\') + "'";
  return str.includes('\\') ? 'E' + q : q;
}

/** A value as concat and || see it: its text output (strings as they are). */
export function asText(d: Datum, t: SqlType): string {
  return isStringKind(t) || t.kind === 'unknown' ? (d as string) : formatDatum(d, t);
}

function concatFn(types: readonly SqlType[], args: Datum[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) if (args[i] !== null) out += asText(args[i]!, types[i]!);
  return out;
}

function concatWsFn(types: readonly SqlType[], args: Datum[]): Datum {
  if (args[0] === null) return null;
  const parts: string[] = [];
  for (let i = 1; i < args.length; i++) if (args[i] !== null) parts.push(asText(args[i]!, types[i]!));
  return parts.join(args[0] as string);
}

const concatGeneric: Fn = fn('concat', 'concat', [ANY], T.text, needsSpecialize('concat'), {
  strict: false,
  variadic: true,
  specialize: (types) => fn(specializedId('concat', types), 'concat', types, T.text, (args) => concatFn(types, args), { strict: false }),
});

const concatWsGeneric: Fn = fn('concat_ws', 'concat_ws', [T.text, ANY], T.text, needsSpecialize('concat_ws'), {
  strict: false,
  variadic: true,
  specialize: (types) => fn(specializedId('concat_ws', types), 'concat_ws', types, T.text, (args) => concatWsFn(types, args), { strict: false }),
});

/** text || anynonarray and anynonarray || text: the other side in its text output form. */
function catWith(id: string, textFirst: boolean): Fn {
  const make = (types: readonly SqlType[]): Fn =>
    fn(specializedId(id, types), '||', types, T.text, ([a, b]) => asText(a!, types[0]!) + asText(b!, types[1]!));
  return fn(id, '||', textFirst ? [T.text, ANY] : [ANY, T.text], T.text, needsSpecialize(id), {
    specialize: make,
    anyNonArray: true,
  });
}

const md5 = (data: string | Uint8Array): string => createHash('md5').update(data).digest('hex');

export const TEXT_FUNCTIONS: readonly Fn[] = [
  fn('length', 'length', [T.text], T.int4, ([a]) => charLength(s(a))),
  fn('octet_length', 'octet_length', [T.text], T.int4, ([a]) => Buffer.byteLength(s(a), 'utf8')),
  fn('lower', 'lower', [T.text], T.text, ([a]) => s(a).toLowerCase()),
  fn('upper', 'upper', [T.text], T.text, ([a]) => s(a).toUpperCase()),
  fn('substr', 'substr', [T.text, T.int4], T.text, ([a, b]) => substr(s(a), n(b))),
  fn('substr_count', 'substr', [T.text, T.int4, T.int4], T.text, ([a, b, c]) => substr(s(a), n(b), n(c))),
  fn('strpos', 'strpos', [T.text, T.text], T.int4, ([a, b]) => strpos(s(a), s(b))),
  fn('replace', 'replace', [T.text, T.text, T.text], T.text, ([a, b, c]) => (s(b) === '' ? s(a) : s(a).split(s(b)).join(s(c)))),
  fn('btrim', 'btrim', [T.text], T.text, ([a]) => trimChars(s(a), ' ', true, true)),
  fn('btrim_chars', 'btrim', [T.text, T.text], T.text, ([a, b]) => trimChars(s(a), s(b), true, true)),
  fn('ltrim', 'ltrim', [T.text], T.text, ([a]) => trimChars(s(a), ' ', true, false)),
  fn('ltrim_chars', 'ltrim', [T.text, T.text], T.text, ([a, b]) => trimChars(s(a), s(b), true, false)),
  fn('rtrim', 'rtrim', [T.text], T.text, ([a]) => trimChars(s(a), ' ', false, true)),
  fn('rtrim_chars', 'rtrim', [T.text, T.text], T.text, ([a, b]) => trimChars(s(a), s(b), false, true)),
  fn('left', 'left', [T.text, T.int4], T.text, ([a, b]) => leftN(s(a), n(b))),
  fn('right', 'right', [T.text, T.int4], T.text, ([a, b]) => rightN(s(a), n(b))),
  fn('repeat', 'repeat', [T.text, T.int4], T.text, ([a, b]) => {
    const k = Math.max(n(b), 0);
    if (s(a).length * k > 256 * 1024 * 1024) throw new SqlError(SqlState.programLimitExceeded, 'requested length too large');
    return s(a).repeat(k);
  }),
  fn('reverse', 'reverse', [T.text], T.text, ([a]) => Array.from(s(a)).reverse().join('')),
  concatGeneric,
  concatWsGeneric,
  fn('text_concat', '||', [T.text, T.text], T.text, ([a, b]) => s(a) + s(b)),
  catWith('text_concat_any', true),
  catWith('any_concat_text', false),
  fn('split_part', 'split_part', [T.text, T.text, T.int4], T.text, ([a, b, c]) => splitPart(s(a), s(b), n(c))),
  fn('starts_with', 'starts_with', [T.text, T.text], T.bool, ([a, b]) => s(a).startsWith(s(b))),
  fn('starts_with_op', '^@', [T.text, T.text], T.bool, ([a, b]) => s(a).startsWith(s(b))),
  fn('lpad', 'lpad', [T.text, T.int4], T.text, ([a, b]) => pad(s(a), n(b), ' ', true)),
  fn('lpad_fill', 'lpad', [T.text, T.int4, T.text], T.text, ([a, b, c]) => pad(s(a), n(b), s(c), true)),
  fn('rpad', 'rpad', [T.text, T.int4], T.text, ([a, b]) => pad(s(a), n(b), ' ', false)),
  fn('rpad_fill', 'rpad', [T.text, T.int4, T.text], T.text, ([a, b, c]) => pad(s(a), n(b), s(c), false)),
  fn('initcap', 'initcap', [T.text], T.text, ([a]) => initcap(s(a))),
  fn('md5', 'md5', [T.text], T.text, ([a]) => md5(s(a))),
  fn('md5_bytea', 'md5', [T.bytea], T.text, ([a]) => md5(a as Uint8Array)),
  fn('ascii', 'ascii', [T.text], T.int4, ([a]) => s(a).codePointAt(0) ?? 0),
  fn('chr', 'chr', [T.int4], T.text, ([a]) => chr(n(a))),
  fn('translate', 'translate', [T.text, T.text, T.text], T.text, ([a, b, c]) => translate(s(a), s(b), s(c))),
  fn('to_hex_int4', 'to_hex', [T.int4], T.text, ([a]) => (n(a) >>> 0).toString(16)),
  fn('to_hex_int8', 'to_hex', [T.int8], T.text, ([a]) => BigInt.asUintN(64, a as bigint).toString(16)),
  fn('quote_ident', 'quote_ident', [T.text], T.text, ([a]) => quoteIdent(s(a))),
  fn('quote_literal', 'quote_literal', [T.text], T.text, ([a]) => quoteLiteral(s(a))),
  fn('bpchar_length', 'length', [{ kind: 'char' }], T.int4, ([a]) => charLength(s(a).replace(/ +$/, ''))),
];
