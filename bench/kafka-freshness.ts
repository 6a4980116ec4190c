/**
 * Freshness through Kafka: how long from the moment an event is produced to a Kafka topic until
 * it is visible in a SELECT of a view, and until SUBSCRIBE delivers it, at a steady rate.
 *
 *   npm run build && npx weir bench kafka-freshness --rate 20000 --seconds 20 [--json]
 *
 * weir runs as users run it: the built server (`node bin/weir.js serve`) in a child process on a
 * new data directory. This process is its clients: RisingWave's ddl.sql (the folder of
 * bench/nexmark.ts) on a new one-partition topic, and a materialized view
 * `seen AS SELECT count(*) AS n FROM nexmark`. Then, at once:
 *
 * - the producer, a child process of its own (this file with --producer, so that its work
 *   does not delay the clients' clocks), writes Nexmark events (bench/nexmark-produce.ts; all
 *   generated before the clock starts) every 5 ms, as many as --rate events/s asks for by
 *   then, in requests of at most 2,000 (acks=1), and reports each request's send time: the
 *   produce timestamp of its events;
 * - a SELECT client runs `SELECT n FROM seen` in a closed loop over node-postgres;
 * - a SUBSCRIBE client holds `DECLARE c CURSOR FOR SUBSCRIBE seen WITH (SNAPSHOT = false)` and
 *   calls `FETCH ALL c WITH (timeout = '1s')` in a loop.
 *
 * One partition keeps the events in order, so the view holding n means events 0 … n−1 are in.
 * Event i is visible at the first SELECT that returns n > i (the time the answer arrived), and
 * delivered with the first SUBSCRIBE row whose n > i; its latency is that time minus its
 * produce timestamp. The first --warmup seconds are left out. Reported: p50, p99 and max of
 * each, the rate reached, the server's CPU use, and p50 and p99 of the time from a request's
 * send to the broker's acknowledgement (acks=1: the leader appended them before answering, so
 * up to that much of the latency can be the producer's and the broker's, none of it weir's). The issue's target: p99 under 100 ms at half
 * the maximum ingest rate (bench/nexmark.ts --kafka gives the maximum).
 */
import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import pg from 'pg';
import { machine, newDataDir, percentile, progress, removeDataDir, startServer } from './e2e/server.js';
import { kafkaDdl } from './nexmark.js';
import { ensureTopic, kafkaProducer, nexmarkMessages } from './nexmark-produce.js';

const root = resolve(import.meta.dirname, '..');

export interface FreshnessResult {
  rate: number;
  rate_reached: number;
  events: number;
  select_p50_ms: number;
  select_p99_ms: number;
  select_max_ms: number;
  subscribe_p50_ms: number;
  subscribe_p99_ms: number;
  subscribe_max_ms: number;
  /**
   * From a produce request's send to the broker's acknowledgement (acks=1), per event: at most
   * this much of the latencies above is the producer's and the broker's (weir's reads follow).
   */
  ack_p50_ms: number;
  ack_p99_ms: number;
  /** Server CPU while producing, as a share of one core. */
  server_cpu: number;
  machine: string;
}

/** Observations (arrival time, n) → per event i ≥ from, the first time n > i, minus its produce time. */
function latencies(seen: { ms: number; n: number }[], produced: Float64Array, from: number, to: number): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = from; i < to; i++) {
    while (j < seen.length && seen[j]!.n <= i) j++;
    if (j >= seen.length) break;
    out.push(seen[j]!.ms - produced[i]!);
  }
  return out;
}

const round = (x: number): number => Number(x.toFixed(1));

