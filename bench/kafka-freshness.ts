/**
 * Freshness through Kafka: how long from the moment an event is produced to a Kafka topic until
 * it is visible in a SELECT of a view, and until SUBSCRIBE delivers it, at a steady rate.
 *
 *   npm run build && npx weir bench kafka-freshness --rate 90000 --seconds 30 --warmup 10 [--json]
 *       [--producer java|kafkajs] [--broker private|HOST:PORT,…] [--linger-ms 5] [--per-second]
 *       [--scratch-dir DIR (default /dev/shm)] [--select-pause-ms 1]
 *
 * weir runs as users run it: the built server (`node bin/weir.js serve`) in a child process on a
 * new data directory. The broker is by default a private one (bench/kafka/private-broker.ts:
 * scripts/kafka.sh in a temporary directory with Kafka's own JVM options for throughput; the
 * shared development broker is left alone); `--broker HOST:PORT` uses an existing one. This
 * process is weir's clients: RisingWave's ddl.sql (the folder of bench/nexmark.ts) on a new
 * one-partition topic, and a materialized view `seen AS SELECT count(*) AS n FROM nexmark`.
 * Then, at once:
 *
 * - the producer, a process of its own (bench/kafka/producer-process.ts; by default the Java
 *   client, bench/kafka/NexmarkProducer.java, with linger.ms --linger-ms; or the kafkajs one),
 *   writes Nexmark events (all generated before the clock starts) at --rate events/s (acks=1)
 *   and reports, per step, when it handed the events to the client (their produce timestamp)
 *   and when the broker acknowledged the last of them;
 * - a SELECT client runs `SELECT n FROM seen` over node-postgres with a pause of
 *   --select-pause-ms (default 1 ms) between SELECTs, ~300–400 SELECTs a second, so an event's
 *   visibility is known to within ~3 ms. `--select-pause-ms 0` is a closed loop instead
 *   (4,000–9,000 SELECTs a second): a serving load of its own on the same two cores, about 0.2
 *   of the server's core and 0.1–0.2 of the client's (bench/kafka/README.md);
 * - a SUBSCRIBE client holds `DECLARE c CURSOR FOR SUBSCRIBE seen WITH (SNAPSHOT = false)` and
 *   calls `FETCH ALL c WITH (timeout = '1s')` in a loop.
 *
 * Event i is visible at the first SELECT that returns n > i (the time the answer arrived), and
 * delivered with the first SUBSCRIBE row whose n > i; its latency is that time minus its
 * produce timestamp (bench/kafka/freshness-latency.ts). The first --warmup seconds are left out:
 * the server, the producer and the broker start cold (their JIT compilers), and at high rates a
 * backlog builds in the first seconds and takes several more to drain (--per-second shows it;
 * at 90,000 events/s on the shared 2-core machine: 2 s behind at once, drained after ~12 s), so
 * at such rates use --warmup 10 --seconds 30 or more. Reported: p50, p99 and max of each, the
 * rate reached, the CPU of weir's server, the producer, the broker and this process (shares of
 * one core; the shared broker's includes whatever else uses it), the load average, how far
 * behind the view was when the producer ended, and p50 and p99 of the time from the produce
 * timestamp to the broker's acknowledgement (acks=1: the leader appended them before
 * answering, so up to that much of the latency is the producer's and the broker's, none of it
 * weir's; linger.ms is in it). The target: p99 under 100 ms at half the maximum ingest
 * rate (bench/nexmark.ts --kafka gives the maximum).
 */
import { Command } from 'commander';
import { accessSync, constants, createWriteStream } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import { machine, newDataDir, progress, removeDataDir, startServer } from './e2e/server.js';
import { latencies, perSecond, ProduceLog, summarize, type Observation } from './kafka/freshness-latency.js';
import { resultText, type FreshnessResult } from './kafka/freshness-result.js';
import { startProducer, type ProducerKind } from './kafka/producer-process.js';
import { cpuMeter, threadCpuMeter } from './kafka/proc-cpu.js';
import { sharedBrokerPid, startPrivateBroker, type PrivateBroker } from './kafka/private-broker.js';
import { kafkaDdl } from './nexmark.js';
import { ensureTopic, kafkaProducer, type ProduceOptions } from './nexmark-produce.js';

const root = resolve(import.meta.dirname, '..');

export type { FreshnessResult };

