// The client matrix, generated from the test run: each client test (pgjdbc, psycopg, pgx) passes
// its program's output here, and the check lines it printed are written to
// $TMPDIR/weir-client-matrix/<client>.json. `node scripts/clients-matrix.mjs` renders them as
// the "Checks in the last run" tables of docs/clients.md. Recording never fails a test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MATRIX_DIR = join(tmpdir(), 'weir-client-matrix');

export type CheckStatus = 'ok' | 'FAIL' | 'expected-fail' | 'XPASS';
export interface CheckLine {
  status: CheckStatus;
  name: string;
  detail?: string;
}

// "ok - name", "ok   name" (pgx), "FAIL - name: why", "FAIL name: why" (pgx),
// "xfail - name: why" (psycopg), "EXPECTED-FAIL - name: why" (pgjdbc), "XPASS - name: why".
const LINE = /^(ok|FAIL|xfail|XPASS|EXPECTED-FAIL)(?: - |\s+)(.+)$/;

export function parseCheckLines(output: string): CheckLine[] {
  const out: CheckLine[] = [];
  for (const raw of output.split('\n')) {
    const m = LINE.exec(raw.trimEnd());
    if (!m) continue;
    const status: CheckStatus = m[1] === 'xfail' || m[1] === 'EXPECTED-FAIL' ? 'expected-fail' : (m[1] as CheckStatus);
    const text = m[2]!;
    // Only failures carry "name: why"; a passing check's name may itself contain a colon.
    const colon = status === 'ok' ? -1 : text.indexOf(': ');
    out.push(colon < 0 ? { status, name: text } : { status, name: text.slice(0, colon), detail: text.slice(colon + 2) });
  }
  return out;
}

export function recordChecks(client: string, testFile: string, output: string, exitCode: number): void {
  try {
    mkdirSync(MATRIX_DIR, { recursive: true });
    const file = join(MATRIX_DIR, `${client.replace(/[^A-Za-z0-9.-]+/g, '_')}.json`);
    const record = { client, testFile, exitCode, at: new Date().toISOString(), checks: parseCheckLines(output) };
    writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  } catch {
    // The matrix is a report, not a test: a read-only temp dir must not fail the run.
  }
}
