import { describe, expect, test } from 'vitest';
import { WindowExpandOperator, type WindowExpandSpec } from '../../../src/dataflow/operators/window-expand.js';
import { cumulateWindows, hopStarts, tumbleStart } from '../../../src/util/time-windows.js';
import { OperatorRun, del, ins } from '../harness.js';

const spec = (over: Partial<WindowExpandSpec> = {}): WindowExpandSpec => ({
  windowKind: 'hop',
  timeColumn: 1,
  inputArity: 2,
  slide: 5,
  size: 10,
  offset: 0,
  ...over,
});

describe('window arithmetic', () => {
  test('tumble floors to the size, aligned to the offset, below zero too', () => {
    expect([13, 10, 9, 0, -1, -10, -11].map((t) => tumbleStart(t, 10, 0))).toEqual([10, 10, 0, 0, -10, -10, -20]);
    expect([13, 12, 11].map((t) => tumbleStart(t, 10, 2))).toEqual([12, 12, 2]);
    expect(tumbleStart(13, 10, -8)).toBe(12);
  });

  test('hop: size/slide windows in order; cumulate: growing windows from the size boundary', () => {
    expect(hopStarts(13, 5, 10, 0)).toEqual([5, 10]);
    expect(hopStarts(15, 5, 15, 0)).toEqual([5, 10, 15]);
    expect(hopStarts(13, 5, 10, 1)).toEqual([6, 11]);
    expect(cumulateWindows(7, 5, 15, 0)).toEqual([[0, 10], [0, 15]]);
    expect(cumulateWindows(15, 5, 15, 0)).toEqual([[15, 20], [15, 25], [15, 30]]);
    expect(cumulateWindows(Infinity, 5, 15, 0)).toEqual([]);
  });
});

describe('window-expand', () => {
  test('hop: each row once per window; a retraction retracts every copy', async () => {
    const run = OperatorRun.create(() => new WindowExpandOperator(spec()));
    expect(await run.tick(ins(['a', 13]))).toHaveLength(2);
    expect(run.contents()).toEqual(['["a",13,10,20] +1', '["a",13,5,15] +1']);
    await run.tick(del(['a', 13]));
    expect(run.contents()).toEqual([]);
  });

  test('cumulate; NULL times have no window; diffs are kept', async () => {
    const run = OperatorRun.create(() => new WindowExpandOperator(spec({ windowKind: 'cumulate', slide: 5, size: 15 })));
    await run.tick([[['a', 7], 2], [['b', null], 1]]);
    expect(run.contents()).toEqual(['["a",7,0,10] +2', '["a",7,0,15] +2']);
  });

  test('watermarks: input columns pass, window bounds derive from the time column', () => {
    const hop = new WindowExpandOperator(spec());
    const wm = (op: WindowExpandOperator, m: Map<number, number>) => [...(op.onWatermarks([m]).watermarks ?? new Map())].sort((a, b) => a[0] - b[0]);
    // time ≥ 13 → the earliest window holding it is [5, 15)
    expect(wm(hop, new Map([[0, 100], [1, 13]]))).toEqual([[0, 100], [1, 13], [2, 5], [3, 15]]);
    expect(wm(hop, new Map([[0, 100]]))).toEqual([[0, 100]]);
    const cumulate = new WindowExpandOperator(spec({ windowKind: 'cumulate', slide: 5, size: 15 }));
    // time ≥ 7 → windows start at ≥ 0 and end at ≥ 10
    expect(wm(cumulate, new Map([[1, 7]]))).toEqual([[1, 7], [2, 0], [3, 10]]);
    expect(hop.onWatermarks([undefined]).watermarks).toBeUndefined();
  });

  test('the derived watermarks hold: no later row gets a smaller window bound', () => {
    for (const kind of ['hop', 'cumulate'] as const) {
      const s = spec({ windowKind: kind, slide: 3, size: 12, offset: 1 });
      const op = new WindowExpandOperator(s);
      for (let w = -20; w < 20; w++) {
        const marks = op.onWatermarks([new Map([[1, w]])]).watermarks!;
        let minStart = Infinity;
        let minEnd = Infinity;
        for (let t = w; t < w + 40; t++) {
          for (const [row] of op.step([ins(['x', t])])) {
            minStart = Math.min(minStart, row[2] as number);
            minEnd = Math.min(minEnd, row[3] as number);
          }
        }
        expect([marks.get(2), marks.get(3)], `${kind} w=${w}`).toEqual([minStart, minEnd]);
      }
    }
  });
});
