/**
 * SinkDrainer: how a tick-tied sink (kafka-sink.ts, file-sink.ts) runs its drain of the outbox:
 * one drain at a time (a kick while one runs runs it once more afterwards), and after a failure
 * a retry with backoff (200 ms doubling, at most 10 s), with the failure shown in `status()`
 * (weir_sink_stats) until a drain succeeds. A drain never throws out of `kick`.
 */
import type { Logger } from 'pino';

export interface DrainerOptions {
  /** The sink's drain: delivers what the outbox holds. */
  drain: () => Promise<void>;
  log: Logger;
  sink: string;
  /** For the log lines: "kafka sink: sending", "filesystem sink: writing". */
  doing: string;
  /** The failure as the status shows it. */
  describe: (e: unknown) => string;
  /** Called on each failure, before the retry is scheduled. */
  onFailure?: () => void;
  /** While a retry is scheduled, ticks' kicks wait for it (one attempt, one log line, per backoff step). */
  waitForRetry?: boolean;
  /** Log when a drain succeeds after failures. */
  logRecovery?: boolean;
}

export class SinkDrainer {
  readonly #o: DrainerOptions;
  #running = false;
  #again = false;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  #failures = 0;
  #lastError: string | undefined;

  constructor(options: DrainerOptions) {
    this.#o = options;
  }

  status(): string {
    return this.#failures > 0 ? `retrying: ${this.#lastError ?? 'unknown error'}` : 'running';
  }

  kick(fromRetry = false): void {
    if (this.#closed || (this.#o.waitForRetry && this.#retry !== undefined && !fromRetry)) return;
    if (fromRetry) this.#retry = undefined;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    const o = this.#o;
    void o
      .drain()
      .then(() => {
        if (this.#failures > 0 && o.logRecovery) o.log.info({ sink: o.sink }, `${o.doing} again`);
        this.#failures = 0;
        this.#lastError = undefined;
      })
      .catch((e: unknown) => {
        this.#failures++;
        this.#lastError = o.describe(e);
        o.onFailure?.();
        o.log.warn({ sink: o.sink, err: this.#lastError }, `${o.doing} failed, retrying`);
        clearTimeout(this.#retry);
        this.#retry = setTimeout(() => this.kick(true), Math.min(10_000, 200 * 2 ** this.#failures));
      })
      .finally(() => {
        this.#running = false;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
  }
}
