/**
 * Join: the equi-join of two collections on a key, with an optional residual predicate over
 * the joined row, inner or outer (left, right, full). A cross join is the join on an empty key.
 *
 * The incremental rule, literally:   Δ(A⋈B) = ΔA⋈B + A'⋈ΔB   (A' = A after ΔA)
 * Phase 1 joins ΔA with B and then applies ΔA to A; phase 2 joins ΔB with A' and applies ΔB.
 *
 * Outer joins: a preserved row r is "unmatched" when no row of the other side has its key and
 * passes the residual; then `r ++ NULLs` is in the output with r's multiplicity. Each arranged
 * row of a preserved side keeps `matches` = Σ multiplicities of the other side's rows it joins
 * with. A change of r's multiplicity while unmatched emits `r ++ NULLs` with that diff; a change
 * of `matches` between zero and non-zero emits ±(r's multiplicity) of `r ++ NULLs`. Rows whose
 * key is null match nothing: a preserved one is passed through padded, and not arranged. The
 * key function (join-key.ts) decides per key position: a NULL under plain `=` makes the key
 * null; under a null-safe key (IS NOT DISTINCT FROM) NULL is a value and matches NULL.
 *
 * Interval joins (`timeBounds`) free the rows the watermarks put out of reach of the other
 * side over the next ticks, a quarter of the join keys per tick (join-sweep.ts).
 *
 * Entries whose multiplicity drops to zero stay in their bucket (skipped) until the end of the
 * tick, so a row removed and re-added within one tick is one entry and one write.
 *
 * State kept: one arrangement per input, `joinKey → row → {row, diff, matches}` (join-bucket.ts:
 * found by a hash of the row, no string per entry), persisted as `l<encodeRow(row)>` /
 * `r<encodeRow(row)>` → [diff, matches] (OperatorState.rowEntryKey: the row is its own key).
 * Grows with the number of distinct rows of both inputs (with non-null keys). State written in
 * the older form `L<rowKey>` / `R<rowKey>` → [row, diff, matches] is read, and rewritten in the
 * new one at the first step.
 *
 * Input: two change streams (left, right). Output: joined rows `a ++ b` with diff da·db, and for
 * outer joins the padded rows as above. Key or residual errors go to the error stream with the
 * diff of the row (key) or of the pair (residual); such a pair counts as not matching.
 *
 *   ΔA ──┬──────────────▶ [ΔA ⋈ B ] ──┐
 *        └─▶ A' (arrange) ──▶ [A' ⋈ ΔB] ──┴─▶ Δout
 *   ΔB ──┬──────────────▶ ───┘
 *        └─▶ B' (arrange, after phase 2)
 *
 * Example (left join on #0 = #0): A = {[1]}, B = {}  → out [1, NULL] +1
 *   tick: ΔB = [1, x] +1 → out [1, 1, x] +1, [1, NULL] -1
 */
import type { KvReader } from '../../storage/kv-store.js';
import type { Datum, Row } from '../../types/datum.js';
import { decodeRow } from '../../types/value-codec.js';
import { entryHash, JoinBucket as Bucket, type JoinEntry as Entry } from './join-bucket.js';
import { TimeSweep } from './join-sweep.js';
import type { Change } from '../zset.js';
import { pushError, type Operator, type Tick } from '../operator.js';
import type { OperatorState } from '../state.js';
import type { ScalarFn } from '../scalar-fn.js';
import type { WatermarkStep, Watermarks } from '../watermark.js';

/** A row's join key as an injective string, or null when the row matches nothing (a NULL under `=`). May throw a SqlError. */
export type KeyFn = (row: Row) => string | null;

export interface JoinSpec {
  kind: 'inner' | 'left' | 'right' | 'full';
  leftArity: number;
  rightArity: number;
  leftKey: KeyFn;
  rightKey: KeyFn;
  /** Over the joined row `a ++ b`; the pair joins when it returns true. */
  residual: ScalarFn | null;
  /**
   * Per equi-key position, the plain column each side reads there (null for an expression):
   * where both sides have a watermark on it, the key carries the smaller one and entries below
   * it can be freed.
   */
  leftKeyColumns?: (number | null)[];
  rightKeyColumns?: (number | null)[];
  /**
   * A temporal (lookup) join: the right side is arranged and updated, but its changes produce
   * no output; each left change joins the right side as it is (after this tick's right changes)
   * and is not arranged itself, so the state is the right side only.
   */
  lookupRight?: boolean;
  /** An interval join's bounds on `right[rightColumn] - left[leftColumn]` (µs; null = unbounded). */
  timeBounds?: { leftColumn: number; rightColumn: number; lowerUs: number | null; upperUs: number | null };
}

/** Join key → its entries. A bucket's entries share its `key` string instead of each holding its own copy. */
type Arrangement = Map<string, Bucket>;

