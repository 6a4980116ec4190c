import { describe, expect, test } from 'vitest';
import { printPlan } from '../../../src/plan/print-plan.js';
import { topkRankFilter } from '../../../src/plan/rules/topk-rank-filter.js';
import { c, call, lines, P, t } from './rule-helper.js';

const INT8 = { kind: 'int8' } as const;
const rank = (): ReturnType<typeof P.topK> => P.topK(t(), [1], [{ expr: c(0), desc: true, nullsFirst: true }], null, 0, true);
const k = (v: bigint) => ({ kind: 'Literal', value: v, type: INT8 }) as const;
const rk = { kind: 'Column', index: 2, type: INT8 } as const;

describe('topk-rank-filter', () => {
  test('rank <= n becomes the limit', () => {
    expect(printPlan(topkRankFilter.apply(P.filter(rank(), [call('int8_le', [rk, k(3n)])])))).toBe(
      lines('TopK group=[#1] order=[#0 desc] limit=3 rank', '  Get public.t'),
    );
  });
  test('rank < n and n > rank', () => {
    expect(printPlan(topkRankFilter.apply(P.filter(rank(), [call('int8_gt', [k(3n), rk])])))).toContain('limit=2');
  });
  test('rank = 1 keeps the first row per group', () => {
    expect(printPlan(topkRankFilter.apply(P.filter(rank(), [call('int8_eq', [rk, k(1n)])])))).toBe(
      lines('TopK group=[#1] order=[#0 desc] limit=1 rank', '  Get public.t'),
    );
  });
  test('other predicates stay', () => {
    const p = P.filter(rank(), [call('int8_ge', [rk, k(2n)])]);
    expect(topkRankFilter.apply(p)).toBe(p);
  });
});
