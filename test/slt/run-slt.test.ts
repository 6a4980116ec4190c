// The runner end to end on small files against in-process weir: counting, file:line in
// failures, conditions, halt, include, parse errors, single-record selection and --complete.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runSlt, summaryLine } from '../../src/slt/run-slt.js';

function files(spec: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-slt-'));
  for (const [name, text] of Object.entries(spec)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function run(paths: string[], opts: { complete?: boolean } = {}) {
  const lines: string[] = [];
  const summary = await runSlt(paths, { ...opts, print: (l) => lines.push(l) });
  return { summary, lines };
}

const SQLITE = `statement ok
CREATE TABLE t1(a INTEGER, b INTEGER)

statement ok
INSERT INTO t1 VALUES (1, 2), (3, NULL), (5, 6)

query II rowsort
SELECT a, b FROM t1
----
1
2
3
NULL
5
6

query R nosort
SELECT avg(a) FROM t1
----
3.000

query I nosort
SELECT a FROM t1 ORDER BY a
----
3 values hashing to ${'0'.repeat(32)}

skipif postgresql
query I nosort
SELECT nonsense

onlyif mysql
statement ok
SELECT nonsense

statement error
SELECT nonsense

onlyif sqlite
halt

query T nosort
SELECT ''
----
(empty)

halt

statement ok
SELECT nonsense
`;

describe('runSlt', () => {
  test('counts passes, failures (with file:line) and skips; the last line is the total', async () => {
    const dir = files({ 'a.test': SQLITE });
    const { summary, lines } = await run([dir]);
    expect(summary).toMatchObject({ passed: 6, failed: 1, skipped: 2 });
    const failure = lines.find((l) => l.startsWith('FAIL'))!;
    expect(failure).toContain(`${join(dir, 'a.test')}:22: expected 3 values hashing to 000`);
    expect(lines.at(-1)).toBe('6 passed, 1 failed, 2 skipped');
    expect(summaryLine({ passed: 2, failed: 0, skipped: 0 })).toBe('2 passed, 0 failed');
  });

  test('each file gets a fresh database; a file that cannot be parsed is reported and the run goes on', async () => {
    const dir = files({
      '1.slt': 'statement ok\ncreate table t (a int)\n',
      '2.slt': 'statement ok\ncreate table t (a int)\n\nbogus directive\n',
      '3.slt': 'statement ok\ncreate table t (a int)\n\nstatement ok\ninsert into t values (1), (2)\n\nquery I rowsort\nselect a from t\n----\n2\n1\n',
    });
    const { summary, lines } = await run([dir]);
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([`FAIL ${join(dir, '2.slt')}:4: unknown directive "bogus" (file not run)`]);
    expect(summary).toMatchObject({ passed: 4, failed: 1, skipped: 0 });
  });

  test('include, control substitution and let', async () => {
    const dir = files({
      'main.slt': 'control substitution on\n\nstatement ok\ncreate table t (a int)\n\ninclude ./parts/*.slt.part\n\nlet n\nselect count(*) from t\n\nquery I\nselect ${n} + 1\n----\n3\n',
      'parts/x.slt.part': 'statement ok\ninsert into t values (1), (2)\n',
    });
    const { summary, lines } = await run([join(dir, 'main.slt')]);
    expect(lines.at(-1)).toBe('4 passed, 0 failed');
    expect(summary.files).toHaveLength(1);
  });

  test('regex errors; rows compare after whitespace normalisation; sqllogictest-rs rendering', async () => {
    const dir = files({
      'e.slt': "statement error division by zero\nselect 1/0\n\nquery IT\nselect 8, ''\n----\n 8   (empty)\n\nquery T\nselect null::text\n----\nNULL\n",
    });
    const { lines } = await run([dir]);
    expect(lines.at(-1)).toBe('3 passed, 0 failed');
  });

  test('file:line runs one record, with the statements before it as setup', async () => {
    const dir = files({ 'a.test': SQLITE });
    const { lines } = await run([`${join(dir, 'a.test')}:17`]);
    expect(lines.at(-1)).toBe('1 passed, 0 failed');
  });

  test('--complete writes a copy with the results weir gives', async () => {
    const dir = files({ 'a.test': SQLITE.replace('3.000', '9.000') });
    const { lines } = await run([join(dir, 'a.test')], { complete: true });
    expect(lines.some((l) => l.includes('completed:'))).toBe(true);
    const completed = readFileSync(join(dir, 'a.completed.test'), 'utf8');
    expect(completed).toContain('SELECT avg(a) FROM t1\n----\n3.000\n');
    expect(completed).toContain('SELECT a FROM t1 ORDER BY a\n----\n1\n3\n5\n');
    const again = await run([join(dir, 'a.completed.test')]);
    expect(again.summary.failed).toBe(0);
  });
});
