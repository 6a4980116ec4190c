import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { accumulatorFactory } from '../../../src/dataflow/aggregates/aggregate-def.js';
import { OverWindowOperator, type OverWindowCall, type OverWindowSpec } from '../../../src/dataflow/operators/over-window.js';
import type { Frame } from '../../../src/dataflow/window-frame-eval.js';
import type { Change } from '../../../src/dataflow/zset.js';
import type { Row } from '../../../src/types/datum.js';
import { SqlError, SqlState } from '../../../src/types/sql-error.js';
import { OperatorRun, del, ins, show, withAndWithoutRestarts } from '../harness.js';

// Rows are (partition, order value, payload).
const ROWS = (start: Frame['start'], end: Frame['end']): Frame => ({ mode: 'rows', start, end });
const RANGE_DEFAULT: Frame = { mode: 'range', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } };
const col = (i: number) => (r: Row) => r[i]!;
const sum = (frame: Frame): OverWindowCall => ({ fn: 'sum', frame, n: 1, args: [col(2)], filter: null, aggregate: { kind: 'accumulator', factory: accumulatorFactory('sum', { kind: 'int4' }), invertible: true } });
const plain = (fn: OverWindowCall['fn'], n = 1, args = [col(2)]): OverWindowCall => ({ fn, frame: RANGE_DEFAULT, n, args, filter: null });
const spec = (calls: OverWindowCall[], partitionKey = [0]): OverWindowSpec => ({ partitionKey, order: [{ fn: col(1), desc: false, nullsFirst: false }], calls });
const make = (s: OverWindowSpec) => (state: ConstructorParameters<typeof OverWindowOperator>[1]) => new OverWindowOperator(s, state);

describe('over-window', () => {
  test('the header example: sum over ROWS 1 PRECEDING', async () => {
    const run = OperatorRun.create(make(spec([sum(ROWS({ kind: 'preceding', offset: 1 }, { kind: 'current_row' }))], [])));
    expect(show(await run.tick(ins([null, 1, 10], [null, 3, 30])))).toEqual(['[null,1,10,"10n"] +1', '[null,3,30,"40n"] +1']);
    expect(show(await run.tick(ins([null, 2, 20])))).toEqual(['[null,2,20,"30n"] +1', '[null,3,30,"40n"] -1', '[null,3,30,"50n"] +1']);
  });

  test('a bounded frame recomputes only the neighbourhood of a change', async () => {
    const run = OperatorRun.create(make(spec([sum(ROWS({ kind: 'preceding', offset: 2 }, { kind: 'current_row' }))])));
    await run.tick(ins(...Array.from({ length: 100 }, (_, i): Row => ['p', i * 10, i])));
    // A row at the front changes its own value and those of the two rows after it.
    const out = await run.tick(ins(['p', -5, 1000]));
    expect(out.filter(([, d]) => d > 0).map(([r]) => r[1])).toEqual([-5, 0, 10]);
    const removed = await run.tick(del(['p', 500, 50]));
    expect(removed.length).toBe(5); // the row itself, then the two after it (old and new)
  });

  test('the default frame: peers share the running value; rank and dense_rank', async () => {
    const s = spec([sum(RANGE_DEFAULT), plain('rank', 1, []), plain('dense_rank', 1, [])]);
    const run = OperatorRun.create(make(s));
    await run.tick(ins(['a', 1, 1], ['a', 2, 10], ['a', 2, 100], ['a', 3, 1000], ['b', null, 5]));
    expect(run.contents()).toEqual([
      '["a",1,1,"1n","1n","1n"] +1',
      '["a",2,10,"111n","2n","2n"] +1',
      '["a",2,100,"111n","2n","2n"] +1',
      '["a",3,1000,"1111n","4n","3n"] +1',
      '["b",null,5,"5n","1n","1n"] +1',
    ]);
    // Removing a peer changes the other peer, and everything after it.
    await run.tick(del(['a', 2, 100]));
    expect(run.contents().filter((r) => r.startsWith('["a"'))).toEqual([
      '["a",1,1,"1n","1n","1n"] +1',
      '["a",2,10,"11n","2n","2n"] +1',
      '["a",3,1000,"1011n","3n","3n"] +1',
    ]);
  });

  test('a row with diff 2 is two rows; lag, lead with a default, first_value over the frame', async () => {
    const s = spec([plain('row_number', 1, []), plain('lag'), { ...plain('lead', 1, [col(2), () => -1]) }, { ...plain('first_value'), frame: ROWS({ kind: 'preceding', offset: 1 }, { kind: 'current_row' }) }]);
    const run = OperatorRun.create(make(s));
    await run.tick([[['a', 1, 7], 2], [['a', 2, 8], 1]]);
    expect(run.contents()).toEqual(['["a",1,7,"1n",null,7,7] +1', '["a",1,7,"2n",7,8,7] +1', '["a",2,8,"3n",7,-1,7] +1']);
    await run.tick([[['a', 1, 7], -1]]);
    expect(run.contents()).toEqual(['["a",1,7,"1n",null,8,7] +1', '["a",2,8,"2n",7,-1,7] +1']);
  });

  test('a row whose argument fails is an error until it is retracted', async () => {
    const failing: OverWindowCall = plain('lag', 1, [
      (r) => {
        if (r[2] === 0) throw new SqlError(SqlState.divisionByZero, 'division by zero');
        return r[2]!;
      },
    ]);
    const run = OperatorRun.create(make(spec([failing])));
    await run.tick(ins(['a', 1, 0], ['a', 2, 5]));
    expect(run.errs).toEqual([[{ code: '22012', message: 'division by zero' }, 1]]);
    expect(run.contents()).toEqual(['["a",2,5,null] +1']);
    await run.tick(del(['a', 1, 0]));
    expect(run.errs).toEqual([]);
  });

  test('ordered by a watermarked column, it passes the watermark on as far as rows are final', async () => {
    // lead(x, 1) OVER (PARTITION BY p ORDER BY t): a row is final once the next row of its partition is below the watermark.
    const s: OverWindowSpec = { ...spec([plain('lead')]), close: { column: 1, after: 1 } };
    const run = OperatorRun.create(make(s));
    await run.tick(ins(['a', 10, 1], ['a', 20, 2], ['a', 40, 3], ['b', 15, 4], ['b', 50, 5]));
    // Column 0 (the partition key) has a watermark of its own, passed on as it is.
    const watermark = (w: number) => run.op.onWatermarks!([new Map([[1, w], [0, 7]])], { errs: [], now: 0 }).watermarks;
    // Below 30: a's 10 and 20 are, so the row 10 is final; b's 15 is not (its next row, 50, is not below 30).
    expect(watermark(30)).toEqual(new Map([[0, 7], [1, 15]]));
    // Below 45: a's rows up to 20 are final (40 has no next row yet), b's 15 is not: the earliest open row is b's 15.
    expect(watermark(45)).toEqual(new Map([[0, 7], [1, 15]]));
    // Below 60: b's 15 is final; the open rows are a's 40 and b's 50.
    expect(watermark(60)).toEqual(new Map([[0, 7], [1, 40]]));
  });

  test('restarts rebuild the partitions and their values', async () => {
    const s = spec([sum(ROWS({ kind: 'preceding', offset: 1 }, { kind: 'following', offset: 1 })), plain('rank', 1, [])]);
    const [a, b] = await withAndWithoutRestarts(make(s), [
      [ins(['a', 1, 1], ['a', 2, 2], ['b', 1, 3])],
      [ins(['a', 0, 4]), del(['b', 1, 3])],
      [del(['a', 2, 2]), ins(['a', 2, 5])],
    ]);
    expect(b).toEqual(a);
  });
});

