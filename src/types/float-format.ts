/**
 * float-format.ts owns the text form of real and double precision: Postgres 12+ output
 * (shortest digits that round-trip, fixed notation for decimal exponents -4..14 (float8) or
 * -4..5 (float4), otherwise 'd.ddde+XX'), and input (strtod syntax, NaN, Infinity, 22003 when
 * the value overflows or underflows the type). Called through text-format.ts.
 */
import { SqlError, SqlState } from './sql-error.js';

/** Shortest round-trip digits and the decimal exponent of the first digit. */
function shortest(x: number, float4: boolean): [digits: string, exp: number] {
  let sci: string;
  if (!float4) sci = x.toExponential();
  else {
    sci = x.toExponential(8);
    for (let p = 1; p <= 9; p++) {
      const cand = x.toExponential(p - 1);
      if (Math.fround(Number(cand)) === x) {
        sci = cand;
        break;
      }
    }
  }
  const e = sci.indexOf('e');
  const digits = sci.slice(0, e).replace('.', '').replace(/0+$/, '') || '0';
  return [digits, Number(sci.slice(e + 1))];
}

function format(x: number, float4: boolean): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return 1 / x < 0 ? '-0' : '0';
  const neg = x < 0;
  const [digits, exp] = shortest(neg ? -x : x, float4);
  let out: string;
  if (exp >= -4 && exp < (float4 ? 6 : 15)) {
    if (exp < 0) out = '0.' + '0'.repeat(-exp - 1) + digits;
    else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length);
    else out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  } else {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const a = Math.abs(exp);
    out = mant + 'e' + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
  }
  return neg ? '-' + out : out;
}

export function formatFloat8(x: number): string {
  return format(x, false);
}

export function formatFloat4(x: number): string {
  return format(x, true);
}

const RE_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parse(s: string, typeName: string): number {
  const v = s.trim();
  const lower = v.toLowerCase();
  switch (lower) {
    case 'nan': return NaN;
    case 'infinity':
    case '+infinity':
    case 'inf':
    case '+inf': return Infinity;
    case '-infinity':
    case '-inf': return -Infinity;
    default: break;
  }
  if (!RE_FLOAT.test(v)) throw new SqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type ${typeName}: "${s}"`);
  return Number(v);
}

function outOfRange(s: string, typeName: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `"${s}" is out of range for type ${typeName}`);
}

/** True when the literal has a nonzero digit in its mantissa. */
function nonzeroLiteral(s: string): boolean {
  const e = s.search(/[eE]/);
  return /[1-9]/.test(e < 0 ? s : s.slice(0, e));
}

export function parseFloat8(s: string): number {
  const x = parse(s, 'double precision');
  if (x === Infinity || x === -Infinity) {
    if (/\d/.test(s)) throw outOfRange(s.trim(), 'double precision');
  } else if (x === 0 && nonzeroLiteral(s)) throw outOfRange(s.trim(), 'double precision');
  return x;
}

export function parseFloat4(s: string): number {
  const d = parse(s, 'real');
  const x = Math.fround(d);
  if (x === Infinity || x === -Infinity) {
    if (/\d/.test(s)) throw outOfRange(s.trim(), 'real');
  } else if (x === 0 && nonzeroLiteral(s)) throw outOfRange(s.trim(), 'real');
  return x;
}
