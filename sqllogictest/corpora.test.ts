// The sqllogictest corpora through the runner (src/slt), each file in a fresh in-process weir:
// - SQLite's select1.test and select2.test (../shared/slt/sqlite): every record passes;
// - weir's own files (sqllogictest/files): every record passes;
// - the RisingWave e2e files (../shared/slt/risingwave): a baseline per file that may only go
//   up. When weir passes more records, raise the numbers here and in docs/compatibility.md.
// The third-party files are read from the repository's sibling folder at run time, never copied.
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runSlt, type SltSummary } from '../src/slt/run-slt.js';

const repoRoot = resolve(import.meta.dirname, '..');
const shared = resolve(repoRoot, '../shared/slt');

async function run(path: string): Promise<SltSummary> {
  return runSlt([path], { print: () => {} });
}

describe('SQLite corpus', () => {
  test.each(['select1.test', 'select2.test'])('%s passes completely', async (name) => {
    const summary = await run(resolve(shared, 'sqlite', name));
    expect(summary.files.flatMap((f) => f.failures)).toEqual([]);
    expect(summary).toMatchObject({ passed: 1031, failed: 0, skipped: 0 });
  });
});

describe("weir's own files", () => {
  test('sqllogictest/files passes completely', async () => {
    const summary = await run(resolve(repoRoot, 'sqllogictest/files'));
    expect(summary.files.flatMap((f) => f.failures)).toEqual([]);
    expect(summary.passed).toBeGreaterThan(0);
  });
});

/** Records passed per RisingWave file (docs/compatibility.md has the table and the reasons). */
const RISINGWAVE_BASELINE: Record<string, number> = {
  'batch/over_window/session/mod.slt.part': 4,
  'streaming/aggregate/basic_agg.slt': 28,
  'streaming/eowc/eowc_group_agg.slt': 11,
  'streaming/eowc/eowc_over_window.slt': 19,
  'streaming/eowc/eowc_select.slt': 11,
  'streaming/join/hash_join_watermark.slt.part': 27,
  'streaming/join/interval_join.slt.part': 52,
  'streaming/join/join.slt.part': 59,
  'streaming/mv_on_mv.slt': 78,
  'streaming/outer_join.slt': 15,
  'streaming/temporal_filter.slt': 5,
  'streaming/temporal_join/append_only/temporal_join.slt': 27,
  'streaming/time_window.slt': 31,
  'streaming/time_window_join.slt': 10,
  'streaming/watermark.slt': 11,
};

describe('RisingWave corpus', () => {
  test('each file passes at least its recorded number of records', async () => {
    const root = resolve(shared, 'risingwave/e2e_test');
    const summary = await run(root);
    const passed = Object.fromEntries(summary.files.map((f) => [f.file.slice(root.length + 1), f.passed]));
    expect(Object.keys(passed).sort()).toEqual(Object.keys(RISINGWAVE_BASELINE).sort());
    const regressions = Object.entries(RISINGWAVE_BASELINE).filter(([file, n]) => (passed[file] ?? 0) < n);
    expect(regressions.map(([file, n]) => `${file}: ${passed[file]} passed, baseline ${n}`)).toEqual([]);
    expect(summary.passed).toBeGreaterThanOrEqual(376);
  });
});
