/**
 * One group of a reduce (operators/reduce.ts): its key, its accumulated row diff, one
 * accumulator (accumulable aggregates) or multiset (hierarchical, basic) per aggregate, its
 * current output row or error, and what the operator needs to persist it. `newGroup` makes an
 * empty group, or one restored from its stored entry's saved accumulator states.
 *
 * State: the group itself, O(aggregates) plus its multisets (one entry per distinct value).
 */
import type { Datum, Row } from '../../types/datum.js';
import type { ErrorValue } from '../operator.js';
import type { Accumulator } from '../aggregates/accumulator.js';
import { BasicAgg, type MultisetAgg } from '../aggregates/multiset.js';
import { MinMaxAgg } from '../aggregates/min-max.js';
import type { AggregateDef } from '../aggregates/aggregate-def.js';

export interface Group {
  /** rowKey(keyRow): made when the group's entries are first written (persistent dataflows). */
  gk: string | null;
  keyRow: Row;
  /** columnsHash(keyRow, null). */
  hash: number;
  /** The next group with the same hash (group-table.ts). */
  next: Group | null;
  diff: number;
  accs: (Accumulator | null)[];
  multis: readonly (MultisetAgg | null)[];
  out: Row | null;
  outErr: ErrorValue | null;
  touched: boolean;
  persisted: boolean;
  /** Per multiset aggregate, the value keys changed this tick (persistent dataflows only). */
  changedValues: Set<string>[] | null;
  /** The storage key of the group's entry, made on its first write and reused. */
  stateKey: Uint8Array | null;
  /** The key of the group's row in its view, when the reduce writes the view (made once). */
  outKey: Uint8Array | null;
}

/**
 * An empty group (or one with the accumulator states `saved`), not yet in any table. With
 * `noMultis` (a spec of accumulable aggregates only), the group shares that all-null array.
 */
export function newGroup(aggs: readonly { def: AggregateDef }[], keyRow: Row, hash: number, saved: Datum[] | null, noMultis: readonly null[] | null): Group {
  const accs: (Accumulator | null)[] = new Array(aggs.length).fill(null);
  const multis = noMultis === null ? new Array<MultisetAgg | null>(aggs.length).fill(null) : null;
  for (let i = 0; i < aggs.length; i++) {
    const def = aggs[i]!.def;
    if (def.kind === 'accumulable') {
      const s = saved?.[i] as Datum[] | null | undefined;
      accs[i] = s ? def.factory.restore(s) : def.factory.create();
    } else if (def.kind === 'hierarchical') multis![i] = new MinMaxAgg(def.max);
    else multis![i] = new BasicAgg(def.finish);
  }
  return { gk: null, keyRow, hash, next: null, diff: 0, accs, multis: multis ?? noMultis!, out: null, outErr: null, touched: false, persisted: false, changedValues: null, stateKey: null, outKey: null };
}
