import { describe, expect, test } from 'vitest';
import { optimize } from '../../../src/plan/optimize.js';
import { printPlan } from '../../../src/plan/print-plan.js';
import { fuseMapFilterProject } from '../../../src/plan/rules/fuse-map-filter-project.js';
import { c, gt, lines, n, P, t } from './rule-helper.js';

const fuse = (p: Parameters<typeof printPlan>[0]): string => printPlan(optimize(p, [fuseMapFilterProject]));

describe('fuse-map-filter-project', () => {
  test('Filter of Filter', () => {
    expect(fuse(P.filter(P.filter(t(), [gt(c(0), n(1))]), [gt(c(1), n(2))]))).toBe(lines('Filter (#0 > 1) AND (#1 > 2)', '  Get public.t'));
  });
  test('Project of Project composes', () => {
    expect(fuse(P.project(P.project(t(), [1, 0]), [1]))).toBe(lines('Project (#0)', '  Get public.t'));
  });
  test('Map of Map appends', () => {
    expect(fuse(P.map(P.map(t(), [c(0)]), [c(2)]))).toBe(lines('Map (#0, #2)', '  Get public.t'));
  });
  test('a Map whose columns are all projected away disappears', () => {
    expect(fuse(P.project(P.map(t(), [c(0)]), [1]))).toBe(lines('Project (#1)', '  Get public.t'));
  });
});
