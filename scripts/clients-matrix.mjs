#!/usr/bin/env node
// Renders the client matrix's per-check tables from the last client test run.
// The client tests (test/clients/*.test.ts) write each program's check lines to
// $TMPDIR/weir-client-matrix/<client>.json (see test/clients/matrix.ts). This prints the
// tables as Markdown, or with --write replaces the part of docs/clients.md between
// <!-- checks:begin --> and <!-- checks:end -->.
//   npx vitest run test/clients && node scripts/clients-matrix.mjs --write
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = join(tmpdir(), 'weir-client-matrix');
const DOC = fileURLToPath(new URL('../docs/clients.md', import.meta.url));
const BEGIN = '<!-- checks:begin -->';
const END = '<!-- checks:end -->';
const MARK = { ok: 'pass', FAIL: '**FAIL**', 'expected-fail': 'expected failure', XPASS: '**XPASS**' };

function cell(s) {
  return String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function render() {
  if (!existsSync(DIR)) throw new Error(`${DIR} does not exist: run npx vitest run test/clients first`);
  const records = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')))
    .sort((a, b) => a.client.localeCompare(b.client));
  const out = [];
  for (const r of records) {
    const count = (s) => r.checks.filter((c) => c.status === s).length;
    out.push(
      `#### ${r.client} — \`${r.testFile}\``,
      '',
      `Run ${r.at}, exit code ${r.exitCode}: ${count('ok')} passed, ${count('FAIL') + count('XPASS')} failed, ` +
        `${count('expected-fail')} expected failures.`,
      '',
      '| check | result | detail |',
      '| --- | --- | --- |',
      ...r.checks.map((c) => `| ${cell(c.name)} | ${MARK[c.status] ?? c.status} | ${cell(c.detail)} |`),
      '',
    );
  }
  return out.join('\n');
}

const tables = render();
if (process.argv.includes('--write')) {
  const doc = readFileSync(DOC, 'utf8');
  const i = doc.indexOf(BEGIN);
  const j = doc.indexOf(END);
  if (i < 0 || j < i) throw new Error(`${DOC} has no ${BEGIN} … ${END} section`);
  writeFileSync(DOC, doc.slice(0, i + BEGIN.length) + '\n\n' + tables + '\n' + doc.slice(j));
  console.log(`updated ${DOC}`);
} else {
  process.stdout.write(tables + '\n');
}
