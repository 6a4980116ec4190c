/**
 * Accumulable aggregates (count, sum, avg, bool_and, bool_or): the state per group is a small
 * fixed set of running sums, updated by `add(value, diff)` for inserts and retractions alike,
 * so the state does not grow with the group. `save` gives the state as datums for storage and
 * the factory's `restore` reads it back.
 */
import type { Datum } from '../../types/datum.js';

export interface Accumulator {
  /** Adds `diff` copies of the argument value (which may be NULL; each aggregate decides). */
  add(value: Datum, diff: number): void;
  /** The aggregate's value over the current multiset. May throw a SqlError. */
  result(): Datum;
  save(): Datum[];
}

export interface AccumulatorFactory {
  create(): Accumulator;
  restore(saved: Datum[]): Accumulator;
}

/** Builds a factory from a class whose constructor takes the saved state or nothing. */
export function factoryOf(make: (saved?: Datum[]) => Accumulator): AccumulatorFactory {
  return { create: () => make(), restore: (saved) => make(saved) };
}
