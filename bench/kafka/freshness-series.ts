/**
 * The freshness benchmark (bench/kafka-freshness.ts) at several rates, several runs each, the
 * rates interleaved (rate 1, rate 2, …, then again) because the machine is shared and noisy;
 * prints one JSON line per run as it ends (stdout) and then a Markdown table of medians.
 *
 *   npm run build && npx tsx bench/kafka/freshness-series.ts --rates 20000,45000,90000 --runs 3 --seconds 30 --warmup 10
 *       [--producer java] [--linger-ms 5] [--broker private] [--select-pause-ms 1] [--scratch-dir /dev/shm]
 */
import { Command } from 'commander';
import { median } from '../e2e/server.js';
import { runFreshness, runSettings, withRunOptions, type FreshnessResult, type RunOptionValues } from '../kafka-freshness.js';

/** The server's CPU in its main thread or the others (threadCpuMeter). */
const thread = (r: FreshnessResult, name: string): number => r.server_threads?.[name] ?? 0;

function row(rate: number, runs: FreshnessResult[]): string {
  const m = (f: (r: FreshnessResult) => number | null): string => {
    const xs = runs.map(f).filter((x): x is number => x !== null && !Number.isNaN(x));
    return xs.length === 0 ? '?' : median(xs).toLocaleString('en', { maximumFractionDigits: 2 });
  };
  const each = (f: (r: FreshnessResult) => number): string => runs.map((r) => f(r).toLocaleString('en')).join(' · ');
  return (
    `| ${rate.toLocaleString('en')} | ${each((r) => r.rate_reached)} | ${m((r) => r.select_p50_ms)} / ${m((r) => r.select_p99_ms)} / ${m((r) => r.select_max_ms)} ` +
    `| ${m((r) => r.subscribe_p50_ms)} / ${m((r) => r.subscribe_p99_ms)} / ${m((r) => r.subscribe_max_ms)} | ${m((r) => r.ack_p50_ms)} / ${m((r) => r.ack_p99_ms)} | ${m((r) => r.select_after_ack_p50_ms)} / ${m((r) => r.select_after_ack_p99_ms)} ` +
    `| ${m((r) => r.server_cpu)} / ${m((r) => r.producer_cpu)} / ${m((r) => r.broker_cpu)} / ${m((r) => r.client_cpu)} | ${m((r) => r.selects_per_s)} | ${m((r) => r.ticks_per_s)} | ${m((r) => thread(r, 'main'))} / ${m((r) => thread(r, 'others'))} | ${m((r) => r.behind_at_end_ms)} | ${each((r) => r.select_p99_ms)} | ${runs.map((r) => `${r.load[0]}–${r.load[1]}`).join(' · ')} |`
  );
}

async function main(argv: string[]): Promise<void> {
  const opts = withRunOptions(
    new Command()
      .name('freshness-series')
      .option('--rates <list>', 'events per second, comma-separated', '20000,45000,90000')
      .option('--runs <n>', 'runs per rate', '3'),
  )
    .parse(argv)
    .opts<RunOptionValues & { rates: string; runs: string }>();
  const rates = opts.rates.split(',').map((r) => Number(r.trim().replaceAll('_', '')));
  if (rates.some((r) => !(r > 0))) throw new Error(`--rates must be positive numbers, got "${opts.rates}"`);
  const settings = runSettings(opts);
  const results = new Map<number, FreshnessResult[]>(rates.map((r) => [r, []]));
  for (let run = 0; run < Number(opts.runs); run++) {
    for (const rate of rates) {
      const r = await runFreshness({ rate, ...settings });
      process.stdout.write(`${JSON.stringify(r)}\n`);
      results.get(rate)!.push(r);
    }
  }
  const first = [...results.values()][0]![0]!;
  process.stdout.write(
    `\n${opts.producer} producer, ${first.broker} broker (its files and the events file in ${first.scratch_dir}), ${opts.seconds} s per run, ${opts.warmup} s of warm-up left out, medians of ${opts.runs} run(s), ${Number(opts.selectPauseMs) > 0 ? `${opts.selectPauseMs} ms between SELECTs` : 'SELECTs in a closed loop'}; ${first.machine}\n\n` +
      '| rate asked | rate reached (runs) | SELECT p50 / p99 / max ms | SUBSCRIBE p50 / p99 / max ms | broker ack p50 / p99 ms | ack → SELECT p50 / p99 ms | CPU cores: server / producer / broker / clients | SELECTs/s | ticks/s | server threads: main / others | view behind at the end ms | runs: SELECT p99 ms | load average (runs) |\n' +
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|\n' +
      `${rates.map((rate) => row(rate, results.get(rate)!)).join('\n')}\n`,
  );
}

try {
  await main(process.argv);
} catch (e) {
  console.error(`freshness-series: ${(e as Error).message}`);
  process.exitCode = 1;
}