export interface FreshnessOptions {
  rate: number;
  seconds: number;
  warmup: number;
  /** 'private', or bootstrap servers. */
  broker: 'private' | string[];
  producer: ProducerKind;
  lingerMs: number;
  queriesDir: string;
  /** Print the SELECT latencies per second of producing (warm-up included) on stderr. */
  perSecond?: boolean;
  /** Where the private broker's directory and the events file go (default: the system's temporary directory). */
  scratchDir?: string;
  /** A pause between SELECTs (ms); 0, the default: a closed loop. What the loop itself costs the server shows against 0. */
  selectPauseMs?: number;
}

export async function runFreshness(o: FreshnessOptions): Promise<FreshnessResult> {
  let privateBroker: PrivateBroker | undefined;
  if (o.broker === 'private') {
    progress('kafka-freshness: starting a private broker');
    privateBroker = startPrivateBroker(o.scratchDir);
  }
  // The broker runs in a session of its own (kafka.sh): an interrupted run stops it here.
  const interrupted = (signal: NodeJS.Signals): void => {
    privateBroker?.stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const brokers = privateBroker?.brokers ?? (o.broker as string[]);
    return await measure(o, brokers, privateBroker?.pid ?? sharedBrokerPid(brokers));
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    privateBroker?.stop();
  }
}

