/**
 * Nexmark's JSON records (bench/nexmark-produce.ts, RisingWave's shape) written to a file, one a
 * line, for a producer of another process to read: bench/kafka/NexmarkProducer.java. Generated
 * in chunks, so the process never holds all of them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { nexmarkMessages, type ProduceOptions } from '../nexmark-produce.js';

const CHUNK = 20_000;

/** Writes events [0, gen.events) to `path`; resolves to the file's size in bytes. */
export function writeEventsFile(gen: ProduceOptions, path: string): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    for (let from = 0; from < gen.events; from += CHUNK) {
      const to = Math.min(gen.events, from + CHUNK);
      const text = `${nexmarkMessages(gen, from, to)
        .map((m) => {
          if (m.value.includes('\n')) throw new Error('a Nexmark record holds a newline');
          return m.value;
        })
        .join('\n')}\n`;
      bytes += writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}
