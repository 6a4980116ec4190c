import { describe, expect, test } from 'vitest';
import { printPlan } from '../../../src/plan/print-plan.js';
import { removeTrivialProject } from '../../../src/plan/rules/remove-trivial-project.js';
import { lines, P, t } from './rule-helper.js';

describe('remove-trivial-project', () => {
  test('identity Project is removed', () => {
    expect(printPlan(removeTrivialProject.apply(P.project(t(), [0, 1])))).toBe(lines('Get public.t'));
  });
  test('reordering or narrowing Projects stay', () => {
    const p = P.project(t(), [1, 0]);
    expect(removeTrivialProject.apply(p)).toBe(p);
    const q = P.project(t(), [0]);
    expect(removeTrivialProject.apply(q)).toBe(q);
  });
});