/** The first byte of an entry's key: its side; upper case for the rowKey-named form read from old state. */
const TAG_LEFT = 0x6c; // 'l'
const TAG_RIGHT = 0x72; // 'r'
const LEGACY_LEFT = 0x4c; // 'L'
const LEGACY_RIGHT = 0x52; // 'R'

export class JoinOperator implements Operator {
  readonly #spec: JoinSpec;
  readonly #state: OperatorState | null;
  readonly #left: Arrangement = new Map();
  readonly #right: Arrangement = new Map();
  readonly #leftPreserved: boolean;
  readonly #rightPreserved: boolean;
  readonly #nullsLeft: Datum[];
  readonly #nullsRight: Datum[];
  /** Per key position, the watermark below which entries have been freed. */
  readonly #freedBelow: number[] = [];
  /** Interval joins: the time below which each side's rows are being freed, and the pass doing it. */
  #leftTimeFreed = -Infinity;
  #rightTimeFreed = -Infinity;
  readonly #leftSweep: TimeSweep | null;
  readonly #rightSweep: TimeSweep | null;
  /** Entries loaded from rowKey-named keys, to be deleted and rewritten by the next step. */
  #legacy: { e: Entry; key: string; arranged: boolean }[] = [];

  constructor(spec: JoinSpec, state: OperatorState | null) {
    this.#spec = spec;
    this.#state = state;
    this.#leftPreserved = spec.kind === 'left' || spec.kind === 'full';
    this.#rightPreserved = spec.kind === 'right' || spec.kind === 'full';
    this.#nullsLeft = new Array<Datum>(spec.leftArity).fill(null);
    this.#nullsRight = new Array<Datum>(spec.rightArity).fill(null);
    const tb = spec.timeBounds;
    const free = (e: Entry): void => {
      if (state !== null && e.persisted) state.delKey(state.rowEntryKey(e.left ? TAG_LEFT : TAG_RIGHT, e.row));
    };
    this.#leftSweep = tb ? new TimeSweep(this.#left, tb.leftColumn, free) : null;
    this.#rightSweep = tb ? new TimeSweep(this.#right, tb.rightColumn, free) : null;
  }

