/**
 * Nexmark benchmark: one query of RisingWave's Nexmark suite over weir's in-process nexmark
 * generator, into a blackhole sink, on a LevelDB data directory (a temporary one unless
 * --data-dir is given), as `weir bench nexmark` runs it.
 *
 *   npx weir bench nexmark --query q5 --events 10000000 [--rate 100000] [--json]
 *   npx tsx bench/nexmark.ts --query q5 --events 1000000 --json        # the same, directly
 *   node --cpu-prof --import tsx bench/nexmark.ts --query q1           # with a CPU profile
 *
 * The query file (`<queries dir>/<query>.sql`, RisingWave's `CREATE SINK nexmark_qN AS <query>
 * WITH (connector = 'blackhole', …)`) runs unchanged, except that its `${NAME}` placeholders
 * (RisingWave's benchmark settings, e.g. q13's side-input size) are filled from the
 * environment, as RisingWave's harness fills them; an unset one is an error. Its inputs are three sources, `person`,
 * `auction` and `bid`, each a nexmark source of one table type with the same seed, rate and
 * event count: each is the same event stream filtered to one kind, and since a source tick
 * advances every source by the same number of event ids, they stay in step, so joins between
 * them see what a single combined stream would give. (RisingWave's combined source with
 * `bid` = `SELECT (bid).* FROM nexmark WHERE event_type = 2` builds a struct per event and
 * filters it apart again; the per-kind sources skip that and take the watermark directly.)
 * The sources the sink does not read are dropped before the run starts.
 *
 * --combined reads one combined nexmark source through the folder's ddl.sql instead (its Kafka
 * source replaced by the generator, the views bid, auction and person over it, as RisingWave
 * runs the queries): every event is generated and filtered, as Flink's harness does, so a query
 * that reads only persons and auctions (q3, q8) pays for the bids too. Its source has no
 * watermark (ddl.sql declares none).
 *
 * --kafka <topic> reads the events from a Kafka topic instead, as RisingWave's Kafka benchmark
 * does: the folder's ddl.sql runs as written (its source `nexmark`, FORMAT PLAIN ENCODE JSON,
 * and the views bid, auction and person over it) with only the topic and the broker
 * (--brokers, default KAFKA_BROKERS or 127.0.0.1:9092) replaced. A missing or empty topic is
 * first filled with --events events by bench/nexmark-produce.ts (--seed, --rate; not timed);
 * otherwise "events" is every record the topic holds when the run starts, read from the
 * earliest offset until all are in:
 *
 *   npx weir bench nexmark-produce --topic nexmark-1m --events 1000000
 *   npx weir bench nexmark --kafka nexmark-1m --query q0 --json
 *
 * Event time advances at --rate events/s (Nexmark's V2 setting: 100,000), emitted as fast as
 * the ticks take them. "events" counts every event id (persons, auctions and bids, 1:3:46),
 * as Nexmark's figures do.
 *
 * weir itself is loaded from the build (dist/, `npm run build`), the code users run: tsx's
 * transform of src/ wraps every function in a naming helper (esbuild's keepNames), which
 * costs a few per cent in hot closures.
 *
 * Measured: wall time from the first source tick to the commit of the last, excluding the
 * pauses taken to count state keys; each source tick's duration (poll + dataflow + commit),
 * reported as p50/p99; peak RSS (sampled every tick and every 100 ms); the number of
 * operator-state keys (`st/`) at every 10% of the events. Progress goes to stderr (pino);
 * with --json, stdout carries exactly one JSON object (on failure: `{query, error}`).
 */
import { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import type { Session } from '../src/adapter/session-api.js';
import type { StreamRuntime } from '../src/adapter/streams.js';
import { kafkaProducer, produceNexmark } from './nexmark-produce.js';

const root = resolve(import.meta.dirname, '..');
const DEFAULT_QUERIES_DIR = resolve(root, '../shared/nexmark/risingwave');
const TABLES = ['person', 'auction', 'bid'] as const;

export interface NexmarkOptions {
  query: string;
  events: number;
  rate: number;
  queriesDir: string;
  /** Kept after the run; undefined: a temporary directory, removed after. */
  dataDir?: string;
  /** weir's own log level (the benchmark's progress is logged at info). */
  logLevel: string;
  /** Read the events from this Kafka topic through ddl.sql's source (filled first when empty). */
  kafka?: { topic: string; brokers: string[]; seed: number };
  /** One combined nexmark source through the folder's ddl.sql (its views bid, auction, person), instead of one source per kind. */
  combined?: boolean;
}

export interface NexmarkResult {
  query: string;
  events: number;
  seconds: number;
  events_per_second: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  ticks: number;
  /** User + system CPU of the process (LevelDB's and the GC's threads included), and events per CPU-second. */
  cpu_seconds: number;
  events_per_cpu_second: number;
  peak_rss_mb: number;
  rows_ingested: number;
  rate: number;
  sources: string[];
  /** The Kafka topic read (Kafka mode). */
  topic?: string;
  /** Operator-state keys (`st/`) after this many events. */
  state_keys: { events: number; keys: number }[];
  node: string;
}

function sourceDdl(table: string, o: NexmarkOptions): string {
  return `CREATE SOURCE ${table} (WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND) WITH (
    connector = 'nexmark', nexmark.table.type = '${table}', nexmark.event.rate = '${o.rate}',
    nexmark.event.num = '${o.events}', nexmark.max.emit.speed = 'true')`;
}

export function queryFile(query: string, queriesDir: string): string {
  if (query.endsWith('.sql') || query.includes('/')) return resolve(query);
  if (!existsSync(queriesDir)) {
    throw new Error(`the Nexmark queries folder ${queriesDir} does not exist; give one with --queries-dir (RisingWave's ci/scripts/sql/nexmark)`);
  }
  const file = join(queriesDir, `${query}.sql`);
  if (!existsSync(file)) {
    const known = readdirSync(queriesDir).filter((f) => /^q.*\.sql$/.test(f)).map((f) => f.slice(0, -4));
    throw new Error(`no query "${query}" in ${queriesDir}; known: ${known.join(' ')}`);
  }
  return file;
}

/** weir's Weir class from the build; warns when src/ has changed since. */
async function loadWeir(log: Logger): Promise<typeof import('../src/adapter/weir.js').Weir> {
  const file = join(root, 'dist/adapter/weir.js');
  if (!existsSync(file)) throw new Error('weir is not built: run npm run build first (the benchmark runs dist/, the code users run)');
  const built = statSync(file).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(join(dir, e.name)) : e.name.endsWith('.ts') && statSync(join(dir, e.name)).mtimeMs > built,
    );
  if (newer(join(root, 'src'))) log.warn('src/ changed since the last build: run npm run build to measure the current code');
  const mod = (await import(pathToFileURL(file).href)) as typeof import('../src/adapter/weir.js');
  return mod.Weir;
}

/** `${NAME}` → the environment variable NAME. */
function fillPlaceholders(sql: string, query: string): string {
  return sql.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = process.env[name];
    if (v === undefined) throw new Error(`${query} needs the setting \${${name}}: set the environment variable ${name}`);
    return v;
  });
}

