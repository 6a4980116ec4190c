/**
 * A reduce that writes its view's entries itself (dataflow/view-output-store.ts): the view's
 * stored contents must always equal the integrated output of the same reduce kept in memory,
 * through restarts (the state rebuilt from the view's trailers and the `g` entries), error
 * groups, groups with a negative row diff and groups a watermark closes; and a group with an
 * output row has no `g` entry of its own.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ReduceOperator, type ReduceAggregate, type ReduceSpec } from '../../../src/dataflow/operators/reduce.js';
import { aggregateDef } from '../../../src/dataflow/aggregates/aggregate-def.js';
import { OperatorState } from '../../../src/dataflow/state.js';
import { ViewOutputStore } from '../../../src/dataflow/view-output-store.js';
import type { Watermarks } from '../../../src/dataflow/watermark.js';
import type { Change } from '../../../src/dataflow/zset.js';
import { consolidate } from '../../../src/dataflow/zset.js';
import { MemoryKvStore } from '../../../src/storage/memory-kv-store.js';
import type { KvOp } from '../../../src/storage/kv-store.js';
import { decodeEntry } from '../../../src/adapter/collections.js';
import { T } from '../../../src/types/sql-type.js';
import type { Row } from '../../../src/types/datum.js';
import { rowKey } from '../../../src/types/row-key.js';
import { decodeRowTrailer } from '../../../src/types/value-codec.js';
import { show } from '../harness.js';

const col = (i: number) => (r: Row) => r[i]!;
const countStar: ReduceAggregate = { def: aggregateDef('count_star', 'accumulable', [], false, []), exprs: [], filter: null };
const sumInt: ReduceAggregate = { def: aggregateDef('sum', 'accumulable', [T.int4], false, []), exprs: [col(1)], filter: null };
const minV: ReduceAggregate = { def: aggregateDef('min', 'hierarchical', [T.int4], false, []), exprs: [col(1)], filter: null };
const stringAgg: ReduceAggregate = {
  def: aggregateDef('string_agg', 'basic', [T.text, T.text], false, [{ index: 2, desc: false, nullsFirst: false }]),
  exprs: [(r) => String(r[1]), () => ',', (r) => String(r[1])],
  filter: null,
};
const spec: ReduceSpec = { groupKey: [0], aggregates: [countStar, sumInt, minV, stringAgg] };
const utf8 = new TextEncoder();
const prefix = utf8.encode('v/view/');

/** The reduce writing its view into a memory store, rebuilt from that store on `restart`. */
class ViewRun {
  readonly store = new MemoryKvStore();
  #state!: OperatorState;
  #view!: ViewOutputStore;
  op!: ReduceOperator;
  #loaded = false;

  constructor(readonly spec: ReduceSpec) {
    this.restart();
  }