  async load(reader: KvReader): Promise<void> {
    if (!this.#state) return;
    for await (const [key, value] of this.#state.rawEntries(reader)) {
      const tag = key[0];
      const legacy = tag === LEGACY_LEFT || tag === LEGACY_RIGHT;
      const left = tag === TAG_LEFT || tag === LEGACY_LEFT;
      const row = legacy ? (value[0] as Row) : decodeRow(key.subarray(1));
      const [diff, matches] = (legacy ? value.slice(1) : value) as [number, number];
      const jk = (left ? this.#spec.leftKey : this.#spec.rightKey)(row);
      const e: Entry = { row, hash: entryHash(row), key: jk ?? '', diff, matches, left, persisted: !legacy, next: null };
      if (legacy) this.#legacy.push({ e, key: Buffer.from(key).toString('utf8'), arranged: jk !== null });
      if (jk !== null) arrangementInsert(left ? this.#left : this.#right, e);
    }
  }

  /** Rewrites the entries loaded from rowKey-named keys under row-named ones (once, at the first step). */
  #migrate(): void {
    const state = this.#state!;
    const dirty = new Set<Entry>();
    for (const { e, key, arranged } of this.#legacy) {
      state.del(key);
      if (arranged) dirty.add(e);
    }
    this.#legacy = [];
    this.#finish(dirty);
  }

  step(inputs: readonly Change[][], tick: Tick): Change[] {
    const dA = inputs[0]!;
    const dB = inputs[1]!;
    const out: Change[] = [];
    if (this.#legacy.length > 0) this.#migrate();
    if (dA.length === 0 && dB.length === 0) return out;
    const dirty = new Set<Entry>();
    if (this.#spec.lookupRight) return this.#lookupStep(dA, dB, tick, out, dirty);
    // Phase 1: ΔA ⋈ B, then A' = A + ΔA.
    if (dA.length > 0) {
      const changedB = this.#preservedTracker(this.#rightPreserved);
      this.#half(dA, true, out, tick, dirty, changedB);
      if (changedB) this.#emitTransitions(changedB, false, out, dirty);
    }
    // Phase 2: A' ⋈ ΔB, then B' = B + ΔB.
    if (dB.length > 0) {
      const changedA = this.#preservedTracker(this.#leftPreserved);
      this.#half(dB, false, out, tick, dirty, changedA);
      if (changedA) this.#emitTransitions(changedA, true, out, dirty);
    }
    this.#finish(dirty);
    return out;
  }

  #lookupStep(dA: Change[], dB: Change[], tick: Tick, out: Change[], dirty: Set<Entry>): Change[] {
    const spec = this.#spec;
    for (const [row, d] of dB) {
      let key: string | null;
      try {
        key = spec.rightKey(row);
      } catch {
        continue; // a right row whose key fails matches nothing
      }
      if (key === null) continue;
      const hash = entryHash(row);
      let bucket = this.#right.get(key);
      let e = bucket?.find(row, hash);
      if (e === undefined) {
        if (bucket === undefined) this.#right.set(key, (bucket = new Bucket(key)));
        e = { row, hash, key: bucket.key, diff: 0, matches: 0, left: false, persisted: false, next: null };
        bucket.add(e);
      }
      e.diff += d;
      dirty.add(e);
    }
    this.#finish(dirty);
    const residual = spec.residual;
    const pad = this.#nullsRight;
    for (const [row, d] of dA) {
      let key: string | null;
      try {
        key = spec.leftKey(row);
      } catch (err) {
        pushError(tick, err, d);
        continue;
      }
      let matched = false;
      const bucket = key === null ? undefined : this.#right.get(key);
      if (bucket !== undefined) {
        for (const head of bucket.heads()) for (let o: Entry | null = head; o !== null; o = o.next) {
          const joined = row.concat(o.row);
          if (residual !== null) {
            try {
              if (residual(joined) !== true) continue;
            } catch (err) {
              pushError(tick, err, d * o.diff);
              continue;
            }
          }
          out.push([joined, d * o.diff]);
          matched = true;
        }
      }
      if (!matched && this.#leftPreserved) out.push([row.concat(pad), d]);
    }
    return out;
  }

  #preservedTracker(preserved: boolean): Map<Entry, number> | null {
    return preserved ? new Map() : null;
  }

  /**
   * Joins the delta of one side (`fromLeft`) with the other side's arrangement, then applies the
   * delta to this side's arrangement. `otherChanged` records the other side's entries whose
   * `matches` changed (with their value before), when the other side is preserved.
   */
  #half(delta: Change[], fromLeft: boolean, out: Change[], tick: Tick, dirty: Set<Entry>, otherChanged: Map<Entry, number> | null): void {
    const spec = this.#spec;
    const keyFn = fromLeft ? spec.leftKey : spec.rightKey;
    const mine = fromLeft ? this.#left : this.#right;
    const other = fromLeft ? this.#right : this.#left;
    const preserved = fromLeft ? this.#leftPreserved : this.#rightPreserved;
    const pad = fromLeft ? this.#nullsRight : this.#nullsLeft;
    const residual = spec.residual;
    for (let i = 0; i < delta.length; i++) {
      const [row, d] = delta[i]!;
      let key: string | null;
      try {
        key = keyFn(row);
      } catch (e) {
        pushError(tick, e, d);
        continue;
      }
      if (key === null) {
        if (preserved) out.push([fromLeft ? row.concat(pad) : pad.concat(row), d]);
        continue;
      }
      let m = 0;
      const bucket = other.get(key);
      if (bucket !== undefined) {
        for (const head of bucket.heads()) for (let o: Entry | null = head; o !== null; o = o.next) {
          if (o.diff === 0) continue; // removed earlier this tick; dropped in #finish
          const joined = fromLeft ? row.concat(o.row) : o.row.concat(row);
          if (residual !== null) {
            let ok: Datum;
            try {
              ok = residual(joined);
            } catch (e) {
              pushError(tick, e, d * o.diff);
              continue;
            }
            if (ok !== true) continue;
          }
          out.push([joined, d * o.diff]);
          m += o.diff;
          if (otherChanged !== null) {
            if (!otherChanged.has(o)) otherChanged.set(o, o.matches);
            o.matches += d;
          }
        }
      }
      const hash = entryHash(row);
      let mineBucket = mine.get(key);
      let e = mineBucket?.find(row, hash);
      if (e === undefined) {
        if (mineBucket === undefined) {
          mineBucket = new Bucket(key);
          mine.set(key, mineBucket);
        }
        e = { row, hash, key: mineBucket.key, diff: 0, matches: m, left: fromLeft, persisted: false, next: null };
        mineBucket.add(e);
      }
      if (preserved) {
        e.matches = m;
        if (m === 0) out.push([fromLeft ? row.concat(pad) : pad.concat(row), d]);
      }
      e.diff += d;
      dirty.add(e);
    }
  }

  /** Emits ±multiplicity of `row ++ NULLs` for preserved entries whose matches crossed zero. */
  #emitTransitions(changed: Map<Entry, number>, left: boolean, out: Change[], dirty: Set<Entry>): void {
    const pad = left ? this.#nullsRight : this.#nullsLeft;
    for (const [e, before] of changed) {
      dirty.add(e);
      const wasUnmatched = before === 0;
      const isUnmatched = e.matches === 0;
      if (wasUnmatched === isUnmatched || e.diff === 0) continue;
      const padded = left ? e.row.concat(pad) : pad.concat(e.row);
      out.push([padded, isUnmatched ? e.diff : -e.diff]);
    }
  }

  /**
   * A key position whose column has a watermark on both sides (a window join on window_start)
   * carries the smaller one to the output (on the preserved sides' columns), and every entry
   * whose key is below it is freed: no future row of either side can match it.
   */
  onWatermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const step = this.#watermarks(inputs);
    // An interval join's passes freeing rows below the time bounds: this tick's share (join-sweep.ts).
    this.#leftSweep?.step();
    this.#rightSweep?.step();
    return step;
  }

