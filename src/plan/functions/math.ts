/**
 * math.ts owns the mathematical functions: round (float8: half to even like C rint; numeric:
 * half away from zero, optionally to a scale), ceil / ceiling, floor, trunc, sign, sqrt (float8,
 * and numeric with Postgres's result scale), cbrt, exp, ln, log, log10, power / pow, pi,
 * degrees, radians, trigonometry, div, gcd, lcm, greatest and least (variadic, NULLs ignored).
 * abs and mod live with the operators in arithmetic.ts.
 *
 * exp, ln, log and power exist for float8 only: a numeric argument resolves to them through the
 * implicit numeric → float8 cast (Postgres has exact numeric versions; see README).
 */
import { compareDatums } from '../../types/compare.js';
import type { Datum } from '../../types/datum.js';
import { Numeric, pow10 } from '../../types/numeric.js';
import { SqlError } from '../../types/sql-error.js';
import { T } from '../../types/sql-type.js';
import { ANY, checkFloat8, checkInt4, checkInt8, fn, outOfRange, type Fn } from './define.js';

const f = (d: Datum): number => d as number;
const num = (d: Datum): Numeric => d as Numeric;

/** C rint: round half to even. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function numericCeil(n: Numeric): Numeric {
  if (n.isSpecial()) return n;
  const t = n.trunc(0);
  return t.cmp(n) < 0 ? t.add(Numeric.fromBigInt(1n)) : t;
}

function numericFloor(n: Numeric): Numeric {
  if (n.isSpecial()) return n;
  const t = n.trunc(0);
  return t.cmp(n) > 0 ? t.sub(Numeric.fromBigInt(1n)) : t;
}

/** div(a, b): the integer quotient truncated toward zero. */
function numericDiv(a: Numeric, b: Numeric): Numeric {
  if (a.isSpecial() || b.isSpecial()) {
    const q = a.div(b);
    return q.isSpecial() ? q : q.trunc(0);
  }
  if (b.isZero()) throw new SqlError('22012', 'division by zero');
  return new Numeric((a.unscaled * pow10(b.scale)) / (b.unscaled * pow10(a.scale)), 0);
}

function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  let x = BigInt(Math.floor(Math.sqrt(Number(v))));
  while (x * x > v) x = (x + v / x) / 2n;
  while ((x + 1n) * (x + 1n) <= v) x++;
  return x;
}

function negativeSqrt(): SqlError {
  return new SqlError('2201F', 'cannot take square root of a negative number');
}

/** sqrt of a numeric to Postgres's result scale (at least 16 significant digits). */
function numericSqrt(n: Numeric): Numeric {
  if (n.special === 'nan' || n.special === 'inf') return n;
  if (n.sign() < 0) throw negativeSqrt();
  if (n.isZero()) return new Numeric(0n, n.scale);
  const digits = n.unscaled.toString();
  const weight = Math.floor((digits.length - 1 - n.scale) / 4);
  const sweight = (weight + 1) * 2 - 1;
  const rscale = Math.min(Math.max(16 - sweight, n.scale, 0), 1000);
  const big = n.unscaled * pow10(2 * rscale - n.scale);
  let r = isqrt(big);
  if (big - r * r > r) r++;
  return new Numeric(r, rscale);
}

function ln(x: number): number {
  if (x === 0) throw new SqlError('2201E', 'cannot take logarithm of zero');
  if (x < 0) throw new SqlError('2201E', 'cannot take logarithm of a negative number');
  return Math.log(x);
}

function log10(x: number): number {
  ln(x);
  return Math.log10(x);
}

function power(x: number, y: number): number {
  if (x === 0 && y < 0) throw new SqlError('2201F', 'zero raised to a negative power is undefined');
  if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) {
    throw new SqlError('2201F', 'a negative number raised to a non-integer power yields a complex result');
  }
  if (x === 1 || (y === 0 && !Number.isNaN(x))) return 1;
  const r = Math.pow(x, y);
  if (r === 0 && Number.isFinite(x) && Number.isFinite(y) && x !== 0) throw new SqlError('22003', 'value out of range: underflow');
  return checkFloat8(r, x, y);
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function lcm(a: bigint, b: bigint): bigint {
  if (a === 0n || b === 0n) return 0n;
  const r = (a / gcd(a, b)) * b;
  return r < 0n ? -r : r;
}

function extreme(args: Datum[], sign: number): Datum {
  let best: Datum = null;
  for (const a of args) if (a !== null && (best === null || sign * compareDatums(a, best) > 0)) best = a;
  return best;
}

function checkedTrig(x: number, min: number, max: number, g: (x: number) => number): number {
  if (Number.isFinite(x) || Number.isNaN(x)) {
    if (x < min || x > max) throw new SqlError('22003', 'input is out of range');
    return g(x);
  }
  throw new SqlError('22003', 'input is out of range');
}

const F8 = [T.float8];
const F8x2 = [T.float8, T.float8];
const N = [T.numeric];