/** Runs every statement of `sql` as one batch, as a simple query would. */
async function run(session: Session, sql: string): Promise<void> {
  try {
    for (const stmt of session.splitStatements(sql)) await session.execute(await session.prepare(stmt, []), []);
  } catch (e) {
    await session.endBatch(true);
    throw e;
  }
  await (await session.endBatch(false)).durable;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** ddl.sql of the queries folder with its Kafka source replaced by one combined nexmark generator. */
function combinedDdl(o: NexmarkOptions): string {
  const file = join(o.queriesDir, 'ddl.sql');
  if (!existsSync(file)) throw new Error(`--combined needs ${file} (RisingWave's DDL)`);
  const text = readFileSync(file, 'utf8');
  const out = text.replace(
    /WITH\s*\([^;]*?connector\s*=\s*'kafka'[^;]*?\)\s*FORMAT\s+PLAIN\s+ENCODE\s+JSON/i,
    `WITH (connector = 'nexmark', nexmark.table.type = 'combined', nexmark.event.rate = '${o.rate}',
      nexmark.event.num = '${o.events}', nexmark.max.emit.speed = 'true')`,
  );
  if (out === text) throw new Error(`${file} has no Kafka source to replace`);
  return out;
}

/** ddl.sql of the queries folder with its Kafka source reading `topic` from `brokers`. */
export function kafkaDdl(queriesDir: string, topic: string, brokers: string[]): string {
  const file = join(queriesDir, 'ddl.sql');
  if (!existsSync(file)) throw new Error(`--kafka needs ${file} (RisingWave's Kafka DDL)`);
  const text = readFileSync(file, 'utf8');
  const out = text
    .replace(/topic\s*=\s*'[^']*'/, `topic = '${topic}'`)
    .replace(/properties\.bootstrap\.server\s*=\s*'[^']*'/, `properties.bootstrap.server = '${brokers.join(',')}'`);
  if (!/connector\s*=\s*'kafka'/.test(out) || !out.includes(`topic = '${topic}'`)) throw new Error(`${file} has no Kafka source with a topic to replace`);
  return out;
}

/**
 * The records of `topic` (filled with `events` Nexmark events first when it has none), as the
 * low and high offsets of each partition.
 */
async function kafkaTopic(o: NexmarkOptions, log: Logger): Promise<Map<number, { low: bigint; high: bigint }>> {
  const k = o.kafka!;
  const offsets = async (): Promise<Map<number, { low: bigint; high: bigint }>> => {
    const { admin } = kafkaProducer(k.brokers);
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(k.topic)) return new Map();
      const parts = await admin.fetchTopicOffsets(k.topic);
      return new Map(parts.map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]));
    } finally {
      await admin.disconnect();
    }
  };
  let parts = await offsets();
  if ([...parts.values()].every((p) => p.high === p.low)) {
    log.info({ topic: k.topic, events: o.events }, 'nexmark: filling the topic');
    const { seconds } = await produceNexmark({ brokers: k.brokers, topic: k.topic, events: o.events, seed: k.seed, rate: o.rate, baseTimeMs: Date.now(), partitions: 1 });
    log.info({ topic: k.topic, events: o.events, seconds: round(seconds) }, 'nexmark: topic filled');
    parts = await offsets();
  }
  return parts;
}

