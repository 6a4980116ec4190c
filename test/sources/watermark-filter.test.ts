// WatermarkFilter: with a monotone WATERMARK expression it evaluates the expression only for
// rows that advance the time; what it accepts, sets aside and counts, and the watermark it
// reaches, must be exactly those of evaluating every row, however the rows are cut into ticks.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { WatermarkFilter, type LatePolicy } from '../../src/sources/watermark-filter.js';
import type { Row } from '../../src/types/datum.js';

const LAG = 4_000;
const times = fc.array(fc.option(fc.integer({ min: 0, max: 50_000 }), { freq: 10, nil: null }), { maxLength: 200 });
const cuts = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 });
const policies = fc.constantFrom<LatePolicy>('drop', 'side_output', 'correct');

function run(ts: (number | null)[], cut: number[], policy: LatePolicy, monotone: boolean) {
  let calls = 0;
  const expr = (row: Row): number | null => {
    calls++;
    return typeof row[1] === 'number' ? row[1] - LAG : null;
  };
  const f = new WatermarkFilter({ column: 1, expr, monotone, policy, allowedLatenessUs: policy === 'correct' ? 2_000 : 0 });
  const rows: Row[] = ts.map((t, i) => [i, t]);
  const accepted: Row[] = [];
  const late: Row[] = [];
  const watermarks: (number | undefined)[] = [];
  for (let at = 0, k = 0; at < rows.length; k++) {
    const n = cut[k % cut.length]!;
    const out = f.split(rows.slice(at, at + n));
    accepted.push(...out.accepted);
    late.push(...out.late);
    watermarks.push(f.watermark);
    at += n;
  }
  return { result: { accepted, late, watermarks, counts: { ...f.counts } }, calls };
}

describe('WatermarkFilter', () => {
  test('a monotone expression splits rows exactly as evaluating every row does', () => {
    fc.assert(
      fc.property(times, cuts, policies, (ts, cut, policy) => {
        expect(run(ts, cut, policy, true).result).toEqual(run(ts, cut, policy, false).result);
      }),
      { numRuns: 300 },
    );
  });

  test('rows in time order with repeated times: the expression runs once per distinct time', () => {
    const ts = [1_000, 1_000, 1_000, 2_000, 2_000, 3_000];
    const { result, calls } = run(ts, [4], 'drop', true);
    expect(calls).toBe(3);
    expect(result.accepted.length).toBe(6);
    expect(result.watermarks.at(-1)).toBe(3_000 - LAG);
  });

  test('with no late row, accepted is the input itself; with one, a copy without it', () => {
    const f = new WatermarkFilter({ column: 0, expr: (r) => (r[0] as number) - 10, monotone: true, policy: 'drop', allowedLatenessUs: 0 });
    const first: Row[] = [[100], [105]];
    expect(f.split(first).accepted).toBe(first);
    const second: Row[] = [[110], [50], [120]];
    const out = f.split(second);
    expect(out.accepted).toEqual([[110], [120]]);
    expect(second).toEqual([[110], [50], [120]]);
    expect(f.counts.dropped).toBe(1);
  });
});
