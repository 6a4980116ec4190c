// How the join persists its arrangements: entries named by their row's encoding, state in the
// older rowKey-named form read and rewritten, and an interval join's freed rows deleted from
// the store as the watermarks pass.
import { describe, expect, test } from 'vitest';
import { JoinOperator, type JoinSpec } from '../../../src/dataflow/operators/join.js';
import type { KvOp } from '../../../src/storage/kv-store.js';
import { MemoryKvStore } from '../../../src/storage/memory-kv-store.js';
import type { Row } from '../../../src/types/datum.js';
import { datumKey, rowKey } from '../../../src/types/row-key.js';
import { decodeRow, encodeRow } from '../../../src/types/value-codec.js';
import { OperatorRun, del, ins } from '../harness.js';

const key0 = (r: Row): string | null => (r[0] === null ? null : datumKey(r[0]));
const PREFIX = 'st/df/0/';

function spec(extra: Partial<JoinSpec> = {}): JoinSpec {
  return { kind: 'inner', leftArity: 2, rightArity: 2, leftKey: key0, rightKey: key0, residual: null, ...extra };
}

/** The store's entries of the operator: [side tag, row, diff]. */
async function stored(store: MemoryKvStore): Promise<[string, Row, unknown][]> {
  const out: [string, Row, unknown][] = [];
  for await (const chunk of store.scan({ gte: Buffer.from(PREFIX), lt: Buffer.from('st/df/00') })) {
    for (const [k, v] of chunk) {
      const body = k.subarray(PREFIX.length);
      const value = decodeRow(v);
      expect(value).toHaveLength(2); // [diff, matches]
      out.push([String.fromCharCode(body[0]!), decodeRow(body.subarray(1)), value[0]]);
    }
  }
  return out;
}

describe('join state', () => {
  test('each entry is stored under its row (side tag + encoding) with [diff, matches]; and a restart reads it back', async () => {
    const store = new MemoryKvStore();
    const a = OperatorRun.create((s) => new JoinOperator(spec({ kind: 'left' }), s), store);
    await a.tick([[[1, 'a'], 2]], ins([1, 'x'], [2, 'y']));
    expect(a.contents()).toEqual(['[1,"a",1,"x"] +2']);
    expect((await stored(store)).sort()).toEqual([
      ['l', [1, 'a'], 2],
      ['r', [1, 'x'], 1],
      ['r', [2, 'y'], 1],
    ]);
    // A new operator over the same store joins against the loaded arrangements.
    const b = OperatorRun.create((s) => new JoinOperator(spec({ kind: 'left' }), s), store);
    expect(await b.tick(ins([2, 'b']), del([1, 'x']))).toEqual([
      [[2, 'b', 2, 'y'], 1],
      [[1, 'a', 1, 'x'], -2],
      [[1, 'a', null, null], 2],
    ]);
    expect((await stored(store)).sort()).toEqual([
      ['l', [1, 'a'], 2],
      ['l', [2, 'b'], 1],
      ['r', [2, 'y'], 1],
    ]);
  });

  test('state in the rowKey-named form (L/R<rowKey> → [row, diff, matches]) is loaded and rewritten at the first step', async () => {
    const store = new MemoryKvStore();
    const legacy = (side: string, row: Row, diff: number, matches: number): KvOp => ({
      type: 'put',
      key: Buffer.from(PREFIX + side + rowKey(row)),
      value: encodeRow([row, diff, matches]),
    });
    await store.write([legacy('L', [1, 'a'], 1, 1), legacy('R', [1, 'x'], 1, 0)]);
    const run = OperatorRun.create((s) => new JoinOperator(spec(), s), store);
    expect(await run.tick(ins([1, 'b']), [])).toEqual([[[1, 'b', 1, 'x'], 1]]);
    expect((await stored(store)).sort()).toEqual([
      ['l', [1, 'a'], 1],
      ['l', [1, 'b'], 1],
      ['r', [1, 'x'], 1],
    ]);
    // The migrated entries are deleted under their new keys like any other.
    await run.tick(del([1, 'a'], [1, 'b']), del([1, 'x']));
    expect(await stored(store)).toEqual([]);
  });

  test('an interval join deletes the rows its watermarks free from the store', async () => {
    // right.t - left.t in [0, 10]: r.t BETWEEN l.t AND l.t + 10 (time in column 1).
    const residual = (r: Row): boolean => (r[3] as number) - (r[1] as number) >= 0 && (r[3] as number) - (r[1] as number) <= 10;
    const s = spec({ residual, timeBounds: { leftColumn: 1, rightColumn: 1, lowerUs: 0, upperUs: 10 } });
    const store = new MemoryKvStore();
    const run = OperatorRun.create((st) => new JoinOperator(s, st), store);
    await run.tick(ins([1, 5], [1, 15], [2, 25]), ins([1, 12]));
    expect(run.contents()).toEqual(['[1,5,1,12] +1']);
    expect(await stored(store)).toHaveLength(4);
    const watermarks = async (l: number, r: number): Promise<void> => {
      const ops: KvOp[] = [];
      run.state.begin(ops);
      run.op.onWatermarks!([new Map([[1, l]]), new Map([[1, r]])], { errs: [], now: 0 });
      await store.write(ops);
    };
    // Right rows from t = 20 on can match only left rows from t = 10 on; left rows from t = 20
    // on, only right rows from t = 20 on.
    await watermarks(20, 20);
    expect((await stored(store)).map(([tag, row]) => [tag, row]).sort()).toEqual([
      ['l', [1, 15]],
      ['l', [2, 25]],
    ]);
    await watermarks(40, 40);
    expect(await stored(store)).toEqual([]);
  });

  test('an interval join frees a large arrangement over a few ticks, and every row by the end', async () => {
    const residual = (r: Row): boolean => (r[3] as number) - (r[1] as number) >= 0 && (r[3] as number) - (r[1] as number) <= 10;
    const s = spec({ residual, timeBounds: { leftColumn: 1, rightColumn: 1, lowerUs: 0, upperUs: 10 } });
    const store = new MemoryKvStore();
    const run = OperatorRun.create((st) => new JoinOperator(s, st), store);
    const n = 40_000; // distinct join keys: a pass takes at most a quarter of them per tick
    await run.tick(
      Array.from({ length: n }, (_, i): [Row, number] => [[i, 5], 1]),
      [],
    );
    const counts: number[] = [];
    for (let t = 0; t < 5; t++) {
      const ops: KvOp[] = [];
      run.state.begin(ops);
      run.op.onWatermarks!([new Map([[1, 100]]), new Map([[1, 100]])], { errs: [], now: 0 });
      await store.write(ops);
      counts.push(store.size);
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[0]).toBeLessThan(n);
    expect(counts.slice(3)).toEqual([0, 0]);
    // Rows not yet freed join nothing they should not: a right row at 100 matches no left row at 5.
    expect(await run.tick([], ins([7, 100]))).toEqual([]);
  });
});
