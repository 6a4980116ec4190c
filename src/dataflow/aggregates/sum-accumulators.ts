/**
 * The running-sum accumulators behind sum() and avg(), one per input type family. Each keeps
 * the count of non-NULL values so that an empty (or all-NULL) multiset gives NULL, as SQL's
 * sum and avg do. Result types follow Postgres: sum(int2/int4) → int8, sum(int8) → numeric,
 * sum(numeric) → numeric (display scale = the largest scale among the current values),
 * avg(integers, numeric) → numeric (the scale of numeric division), avg(floats) → float8.
 *
 * State: a few numbers per group; it does not grow. Special floats and numerics (NaN, ±inf)
 * are counted separately, so retracting them restores the finite sum exactly.
 */
import { Interval, type Datum } from '../../types/datum.js';
import { Numeric, pow10 } from '../../types/numeric.js';
import type { Accumulator } from './accumulator.js';
import { SqlError, SqlState } from '../../types/sql-error.js';

const SPLIT = 2 ** 52;
const SPLIT_BIG = 2n ** 52n;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * Integer sums: a small number part (exact below 2^53) spilled into a bigint. The total as a
 * bigint is made once per change of the sum (result and save share it), and a restored total
 * that fits the number part goes there, so a sum of int4s makes one bigint per changed group.
 */