export async function runNexmark(o: NexmarkOptions, log: Logger): Promise<NexmarkResult> {
  const sql = fillPlaceholders(readFileSync(queryFile(o.query, o.queriesDir), 'utf8'), o.query);
  const tempDir = o.dataDir === undefined;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'weir-nexmark-'));
  if (!tempDir) {
    mkdirSync(dataDir, { recursive: true });
    if (readdirSync(dataDir).length > 0) throw new Error(`the data directory ${dataDir} is not empty`);
  }
  // weir's own errors during the run (a failing source tick is logged and retried) end it.
  let failure: Error | undefined;
  let fail: (e: Error) => void = () => {};
  const weirLog = pino({
    level: o.logLevel,
    base: { service: 'weir' },
    hooks: {
      logMethod(args, method, level) {
        if (level >= 50 && failure === undefined) {
          const first = args[0] as unknown;
          const err = (first as { err?: Error } | undefined)?.err;
          failure = new Error(err?.message ?? String(args[args.length - 1]));
          fail(failure);
        }
        return method.apply(this, args);
      },
    },
  }, pino.destination(2));
  const Weir = await loadWeir(log);
  const weir = await Weir.open({ dataDir, logger: weirLog });
  const coord = weir.coord;
  coord.sourcesPaused = true;
  const session = await weir.open(new Map([['user', 'weir'], ['database', 'weir'], ['application_name', 'weir-bench']]));
  const timers: NodeJS.Timeout[] = [];
  try {
    const topicParts = o.kafka ? await kafkaTopic(o, log) : undefined;
    if (o.kafka) await run(session, kafkaDdl(o.queriesDir, o.kafka.topic, o.kafka.brokers));
    else if (o.combined) await run(session, combinedDdl(o));
    else for (const t of TABLES) await run(session, sourceDdl(t, o));
    await run(session, sql);
    const sinks = coord.catalog.items().filter((i) => i.kind === 'sink');
    if (sinks.length === 0) throw new Error(`${o.query} creates no sink`);
    const used = new Set<string>();
    const visit = (id: string): void => {
      if (used.has(id)) return;
      used.add(id);
      const item = coord.catalog.get(id);
      if (item && 'dependsOn' in item) for (const d of item.dependsOn) visit(d);
    };
    for (const s of sinks) visit(s.id);
    const streams: StreamRuntime[] = [];
    const oneSource = o.kafka !== undefined || o.combined === true;
    for (const t of oneSource ? ['nexmark'] : TABLES) {
      const id = coord.catalog.byName(undefined, t)!.id;
      if (used.has(id)) streams.push(coord.stream(id)!);
      else if (!oneSource) await run(session, `DROP SOURCE ${t}`);
    }
    if (streams.length === 0) throw new Error(`${o.query} reads none of ${o.kafka ? 'bid, auction, person (ddl.sql)' : TABLES.join(', ')}`);
    // Kafka: the events are the topic's records; a generator: the event ids generated.
    let events = o.events;
    let position = (): number => Math.min(...streams.map((s) => s.position));
    let finished = (): boolean => streams.every((s) => s.exhausted);
    if (topicParts) {
      const ingest = streams[0]!.kafka!;
      events = Number([...topicParts.values()].reduce((n, p) => n + p.high - p.low, 0n));
      position = () => {
        let n = 0n;
        for (const [p, off] of Object.entries(ingest.positions())) n += BigInt(off) - (topicParts.get(Number(p))?.low ?? 0n);
        return Number(n);
      };
      finished = () => position() >= events;
    }
    log.info({ query: o.query, sources: streams.map((s) => s.item.name), events, topic: o.kafka?.topic, dataDir }, 'nexmark: starting');

    const tickMs: number[] = [];
    let rowsIngested = 0;
    let peakRss = process.memoryUsage.rss();
    const sampleRss = (): void => {
      const r = process.memoryUsage.rss();
      if (r > peakRss) peakRss = r;
    };
    timers.push(setInterval(sampleRss, 100));

    // State keys, counted under the coordinator's lock (between ticks); the pause is not timed.
    const stateKeys: { events: number; keys: number }[] = [];
    let pausedMs = 0;
    let pausedCpuUs = 0;
    const cpuUs = (): number => {
      const c = process.cpuUsage();
      return c.user + c.system;
    };
    const utf8 = new TextEncoder();
    const statePrefix = { gte: utf8.encode('st/'), lt: utf8.encode('st0') }; // '0' follows '/'
    const countState = (): Promise<void> =>
      coord.lock.run(async () => {
        const t = performance.now();
        const c = cpuUs();
        let keys = 0;
        for await (const chunk of coord.store.scan(statePrefix)) keys += chunk.length;
        stateKeys.push({ events: position(), keys });
        pausedMs += performance.now() - t;
        pausedCpuUs += cpuUs() - c;
      });
    const counts: Promise<void>[] = [];
    let nextMark = 1;

    let startMs: number | undefined;
    let endMs = 0;
    const done = new Promise<void>((res, rej) => {
      fail = rej;
      coord.onSourceTick = ({ ms, rows }) => {
        const now = performance.now();
        startMs ??= now - ms;
        tickMs.push(ms);
        rowsIngested += rows;
        sampleRss();
        const done = finished();
        if (!done && position() >= (nextMark * events) / 10) {
          while (position() >= (nextMark * events) / 10) nextMark++;
          counts.push(countState());
        }
        if (done) {
          endMs = now;
          res();
        }
      };
    });
    done.catch(() => {}); // awaited below; a failure before then must not count as unhandled
    let lastLog = { ms: performance.now(), events: 0 };
    timers.push(
      setInterval(() => {
        const now = performance.now();
        const events = position();
        const seconds = startMs === undefined ? 0 : (now - startMs - pausedMs) / 1000;
        log.info(
          {
            events,
            events_per_second: seconds > 0 ? Math.round(events / seconds) : 0,
            recent_events_per_second: Math.round(((events - lastLog.events) * 1000) / (now - lastLog.ms)),
            ticks: tickMs.length,
            rss_mb: Math.round(process.memoryUsage.rss() / 2 ** 20),
          },
          'nexmark: progress',
        );
        lastLog = { ms: now, events };
      }, 5000),
    );
    await countState(); // 0 events
    pausedMs = 0;
    pausedCpuUs = 0;
    const cpu0 = cpuUs();
    coord.sourcesPaused = false;
    if (failure) throw failure;
    await done;
    // Every count asked for by a tick ran before the next tick (the lock is FIFO): all are in.
    const cpuSeconds = (cpuUs() - cpu0 - pausedCpuUs) / 1e6;
    const seconds = (endMs - startMs! - pausedMs) / 1000;
    coord.onSourceTick = undefined;
    await Promise.all(counts);
    await countState();
    const sorted = [...tickMs].sort((a, b) => a - b);
    return {
      query: basename(o.query, '.sql'),
      events,
      seconds: round(seconds, 3),
      events_per_second: Math.round(events / seconds),
      p50_ms: round(percentile(sorted, 50)),
      p99_ms: round(percentile(sorted, 99)),
      max_ms: round(sorted[sorted.length - 1] ?? 0),
      ticks: tickMs.length,
      cpu_seconds: round(cpuSeconds, 3),
      events_per_cpu_second: Math.round(events / cpuSeconds),
      peak_rss_mb: Math.round(peakRss / 2 ** 20),
      rows_ingested: rowsIngested,
      rate: o.rate,
      sources: streams.map((s) => s.item.name),
      ...(o.kafka ? { topic: o.kafka.topic } : {}),
      state_keys: stateKeys,
      node: process.version,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    coord.onSourceTick = undefined;
    coord.sourcesPaused = true;
    await session.close();
    await weir.close();
    if (tempDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

function human(r: NexmarkResult): string {
  const lines = [
    `${r.query}: ${r.events.toLocaleString('en')} events in ${r.seconds} s = ${r.events_per_second.toLocaleString('en')} events/s (${r.events_per_cpu_second.toLocaleString('en')} per CPU-second)`,
    `  ticks: ${r.ticks}, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms; peak RSS ${r.peak_rss_mb} MiB; sources: ${r.sources.join(', ')}${r.topic ? ` (Kafka topic ${r.topic})` : ''}`,
    '  state keys (st/) by events:',
    ...r.state_keys.map((s) => `    ${s.events.toLocaleString('en').padStart(14)}  ${s.keys.toLocaleString('en')}`),
  ];
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name('weir bench nexmark')
    .description('run one Nexmark query over the in-process generator into a blackhole sink')
    .option('--query <name>', 'query name in the queries folder (q0 … q22, q101 …) or a .sql file', 'q5')
    .option('--events <n>', 'events to generate (persons, auctions and bids together)', '10000000')
    .option('--rate <n>', 'event-time rate, events per second (emitted at full speed)', '100000')
    .option('--json', 'print one JSON object on stdout')
    .option('--data-dir <dir>', 'LevelDB data directory (must be empty; kept); default: a temporary one, removed after')
    .option('--queries-dir <dir>', 'folder of RisingWave Nexmark queries', DEFAULT_QUERIES_DIR)
    .option('--log-level <level>', "weir's own log level", 'warn')
    .option('--kafka <topic>', "read the events from this Kafka topic through the folder's ddl.sql (filled with --events events first when empty)")
    .option('--brokers <list>', 'Kafka bootstrap servers (--kafka)', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .option('--seed <n>', 'the seed of the events written to an empty --kafka topic', '0')
    .option('--combined', "one combined nexmark source through the folder's ddl.sql (its views bid, auction, person, as RisingWave runs it), instead of a source per kind")
    .parse(argv);
  const opts = program.opts<{
    query: string; events: string; rate: string; json?: boolean; dataDir?: string; queriesDir: string; logLevel: string; kafka?: string; brokers: string; seed: string; combined?: boolean;
  }>();
  const log = pino({ level: 'info', base: { service: 'weir-bench' } }, pino.destination(2));
  const events = Number(opts.events.replaceAll('_', ''));
  const rate = Number(opts.rate.replaceAll('_', ''));
  try {
    if (!Number.isSafeInteger(events) || events <= 0) throw new Error(`--events must be a positive integer, got "${opts.events}"`);
    if (!(rate > 0)) throw new Error(`--rate must be a positive number, got "${opts.rate}"`);
    const result = await runNexmark(
      {
        query: opts.query, events, rate, queriesDir: resolve(opts.queriesDir), dataDir: opts.dataDir, logLevel: opts.logLevel,
        ...(opts.kafka ? { kafka: { topic: opts.kafka, brokers: opts.brokers.split(',').map((b) => b.trim()), seed: Number(opts.seed) } } : {}),
        ...(opts.combined ? { combined: true } : {}),
      },
      log,
    );
    process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : `${human(result)}\n`);
  } catch (e) {
    const message = (e as Error).message;
    if (opts.json) process.stdout.write(`${JSON.stringify({ query: basename(opts.query, '.sql'), events, error: message })}\n`);
    else console.error(`weir bench nexmark: ${message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main(process.argv);
