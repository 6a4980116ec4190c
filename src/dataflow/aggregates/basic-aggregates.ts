/**
 * The basic aggregates: their result is recomputed from the group's whole multiset of argument
 * tuples each time the group changes (O(group size) per changed group). Tuples are
 * `[args…, orderValues…]`; with ORDER BY inside the call they are sorted by the order values,
 * otherwise they come in first-insertion order. `distinct` counts each tuple with a positive
 * diff once; otherwise a tuple counts `diff` times.
 *
 * string_agg(value, delimiter): NULL values skipped; each value after the first is preceded by
 * its own row's delimiter; NULL when no value. array_agg(x): NULLs kept; NULL when empty.
 * jsonb_agg(x): a JSON array of to_jsonb(x). DISTINCT count/sum/avg/…: the accumulator over the
 * distinct non-NULL values. approx_percentile: the exact percentile (percentile_disc).
 * first_value / last_value (x ORDER BY …): the first / last value in order.
 */
import { Jsonb, type Datum } from '../../types/datum.js';
import type { SqlType } from '../../types/sql-type.js';
import { compareNullable } from '../../types/compare.js';
import { datumToJson } from '../../types/json-conversion.js';
import type { AccumulatorFactory } from './accumulator.js';
import type { MultisetEntry } from './multiset.js';

export interface OrderSpec {
  /** Index of the order value in the tuple. */
  index: number;
  desc: boolean;
  nullsFirst: boolean;
}

export type Finish = (entries: Iterable<MultisetEntry>) => Datum;

/** The tuples in aggregation order, each repeated by its multiplicity (once when distinct). */
function expand(entries: Iterable<MultisetEntry>, distinct: boolean, order: OrderSpec[]): Datum[][] {
  let list: MultisetEntry[] = [];
  for (const e of entries) if (e.diff > 0) list.push(e);
  if (order.length > 0) {
    list = list.slice().sort((a, b) => {
      for (const o of order) {
        const av = a.vals[o.index]!;
        const bv = b.vals[o.index]!;
        const c = compareNullable(av, bv, o.nullsFirst);
        if (c !== 0) return o.desc ? (av === null || bv === null ? c : -c) : c;
      }
      return 0;
    });
  }
  const out: Datum[][] = [];
  for (const e of list) {
    const n = distinct ? 1 : e.diff;
    for (let i = 0; i < n; i++) out.push(e.vals);
  }
  return out;
}

export function stringAgg(distinct: boolean, order: OrderSpec[], bytes: boolean): Finish {
  return (entries) => {
    const parts: (string | Uint8Array)[] = [];
    let first = true;
    for (const vals of expand(entries, distinct, order)) {
      const v = vals[0]!;
      if (v === null) continue;
      if (!first && vals[1] !== null) parts.push(vals[1] as string | Uint8Array);
      parts.push(v as string | Uint8Array);
      first = false;
    }
    if (first) return null;
    if (!bytes) return (parts as string[]).join('');
    return new Uint8Array(Buffer.concat(parts as Uint8Array[]));
  };
}

/**
 * approx_percentile(fraction, relative_error) WITHIN GROUP (ORDER BY x): tuples `[x, fraction,
 * orderValue]`; the value at the fraction of the ordered non-NULL values (the first whose
 * cumulative share reaches it, as percentile_disc). Exact, so within any relative error.
 */
export function percentile(order: OrderSpec[]): Finish {
  return (entries) => {
    const rows = expand(entries, false, order).filter((vals) => vals[0] !== null);
    if (rows.length === 0) return null;
    const fraction = rows[0]![1] as number;
    const i = Math.max(0, Math.ceil(fraction * rows.length) - 1);
    return rows[Math.min(i, rows.length - 1)]![0]!;
  };
}

/** RisingWave's first_value(x ORDER BY …) / last_value(x ORDER BY …): the value of the first / last tuple in order, NULLs included. */
export function firstValue(order: OrderSpec[], last: boolean): Finish {
  return (entries) => {
    const rows = expand(entries, false, order);
    if (rows.length === 0) return null;
    return rows[last ? rows.length - 1 : 0]![0]!;
  };
}

export function arrayAgg(distinct: boolean, order: OrderSpec[]): Finish {
  return (entries) => {
    const items = expand(entries, distinct, order).map((vals) => vals[0]!);
    return items.length === 0 ? null : items;
  };
}

export function jsonbAgg(distinct: boolean, order: OrderSpec[], argType: SqlType): Finish {
  return (entries) => {
    const items = expand(entries, distinct, order).map((vals) => datumToJson(vals[0]!, argType));
    return items.length === 0 ? null : new Jsonb(items);
  };
}

/** count/sum/avg/… (DISTINCT): the accumulator over the distinct non-NULL values. */
export function distinctAccumulable(factory: AccumulatorFactory, countStar: boolean): Finish {
  return (entries) => {
    const acc = factory.create();
    for (const e of entries) if (e.diff > 0 && (countStar || e.vals[0] !== null)) acc.add(e.vals[0]!, 1);
    return acc.result();
  };
}