  #watermarks(inputs: readonly (Watermarks | undefined)[]): WatermarkStep {
    const [wl, wr] = inputs;
    if (!wl || !wr) return { emitted: [], watermarks: undefined };
    let out: Map<number, number> | undefined;
    const leftArity = this.#spec.leftArity;
    const kind = this.#spec.kind;
    const keepLeft = kind === 'inner' || kind === 'left';
    const keepRight = kind === 'inner' || kind === 'right';
    const lk = this.#spec.leftKeyColumns ?? [];
    const rk = this.#spec.rightKeyColumns ?? [];
    for (let i = 0; i < lk.length; i++) {
      const lc = lk[i];
      const rc = rk[i];
      if (lc === null || lc === undefined || rc === null || rc === undefined) continue;
      const a = wl.get(lc);
      const b = wr.get(rc);
      if (a === undefined || b === undefined) continue;
      const w = Math.min(a, b);
      out ??= new Map();
      if (keepLeft) out.set(lc, w);
      if (keepRight) out.set(leftArity + rc, w);
      if (w > (this.#freedBelow[i] ?? -Infinity)) {
        this.#freedBelow[i] = w;
        this.#freeBelow(this.#left, lc, w);
        this.#freeBelow(this.#right, rc, w);
      }
    }
    const tb = this.#spec.timeBounds;
    const wlt = tb && wl.get(tb.leftColumn);
    const wrt = tb && wr.get(tb.rightColumn);
    if (tb && wlt !== undefined && wrt !== undefined) {
      // A new right row has r.t >= wrt, so it can match only left rows with l.t >= wrt - upper;
      // a new left row has l.t >= wlt, matching only right rows with r.t >= wlt + lower.
      if (tb.upperUs !== null) {
        const below = wrt - tb.upperUs;
        if (keepLeft) (out ??= new Map()).set(tb.leftColumn, Math.min(wlt, below));
        if (below > this.#leftTimeFreed) {
          this.#leftTimeFreed = below;
          this.#leftSweep!.start(Math.min(below, wlt));
        }
      }
      if (tb.lowerUs !== null) {
        const below = wlt + tb.lowerUs;
        if (keepRight) (out ??= new Map()).set(leftArity + tb.rightColumn, Math.min(wrt, below));
        if (below > this.#rightTimeFreed) {
          this.#rightTimeFreed = below;
          this.#rightSweep!.start(Math.min(below, wrt));
        }
      }
    }
    return { emitted: [], watermarks: out };
  }

  #freeBelow(arr: Arrangement, column: number, w: number): void {
    const state = this.#state;
    for (const [key, bucket] of arr) {
      const first = bucket.first();
      const v = first?.row[column];
      if (typeof v !== 'number' || v >= w) continue;
      arr.delete(key);
      if (state === null) continue;
      for (const head of bucket.heads()) {
        for (let e: Entry | null = head; e !== null; e = e.next) if (e.persisted) state.delKey(state.rowEntryKey(e.left ? TAG_LEFT : TAG_RIGHT, e.row));
      }
    }
  }

  /** Drops entries whose multiplicity reached zero and persists the final value of every touched entry. */
  #finish(dirty: Set<Entry>): void {
    const state = this.#state;
    for (const e of dirty) {
      if (e.diff === 0) {
        const arr = e.left ? this.#left : this.#right;
        const bucket = arr.get(e.key);
        if (bucket !== undefined && bucket.remove(e) && bucket.size === 0) arr.delete(e.key);
        if (state !== null && e.persisted) state.delKey(state.rowEntryKey(e.left ? TAG_LEFT : TAG_RIGHT, e.row));
        e.persisted = false;
      } else if (state !== null) {
        state.putKey(state.rowEntryKey(e.left ? TAG_LEFT : TAG_RIGHT, e.row), [e.diff, e.matches]);
        e.persisted = true;
      }
    }
  }
}

function arrangementInsert(arr: Arrangement, e: Entry): void {
  let bucket = arr.get(e.key);
  if (bucket === undefined) {
    bucket = new Bucket(e.key);
    arr.set(e.key, bucket);
  }
  e.key = bucket.key;
  bucket.add(e);
}
