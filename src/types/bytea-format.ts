/**
 * bytea-format.ts owns the text forms of bytea (hex output '\\x…'; hex and escape input) and
 * uuid (lower-case 8-4-4-4-12 output; input with optional braces and hyphens after any group
 * of four digits). Called through text-format.ts.
 */
import { SqlError, SqlState } from './sql-error.js';

function syntax(type: string, s: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type ${type}: "${s}"`);
}

export function formatBytea(b: Uint8Array): string {
  return '\\x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

export function parseBytea(s: string): Uint8Array {
  if (s.startsWith('\\x') || s.startsWith('\\X')) {
    const out = new Uint8Array((s.length - 2) >> 1);
    let n = 0;
    for (let i = 2; i < s.length; ) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        i++;
        continue;
      }
      const hi = hexValue(c);
      if (hi < 0) throw new SqlError(SqlState.invalidTextRepresentation, `invalid hexadecimal digit: "${s[i]}"`);
      if (i + 1 >= s.length) throw new SqlError(SqlState.invalidTextRepresentation, 'invalid hexadecimal data: odd number of digits');
      const lo = hexValue(s.charCodeAt(i + 1));
      if (lo < 0) throw new SqlError(SqlState.invalidTextRepresentation, `invalid hexadecimal digit: "${s[i + 1]}"`);
      out[n++] = (hi << 4) | lo;
      i += 2;
    }
    return out.slice(0, n);
  }
  // Escape format: \\ is a backslash, \ooo an octal byte, anything else its UTF-8 bytes.
  const raw = Buffer.from(s, 'utf8');
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; ) {
    const c = raw[i]!;
    if (c !== 92) {
      out[n++] = c;
      i++;
    } else if (raw[i + 1] === 92) {
      out[n++] = 92;
      i += 2;
    } else if (isOctal(raw[i + 1], 51) && isOctal(raw[i + 2], 55) && isOctal(raw[i + 3], 55)) {
      out[n++] = ((raw[i + 1]! - 48) << 6) | ((raw[i + 2]! - 48) << 3) | (raw[i + 3]! - 48);
      i += 4;
    } else throw syntax('bytea', s);
  }
  return out.slice(0, n);
}

function isOctal(c: number | undefined, max: number): boolean {
  return c !== undefined && c >= 48 && c <= max;
}

const RE_UUID = /^\{?[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}\}?$/i;

export function parseUuid(s: string): string {
  const v = s.trim();
  if (!RE_UUID.test(v) || v.startsWith('{') !== v.endsWith('}')) throw syntax('uuid', s);
  const hex = v.replace(/[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
