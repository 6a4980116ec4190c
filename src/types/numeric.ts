/**
 * Numeric: exact decimal numbers as Postgres keeps them: an unscaled bigint and a display
 * scale (digits after the point), so 10.50 stays "10.50". Special values NaN and ±Infinity.
 * Equality and ordering ignore the scale (1.0 = 1.00), as in Postgres.
 *
 * Arithmetic follows Postgres 14+ (numeric.c): add/sub keep the larger scale, mul the sum of
 * scales, div picks at least 16 significant digits (select_div_scale), rounding is half away
 * from zero, and NaN/±Infinity propagate the way Postgres's do (NaN sorts above everything).
 */
import { SqlError, SqlState } from './sql-error.js';

export type NumericSpecial = 'nan' | 'inf' | '-inf';

export class Numeric {
  /** The value times 10^scale. */
  readonly unscaled: bigint;
  /** Digits after the decimal point, >= 0. */
  readonly scale: number;
  readonly special: NumericSpecial | undefined;

  // No #private methods here: tsc (target ES2022) then emits static fields that construct
  // the class through an alias that is not yet set when they run.
  constructor(unscaled: bigint, scale: number, special?: NumericSpecial) {
    this.unscaled = unscaled;
    this.scale = scale;
    this.special = special;
  }

  static readonly ZERO = new Numeric(0n, 0);
  static readonly NAN = new Numeric(0n, 0, 'nan');
  static readonly INFINITY = new Numeric(0n, 0, 'inf');
  static readonly NEG_INFINITY = new Numeric(0n, 0, '-inf');

  static fromBigInt(v: bigint): Numeric {
    return new Numeric(v, 0);
  }

  static fromNumber(v: number): Numeric {
    if (Number.isNaN(v)) return new Numeric(0n, 0, 'nan');
    if (v === Infinity) return new Numeric(0n, 0, 'inf');
    if (v === -Infinity) return new Numeric(0n, 0, '-inf');
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return new Numeric(BigInt(v), 0);
    // Shortest round-trip decimal form of the float, as Postgres's float8 -> numeric cast does.
    return Numeric.parse(String(v));
  }

