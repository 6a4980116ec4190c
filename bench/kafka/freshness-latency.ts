/**
 * The freshness benchmark's arithmetic (bench/kafka-freshness.ts): per event, its produce
 * timestamp and its broker acknowledgement from the producer's reports, and the time it became
 * visible from a client's observations of `SELECT count(*)` over a one-partition topic.
 *
 * One partition keeps the events in order, so a count of n means events 0 … n−1 are in: event i
 * is visible at the first observation with n > i, and its latency is that observation's arrival
 * time minus the event's produce timestamp.
 */
import { percentile } from '../e2e/server.js';

/** A client saw the count `n` at `ms` (ms since the epoch, when the answer arrived). */
export interface Observation {
  ms: number;
  n: number;
}

/**
 * One line of a producer process's output: `ready` once it can start the clock; per step, events
 * [from, to) handed to the client at `ms` (their produce timestamp) and the last of them
 * acknowledged by the broker at `ackMs`; `done` once every event is acknowledged.
 */
export type ProducerMessage = { kind: 'ready' } | { kind: 'step'; from: number; to: number; ms: number; ackMs: number } | { kind: 'done' };

/** Reads one line of a producer's output (bench/kafka/NexmarkProducer.java, bench/kafka/kafkajs-producer.ts). */
export function producerMessage(line: string): ProducerMessage {
  let m: { ready?: unknown; done?: unknown; from?: unknown; to?: unknown; ms?: unknown; ackMs?: unknown };
  try {
    m = JSON.parse(line) as typeof m;
  } catch {
    throw new Error(`the producer printed a line that is not JSON: ${line.slice(0, 200)}`);
  }
  if (m.ready === true) return { kind: 'ready' };
  if (m.done === true) return { kind: 'done' };
  const { from, to, ms, ackMs } = m;
  if ([from, to, ms, ackMs].every((x) => typeof x === 'number') && (from as number) <= (to as number)) {
    return { kind: 'step', from: from as number, to: to as number, ms: ms as number, ackMs: ackMs as number };
  }
  throw new Error(`the producer printed an unknown line: ${line.slice(0, 200)}`);
}

/** Per event: its produce timestamp and the time from then to the broker's acknowledgement. */
export class ProduceLog {
  readonly produced: Float64Array;
  readonly acked: Float64Array;
  constructor(readonly events: number) {
    this.produced = new Float64Array(events).fill(Number.NaN);
    this.acked = new Float64Array(events).fill(Number.NaN);
  }

  step(s: { from: number; to: number; ms: number; ackMs: number }): void {
    if (s.to > this.events) throw new Error(`the producer reported events up to ${s.to} of ${this.events}`);
    this.produced.fill(s.ms, s.from, s.to);
    this.acked.fill(s.ackMs - s.ms, s.from, s.to);
  }

  /** The first event without a produce timestamp, or `events` when every one has it. */
  firstMissing(): number {
    const i = this.produced.findIndex((x) => Number.isNaN(x));
    return i < 0 ? this.events : i;
  }

  /** Per event, when the broker's acknowledgement of it reached the producer (ms since the epoch). */
  ackedAt(): Float64Array {
    return this.produced.map((ms, i) => ms + this.acked[i]!);
  }

  /** Acknowledgement times of events [from, events). */
  ackLatencies(from: number): number[] {
    return [...this.acked.subarray(from)];
  }
}

/**
 * Per event i in [from, to), in order: the first observation's time with n > i minus the
 * event's produce time. Events no observation covers are left out (the benchmark waits until the
 * last observation covers every event).
 */
export function latencies(seen: readonly Observation[], produced: Float64Array, from: number, to: number): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = from; i < to; i++) {
    while (j < seen.length && seen[j]!.n <= i) j++;
    if (j >= seen.length) break;
    out.push(seen[j]!.ms - produced[i]!);
  }
  return out;
}

export interface Summary {
  p50: number;
  p99: number;
  max: number;
}

/** p50, p99 and max, in ms to 0.1 (NaN for no values). */
export function summarize(xs: number[]): Summary {
  if (xs.length === 0) return { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const round = (x: number): number => Number(x.toFixed(1));
  return { p50: round(percentile(xs, 50)), p99: round(percentile(xs, 99)), max: round(xs.reduce((a, b) => Math.max(a, b), -Infinity)) };
}

/**
 * Per second of producing (by produce timestamp, from the first event's): how many events, and
 * the summary of their latencies. `lat[k]` is event `from + k`'s latency (as `latencies` gives
 * them). Shows whether a tail is a warm-up, a stall or spread over the run.
 */
export function perSecond(lat: readonly number[], produced: Float64Array, from: number): { second: number; events: number; summary: Summary }[] {
  const t0 = produced[0]!;
  const groups = new Map<number, number[]>();
  for (let k = 0; k < lat.length; k++) {
    const second = Math.floor((produced[from + k]! - t0) / 1000);
    let g = groups.get(second);
    if (!g) groups.set(second, (g = []));
    g.push(lat[k]!);
  }
  return [...groups].sort((a, b) => a[0] - b[0]).map(([second, xs]) => ({ second, events: xs.length, summary: summarize(xs) }));
}
