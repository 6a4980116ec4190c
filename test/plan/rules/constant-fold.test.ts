import { describe, expect, test } from 'vitest';
import { printPlan, printScalar } from '../../../src/plan/print-plan.js';
import { constantFold, foldScalar } from '../../../src/plan/rules/constant-fold.js';
import { BOOL, c, call, gt, lines, n, P, t, INT } from './rule-helper.js';

describe('constant-fold', () => {
  test('evaluates calls on literals', () => {
    expect(printScalar(foldScalar(call('int4_add', [n(1), n(2)], INT)))).toBe('3');
    expect(printScalar(foldScalar(gt(c(0), call('int4_add', [n(1), n(2)], INT))))).toBe('(#0 > 3)');
  });

  test('leaves a failing call for run time', () => {
    const div = call('int4_div', [n(1), n(0)], INT);
    expect(foldScalar(div)).toBe(div);
  });

  test('boolean simplification', () => {
    const T = { kind: 'Literal', value: true, type: BOOL } as const;
    const F = { kind: 'Literal', value: false, type: BOOL } as const;
    expect(printScalar(foldScalar({ kind: 'And', args: [T, gt(c(0), n(1))], type: BOOL }))).toBe('(#0 > 1)');
    expect(printScalar(foldScalar({ kind: 'Or', args: [F, T], type: BOOL }))).toBe('true');
    expect(printScalar(foldScalar({ kind: 'Not', arg: { kind: 'IsNull', arg: n(1), type: BOOL }, type: BOOL }))).toBe('true');
    expect(printScalar(foldScalar({ kind: 'Coalesce', args: [{ kind: 'Literal', value: null, type: INT }, c(0)], type: INT }))).toBe('#0');
  });

  test('a true filter disappears, a false one empties', () => {
    expect(printPlan(constantFold.apply(P.filter(t(), [{ kind: 'Literal', value: true, type: BOOL }])))).toBe(lines('Get public.t'));
    expect(printPlan(constantFold.apply(P.filter(t(), [gt(n(1), n(2))])))).toBe(lines('Constant <empty>'));
  });
});
