/**
 * Retry waits: 100 ms before the first retry, doubling with each failure in a row, capped.
 * The Kafka reader, a Kafka source's assignment and the source ticks retry with it.
 */

/** The wait before retrying after `failures` failures in a row (1: the first): 100 ms doubling up to `maxMs`. */
export function backoffMs(failures: number, maxMs: number): number {
  return Math.min(maxMs, 100 * 2 ** Math.min(Math.max(failures, 1) - 1, 20));
}

/** `backoffMs` spread by ±20%, so that clients failing together do not retry together. */
export function jitteredBackoffMs(failures: number, maxMs: number): number {
  return backoffMs(failures, maxMs) * (0.8 + 0.4 * Math.random());
}