export const MATH_FUNCTIONS: readonly Fn[] = [
  fn('round_float8', 'round', F8, T.float8, ([a]) => rint(f(a))),
  fn('round_numeric', 'round', N, T.numeric, ([a]) => num(a).round(0)),
  fn('round_numeric_scale', 'round', [T.numeric, T.int4], T.numeric, ([a, s]) => num(a).round(f(s))),
  fn('ceil_float8', 'ceil', F8, T.float8, ([a]) => Math.ceil(f(a)) + 0),
  fn('ceil_numeric', 'ceil', N, T.numeric, ([a]) => numericCeil(num(a))),
  fn('floor_float8', 'floor', F8, T.float8, ([a]) => Math.floor(f(a))),
  fn('floor_numeric', 'floor', N, T.numeric, ([a]) => numericFloor(num(a))),
  fn('trunc_float8', 'trunc', F8, T.float8, ([a]) => Math.trunc(f(a))),
  fn('trunc_numeric', 'trunc', N, T.numeric, ([a]) => num(a).trunc(0)),
  fn('trunc_numeric_scale', 'trunc', [T.numeric, T.int4], T.numeric, ([a, s]) => num(a).trunc(f(s))),
  fn('sign_float8', 'sign', F8, T.float8, ([a]) => (Number.isNaN(f(a)) ? NaN : Math.sign(f(a)) + 0)),
  fn('sign_numeric', 'sign', N, T.numeric, ([a]) => (num(a).isNaN() ? num(a) : Numeric.fromBigInt(BigInt(num(a).sign())))),
  fn('sqrt_float8', 'sqrt', F8, T.float8, ([a]) => {
    if (f(a) < 0) throw negativeSqrt();
    return Math.sqrt(f(a));
  }),
  fn('sqrt_numeric', 'sqrt', N, T.numeric, ([a]) => numericSqrt(num(a))),
  fn('cbrt', 'cbrt', F8, T.float8, ([a]) => Math.cbrt(f(a))),
  fn('exp', 'exp', F8, T.float8, ([a]) => {
    const r = Math.exp(f(a));
    if (r === 0 && Number.isFinite(f(a))) throw new SqlError('22003', 'value out of range: underflow');
    return checkFloat8(r, f(a));
  }),
  fn('ln', 'ln', F8, T.float8, ([a]) => ln(f(a))),
  fn('log', 'log', F8, T.float8, ([a]) => log10(f(a))),
  fn('log10', 'log10', F8, T.float8, ([a]) => log10(f(a))),
  fn('log_base', 'log', F8x2, T.float8, ([b, x]) => {
    const d = ln(f(b));
    if (d === 0) throw new SqlError('22012', 'division by zero');
    return ln(f(x)) / d;
  }),
  fn('power', 'power', F8x2, T.float8, ([a, b]) => power(f(a), f(b))),
  fn('pow', 'pow', F8x2, T.float8, ([a, b]) => power(f(a), f(b))),
  fn('float8_pow_op', '^', F8x2, T.float8, ([a, b]) => power(f(a), f(b))),
  fn('pi', 'pi', [], T.float8, () => Math.PI),
  fn('degrees', 'degrees', F8, T.float8, ([a]) => (f(a) * 180) / Math.PI),
  fn('radians', 'radians', F8, T.float8, ([a]) => (f(a) * Math.PI) / 180),
  fn('sin', 'sin', F8, T.float8, ([a]) => checkedTrig(f(a), -Infinity, Infinity, Math.sin)),
  fn('cos', 'cos', F8, T.float8, ([a]) => checkedTrig(f(a), -Infinity, Infinity, Math.cos)),
  fn('tan', 'tan', F8, T.float8, ([a]) => checkedTrig(f(a), -Infinity, Infinity, Math.tan)),
  fn('cot', 'cot', F8, T.float8, ([a]) => 1 / checkedTrig(f(a), -Infinity, Infinity, Math.tan)),
  fn('asin', 'asin', F8, T.float8, ([a]) => checkedTrig(f(a), -1, 1, Math.asin)),
  fn('acos', 'acos', F8, T.float8, ([a]) => checkedTrig(f(a), -1, 1, Math.acos)),
  fn('atan', 'atan', F8, T.float8, ([a]) => Math.atan(f(a))),
  fn('atan2', 'atan2', F8x2, T.float8, ([a, b]) => Math.atan2(f(a), f(b))),
  fn('div_numeric', 'div', [T.numeric, T.numeric], T.numeric, ([a, b]) => numericDiv(num(a), num(b))),
  fn('gcd_int4', 'gcd', [T.int4, T.int4], T.int4, ([a, b]) => {
    const r = Number(gcd(BigInt(f(a)), BigInt(f(b))));
    return checkInt4(r);
  }),
  fn('gcd_int8', 'gcd', [T.int8, T.int8], T.int8, ([a, b]) => checkInt8(gcd(a as bigint, b as bigint))),
  fn('lcm_int4', 'lcm', [T.int4, T.int4], T.int4, ([a, b]) => checkInt4(Number(lcm(BigInt(f(a)), BigInt(f(b)))))),
  fn('lcm_int8', 'lcm', [T.int8, T.int8], T.int8, ([a, b]) => {
    const r = lcm(a as bigint, b as bigint);
    if (r > 2n ** 63n - 1n) throw outOfRange('bigint');
    return r;
  }),
  fn('greatest', 'greatest', [ANY], (args) => args[0]!, (args) => extreme(args, 1), { strict: false, variadic: true, unify: true }),
  fn('least', 'least', [ANY], (args) => args[0]!, (args) => extreme(args, -1), { strict: false, variadic: true, unify: true }),
];