export class IntSum implements Accumulator {
  small = 0;
  big = 0n;
  count = 0;
  /** `big + small` as of the last add, once asked for. */
  #total: bigint | null = null;
  constructor(
    readonly output: 'int8' | 'numeric' | 'avg',
    saved?: Datum[],
  ) {
    if (saved) {
      const t = saved[0] as bigint;
      if (t >= -SPLIT_BIG && t <= SPLIT_BIG) this.small = Number(t);
      else this.big = t;
      this.count = saved[1] as number;
    }
  }
  add(value: Datum, diff: number): void {
    if (value === null) return;
    this.#total = null;
    this.count += diff;
    if (typeof value === 'bigint') {
      this.big += diff === 1 ? value : value * BigInt(diff);
      return;
    }
    const p = (value as number) * diff;
    if (p > SPLIT || p < -SPLIT) {
      // A large weight (diff): the product itself may not be exact as a number.
      this.big += BigInt(value as number) * BigInt(diff);
      return;
    }
    this.small += p;
    if (this.small > SPLIT || this.small < -SPLIT) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
  }
  total(): bigint {
    return (this.#total ??= this.big === 0n ? BigInt(this.small) : this.big + BigInt(this.small));
  }
  result(): Datum {
    if (this.count <= 0) return null;
    const t = this.total();
    if (this.output === 'int8') {
      // Postgres adds int2 / int4 values into an int8, which overflows past its range.
      if (this.big !== 0n && (t > INT64_MAX || t < INT64_MIN)) throw new SqlError(SqlState.numericValueOutOfRange, 'bigint out of range');
      return t;
    }
    if (this.output === 'numeric') return new Numeric(t, 0);
    return new Numeric(t, 0).div(new Numeric(BigInt(this.count), 0));
  }
  save(): Datum[] {
    return [this.total(), this.count];
  }
}

/** Numeric sums: the finite part at the largest scale ever seen, plus counts per scale and per special value. */
export class NumericSum implements Accumulator {
  unscaled = 0n;
  scale = 0;
  scaleCounts = new Map<number, number>();
  nan = 0;
  pinf = 0;
  ninf = 0;
  count = 0;
  constructor(
    readonly avg: boolean,
    saved?: Datum[],
  ) {
    if (saved) {
      this.unscaled = saved[0] as bigint;
      this.scale = saved[1] as number;
      this.nan = saved[2] as number;
      this.pinf = saved[3] as number;
      this.ninf = saved[4] as number;
      this.count = saved[5] as number;
      for (let i = 6; i + 1 < saved.length; i += 2) this.scaleCounts.set(saved[i] as number, saved[i + 1] as number);
    }
  }
  add(value: Datum, diff: number): void {
    if (value === null) return;
    const v = value as Numeric;
    this.count += diff;
    if (v.special !== undefined) {
      if (v.special === 'nan') this.nan += diff;
      else if (v.special === 'inf') this.pinf += diff;
      else this.ninf += diff;
      return;
    }
    if (v.scale > this.scale) {
      this.unscaled *= pow10(v.scale - this.scale);
      this.scale = v.scale;
    }
    const u = v.scale === this.scale ? v.unscaled : v.unscaled * pow10(this.scale - v.scale);
    this.unscaled += diff === 1 ? u : u * BigInt(diff);
    const c = (this.scaleCounts.get(v.scale) ?? 0) + diff;
    if (c === 0) this.scaleCounts.delete(v.scale);
    else this.scaleCounts.set(v.scale, c);
  }
  result(): Datum {
    if (this.count <= 0) return null;
    let r: Numeric;
    if (this.nan > 0 || (this.pinf > 0 && this.ninf > 0)) r = new Numeric(0n, 0, 'nan');
    else if (this.pinf > 0) r = new Numeric(0n, 0, 'inf');
    else if (this.ninf > 0) r = new Numeric(0n, 0, '-inf');
    else {
      let display = 0;
      for (const [s, c] of this.scaleCounts) if (c > 0 && s > display) display = s;
      r = new Numeric(display === this.scale ? this.unscaled : this.unscaled / pow10(this.scale - display), display);
    }
    return this.avg ? r.div(new Numeric(BigInt(this.count), 0)) : r;
  }
  save(): Datum[] {
    const s: Datum[] = [this.unscaled, this.scale, this.nan, this.pinf, this.ninf, this.count];
    for (const [k, v] of this.scaleCounts) s.push(k, v);
    return s;
  }
}

/** Float sums (float4/float8 in, sum keeps the input type, avg gives float8). */
export class FloatSum implements Accumulator {
  sum = 0;
  nan = 0;
  pinf = 0;
  ninf = 0;
  count = 0;
  constructor(
    readonly output: 'float4' | 'float8' | 'avg',
    saved?: Datum[],
  ) {
    if (saved) [this.sum, this.nan, this.pinf, this.ninf, this.count] = saved as number[];
  }
  add(value: Datum, diff: number): void {
    if (value === null) return;
    const v = value as number;
    this.count += diff;
    if (Number.isFinite(v)) this.sum += v * diff;
    else if (Number.isNaN(v)) this.nan += diff;
    else if (v > 0) this.pinf += diff;
    else this.ninf += diff;
  }
  result(): Datum {
    if (this.count <= 0) return null;
    let r: number;
    if (this.nan > 0 || (this.pinf > 0 && this.ninf > 0)) r = NaN;
    else if (this.pinf > 0) r = Infinity;
    else if (this.ninf > 0) r = -Infinity;
    else r = this.sum;
    if (this.output === 'avg') return r / this.count;
    return this.output === 'float4' ? Math.fround(r) : r;
  }
  save(): Datum[] {
    return [this.sum, this.nan, this.pinf, this.ninf, this.count];
  }
}

/** Interval sums: each field summed separately, as Postgres's interval_pl does. */
export class IntervalSum implements Accumulator {
  months = 0;
  days = 0;
  micros = 0;
  count = 0;
  constructor(saved?: Datum[]) {
    if (saved) [this.months, this.days, this.micros, this.count] = saved as number[];
  }
  add(value: Datum, diff: number): void {
    if (value === null) return;
    const v = value as Interval;
    this.count += diff;
    this.months += v.months * diff;
    this.days += v.days * diff;
    this.micros += v.micros * diff;
  }
  result(): Datum {
    return this.count <= 0 ? null : new Interval(this.months, this.days, this.micros);
  }
  save(): Datum[] {
    return [this.months, this.days, this.micros, this.count];
  }
}
