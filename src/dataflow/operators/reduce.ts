/**
 * Reduce (GROUP BY): per group of the `groupKey` columns, one output row `key ++ aggregates`.
 * Each aggregate has a kind, decided by the plan:
 *   accumulable (count, sum, avg, bool_and/or): running sums updated by every change;
 *   hierarchical (min, max): the multiset of values, retraction-safe (see aggregates/min-max.ts);
 *   basic (string_agg, array_agg, jsonb_agg, any DISTINCT aggregate): the multiset of argument
 *   tuples, the result recomputed from it when the group changes.
 * A group exists while its accumulated row diff is positive. With no group key there is exactly
 * one group, which exists even for empty input (count = 0, sum = NULL): it is emitted in the
 * first tick ever, whatever the input.
 *
 * State kept: one entry per group, `g<groupKey>` → [keyRow, rowDiff, accumulator states…], and
 * for multiset aggregates one entry per distinct value per group, `m<agg>:<groupKey><valueKey>`
 * → [keyRow, values, diff]. Grows with the number of groups (accumulable) and with the
 * distinct values per group (hierarchical, basic). In memory, each group also keeps its
 * current output row and its entry's storage key (made on its first write, reused). Groups are
 * found by a hash of their key columns (group-table.ts): no key string per change; a group's
 * key string (for its storage keys) is made once, when first written.
 *
 * At the root of a view whose storage key is the group key, the reduce writes the view's
 * entries itself (`ViewOutputStore`, view-output-store.ts) and keeps a group's
 * [rowDiff, accumulator states…] as the trailer of its row's entry instead of in a `g` entry:
 * one put per changed group instead of two. A group without an output row (its result is an
 * error, or its row diff is negative) has no view entry, so its state goes to its `g` entry as
 * above; a group a watermark closes keeps its row in the view, without a trailer.
 *
 * Input: one change stream. Output: per group changed this tick, the old row retracted and the
 * new row inserted (nothing when they are equal); consolidated, as the pair is adjacent and
 * groups differ in their key columns. Argument or FILTER errors go to the error
 * stream with the row's diff (and that row is skipped by that aggregate); an error computing a
 * group's result (e.g. numeric overflow) replaces that group's row in the error stream.
 *
 *   Δin ──▶ [group by key] ──▶ [update states] ──▶ [old row −1, new row +1 per changed group] ──▶ Δout
 *
 * Watermarks: a group key column keeps its input column's watermark. A group whose key value
 * in such a column is below the watermark is closed (no change can reach it any more): its
 * state is deleted, in memory and in the store, and its output row stays where it is
 * downstream. So with a windowed GROUP BY the state holds the open windows only.
 *
 * Example: SELECT k, count(*), min(v) GROUP BY k
 *   tick 1: [a, 3] +1, [a, 1] +1    → [a, 2, 1] +1
 *   tick 2: [a, 1] -1               → [a, 2, 1] -1, [a, 1, 3] +1
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Datum, Row } from '../../types/datum.js';
import { rowKey, rowKeysEqual } from '../../types/row-key.js';
import { SqlError } from '../../types/sql-error.js';
import type { Change } from '../zset.js';
import { pushError, type Operator, type Tick } from '../operator.js';
import type { OperatorState } from '../state.js';
import type { ScalarFn } from '../scalar-fn.js';
import type { AggregateDef } from '../aggregates/aggregate-def.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';
import { columnsHash } from '../row-hash.js';
import { GroupTable } from './group-table.js';
import { newGroup, type Group } from './reduce-group.js';
import type { ViewOutputStore } from '../view-output-store.js';

export interface ReduceAggregate {
  def: AggregateDef;
  /** Argument expressions, then (basic kinds) ORDER BY expressions; none for count(*). */
  exprs: ScalarFn[];
  filter: ScalarFn | null;
}

export interface ReduceSpec {
  groupKey: number[];
  aggregates: ReduceAggregate[];
}

