/**
 * The operator interface: every node of a running dataflow maps the change batches its inputs
 * produced in one tick to one output change batch (a Z-set, not necessarily consolidated).
 * User-data errors do not throw: they go to `tick.errs` as `[{code, message}, diff]`, so that
 * retracting the offending row later retracts the error too.
 *
 * Stateful operators keep their state in memory and, when the dataflow is persistent, mirror
 * every entry they change into `OperatorState` (see state.ts), loaded once with `load`.
 */
import type { Change } from './zset.js';
import type { WatermarkStep, Watermarks } from './watermark.js';
import type { KvReader } from '../storage/kv-store.js';
import { SqlError } from '../types/sql-error.js';

export interface ErrorValue {
  code: string;
  message: string;
}

export type ErrorChange = [err: ErrorValue, diff: number];

/** What one tick hands to every operator besides its input batches. */
export interface Tick {
  /** The dataflow's error output for this tick (consolidated at the end of the tick). */
  readonly errs: ErrorChange[];
  /** Wall-clock time of the tick (µs since the epoch): what now() is (temporal filters). */
  readonly now: number;
}

export interface Operator {
  /** Loads the operator's persisted state: called once, before the first step, when the dataflow is persistent. */
  load(reader: KvReader): Promise<void>;
  /** One tick: one batch per input (in the order the operator was built with) → the output batch. */
  step(inputs: readonly Change[][], tick: Tick): Change[];
  /**
   * True when every batch `step` returns is already consolidated (no two equal rows, no zero
   * diff), so the dataflow need not consolidate it again when it is the root's output.
   */
  readonly consolidatedOutput?: boolean;
  /**
   * Called once per tick after `step`, with the watermarks of its inputs as of the end of the
   * tick (undefined = that input has none). Frees the state the watermarks close (writing the
   * deletions into the tick's ops like any state change), releases what waited for them
   * (EMIT ON WINDOW CLOSE), and says the output's watermarks. Absent: no output watermark.
   */
  onWatermarks?(inputs: readonly (Watermarks | undefined)[], tick: Tick): WatermarkStep;
}

/** Base for stateless operators: nothing to load. */
export abstract class StatelessOperator implements Operator {
  async load(_reader: KvReader): Promise<void> {}
  abstract step(inputs: readonly Change[][], tick: Tick): Change[];
}

/**
 * Turns an exception thrown while evaluating user data into an error-stream entry. Only
 * SqlErrors are data; anything else is a bug in weir and is rethrown.
 */
export function pushError(tick: Tick, e: unknown, diff: number): void {
  if (e instanceof SqlError) {
    if (diff !== 0) tick.errs.push([{ code: e.code, message: e.message }, diff]);
    return;
  }
  throw e;
}

/** Sums equal errors and drops zero diffs. */
export function consolidateErrors(errs: ErrorChange[]): ErrorChange[] {
  if (errs.length === 0) return errs;
  const byKey = new Map<string, ErrorChange>();
  for (const [err, diff] of errs) {
    const k = err.code + '\u0000' + err.message;
    const prev = byKey.get(k);
    if (prev) prev[1] += diff;
    else byKey.set(k, [{ code: err.code, message: err.message }, diff]);
  }
  const out: ErrorChange[] = [];
  for (const c of byKey.values()) if (c[1] !== 0) out.push(c);
  return out;
}