async function measure(o: FreshnessOptions, brokers: string[], brokerPid: number | undefined): Promise<FreshnessResult> {
  const events = Math.round(o.rate * o.seconds);
  const topic = `weir-freshness-${process.pid}-${Date.now().toString(36)}`;
  const gen: ProduceOptions = { brokers, topic, events, seed: 0, rate: o.rate, baseTimeMs: Date.now(), partitions: 1 };
  const { admin } = kafkaProducer(brokers);
  await admin.connect();
  await ensureTopic(admin, topic, 1);
  const dataDir = newDataDir();
  progress(`kafka-freshness: starting the server`);
  const server = await startServer(dataDir);
  // The server's last log lines, shown if it exits during the run.
  let serverLog = '';
  server.child.stdout!.on('data', (b: Buffer) => void (serverLog = (serverLog + b.toString()).slice(-4000)));
  // WEIR_SERVER_LOG=FILE: the server's whole stdout (its log; --trace-gc's lines with WEIR_NODE_FLAGS) into FILE.
  if (process.env.WEIR_SERVER_LOG) server.child.stdout!.pipe(createWriteStream(process.env.WEIR_SERVER_LOG, { flags: 'a' }));
  const exited = (code: number | null, signal: string | null) => progress(`kafka-freshness: the server exited (${code ?? signal}); its last log:\n${serverLog}`);
  server.child.once('exit', exited);
  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir' });
    await c.connect();
    return c;
  };
  const [reader, follower] = [await connect(), await connect()];
  let producer: ReturnType<typeof startProducer> | undefined;
  try {
    await reader.query(kafkaDdl(o.queriesDir, topic, brokers));
    await reader.query('CREATE MATERIALIZED VIEW seen AS SELECT count(*) AS n FROM nexmark');
    await follower.query('BEGIN');
    await follower.query('DECLARE c CURSOR FOR SUBSCRIBE seen WITH (SNAPSHOT = false)');

    // The producer first: the Java one's events file is written before the clients start.
    producer = startProducer(o.producer, gen, { lingerMs: o.lingerMs, log: progress, scratchDir: o.scratchDir });
    const log = new ProduceLog(events);
    const selects: Observation[] = [];
    const delivered: Observation[] = [];
    /** The tick (mz_timestamp) of each SUBSCRIBE row of an insertion, with its count: ticks per second while producing. */
    const ticks: { tick: number; n: number }[] = [];
    let done = false;
    let selectCount = 0;
    const selectLoop = (async () => {
      let last = -1;
      while (!done) {
        const r = await reader.query<{ n: string }>('SELECT n FROM seen');
        selectCount++;
        const n = Number(r.rows[0]?.n ?? 0);
        if (n !== last) selects.push({ ms: Date.now(), n });
        last = n;
        if (n >= events) break;
        if (o.selectPauseMs) await new Promise((r) => setTimeout(r, o.selectPauseMs));
      }
    })();
    const subscribeLoop = (async () => {
      while (!done) {
        const r = await follower.query<{ mz_timestamp: string; mz_diff: string; n: string }>("FETCH ALL c WITH (timeout = '1s')");
        const ms = Date.now();
        for (const row of r.rows) {
          if (Number(row.mz_diff) <= 0) continue;
          delivered.push({ ms, n: Number(row.n) });
          ticks.push({ tick: Number(row.mz_timestamp), n: Number(row.n) });
        }
        if (delivered.length > 0 && delivered[delivered.length - 1]!.n >= events) break;
      }
    })();

    let failure: Error | undefined;
    for (const loop of [selectLoop, subscribeLoop]) loop.catch((e: Error) => void (failure ??= e));
    let t0 = 0;
    let produceSeconds = 0;
    let selects0 = 0;
    let selectsPerS = 0;
    let meters: ReturnType<typeof cpuMeter>[] = [];
    let threads: ReturnType<typeof threadCpuMeter> | undefined;
    let serverThreads: Record<string, number> = {};
    let cpu: (number | undefined)[] = [];
    const load: [number, number] = [0, 0];
    for await (const m of producer.messages()) {
      switch (m.kind) {
        case 'ready':
          progress(`kafka-freshness: producing ${o.rate} events/s for ${o.seconds} s to ${topic} (${o.producer} producer)`);
          t0 = Date.now();
          selects0 = selectCount;
          load[0] = loadavg()[0]!;
          meters = [server.child.pid, producer.child.pid, brokerPid, process.pid].map((pid) => cpuMeter(pid));
          threads = threadCpuMeter(server.child.pid);
          break;
        case 'step':
          log.step(m);
          break;
        case 'done':
          produceSeconds = (Date.now() - t0) / 1000;
          selectsPerS = Math.round((selectCount - selects0) / produceSeconds);
          load[1] = loadavg()[0]!;
          cpu = meters.map((meter) => meter.end());
          serverThreads = threads?.end() ?? {};
          break;
        default: {
          const never: never = m;
          throw new Error(`unknown producer message ${JSON.stringify(never)}`);
        }
      }
      if (failure) throw failure;
    }
    if ((await producer.exit) !== 0 || produceSeconds === 0) throw new Error(`the ${o.producer} producer failed`);
    if (log.firstMissing() < events) throw new Error(`the producer reported no produce time for event ${log.firstMissing()}`);
    progress(`kafka-freshness: produced; waiting for the view`);
    const deadline = Date.now() + 60_000;
    while ((selects.at(-1)?.n ?? 0) < events || (delivered.at(-1)?.n ?? 0) < events) {
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error(`the view reached ${selects.at(-1)?.n ?? 0} of ${events} events`);
      await new Promise((r) => setTimeout(r, 20));
    }
    done = true;
    await Promise.all([selectLoop, subscribeLoop]);
    const lastAck = log.produced[events - 1]! + log.acked[events - 1]!;
    const from = Math.round(o.warmup * o.rate);
    if (o.perSecond) {
      for (const s of perSecond(latencies(selects, log.produced, 0, events), log.produced, 0)) {
        progress(`kafka-freshness: second ${s.second}: ${s.events} events, SELECT p50 ${s.summary.p50} ms, p99 ${s.summary.p99} ms, max ${s.summary.max} ms`);
      }
    }
    const sel = summarize(latencies(selects, log.produced, from, events));
    const sub = summarize(latencies(delivered, log.produced, from, events));
    const ack = summarize(log.ackLatencies(from));
    const afterAck = summarize(latencies(selects, log.ackedAt(), from, events));
    const [serverCpu, producerCpu, brokerCpu, clientCpu] = cpu;
    // Ticks that changed the view, over the events after the warm-up.
    const measured = ticks.filter((t) => t.n > from);
    const ticksPerS = measured.length < 2 ? 0 : Math.round((measured.at(-1)!.tick - measured[0]!.tick) / ((events - from) / (events / produceSeconds)));
    return {
      rate: o.rate,
      rate_reached: Math.round(events / produceSeconds),
      events,
      producer: o.producer,
      broker: o.broker === 'private' ? 'private' : brokers.join(','),
      scratch_dir: o.scratchDir ?? tmpdir(),
      select_p50_ms: sel.p50,
      select_p99_ms: sel.p99,
      select_max_ms: sel.max,
      subscribe_p50_ms: sub.p50,
      subscribe_p99_ms: sub.p99,
      subscribe_max_ms: sub.max,
      ack_p50_ms: ack.p50,
      ack_p99_ms: ack.p99,
      select_after_ack_p50_ms: afterAck.p50,
      select_after_ack_p99_ms: afterAck.p99,
      server_cpu: serverCpu ?? null,
      producer_cpu: producerCpu ?? null,
      broker_cpu: brokerCpu ?? null,
      client_cpu: clientCpu ?? null,
      behind_at_end_ms: Math.max(0, selects.at(-1)!.ms - lastAck),
      select_pause_ms: o.selectPauseMs ?? 0,
      selects_per_s: selectsPerS,
      ticks_per_s: ticksPerS,
      server_threads: serverThreads,
      load: [Number(load[0].toFixed(1)), Number(load[1].toFixed(1))],
      machine: machine(),
    };
  } catch (e) {
    progress(`kafka-freshness: ${(e as Error).message}; the server's last log:\n${serverLog}`);
    throw e;
  } finally {
    if (producer && producer.child.exitCode === null && producer.child.signalCode === null) producer.child.kill('SIGTERM');
    producer?.cleanup();
    await follower.end().catch(() => undefined);
    await reader.end().catch(() => undefined);
    server.child.off('exit', exited);
    await server.stop();
    removeDataDir(dataDir);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

function positive(name: string, text: string): number {
  const x = Number(text.replaceAll('_', ''));
  if (!(x > 0) || !Number.isFinite(x)) throw new Error(`${name} must be a positive number, got "${text}"`);
  return x;
}

/** The options of a run other than its rate, as given on the command line (`withRunOptions`). */
export interface RunOptionValues {
  seconds: string;
  warmup: string;
  producer: string;
  lingerMs: string;
  broker: string;
  queriesDir: string;
  scratchDir?: string;
  selectPauseMs: string;
}

/**
 * Where the benchmark's own files go by default: /dev/shm (memory) when the machine has one.
 * The events file (~1 GiB at 115,000 events/s for 40 s) and the private broker's log are written
 * just before and during the run; on weir's disk their writeback competed with weir's writes and
 * the broker's, and put stalls of up to ~180 ms into the broker's acknowledgements (p99) on this
 * 2-core machine (docs/benchmarks.md, session 7). A broker of a real deployment has disks of its own.
 */
export function defaultScratchDir(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** Adds the options of a run other than its rate (shared with bench/kafka/freshness-series.ts). */
export function withRunOptions(cmd: Command): Command {
  return cmd
    .option('--seconds <n>', 'seconds of producing', '20')
    .option('--warmup <n>', 'seconds left out at the start', '3')
    .option('--producer <kind>', 'java (bench/kafka/NexmarkProducer.java) or kafkajs', 'java')
    .option('--linger-ms <n>', "the Java producer's linger.ms", '5')
    .option('--broker <private|list>', "'private' (a broker of this run's own, tuned for throughput) or bootstrap servers", 'private')
    .option('--queries-dir <dir>', "folder of RisingWave's Nexmark files (its ddl.sql is used)", resolve(root, '../shared/nexmark/risingwave'))
    .option('--scratch-dir <dir>', "where the private broker's data and the events file go (default: /dev/shm when there is one, to keep their writes off weir's disk; else the temporary directory)")
    .option('--select-pause-ms <n>', 'a pause between SELECTs (0: a closed loop)', '1');
}

/** A run's settings other than its rate, checked; throws with the option's name on a bad value. */
export function runSettings(opts: RunOptionValues): Omit<FreshnessOptions, 'rate'> {
  if (opts.producer !== 'java' && opts.producer !== 'kafkajs') throw new Error(`--producer must be java or kafkajs, got "${opts.producer}"`);
  const lingerMs = Number(opts.lingerMs);
  if (!Number.isSafeInteger(lingerMs) || lingerMs < 0) throw new Error(`--linger-ms must be a whole number of ms, got "${opts.lingerMs}"`);
  const warmup = Number(opts.warmup);
  if (!(warmup >= 0)) throw new Error(`--warmup must be a number of seconds, got "${opts.warmup}"`);
  const selectPauseMs = Number(opts.selectPauseMs);
  if (!(selectPauseMs >= 0)) throw new Error(`--select-pause-ms must be a number of ms, got "${opts.selectPauseMs}"`);
  return {
    seconds: positive('--seconds', opts.seconds),
    warmup,
    producer: opts.producer,
    lingerMs,
    broker: opts.broker === 'private' ? 'private' : opts.broker.split(',').map((b) => b.trim()),
    queriesDir: resolve(opts.queriesDir),
    selectPauseMs,
    scratchDir: resolve(opts.scratchDir ?? defaultScratchDir()),
  };
}

export async function main(argv: string[]): Promise<void> {
  const program = withRunOptions(
    new Command()
      .name('weir bench kafka-freshness')
      .description('produce timestamp → visible in SELECT and delivered by SUBSCRIBE, through a Kafka JSON topic')
      .option('--rate <n>', 'events per second produced', '20000'),
  )
    .option('--per-second', 'print the SELECT latencies per second of producing on stderr')
    .option('--json', 'print one JSON object on stdout')
    .parse(argv);
  const opts = program.opts<RunOptionValues & { rate: string; perSecond?: boolean; json?: boolean }>();
  try {
    const r = await runFreshness({ rate: positive('--rate', opts.rate), perSecond: opts.perSecond === true, ...runSettings(opts) });
    process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : resultText(r));
  } catch (e) {
    console.error(`weir bench kafka-freshness: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main(process.argv);
