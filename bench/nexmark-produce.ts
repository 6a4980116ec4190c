/**
 * Nexmark events into a Kafka topic, as JSON in RisingWave's shape (the records that
 * RisingWave's `ddl.sql`, `CREATE SOURCE nexmark (event_type BIGINT, person STRUCT<…>,
 * auction STRUCT<…>, bid STRUCT<…>) … FORMAT PLAIN ENCODE JSON`, reads):
 *
 *   {"event_type":2,"person":null,"auction":null,
 *    "bid":{"auction":1007,"bidder":1001,"price":1123,"channel":"Google","url":"https://…",
 *           "date_time":"2026-11-26 10:00:00.014","extra":"…"}}
 *
 * event_type 0 person, 1 auction, 2 bid; the two other structs null; timestamps as
 * RisingWave's nexmark producer writes them ('YYYY-MM-DD HH:MM:SS[.fff]', UTC, no zone). The
 * events are weir's own generator's (src/sources/generators/nexmark.ts), so a nexmark source
 * WITH the options `nexmarkWith` gives (same seed, rate, base time and event count) generates
 * exactly the events of the topic.
 *
 *   npx weir bench nexmark-produce --topic nexmark --events 1000000 [--seed 0] [--rate 10000]
 *       [--base-time <ms>] [--partitions 1] [--brokers 127.0.0.1:9092]
 *
 * The topic is created with --partitions when it does not exist; event id n goes to partition
 * n mod partitions. Progress goes to stderr; stdout gets one JSON line ({topic, events,
 * seconds, base_time_ms, …}).
 */
import { Command } from 'commander';
import kafkajs from 'kafkajs';
import type { Producer } from 'kafkajs';
import { resolve } from 'node:path';
import { Record as SqlRecord, type Datum, type Row } from '../src/types/datum.js';
import { nexmarkOptions, nexmarkRows, nexmarkSchema } from '../src/sources/generators/nexmark.js';

export interface ProduceOptions {
  brokers: string[];
  topic: string;
  events: number;
  seed: number;
  /** Event-time rate, events per second (the connector's nexmark.event.rate). */
  rate: number;
  /** Event time of event 0, ms since the epoch. */
  baseTimeMs: number;
  /** Partitions of the topic when it is created here. */
  partitions: number;
}

/** The WITH options of a nexmark source that generates the events `produceNexmark(o)` writes. */
export function nexmarkWith(o: Pick<ProduceOptions, 'events' | 'seed' | 'rate' | 'baseTimeMs'>): string {
  return `connector = 'nexmark', nexmark.table.type = 'combined', nexmark.event.num = '${o.events}', nexmark.seed = '${o.seed}',
    nexmark.event.rate = '${o.rate}', nexmark.base.time = '${o.baseTimeMs}'`;
}

/** µs since the epoch as RisingWave's nexmark producer writes a timestamp: '2026-11-26 10:00:00.014'. */
export function nexmarkTimestamp(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // 2026-11-26T10:00:00.014Z
  const frac = ms % 1000 === 0 && us % 1000 === 0 ? '' : us % 1000 === 0 ? iso.slice(19, 23) : `${iso.slice(19, 23)}${String(us % 1000).padStart(3, '0')}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac}`;
}

const COMBINED = nexmarkSchema('combined');
/** Per struct column: its fields' names (JSON keys, quoted) and whether each is a timestamp. */
const STRUCTS = COMBINED.slice(1).map((c) => {
  if (c.type.kind !== 'record') throw new Error('nexmark: expected a struct column');
  return { name: JSON.stringify(c.name), fields: c.type.fields.map((f) => ({ key: JSON.stringify(f.name), timestamp: f.type.kind === 'timestamp' })) };
});

function jsonDatum(d: Datum, timestamp: boolean): string {
  if (d === null) return 'null';
  if (timestamp) return `"${nexmarkTimestamp(d as number)}"`;
  if (typeof d === 'bigint' || typeof d === 'number') return String(d);
  return JSON.stringify(d);
}

/** One row of the combined nexmark stream ([event_type, person, auction, bid]) as its JSON record. */
export function nexmarkJson(row: Row): string {
  let out = `{"event_type":${String(row[0])}`;
  for (let s = 0; s < STRUCTS.length; s++) {
    const { name, fields } = STRUCTS[s]!;
    const v = row[s + 1];
    if (!(v instanceof SqlRecord)) {
      out += `,${name}:null`;
      continue;
    }
    out += `,${name}:{`;
    for (let i = 0; i < fields.length; i++) out += `${i > 0 ? ',' : ''}${fields[i]!.key}:${jsonDatum(v.fields[i]!, fields[i]!.timestamp)}`;
    out += '}';
  }
  return `${out}}`;
}

