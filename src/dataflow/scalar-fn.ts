/**
 * The compiled form of a scalar expression, as operators see it: a plain function of the row.
 * It may throw a SqlError on bad data; the calling operator turns that into an error entry.
 * Produced by render/compile-scalar.ts; dataflow/ never sees plan nodes.
 */
import type { Datum, Row } from '../types/datum.js';

export type ScalarFn = (row: Row) => Datum;

/** A sort key over compiled expressions (TopK, ordered aggregates). */
export interface CompiledSortKey {
  fn: ScalarFn;
  desc: boolean;
  nullsFirst: boolean;
}
