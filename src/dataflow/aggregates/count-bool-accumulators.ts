/**
 * count(*), count(x), bool_and(x), bool_or(x): counters per group. count(*) counts every row,
 * count(x) the non-NULL values (result int8 as bigint, 0 for no rows); bool_and / bool_or keep
 * the number of true and false values (NULL when there are none).
 *
 * State: one or two numbers per group; it does not grow.
 */
import type { Datum } from '../../types/datum.js';
import type { Accumulator } from './accumulator.js';

export class Count implements Accumulator {
  n = 0;
  constructor(
    readonly star: boolean,
    saved?: Datum[],
  ) {
    if (saved) this.n = saved[0] as number;
  }
  add(value: Datum, diff: number): void {
    if (this.star || value !== null) this.n += diff;
  }
  result(): Datum {
    return BigInt(this.n);
  }
  save(): Datum[] {
    return [this.n];
  }
}

export class BoolAgg implements Accumulator {
  trues = 0;
  falses = 0;
  constructor(
    readonly and: boolean,
    saved?: Datum[],
  ) {
    if (saved) [this.trues, this.falses] = saved as number[];
  }
  add(value: Datum, diff: number): void {
    if (value === true) this.trues += diff;
    else if (value === false) this.falses += diff;
  }
  result(): Datum {
    if (this.trues <= 0 && this.falses <= 0) return null;
    return this.and ? this.falses <= 0 : this.trues > 0;
  }
  save(): Datum[] {
    return [this.trues, this.falses];
  }
}
