/** Runs a case table as one vitest test per case (the family tests). */
import { expect, test } from 'vitest';
import { describeCall, evalCase, mismatch, type Case } from './harness.js';

export function runCases(cases: readonly Case[]): void {
  for (const c of cases) {
    test(describeCall(c.call) + (c.tz ? ` [${c.tz}]` : ''), () => {
      expect(mismatch(evalCase(c), c.want)).toBeUndefined();
    });
  }
}