/** From scratch: per partition, rows sorted as the operator sorts them (value, then the row), with the calls' values. */
function fromScratch(rows: Map<string, [Row, number]>, preceding: number, following: number): string[] {
  const parts = new Map<unknown, Row[]>();
  for (const [row, n] of rows.values()) for (let i = 0; i < n; i++) parts.set(row[0], [...(parts.get(row[0]) ?? []), row]);
  const out: Change[] = [];
  for (const list of parts.values()) {
    list.sort((x, y) => (x[1] as number) - (y[1] as number) || (x[2] as number) - (y[2] as number));
    list.forEach((r, i) => {
      let s: bigint | null = null;
      for (let j = Math.max(0, i - preceding); j <= Math.min(list.length - 1, i + following); j++) s = (s ?? 0n) + BigInt(list[j]![2] as number);
      out.push([[...r, s, BigInt(i + 1), i > 0 ? list[i - 1]![2]! : null], 1]);
    });
  }
  return show(out);
}

describe('over-window equals a from-scratch computation', () => {
  // Small ticks are spliced into a partition, large ones (over 16 rows) merged with it.
  test('random inserts and deletes', async () => {
    const change = fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.boolean());
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.array(change, { maxLength: 6 }), fc.array(change, { minLength: 20, maxLength: 60 })), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), async (ticks, preceding, following) => {
        // The order is (value, payload) so that tied rows are identical, as in the from-scratch sort.
        const s: OverWindowSpec = {
          ...spec([sum(ROWS({ kind: 'preceding', offset: preceding }, { kind: 'following', offset: following })), plain('row_number', 1, []), plain('lag')]),
          order: [{ fn: col(1), desc: false, nullsFirst: false }, { fn: col(2), desc: false, nullsFirst: false }],
        };
        const run = OperatorRun.create(make(s));
        const live = new Map<string, [Row, number]>();
        for (const t of ticks) {
          const batch: Change[] = [];
          for (const [p, v, x, insert] of t) {
            const row: Row = [p, v, x];
            const k = JSON.stringify(row);
            const have = live.get(k)?.[1] ?? 0;
            if (!insert && have === 0) continue;
            live.set(k, [row, have + (insert ? 1 : -1)]);
            batch.push([row, insert ? 1 : -1]);
          }
          await run.tick(batch);
          expect(run.contents()).toEqual(fromScratch(live, preceding, following));
        }
      }),
      { numRuns: 200 },
    );
  });
});
