/**
 * Starts the freshness benchmark's producer process and reads its reports (the protocol of
 * bench/kafka/freshness-latency.ts's `ProducerMessage`):
 *
 * - `java` (the default): bench/kafka/NexmarkProducer.java on the Apache Kafka Java client of
 *   .kafka/libs, reading the events from a file this process writes first (events-file.ts);
 *   Java 17 runs the source file directly, no build step. It sustains 90,000 events/s here at
 *   about 0.35 of a core.
 * - `kafkajs`: bench/kafka/kafkajs-producer.ts, the first producer (up to ~41,000 events/s here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ProduceOptions } from '../nexmark-produce.js';
import { writeEventsFile } from './events-file.js';
import { producerMessage, type ProducerMessage } from './freshness-latency.js';
import { sharedKafkaLibs } from './private-broker.js';

export type ProducerKind = 'java' | 'kafkajs';

export interface ProducerProcess {
  child: ChildProcess;
  /** Its reports, in order; ends when it closes its output. */
  messages(): AsyncGenerator<ProducerMessage>;
  /** Resolves to its exit code. */
  exit: Promise<number | null>;
  /** Removes what it was given (the events file). */
  cleanup(): void;
}

export function startProducer(kind: ProducerKind, gen: ProduceOptions, o: { lingerMs: number; log: (msg: string) => void; scratchDir?: string }): ProducerProcess {
  let child: ChildProcess;
  let cleanup = (): void => undefined;
  switch (kind) {
    case 'java': {
      const file = join(o.scratchDir ?? tmpdir(), `${gen.topic}.jsonl`);
      // Removed at the end, or when the process exits first (an interrupted run).
      const remove = (): void => rmSync(file, { force: true });
      process.once('exit', remove);
      cleanup = () => {
        process.off('exit', remove);
        remove();
      };
      o.log(`kafka-freshness: writing ${gen.events.toLocaleString('en')} events to ${file}`);
      const bytes = writeEventsFile(gen, file);
      o.log(`kafka-freshness: ${(bytes / 2 ** 20).toFixed(0)} MiB; starting the Java producer`);
      const source = resolve(import.meta.dirname, 'NexmarkProducer.java');
      child = spawn(
        process.env.JAVA ?? 'java',
        ['-Xms256m', '-Xmx512m', '-cp', `${sharedKafkaLibs()}/*`, source, gen.brokers.join(','), gen.topic, file, String(gen.rate), String(o.lingerMs)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      break;
    }
    case 'kafkajs':
      child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), resolve(import.meta.dirname, 'kafkajs-producer.ts'), JSON.stringify(gen)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      break;
    default: {
      const never: never = kind;
      throw new Error(`unknown producer ${String(never)}`);
    }
  }
  const exit = new Promise<number | null>((res) => {
    child.once('exit', res);
    child.once('error', (e) => {
      o.log(`kafka-freshness: the ${kind} producer did not start: ${e.message}`);
      res(null);
    });
  });
  return {
    child,
    exit,
    cleanup,
    async *messages() {
      for await (const line of createInterface({ input: child.stdout! })) yield producerMessage(line);
    },
  };
}