  /** Parses Postgres numeric input: [+-]digits[.digits][e[+-]digits], NaN, Infinity. */
  static parse(text: string): Numeric {
    const s = text.trim();
    const lower = s.toLowerCase();
    if (lower === 'nan') return new Numeric(0n, 0, 'nan');
    if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return new Numeric(0n, 0, 'inf');
    if (lower === '-infinity' || lower === '-inf') return new Numeric(0n, 0, '-inf');
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
      throw new SqlError(SqlState.invalidTextRepresentation, `invalid input syntax for type numeric: "${text}"`);
    }
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    const exp = m[4] ? Number(m[4]) : 0;
    let unscaled = BigInt((intPart || '0') + frac);
    let scale = frac.length - exp;
    if (scale < 0) {
      unscaled *= 10n ** BigInt(-scale);
      scale = 0;
    }
    if (m[1] === '-') unscaled = -unscaled;
    return new Numeric(unscaled, scale);
  }

  isSpecial(): boolean {
    return this.special !== undefined;
  }

  toString(): string {
    if (this.special === 'nan') return 'NaN';
    if (this.special === 'inf') return 'Infinity';
    if (this.special === '-inf') return '-Infinity';
    const neg = this.unscaled < 0n;
    let digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale === 0) return (neg ? '-' : '') + digits;
    if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
    const cut = digits.length - this.scale;
    return (neg ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut);
  }

  /** The same value with trailing fractional zeros removed: the canonical form for equality. */
  normalize(): Numeric {
    if (this.special || this.scale === 0) return this;
    let u = this.unscaled;
    let s = this.scale;
    while (s > 0 && u % 10n === 0n) {
      u /= 10n;
      s--;
    }
    return s === this.scale ? this : new Numeric(u, s);
  }

  toNumber(): number {
    if (this.special === 'nan') return NaN;
    if (this.special === 'inf') return Infinity;
    if (this.special === '-inf') return -Infinity;
    return Number(this.toString());
  }

  isNaN(): boolean {
    return this.special === 'nan';
  }

  isZero(): boolean {
    return this.special === undefined && this.unscaled === 0n;
  }

  /** -1, 0 or 1 (NaN gives 0: callers check isNaN first). */
  sign(): number {
    if (this.special === 'inf') return 1;
    if (this.special === '-inf') return -1;
    if (this.special === 'nan') return 0;
    return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
  }

  /** Total order as Postgres sorts numeric: -Infinity < finite < Infinity < NaN; scale ignored. */
  cmp(o: Numeric): number {
    const ra = rank(this);
    const rb = rank(o);
    if (ra !== rb || ra !== 1) return ra < rb ? -1 : ra > rb ? 1 : 0;
    if (this.scale === o.scale) return this.unscaled < o.unscaled ? -1 : this.unscaled > o.unscaled ? 1 : 0;
    const [a, b] = align(this, o);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(o: Numeric): boolean {
    return this.cmp(o) === 0;
  }

  neg(): Numeric {
    if (this.special === 'inf') return NUMERIC_NEG_INF;
    if (this.special === '-inf') return NUMERIC_INF;
    if (this.special === 'nan') return this;
    return new Numeric(-this.unscaled, this.scale);
  }

  abs(): Numeric {
    if (this.special === '-inf') return NUMERIC_INF;
    if (this.special !== undefined) return this;
    return this.unscaled < 0n ? new Numeric(-this.unscaled, this.scale) : this;
  }

  add(o: Numeric): Numeric {
    if (this.special !== undefined || o.special !== undefined) {
      if (this.special === 'nan' || o.special === 'nan') return NUMERIC_NAN;
      if (this.special !== undefined && o.special !== undefined) return this.special === o.special ? this : NUMERIC_NAN;
      return this.special !== undefined ? this : o;
    }
    if (this.scale === o.scale) return new Numeric(this.unscaled + o.unscaled, this.scale);
    const [a, b, s] = align(this, o);
    return new Numeric(a + b, s);
  }

  sub(o: Numeric): Numeric {
    return this.add(o.neg());
  }

  mul(o: Numeric): Numeric {
    if (this.special !== undefined || o.special !== undefined) {
      if (this.special === 'nan' || o.special === 'nan') return NUMERIC_NAN;
      const s = this.sign() * o.sign();
      return s === 0 ? NUMERIC_NAN : s > 0 ? NUMERIC_INF : NUMERIC_NEG_INF;
    }
    const scale = this.scale + o.scale;
    if (scale > MAX_DISPLAY_SCALE) return new Numeric(this.unscaled * o.unscaled, scale).round(MAX_DISPLAY_SCALE);
    return new Numeric(this.unscaled * o.unscaled, scale);
  }

  /** Division with Postgres's result scale (select_div_scale); 22012 on division by zero. */
  div(o: Numeric): Numeric {
    if (this.special !== undefined || o.special !== undefined) {
      if (this.special === 'nan' || o.special === 'nan') return NUMERIC_NAN;
      if (this.special !== undefined) {
        if (o.special !== undefined) return NUMERIC_NAN;
        if (o.unscaled === 0n) throw divisionByZero();
        return this.sign() * o.sign() > 0 ? NUMERIC_INF : NUMERIC_NEG_INF;
      }
      return Numeric.ZERO; // finite / ±Infinity
    }
    if (o.unscaled === 0n) throw divisionByZero();
    const rscale = selectDivScale(this, o);
    return new Numeric(divRound(this.unscaled, this.scale, o.unscaled, o.scale, rscale), rscale);
  }

  /** Division to an explicit result scale, rounding half away from zero. */
  divScale(o: Numeric, rscale: number): Numeric {
    if (this.special !== undefined || o.special !== undefined) return this.div(o);
    if (o.unscaled === 0n) throw divisionByZero();
    return new Numeric(divRound(this.unscaled, this.scale, o.unscaled, o.scale, rscale), rscale);
  }

  /** Remainder with the sign of the dividend; scale is the larger of the two. */
  mod(o: Numeric): Numeric {
    if (this.special !== undefined || o.special !== undefined) {
      if (this.special === 'nan' || o.special === 'nan') return NUMERIC_NAN;
      if (this.special !== undefined) {
        if (o.isZero()) throw divisionByZero();
        return NUMERIC_NAN;
      }
      return this; // finite % ±Infinity
    }
    if (o.unscaled === 0n) throw divisionByZero();
    const [a, b, s] = align(this, o);
    return new Numeric(a % b, s);
  }

  /** Rounds to `scale` digits after the point (negative: to tens, hundreds…), half away from zero. */
  round(scale = 0): Numeric {
    if (this.special !== undefined) return this;
    return rescale(this, scale, true);
  }

  /** Truncates toward zero to `scale` digits after the point. */
  trunc(scale = 0): Numeric {
    if (this.special !== undefined) return this;
    return rescale(this, scale, false);
  }

  /** The integer part, truncated toward zero (0A000 for NaN and infinity). */
  toBigIntTrunc(): bigint {
    checkFinite(this);
    return this.unscaled / pow10(this.scale);
  }

  /** The nearest integer, half away from zero, as Postgres's numeric -> integer casts round. */
  toBigIntRound(): bigint {
    checkFinite(this);
    return this.round(0).unscaled;
  }
}

