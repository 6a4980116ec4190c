/**
 * What one run of the freshness benchmark (bench/kafka-freshness.ts) reports, and its text form.
 */
import type { ProducerKind } from './producer-process.js';

export interface FreshnessResult {
  rate: number;
  rate_reached: number;
  events: number;
  producer: ProducerKind;
  /** 'private' (a broker of this run's own) or the bootstrap servers used. */
  broker: string;
  /** Where the private broker's data and the events file were (--scratch-dir). */
  scratch_dir: string;
  select_p50_ms: number;
  select_p99_ms: number;
  select_max_ms: number;
  subscribe_p50_ms: number;
  subscribe_p99_ms: number;
  subscribe_max_ms: number;
  /**
   * From an event's produce timestamp to the broker's acknowledgement (acks=1): at most this much
   * of the latencies above is the producer's and the broker's (weir's reads follow).
   */
  ack_p50_ms: number;
  ack_p99_ms: number;
  /**
   * From the acknowledgement's arrival at the producer to visible in SELECT, per event: the part
   * after the broker had the event (weir's fetch, tick and read, and waiting for the CPU); can be
   * below 0 when weir read the event before the producer's client ran the callback.
   */
  select_after_ack_p50_ms: number;
  select_after_ack_p99_ms: number;
  /** CPU while producing, as shares of one core (null when unknown: a broker of another machine). */
  server_cpu: number | null;
  producer_cpu: number | null;
  broker_cpu: number | null;
  /** This process: the SELECT and SUBSCRIBE clients and the reading of the producer's reports. */
  client_cpu: number | null;
  /**
   * From the producer's last acknowledgement until a SELECT showed every event: how far behind
   * the view was at the end (a few ms when weir keeps up).
   */
  behind_at_end_ms: number;
  /** The pause between SELECTs (ms; 0: a closed loop). */
  select_pause_ms: number;
  /** SELECTs answered per second while producing (the closed loop's pace). */
  selects_per_s: number;
  /** The server's ticks per second while producing (after the warm-up), from SUBSCRIBE's mz_timestamp. */
  ticks_per_s: number;
  /** The server's CPU while producing, shares of one core: `main` (its main thread) and `others` (LevelDB's libuv pool, V8's GC helpers). */
  server_threads: Record<string, number>;
  /** The 1-minute load average when producing started and ended. */
  load: [number, number];
  machine: string;
}

const cores = (x: number | null): string => (x === null ? '?' : String(x));

/** The result as the benchmark prints it without --json. */
export function resultText(r: FreshnessResult): string {
  return (
    `${r.events.toLocaleString('en')} events at ${r.rate_reached.toLocaleString('en')} events/s (asked ${r.rate.toLocaleString('en')}), ${r.producer} producer, ${r.broker} broker, its files and the events file in ${r.scratch_dir}\n` +
    `  SELECT:    p50 ${r.select_p50_ms} ms, p99 ${r.select_p99_ms} ms, max ${r.select_max_ms} ms\n` +
    `  SUBSCRIBE: p50 ${r.subscribe_p50_ms} ms, p99 ${r.subscribe_p99_ms} ms, max ${r.subscribe_max_ms} ms\n` +
    `  of which produce → the broker's acknowledgement: p50 ${r.ack_p50_ms} ms, p99 ${r.ack_p99_ms} ms; acknowledgement → visible in SELECT: p50 ${r.select_after_ack_p50_ms} ms, p99 ${r.select_after_ack_p99_ms} ms\n` +
    `  CPU (cores): server ${cores(r.server_cpu)}, producer ${cores(r.producer_cpu)}, broker ${cores(r.broker_cpu)}, clients ${cores(r.client_cpu)}; ` +
    `${r.selects_per_s.toLocaleString('en')} SELECTs/s, ${r.ticks_per_s.toLocaleString('en')} ticks/s; server threads ${JSON.stringify(r.server_threads)}; the view ${r.behind_at_end_ms} ms behind at the end; load average ${r.load[0]} → ${r.load[1]}\n  ${r.machine}\n`
  );
}
