// Test helpers for operators: run ticks, integrate outputs, persist state into a MemoryKvStore
// and rebuild an operator from it.
import { MemoryKvStore } from '../../src/storage/memory-kv-store.js';
import type { KvOp } from '../../src/storage/kv-store.js';
import type { Row } from '../../src/types/datum.js';
import { rowKey } from '../../src/types/row-key.js';
import type { Operator, ErrorChange, Tick } from '../../src/dataflow/operator.js';
import { consolidateErrors } from '../../src/dataflow/operator.js';
import { OperatorState } from '../../src/dataflow/state.js';
import { consolidate, type Change } from '../../src/dataflow/zset.js';

/** Sorted text of a Z-set, for readable assertions: ["[1,\"a\"] +1", …]. */
export function show(changes: Change[]): string[] {
  return consolidate(changes.slice())
    .map(([r, d]) => `${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))} ${d > 0 ? '+' : ''}${d}`)
    .sort();
}

/** Runs one operator tick by tick, integrating its output and errors. */
export class OperatorRun {
  readonly integrated = new Map<string, Change>();
  readonly store: MemoryKvStore;
  readonly state: OperatorState;
  errs: ErrorChange[] = [];
  #loaded = false;

  constructor(
    readonly op: Operator,
    store: MemoryKvStore,
    state: OperatorState,
  ) {
    this.store = store;
    this.state = state;
  }

  static create(make: (state: OperatorState) => Operator, store = new MemoryKvStore(), id = 'df'): OperatorRun {
    const state = new OperatorState(id, 0);
    return new OperatorRun(make(state), store, state);
  }

  /** One tick; returns the output batch (consolidated) and commits state ops. */
  async tick(...inputs: Change[][]): Promise<Change[]> {
    if (!this.#loaded) {
      await this.op.load(this.store);
      this.#loaded = true;
    }
    const ops: KvOp[] = [];
    this.state.begin(ops);
    const tick: Tick = { errs: [], now: 0 };
    const out = consolidate(this.op.step(inputs, tick));
    await this.store.write(ops);
    this.errs = consolidateErrors([...this.errs, ...tick.errs]);
    for (const [row, diff] of out) {
      const k = rowKey(row);
      const prev = this.integrated.get(k);
      if (prev) {
        prev[1] += diff;
        if (prev[1] === 0) this.integrated.delete(k);
      } else this.integrated.set(k, [row, diff]);
    }
    return out;
  }

  contents(): string[] {
    return show([...this.integrated.values()]);
  }
}

export const ins = (...rows: Row[]): Change[] => rows.map((r) => [r, 1]);
export const del = (...rows: Row[]): Change[] => rows.map((r) => [r, -1]);

/**
 * Runs the same ticks twice: once on one operator, once rebuilding the operator from its
 * persisted state before every tick. Returns both output sequences (they must be equal).
 */
export async function withAndWithoutRestarts(
  make: (state: OperatorState) => Operator,
  ticks: Change[][][],
): Promise<[string[][], string[][]]> {
  const steady = OperatorRun.create(make);
  const a: string[][] = [];
  for (const t of ticks) a.push(show(await steady.tick(...t)));
  const store = new MemoryKvStore();
  const b: string[][] = [];
  for (const t of ticks) {
    const run = OperatorRun.create(make, store);
    b.push(show(await run.tick(...t)));
  }
  return [a, b];
}