const MAX_DISPLAY_SCALE = 1000;
const MIN_SIG_DIGITS = 16;
const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 64; i++, p *= 10n) POW10.push(p);

/** 10^n as a bigint (n >= 0). */
export function pow10(n: number): bigint {
  return n < POW10.length ? POW10[n]! : 10n ** BigInt(n);
}

export const NUMERIC_NAN = new Numeric(0n, 0, 'nan');
export const NUMERIC_INF = new Numeric(0n, 0, 'inf');
export const NUMERIC_NEG_INF = new Numeric(0n, 0, '-inf');

function rank(n: Numeric): number {
  return n.special === undefined ? 1 : n.special === '-inf' ? 0 : n.special === 'inf' ? 2 : 3;
}

/** Both unscaled values brought to the larger scale. */
function align(a: Numeric, b: Numeric): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.unscaled, b.unscaled, a.scale];
  if (a.scale > b.scale) return [a.unscaled, b.unscaled * pow10(a.scale - b.scale), a.scale];
  return [a.unscaled * pow10(b.scale - a.scale), b.unscaled, b.scale];
}

function divisionByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, 'division by zero');
}

function checkFinite(n: Numeric): void {
  if (n.special === 'nan') throw new SqlError(SqlState.featureNotSupported, 'cannot convert NaN to integer');
  if (n.special !== undefined) throw new SqlError(SqlState.featureNotSupported, 'cannot convert infinity to integer');
}

/** Weight (base-10000 digit position) and value of the first base-10000 digit of a nonzero value, as numeric.c stores it. */
function nbaseHead(n: Numeric): [weight: number, first: number] {
  if (n.unscaled === 0n) return [0, 0];
  const digits = (n.unscaled < 0n ? -n.unscaled : n.unscaled).toString();
  const e = digits.length - 1 - n.scale; // decimal exponent of the leading digit
  const weight = Math.floor(e / 4);
  const count = e - 4 * weight + 1;
  return [weight, Number(digits.slice(0, count))];
}

/** Postgres's select_div_scale: at least 16 significant digits, no less than either input's scale. */
function selectDivScale(a: Numeric, b: Numeric): number {
  const [w1, f1] = nbaseHead(a);
  const [w2, f2] = nbaseHead(b);
  let qweight = w1 - w2;
  if (f1 <= f2) qweight--;
  let rscale = MIN_SIG_DIGITS - qweight * 4;
  rscale = Math.max(rscale, a.scale, b.scale, 0);
  return Math.min(rscale, MAX_DISPLAY_SCALE);
}

/** round((u1·10^-s1) / (u2·10^-s2)) at scale rscale, half away from zero. */
function divRound(u1: bigint, s1: number, u2: bigint, s2: number, rscale: number): bigint {
  const k = rscale - s1 + s2;
  let num = u1;
  let den = u2;
  if (k >= 0) num *= pow10(k);
  else den *= pow10(-k);
  let q = num / den;
  const r = num - q * den;
  if (r !== 0n) {
    const ar = r < 0n ? -r : r;
    const ad = den < 0n ? -den : den;
    if (ar * 2n >= ad) q += (num < 0n) !== (den < 0n) ? -1n : 1n;
  }
  return q;
}

/** The value at another scale: padded with zeros, or rounded (half away from zero) / truncated. */
function rescale(n: Numeric, scale: number, round: boolean): Numeric {
  const outScale = Math.max(scale, 0);
  if (scale >= n.scale) {
    return outScale === n.scale ? n : new Numeric(n.unscaled * pow10(outScale - n.scale), outScale);
  }
  const p = pow10(n.scale - scale);
  let q = n.unscaled / p;
  if (round) {
    const r = n.unscaled - q * p;
    const twice = (r < 0n ? -r : r) * 2n;
    if (twice >= p) q += n.unscaled < 0n ? -1n : 1n;
  }
  if (scale < 0) q *= pow10(-scale);
  return new Numeric(q, outScale);
}