  restart(): void {
    this.#state = new OperatorState('df', 0);
    this.#view = new ViewOutputStore(prefix);
    this.op = new ReduceOperator(this.spec, this.#state, this.#view);
    this.#loaded = false;
  }

  async tick(changes: Change[], watermark?: Watermarks): Promise<Change[]> {
    if (!this.#loaded) {
      await this.op.load(this.store);
      this.#loaded = true;
    }
    const ops: KvOp[] = [];
    this.#state.begin(ops);
    this.#view.begin(ops);
    const tick = { errs: [], now: 0 };
    const out = this.op.step([changes], tick);
    if (watermark) this.op.onWatermarks([watermark]);
    await this.store.write(ops);
    return out;
  }

  /** The view's rows as its readers see them (adapter/collections.ts decodeEntry). */
  async contents(): Promise<string[]> {
    const rows: Change[] = [];
    for await (const chunk of this.store.scan({ gte: prefix, lt: utf8.encode('v/view0') })) for (const [, v] of chunk) rows.push(decodeEntry(v));
    return show(rows);
  }

  /** How many `g` entries (a group's state outside its view row) the reduce keeps. */
  async groupEntries(): Promise<number> {
    let n = 0;
    for await (const chunk of this.store.scan({ gte: utf8.encode('st/df/0/g'), lt: utf8.encode('st/df/0/h') })) n += chunk.length;
    return n;
  }
}

/** The same reduce in memory, its output integrated: what the view must hold. */
class Reference {
  readonly op: ReduceOperator;
  readonly rows = new Map<string, Change>();
  constructor(spec: ReduceSpec) {
    this.op = new ReduceOperator(spec, null);
  }
  step(changes: Change[], watermark?: Watermarks): void {
    const out = consolidate(this.op.step([changes], { errs: [], now: 0 }));
    if (watermark) this.op.onWatermarks([watermark]);
    for (const [row, diff] of out) {
      const k = rowKey(row);
      const prev = this.rows.get(k);
      if (prev) {
        prev[1] += diff;
        if (prev[1] === 0) this.rows.delete(k);
      } else this.rows.set(k, [row, diff]);
    }
  }
  contents(): string[] {
    return show([...this.rows.values()]);
  }
}

describe('reduce writing its view', () => {
  test('the stored view equals the in-memory reduce after every tick, restarts in between', async () => {
    // Each tick inserts rows and retracts some of the live ones (a collection's changes).
    const tickArb = fc.tuple(
      fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: -3, max: 3 })), { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.boolean(),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(tickArb, { minLength: 1, maxLength: 12 }), async (ticks) => {
        const run = new ViewRun(spec);
        const ref = new Reference(spec);
        const live: Row[] = [];
        for (const [inserts, retracts, restart] of ticks) {
          const batch: Change[] = [];
          for (const pick of retracts) {
            if (live.length === 0) break;
            batch.push([live.splice(pick % live.length, 1)[0]!, -1]);
          }
          for (const [g, v] of inserts) {
            batch.push([[g, v], 1]);
            live.push([g, v]);
          }
          if (restart) run.restart();
          await run.tick(batch);
          ref.step(batch);
          expect(await run.contents()).toEqual(ref.contents());
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a group with a row keeps no entry of its own; one with an error or a negative row diff does, until it has a row again', async () => {
    const run = new ViewRun(spec);
    await run.tick([[['a', 1], 1], [['b', 2], 1]]);
    expect(await run.groupEntries()).toBe(0);
    expect(await run.contents()).toEqual(['["a","1n","1n",1,"1"] +1', '["b","1n","2n",2,"2"] +1']);
    // A retraction before its insertion: group c's row diff is -1, so it has no row.
    await run.tick([[['c', 5], -1]]);
    expect(await run.groupEntries()).toBe(1);
    run.restart();
    await run.tick([[['c', 5], 1], [['c', 6], 1]]);
    expect(await run.groupEntries()).toBe(0);
    expect(await run.contents()).toEqual(['["a","1n","1n",1,"1"] +1', '["b","1n","2n",2,"2"] +1', '["c","1n","6n",6,"6"] +1']);
  });

  test("a group whose result is an error leaves the view and comes back; its state survives a restart meanwhile", async () => {
    const aggs: ReduceSpec = { groupKey: [0], aggregates: [countStar, sumInt] };
    const run = new ViewRun(aggs);
    const ref = new Reference(aggs);
    const big = 2 ** 31 - 1;
    const steps: Change[][] = [
      [[['a', 1], 1], [['b', 7], 1]],
      // sum(int4) is a bigint: 2^31 - 1 times 2^40 is out of its range, so a's row is an error.
      [[['a', big], 2 ** 40]],
      [[['b', 8], 1]],
      [[['a', big], -(2 ** 40)]],
    ];
    for (let i = 0; i < steps.length; i++) {
      if (i === 2) run.restart();
      await run.tick(steps[i]!);
      ref.step(steps[i]!);
      expect(await run.contents()).toEqual(ref.contents());
      if (i === 1) {
        expect(await run.contents()).toEqual(['["b","1n","7n"] +1']);
        expect(await run.groupEntries()).toBe(1);
      }
    }
    expect(await run.contents()).toEqual(['["a","1n","1n"] +1', '["b","2n","15n"] +1']);
    expect(await run.groupEntries()).toBe(0);
  });

  test('a group a watermark closes keeps its row, without state; a restart does not bring the group back', async () => {
    const windowed: ReduceSpec = { groupKey: [0], aggregates: [countStar, sumInt] };
    const run = new ViewRun(windowed);
    const ref = new Reference(windowed);
    const steps: [Change[], Watermarks | undefined][] = [
      [[[[10, 1], 1], [[20, 2], 1]], new Map([[0, 0]])],
      [[[[10, 3], 1]], new Map([[0, 15]])],
      [[[[20, 4], 1]], undefined],
    ];
    for (let i = 0; i < steps.length; i++) {
      const [changes, wm] = steps[i]!;
      if (i === 2) run.restart();
      await run.tick(changes, wm);
      ref.step(changes, wm);
      expect(await run.contents()).toEqual(ref.contents());
    }
    expect(await run.contents()).toEqual(['[10,"2n","4n"] +1', '[20,"2n","6n"] +1']);
    // Only the open group 20 is kept as state: its row has a trailer, 10's has not.
    let trailers = 0;
    for await (const chunk of run.store.scan({ gte: prefix, lt: utf8.encode('v/view0') })) for (const [, v] of chunk) if (decodeRowTrailer(v)[1] !== null) trailers++;
    expect(trailers).toBe(1);
  });
});