export async function runFreshness(o: { rate: number; seconds: number; warmup: number; brokers: string[]; queriesDir: string }): Promise<FreshnessResult> {
  const events = Math.round(o.rate * o.seconds);
  const topic = `weir-freshness-${process.pid}-${Date.now().toString(36)}`;
  const gen = { brokers: o.brokers, topic, events, seed: 0, rate: o.rate, baseTimeMs: Date.now(), partitions: 1 };
  const { admin } = kafkaProducer(o.brokers);
  await admin.connect();
  await ensureTopic(admin, topic, 1);
  const dataDir = newDataDir();
  progress(`kafka-freshness: starting the server`);
  const server = await startServer(dataDir);
  // The server's last log lines, shown if it exits during the run.
  let serverLog = '';
  server.child.stdout!.on('data', (b: Buffer) => void (serverLog = (serverLog + b.toString()).slice(-4000)));
  const exited = (code: number | null, signal: string | null) => progress(`kafka-freshness: the server exited (${code ?? signal}); its last log:\n${serverLog}`);
  server.child.once('exit', exited);
  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir' });
    await c.connect();
    return c;
  };
  const [reader, follower] = [await connect(), await connect()];
  try {
    await reader.query(kafkaDdl(o.queriesDir, topic, o.brokers));
    await reader.query('CREATE MATERIALIZED VIEW seen AS SELECT count(*) AS n FROM nexmark');
    await follower.query('BEGIN');
    await follower.query('DECLARE c CURSOR FOR SUBSCRIBE seen WITH (SNAPSHOT = false)');

    const produced = new Float64Array(events);
    const acked = new Float64Array(events);
    const selects: { ms: number; n: number }[] = [];
    const delivered: { ms: number; n: number }[] = [];
    let done = false;
    const selectLoop = (async () => {
      let last = -1;
      while (!done) {
        const r = await reader.query<{ n: string }>('SELECT n FROM seen');
        const n = Number(r.rows[0]?.n ?? 0);
        if (n !== last) selects.push({ ms: Date.now(), n });
        last = n;
        if (n >= events) break;
      }
    })();
    const subscribeLoop = (async () => {
      while (!done) {
        const r = await follower.query<{ mz_diff: string; n: string }>("FETCH ALL c WITH (timeout = '1s')");
        const ms = Date.now();
        for (const row of r.rows) if (Number(row.mz_diff) > 0) delivered.push({ ms, n: Number(row.n) });
        if (delivered.length > 0 && delivered[delivered.length - 1]!.n >= events) break;
      }
    })();

    progress(`kafka-freshness: producing ${o.rate} events/s for ${o.seconds} s to ${topic}`);
    let failure: Error | undefined;
    for (const loop of [selectLoop, subscribeLoop]) loop.catch((e: Error) => void (failure ??= e));
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), import.meta.filename, '--producer', JSON.stringify(gen)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exit = new Promise<number | null>((res) => child.once('exit', res));
    let t0 = 0;
    let cpu0 = 0;
    let produceSeconds = 0;
    for await (const line of createInterface({ input: child.stdout! })) {
      const m = JSON.parse(line) as { ready?: true; from?: number; to?: number; ms?: number; ackMs?: number; done?: true };
      if (m.ready) {
        t0 = Date.now();
        cpu0 = server.cpuMs();
      } else if (m.done) {
        produceSeconds = (Date.now() - t0) / 1000;
      } else {
        produced.fill(m.ms!, m.from!, m.to!);
        acked.fill(m.ackMs! - m.ms!, m.from!, m.to!);
      }
      if (failure) throw failure;
    }
    if ((await exit) !== 0 || produceSeconds === 0) throw new Error('the producer failed');
    const serverCpu = (server.cpuMs() - cpu0) / 1000 / produceSeconds;
    progress(`kafka-freshness: produced; waiting for the view`);
    const deadline = Date.now() + 60_000;
    while ((selects.at(-1)?.n ?? 0) < events || (delivered.at(-1)?.n ?? 0) < events) {
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error(`the view reached ${selects.at(-1)?.n ?? 0} of ${events} events`);
      await new Promise((r) => setTimeout(r, 20));
    }
    done = true;
    await Promise.all([selectLoop, subscribeLoop]);
    const from = Math.round(o.warmup * o.rate);
    const sel = latencies(selects, produced, from, events);
    const sub = latencies(delivered, produced, from, events);
    const ack = [...acked.subarray(from)].sort((a, b) => a - b);
    return {
      rate: o.rate,
      rate_reached: Math.round(events / produceSeconds),
      events,
      select_p50_ms: round(percentile(sel, 50)),
      select_p99_ms: round(percentile(sel, 99)),
      select_max_ms: round(sel.reduce((a, b) => Math.max(a, b), 0)),
      subscribe_p50_ms: round(percentile(sub, 50)),
      subscribe_p99_ms: round(percentile(sub, 99)),
      subscribe_max_ms: round(sub.reduce((a, b) => Math.max(a, b), 0)),
      ack_p50_ms: round(percentile(ack, 50)),
      ack_p99_ms: round(percentile(ack, 99)),
      server_cpu: Number(serverCpu.toFixed(2)),
      machine: machine(),
    };
  } catch (e) {
    progress(`kafka-freshness: ${(e as Error).message}; the server's last log:\n${serverLog}`);
    throw e;
  } finally {
    await follower.end().catch(() => undefined);
    await reader.end().catch(() => undefined);
    server.child.off('exit', exited);
    await server.stop();
    removeDataDir(dataDir);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * The producer process: generates the events, prints {"ready":true}, then writes them at the
 * rate, printing {"from","to","ms","ackMs"} per request (ms: its send time, ackMs: when the broker
 * acknowledged it) and {"done":true} at the end.
 */
async function producerProcess(gen: Parameters<typeof nexmarkMessages>[0]): Promise<void> {
  const messages = nexmarkMessages(gen, 0, gen.events).map((m) => ({ value: m.value }));
  const { producer } = kafkaProducer(gen.brokers);
  await producer.connect();
  const say = (x: object): void => void process.stdout.write(`${JSON.stringify(x)}\n`);
  say({ ready: true });
  const t0 = Date.now();
  let sent = 0;
  while (sent < gen.events) {
    const due = Math.min(gen.events, Math.floor(((Date.now() - t0) / 1000) * gen.rate));
    // At most 2,000 records (about 600 kB) per request: the broker's default limit is 1 MiB.
    // One request at a time, so the partition holds the events in order.
    for (; sent < due; ) {
      const to = Math.min(due, sent + 2000);
      const ms = Date.now();
      await producer.send({ topic: gen.topic, acks: 1, messages: messages.slice(sent, to) });
      say({ from: sent, to, ms, ackMs: Date.now() });
      sent = to;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  say({ done: true });
  await producer.disconnect();
}

export async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--producer');
  if (at >= 0) return producerProcess(JSON.parse(argv[at + 1]!) as Parameters<typeof nexmarkMessages>[0]);
  const program = new Command()
    .name('weir bench kafka-freshness')
    .description('produce timestamp → visible in SELECT and delivered by SUBSCRIBE, through a Kafka JSON topic')
    .option('--rate <n>', 'events per second produced', '20000')
    .option('--seconds <n>', 'seconds of producing', '20')
    .option('--warmup <n>', 'seconds left out at the start', '3')
    .option('--brokers <list>', 'Kafka bootstrap servers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .option('--queries-dir <dir>', "folder of RisingWave's Nexmark files (its ddl.sql is used)", resolve(root, '../shared/nexmark/risingwave'))
    .option('--json', 'print one JSON object on stdout')
    .parse(argv);
  const opts = program.opts<{ rate: string; seconds: string; warmup: string; brokers: string; queriesDir: string; json?: boolean }>();
  try {
    const r = await runFreshness({
      rate: Number(opts.rate),
      seconds: Number(opts.seconds),
      warmup: Number(opts.warmup),
      brokers: opts.brokers.split(',').map((b) => b.trim()),
      queriesDir: resolve(opts.queriesDir),
    });
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(r)}\n`
        : `${r.events.toLocaleString('en')} events at ${r.rate_reached.toLocaleString('en')} events/s (asked ${r.rate.toLocaleString('en')}); server CPU ${r.server_cpu} cores\n` +
            `  SELECT:    p50 ${r.select_p50_ms} ms, p99 ${r.select_p99_ms} ms, max ${r.select_max_ms} ms\n` +
            `  SUBSCRIBE: p50 ${r.subscribe_p50_ms} ms, p99 ${r.subscribe_p99_ms} ms, max ${r.subscribe_max_ms} ms\n` +
            `  of which the broker's acknowledgement: p50 ${r.ack_p50_ms} ms, p99 ${r.ack_p99_ms} ms\n  ${r.machine}\n`,
    );
  } catch (e) {
    console.error(`weir bench kafka-freshness: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main(process.argv);
