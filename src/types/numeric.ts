/**
 * Numeric: exact decimal numbers as Postgres keeps them: an unscaled bigint and a display
 * scale (digits after the point), so 10.50 stays "10.50". Special values NaN and ±Infinity.
 * Equality and ordering ignore the scale (1.0 = 1.00), as in Postgres.
 */
import { SqlError, SqlState } from './sql-error.js';

export type NumericSpecial = 'nan' | 'inf' | '-inf';

export class Numeric {
  constructor(
    /** The value times 10^scale. */
    readonly unscaled: bigint,
    /** Digits after the decimal point, >= 0. */
    readonly scale: number,
    readonly special?: NumericSpecial,
  ) {}

  static readonly ZERO = new Numeric(0n, 0);

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
}
