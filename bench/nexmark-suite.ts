/**
 * Runs bench/nexmark.ts for several queries, RUNS times each, every run in its own process
 * (so peak RSS is the run's own), and prints a Markdown table of the medians beside the
 * published Flink per-core figures, then the queries that failed with weir's message.
 *
 *   QUERIES="q0 q1 q2" EVENTS=1000000 RUNS=3 npx tsx bench/nexmark-suite.ts
 *
 * QUERIES (names in the queries folder, or .sql files) defaults to every query file of the
 * folder except the temporal-filter variants (they read a `bid_filtered` view the folder does
 * not define), plus weir's own versions of queries the folder lacks (bench/nexmark-queries/:
 * q11). The queries' `${…}` settings default to SETTINGS below unless the environment sets
 * them. Each run's JSON line is appended to OUT (default: none) as well.
 */
import { spawnSync } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '../src/util/node-flags.js';
import { appendFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const QUERIES_DIR = resolve(process.env.QUERIES_DIR ?? join(root, '../shared/nexmark/risingwave'));
const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 1);
const OUT = process.env.OUT;

/** RisingWave's benchmark settings the query files name as `${…}` (our choice of values). */
const SETTINGS: Record<string, string> = {
  BENCHMARK_NEXMARK_RISINGWAVE_Q13_SIDE_INPUT_ROW_COUNT: '10000',
  BENCHMARK_NEXMARK_RISINGWAVE_Q15_RW_FORCE_SPLIT_DISTINCT_AGG: 'false',
  BENCHMARK_NEXMARK_RISINGWAVE_Q15_RW_FORCE_TWO_PHASE_AGG: 'false',
  BENCHMARK_NEXMARK_RISINGWAVE_Q15_NO_DISTINCT_RW_FORCE_TWO_PHASE_AGG: 'false',
  BENCHMARK_NEXMARK_RISINGWAVE_Q16_RW_FORCE_SPLIT_DISTINCT_AGG: 'false',
  BENCHMARK_NEXMARK_RISINGWAVE_Q16_RW_FORCE_TWO_PHASE_AGG: 'false',
  BENCHMARK_NEXMARK_RISINGWAVE_Q16_NO_DISTINCT_RW_FORCE_TWO_PHASE_AGG: 'false',
};

/** Flink, events/s per core (the figures the issue quotes). */
const FLINK: Record<string, number> = { q0: 379e3, q1: 395e3, q2: 414e3, q3: 219e3, q5: 75e3, q7: 23e3, q8: 162e3, q11: 46e3, q20: 18e3 };

interface RunResult {
  query: string;
  error?: string;
  events_per_second?: number;
  events_per_cpu_second?: number;
  p50_ms?: number;
  p99_ms?: number;
  peak_rss_mb?: number;
}

const byNumber = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
const OWN_DIR = join(root, 'bench/nexmark-queries');
const queries =
  process.env.QUERIES?.split(/\s+/).filter(Boolean) ??
  [
    ...readdirSync(QUERIES_DIR)
      .filter((f) => /^q\d.*\.sql$/.test(f) && !f.includes('temporal-filter'))
      .map((f) => f.slice(0, -4)),
    ...readdirSync(OWN_DIR).map((f) => join(OWN_DIR, f)),
  ].sort((a, b) => byNumber(basename(a), basename(b)));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const rows: string[] = [];
const failures: string[] = [];
for (const q of queries) {
  const runs: RunResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    const args = [...SERVER_NODE_FLAGS, '--import', 'tsx', join(root, 'bench/nexmark.ts'), '--query', q, '--events', String(EVENTS), '--json', '--queries-dir', QUERIES_DIR];
    const p = spawnSync(process.execPath, args, { cwd: root, env: { ...SETTINGS, ...process.env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    const line = p.stdout.trim().split('\n').pop() ?? '';
    let r: RunResult;
    try {
      r = JSON.parse(line) as RunResult;
    } catch {
      r = { query: q, error: `exited with ${p.status ?? p.signal}: ${line.slice(0, 200)}` };
    }
    if (OUT) appendFileSync(OUT, `${JSON.stringify(r)}\n`);
    process.stderr.write(`nexmark-suite: ${q} run ${i + 1}: ${r.error ?? `${r.events_per_second} events/s`}\n`);
    runs.push(r);
    if (r.error) break;
  }
  const ok = runs.filter((r) => !r.error);
  if (ok.length === 0) {
    failures.push(`| ${basename(q, '.sql')} | ${runs[0]!.error!.replaceAll('|', '\\|')} |`);
    continue;
  }
  const m = (f: (r: RunResult) => number): number => median(ok.map(f));
  const name = basename(q, '.sql');
  const flink = FLINK[name];
  const eps = m((r) => r.events_per_second!);
  rows.push(
    [
      name,
      Math.round(eps).toLocaleString('en'),
      Math.round(m((r) => r.events_per_cpu_second!)).toLocaleString('en'),
      m((r) => r.p50_ms!).toFixed(0),
      m((r) => r.p99_ms!).toFixed(0),
      m((r) => r.peak_rss_mb!).toFixed(0),
      flink ? flink.toLocaleString('en') : '',
      flink ? `${((100 * eps) / flink).toFixed(0)}%` : '',
      ok.map((r) => r.events_per_second!.toLocaleString('en')).join(' · '),
    ].join(' | ').replace(/^/, '| ').replace(/$/, ' |'),
  );
}

console.log(`${EVENTS.toLocaleString('en')} events per run, ${RUNS} run(s) per query, medians\n`);
console.log('| query | events/s | events per CPU-s | p50 tick ms | p99 tick ms | peak RSS MiB | Flink events/s per core | weir / Flink | runs (events/s) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
if (failures.length > 0) {
  console.log('\n| query | error |\n|---|---|');
  for (const f of failures) console.log(f);
}