/** Creates the topic unless it exists (a broker just started may take a moment to lead it). */
export async function ensureTopic(admin: kafkajs.Admin, topic: string, partitions: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if ((await admin.listTopics()).includes(topic)) return;
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
      return;
    } catch (e) {
      if (attempt >= 10) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The JSON records of event ids [from, to), with their partitions. */
export function nexmarkMessages(o: ProduceOptions, from: number, to: number): { partition: number; value: string }[] {
  const opts = nexmarkOptions(
    [
      { key: 'nexmark.table.type', value: 'combined' },
      { key: 'nexmark.event.num', value: String(o.events) },
      { key: 'nexmark.seed', value: String(o.seed) },
      { key: 'nexmark.event.rate', value: String(o.rate) },
    ],
    o.baseTimeMs * 1000,
  );
  const rows: Row[] = [];
  nexmarkRows(opts, from, to, rows);
  return rows.map((r, i) => ({ partition: (from + i) % o.partitions, value: nexmarkJson(r) }));
}

export function kafkaProducer(brokers: string[]): { producer: Producer; admin: kafkajs.Admin } {
  const kafka = new kafkajs.Kafka({ brokers, clientId: 'weir-nexmark-produce', logLevel: kafkajs.logLevel.NOTHING });
  return { producer: kafka.producer({ allowAutoTopicCreation: false }), admin: kafka.admin() };
}

/** Writes events [0, o.events) to the topic; resolves once the broker has them all. */
export async function produceNexmark(o: ProduceOptions, progress?: (sent: number) => void): Promise<{ seconds: number }> {
  const { producer, admin } = kafkaProducer(o.brokers);
  await Promise.all([producer.connect(), admin.connect()]);
  const t0 = performance.now();
  try {
    await ensureTopic(admin, o.topic, o.partitions);
    // 2,000 records (about 600 kB) per request: under the broker's default 1 MiB batch limit.
    const chunk = 2000;
    const inFlight: Promise<void>[] = [];
    let failure: Error | undefined;
    for (let from = 0; from < o.events && failure === undefined; from += chunk) {
      const to = Math.min(o.events, from + chunk);
      const sent = producer.send({ topic: o.topic, acks: 1, messages: nexmarkMessages(o, from, to) });
      inFlight.push(sent.then(() => undefined, (e: Error) => void (failure ??= e)));
      if (inFlight.length >= 8) await inFlight.shift();
      progress?.(to);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  } finally {
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  }
  return { seconds: (performance.now() - t0) / 1000 };
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('weir bench nexmark-produce')
    .description("write Nexmark events to a Kafka topic as JSON in RisingWave's shape (ddl.sql's nexmark source)")
    .requiredOption('--topic <name>', 'the topic (created when missing)')
    .option('--events <n>', 'events to write (persons, auctions and bids together)', '1000000')
    .option('--seed <n>', "the generator's seed (nexmark.seed)", '0')
    .option('--rate <n>', 'event-time rate, events per second (nexmark.event.rate)', '10000')
    .option('--base-time <ms>', 'event time of the first event, ms since the epoch (nexmark.base.time); default: now')
    .option('--partitions <n>', 'partitions of the topic when created here; event n goes to partition n mod partitions', '1')
    .option('--brokers <list>', 'bootstrap servers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .parse(argv);
  const opts = program.opts<{ topic: string; events: string; seed: string; rate: string; baseTime?: string; partitions: string; brokers: string }>();
  const o: ProduceOptions = {
    brokers: opts.brokers.split(',').map((b) => b.trim()),
    topic: opts.topic,
    events: Number(opts.events.replaceAll('_', '')),
    seed: Number(opts.seed),
    rate: Number(opts.rate.replaceAll('_', '')),
    baseTimeMs: opts.baseTime === undefined ? Date.now() : Number(opts.baseTime),
    partitions: Number(opts.partitions),
  };
  try {
    if (!Number.isSafeInteger(o.events) || o.events <= 0) throw new Error(`--events must be a positive integer, got "${opts.events}"`);
    if (!Number.isSafeInteger(o.seed)) throw new Error(`--seed must be an integer, got "${opts.seed}"`);
    if (!(o.rate > 0)) throw new Error(`--rate must be a positive number, got "${opts.rate}"`);
    if (!Number.isSafeInteger(o.baseTimeMs) || o.baseTimeMs < 0) throw new Error(`--base-time must be ms since the epoch, got "${opts.baseTime}"`);
    if (!Number.isSafeInteger(o.partitions) || o.partitions <= 0) throw new Error(`--partitions must be a positive integer, got "${opts.partitions}"`);
    let last = 0;
    const { seconds } = await produceNexmark(o, (sent) => {
      if (sent - last >= 100_000 || sent === o.events) {
        last = sent;
        process.stderr.write(`nexmark-produce: ${sent.toLocaleString('en')} of ${o.events.toLocaleString('en')} events\n`);
      }
    });
    const { brokers: _, ...shown } = o;
    process.stdout.write(`${JSON.stringify({ ...shown, seconds: Number(seconds.toFixed(3)), events_per_second: Math.round(o.events / seconds) })}\n`);
  } catch (e) {
    console.error(`weir bench nexmark-produce: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main(process.argv);
