/**
 * string-arrays.ts owns the functions that split text into arrays: `string_to_array(s, delim
 * [, null_string])` and `parse_ident(s [, strict])` (Grafana's table and column queries call
 * both).
 *
 * string_to_array: a NULL string gives NULL; a NULL delimiter splits into characters; an
 * empty delimiter gives the whole string as one element; an empty string gives '{}';
 * elements equal to null_string become NULL. parse_ident: the dot-separated parts of a
 * qualified identifier, unquoted parts in lower case, quoted ones as written ("" → "); with
 * strict (the default) nothing may follow the last part; otherwise 22023, as in Postgres.
 */
import type { Datum } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { arrayOf, T } from '../../types/sql-type.js';
import { fn, type Fn } from './define.js';

function stringToArray(s: Datum, delim: Datum, nullString: Datum): Datum {
  if (s === null) return null;
  const str = s as string;
  if (str === '') return [];
  let parts: string[];
  if (delim === null) parts = Array.from(str);
  else if (delim === '') parts = [str];
  else parts = str.split(delim as string);
  return parts.map((p) => (nullString !== null && p === nullString ? null : p));
}

function invalidIdent(s: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, `string is not a valid identifier: "${s}"`);
}

function parseIdent(s: string, strict: boolean): string[] {
  const parts: string[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  for (;;) {
    ws();
    if (s[i] === '"') {
      let part = '';
      i++;
      for (;;) {
        if (i >= s.length) throw invalidIdent(s);
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += s[i++];
      }
      if (part === '') throw invalidIdent(s);
      parts.push(part);
    } else {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(s.slice(i));
      if (!m) throw invalidIdent(s);
      parts.push(m[0].toLowerCase());
      i += m[0].length;
    }
    ws();
    if (s[i] === '.') {
      i++;
      continue;
    }
    if (i < s.length && strict) throw invalidIdent(s);
    return parts;
  }
}

export const STRING_ARRAY_FUNCTIONS: readonly Fn[] = [
  fn('string_to_array', 'string_to_array', [T.text, T.text], arrayOf(T.text), ([s, d]) => stringToArray(s ?? null, d ?? null, null), { strict: false }),
  fn('string_to_array_null', 'string_to_array', [T.text, T.text, T.text], arrayOf(T.text), ([s, d, n]) => stringToArray(s ?? null, d ?? null, n ?? null), {
    strict: false,
  }),
  fn('parse_ident', 'parse_ident', [T.text], arrayOf(T.text), ([s]) => parseIdent(s as string, true)),
  fn('parse_ident_strict', 'parse_ident', [T.text, T.bool], arrayOf(T.text), ([s, strict]) => parseIdent(s as string, strict as boolean)),
];
