/**
 * json-format.ts owns the text forms of json (validated, kept as written) and jsonb (Postgres's
 * output: keys in storage order, ", " and ": " separators, numbers printed as numeric prints
 * them, never with an exponent). Called through text-format.ts.
 */
import type { JsonValue } from './datum.js';
import { Numeric } from './numeric.js';
import { SqlError, SqlState } from './sql-error.js';
import { jsonbKeys } from './compare.js';

export function parseJson(s: string): JsonValue {
  try {
    return JSON.parse(s) as JsonValue;
  } catch (e) {
    throw new SqlError(SqlState.invalidTextRepresentation, 'invalid input syntax for type json', {
      detail: `${(e as Error).message.replace(/^Unexpected/, 'unexpected')}`.replace(/\.?$/, '.'),
    });
  }
}

/** Postgres's jsonb output: keys in storage order, ", " and ": " separators, numbers as numeric prints them. */
export function formatJsonb(v: JsonValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return formatJsonNumber(v);
    default: break;
  }
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ', ' : '') + formatJsonb(v[i]!);
    return out + ']';
  }
  const keys = jsonbKeys(v);
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += (i > 0 ? ', ' : '') + JSON.stringify(keys[i]) + ': ' + formatJsonb(v[keys[i]!]!);
  return out + '}';
}

function formatJsonNumber(n: number): string {
  if (Number.isSafeInteger(n)) return String(n + 0);
  return Numeric.fromNumber(n).toString();
}