export class ReduceOperator implements Operator {
  /** Per changed group at most its old row −1 and its new row +1, never equal; groups differ in their key columns. */
  readonly consolidatedOutput = true;
  readonly #spec: ReduceSpec;
  readonly #state: OperatorState | null;
  readonly #groups = new GroupTable<Group>();
  readonly #global: boolean;
  #started = false;
  /** With accumulable aggregates only: the `multis` every group shares (all null, never written). */
  readonly #noMultis: readonly null[] | null = null;
  /** The value of a group's entry, filled per group written (see #finishGroup). */
  readonly #entryScratch: Datum[];
  /** Per group key position, the watermark its groups have been closed below. */
  readonly #closedBelow: number[] = [];
  /** The view's entries, when this reduce writes them (with `state`; never for a global reduce). */
  readonly #view: ViewOutputStore | null;
  /** The trailer of a group's view entry, filled per group written (see #persistInView). */
  readonly #trailerScratch: Datum[];

  constructor(spec: ReduceSpec, state: OperatorState | null, view: ViewOutputStore | null = null) {
    this.#spec = spec;
    this.#state = state;
    this.#global = spec.groupKey.length === 0;
    if (view !== null && (state === null || this.#global)) throw new Error('internal error: a reduce writes its view only with state and a group key');
    this.#view = view;
    this.#entryScratch = new Array(2 + spec.aggregates.length).fill(null);
    this.#trailerScratch = new Array(1 + spec.aggregates.length).fill(null);
    if (spec.aggregates.every((a) => a.def.kind === 'accumulable')) this.#noMultis = Object.freeze(new Array(spec.aggregates.length).fill(null));
  }

  #newGroup(keyRow: Row, hash: number, saved: Datum[] | null): Group {
    const g = newGroup(this.#spec.aggregates, keyRow, hash, saved, this.#noMultis);
    this.#groups.add(g);
    return g;
  }

  /** The group of the key row `keyRow`, made (empty) when there is none. */
  #groupOfKey(keyRow: Row): Group {
    const hash = columnsHash(keyRow, null);
    return this.#groups.find(keyRow, null, hash) ?? this.#newGroup(keyRow, hash, null);
  }

  /** The group's key string, the part of its storage keys that names it. */
  #gk(g: Group): string {
    return (g.gk ??= rowKey(g.keyRow));
  }

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    if (this.#view !== null) {
      const nKey = this.#spec.groupKey.length;
      for await (const [row, trailer] of this.#view.entries(reader)) {
        if (trailer === null) continue; // a closed group's row: no state kept
        const keyRow = row.slice(0, nKey);
        const g = this.#newGroup(keyRow, columnsHash(keyRow, null), trailer.slice(1));
        g.diff = trailer[0] as number;
      }
    }
    for await (const [key, value] of this.#state.entries(reader)) {
      const keyRow = value[0] as Row;
      if (key.charCodeAt(0) === 103 /* g */) {
        const hash = columnsHash(keyRow, null);
        const prev = this.#groups.find(keyRow, null, hash);
        if (prev) this.#groups.delete(prev);
        const g = this.#newGroup(keyRow, hash, value.slice(2));
        if (prev) g.multis = prev.multis; // value entries arrived first (not in key order, but be safe)
        g.diff = value[1] as number;
        g.persisted = true;
      } else {
        const agg = Number(key.slice(1, key.indexOf(':')));
        const vals = value[1] as Datum[];
        this.#groupOfKey(keyRow).multis[agg]!.add(rowKey(vals), vals, value[2] as number);
      }
    }
    this.#groups.forEach((g) => this.#computeOutput(g));
  }

  step(inputs: readonly Change[][], tick: Tick): Change[] {
    const input = inputs[0]!;
    const out: Change[] = [];
    const changed: Group[] = [];
    if (!this.#started) {
      this.#started = true;
      const none: Row = [];
      const hash = columnsHash(none, null);
      if (this.#global && this.#groups.find(none, null, hash) === undefined) {
        const g = this.#newGroup(none, hash, null);
        g.touched = true;
        changed.push(g);
      }
    }
    if (input.length === 0 && changed.length === 0) return out;
    const groupKey = this.#spec.groupKey;
    const nKey = groupKey.length;
    const aggs = this.#spec.aggregates;
    const nAggs = aggs.length;
    const groups = this.#groups;
    const persistent = this.#state !== null;
    for (let r = 0; r < input.length; r++) {
      const change = input[r]!;
      const row = change[0];
      const diff = change[1];
      const hash = columnsHash(row, groupKey);
      let g = groups.find(row, groupKey, hash);
      if (g === undefined) {
        const keyRow: Row = new Array(nKey);
        for (let k = 0; k < nKey; k++) keyRow[k] = row[groupKey[k]!]!;
        g = this.#newGroup(keyRow, hash, null);
      }
      if (!g.touched) {
        g.touched = true;
        changed.push(g);
      }
      g.diff += diff;
      for (let a = 0; a < nAggs; a++) {
        const agg = aggs[a]!;
        try {
          if (agg.filter !== null && agg.filter(row) !== true) continue;
          const acc = g.accs[a];
          if (acc !== null && acc !== undefined) {
            acc.add(agg.exprs.length === 0 ? null : agg.exprs[0]!(row), diff);
            continue;
          }
          const exprs = agg.exprs;
          const vals: Datum[] = new Array(exprs.length);
          for (let e = 0; e < exprs.length; e++) vals[e] = exprs[e]!(row);
          if (agg.def.kind === 'hierarchical' && vals[0] === null) continue;
          const vk = rowKey(vals);
          g.multis[a]!.add(vk, vals, diff);
          if (persistent) {
            g.changedValues ??= aggs.map(() => new Set<string>());
            g.changedValues[a]!.add(vk);
          }
        } catch (e) {
          pushError(tick, e, diff);
        }
      }
    }
    for (let i = 0; i < changed.length; i++) this.#finishGroup(changed[i]!, out, tick);
    return out;
  }

  #finishGroup(g: Group, out: Change[], tick: Tick): void {
    g.touched = false;
    const oldOut = g.out;
    const oldErr = g.outErr;
    this.#computeOutput(g);
    if (oldOut !== null && g.out !== null) {
      if (!rowKeysEqual(oldOut, g.out)) out.push([oldOut, -1], [g.out, 1]);
    } else {
      if (oldOut !== null) out.push([oldOut, -1]);
      if (g.out !== null) out.push([g.out, 1]);
    }
    if (oldErr !== g.outErr) {
      if (oldErr !== null) tick.errs.push([oldErr, -1]);
      if (g.outErr !== null) tick.errs.push([g.outErr, 1]);
    }
    const exists = g.diff > 0 || this.#global;
    if (!exists && g.diff === 0) this.#groups.delete(g);
    const state = this.#state;
    if (state === null) return;
    if (this.#view !== null) this.#persistInView(g, oldOut !== null, state);
    else if (g.diff === 0 && !this.#global) this.#deleteGroupEntry(g, state);
    else this.#putGroupEntry(g, state);
    if (g.changedValues !== null) {
      for (let a = 0; a < g.changedValues.length; a++) {
        const m = g.multis[a]!;
        for (const vk of g.changedValues[a]!) {
          const e = m?.values.get(vk);
          const entryKey = 'm' + a + ':' + this.#gk(g) + vk;
          if (e === undefined) state.del(entryKey);
          else state.put(entryKey, [g.keyRow, e.vals, e.diff]);
        }
      }
      g.changedValues = null;
    }
  }

  /**
   * Writes a group's state when the reduce writes its view: with its row in the view entry
   * when it has an output row, else (error, negative row diff) in its `g` entry; the entry it
   * no longer needs is deleted. `inView`: the view held the group's row before this tick.
   */
  #persistInView(g: Group, inView: boolean, state: OperatorState): void {
    const view = this.#view!;
    if (g.out !== null) {
      const t = this.#trailerScratch; // put encodes it at once, so one array serves every group
      t[0] = g.diff;
      saveAccumulators(g, t, 1);
      view.put((g.outKey ??= view.key(g.keyRow)), g.out, t);
      this.#deleteGroupEntry(g, state);
      return;
    }
    if (inView) view.del((g.outKey ??= view.key(g.keyRow)));
    if (g.diff !== 0) this.#putGroupEntry(g, state);
    else this.#deleteGroupEntry(g, state);
  }

  /** Writes the group's `g` entry: [keyRow, rowDiff, accumulator states…]. */
  #putGroupEntry(g: Group, state: OperatorState): void {
    const value = this.#entryScratch; // putKey encodes it at once, so one array serves every group
    value[0] = g.keyRow;
    value[1] = g.diff;
    saveAccumulators(g, value, 2);
    state.putKey((g.stateKey ??= state.key('g' + this.#gk(g))), value);
    g.persisted = true;
  }

  /** Deletes the group's `g` entry, if it has one. */
  #deleteGroupEntry(g: Group, state: OperatorState): void {
    if (g.persisted) state.delKey((g.stateKey ??= state.key('g' + this.#gk(g))));
    g.persisted = false;
  }

  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const input = inputs[0];
    if (!input || input.size === 0) return { emitted: [], watermarks: undefined };
    const groupKey = this.#spec.groupKey;
    let out: Map<number, number> | undefined;
    const closing: [position: number, w: number][] = [];
    for (let i = 0; i < groupKey.length; i++) {
      const w = input.get(groupKey[i]!);
      if (w === undefined) continue;
      (out ??= new Map()).set(i, w);
      if (w > (this.#closedBelow[i] ?? -Infinity)) closing.push([i, w]);
    }
    if (closing.length > 0) {
      this.#groups.forEach((g) => {
        for (let c = 0; c < closing.length; c++) {
          const v = g.keyRow[closing[c]![0]];
          if (typeof v === 'number' && v < closing[c]![1]) {
            this.#free(g);
            return;
          }
        }
      });
      for (const [i, w] of closing) this.#closedBelow[i] = w;
    }
    return { emitted: [], watermarks: out };
  }

  /** Forgets a closed group: its entries leave memory and the store. */
  #free(g: Group): void {
    this.#groups.delete(g);
    const state = this.#state;
    if (state === null) return;
    if (this.#view !== null && g.out !== null) this.#view.put((g.outKey ??= this.#view.key(g.keyRow)), g.out, null);
    this.#deleteGroupEntry(g, state);
    for (let a = 0; a < g.multis.length; a++) {
      const m = g.multis[a];
      if (!m) continue;
      for (const vk of m.values.keys()) state.del('m' + a + ':' + this.#gk(g) + vk);
    }
  }

  /** Sets g.out / g.outErr from the group's state: no row for a group that does not exist. */
  #computeOutput(g: Group): void {
    g.out = null;
    g.outErr = null;
    if (!(g.diff > 0 || this.#global)) return;
    const n = this.#spec.aggregates.length;
    const keyRow = g.keyRow;
    const nKey = keyRow.length;
    const row: Datum[] = new Array(nKey + n);
    for (let k = 0; k < nKey; k++) row[k] = keyRow[k]!;
    try {
      for (let a = 0; a < n; a++) row[nKey + a] = g.accs[a] !== null ? g.accs[a]!.result() : g.multis[a]!.result();
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      g.outErr = { code: e.code, message: e.message };
      return;
    }
    g.out = row;
  }
}

/** The group's accumulator states (null for multiset aggregates) into `into` from position `at`. */
function saveAccumulators(g: Group, into: Datum[], at: number): void {
  const accs = g.accs;
  for (let a = 0; a < accs.length; a++) into[at + a] = accs[a] === null ? null : accs[a]!.save();
}
