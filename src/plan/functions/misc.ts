/**
 * misc.ts owns the functions that belong to no larger family: nullif (non-strict,
 * anyelement), num_nulls / num_nonnulls (variadic), and the bytea functions: length,
 * octet_length, || , encode / decode (hex, base64, escape), sha224 / sha256 / sha384 / sha512,
 * get_byte. Nondeterministic functions (random, gen_random_uuid) are deliberately absent:
 * a view must give the same rows when recomputed.
 */
import { createHash } from 'node:crypto';
import { compareDatums } from '../../types/compare.js';
import type { Datum } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T } from '../../types/sql-type.js';
import { ANY, fn, invalidParameter, type Fn } from './define.js';

const bytes = (d: Datum): Uint8Array => d as Uint8Array;

function encode(b: Uint8Array, format: string): string {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  switch (format.toLowerCase()) {
    case 'hex':
      return buf.toString('hex');
    case 'base64': {
      const s = buf.toString('base64');
      return s.replace(/(.{76})(?=.)/g, '$1\n');
    }
    case 'escape': {
      let out = '';
      for (const c of b) {
        if (c === 0x5c) out += '\\\\';
        else if (c < 0x20 || c > 0x7e) out += '\\' + c.toString(8).padStart(3, '0');
        else out += String.fromCharCode(c);
      }
      return out;
    }
    default:
      throw invalidParameter(`unrecognized encoding: "${format}"`);
  }
}

function decode(s: string, format: string): Uint8Array {
  switch (format.toLowerCase()) {
    case 'hex': {
      const clean = s.replace(/\s+/g, '');
      if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
        throw new SqlError(SqlState.invalidParameterValue, 'invalid hexadecimal data: odd number of digits');
      }
      return new Uint8Array(Buffer.from(clean, 'hex'));
    }
    case 'base64':
      return new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'base64'));
    case 'escape': {
      const out: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (s[i] === '\\') {
          if (s[i + 1] === '\\') {
            out.push(0x5c);
            i++;
          } else if (/^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
            out.push(parseInt(s.slice(i + 1, i + 4), 8));
            i += 3;
          } else throw new SqlError(SqlState.invalidTextRepresentation, 'invalid input syntax for type bytea');
        } else out.push(...Buffer.from(s[i]!, 'utf8'));
      }
      return new Uint8Array(out);
    }
    default:
      throw invalidParameter(`unrecognized encoding: "${format}"`);
  }
}

const digest = (alg: string) => (args: Datum[]): Datum => new Uint8Array(createHash(alg).update(bytes(args[0]!)).digest());

export const MISC_FUNCTIONS: readonly Fn[] = [
  fn('nullif', 'nullif', [ANY, ANY], (args) => args[0]!, ([a, b]) => {
    if (a === null || a === undefined) return null;
    if (b === null || b === undefined) return a;
    return compareDatums(a, b) === 0 ? null : a;
  }, { strict: false, unify: true }),
  fn('num_nulls', 'num_nulls', [ANY], T.int4, (args) => args.filter((a) => a === null).length, { strict: false, variadic: true }),
  fn('num_nonnulls', 'num_nonnulls', [ANY], T.int4, (args) => args.filter((a) => a !== null).length, { strict: false, variadic: true }),
  fn('bytea_length', 'length', [T.bytea], T.int4, ([a]) => bytes(a).length),
  fn('bytea_octet_length', 'octet_length', [T.bytea], T.int4, ([a]) => bytes(a).length),
  fn('bytea_concat', '||', [T.bytea, T.bytea], T.bytea, ([a, b]) => {
    const out = new Uint8Array(bytes(a).length + bytes(b).length);
    out.set(bytes(a), 0);
    out.set(bytes(b), bytes(a).length);
    return out;
  }),
  fn('encode', 'encode', [T.bytea, T.text], T.text, ([a, f]) => encode(bytes(a), f as string)),
  fn('decode', 'decode', [T.text, T.text], T.bytea, ([s, f]) => decode(s as string, f as string)),
  fn('sha224', 'sha224', [T.bytea], T.bytea, digest('sha224')),
  fn('sha256', 'sha256', [T.bytea], T.bytea, digest('sha256')),
  fn('sha384', 'sha384', [T.bytea], T.bytea, digest('sha384')),
  fn('sha512', 'sha512', [T.bytea], T.bytea, digest('sha512')),
  fn('get_byte', 'get_byte', [T.bytea, T.int4], T.int4, ([a, i]) => {
    const k = i as number;
    if (k < 0 || k >= bytes(a).length) {
      throw new SqlError('2202E', `index ${k} out of valid range, 0..${bytes(a).length - 1}`);
    }
    return bytes(a)[k]!;
  }),
];
