/**
 * A Kafka broker of the benchmark's own: scripts/kafka.sh in a new temporary directory, on the
 * jars it already fetched for the shared broker (WEIR_KAFKA_LIBS), on free ports, with JVM
 * options for throughput instead of kafka.sh's start-up ones (C1 only, serial GC). The shared
 * broker other processes use is never touched. Stopped by its process id (kafka.sh stop).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const script = join(root, 'scripts/kafka.sh');

/**
 * Apache Kafka's own JVM options for a broker (kafka-run-class.sh's performance options): G1
 * with a 20 ms pause goal, the C2 compiler (the JVM's default), and a fixed 1 GiB heap.
 */
export const BROKER_JVM_OPTS = '-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15';
export const BROKER_HEAP_OPTS = '-Xms1g -Xmx1g';

export interface PrivateBroker {
  brokers: string[];
  pid: number;
  stop(): void;
}

/** The jars of the shared broker's directory (WEIR_KAFKA_LIBS, else WEIR_KAFKA_DIR/libs, else .kafka/libs). */
export function sharedKafkaLibs(): string {
  return process.env.WEIR_KAFKA_LIBS ?? join(process.env.WEIR_KAFKA_DIR ?? join(root, '.kafka'), 'libs');
}

/** The pid of the shared broker scripts/kafka.sh started, when `brokers` is its address. */
export function sharedBrokerPid(brokers: string[]): number | undefined {
  const dir = process.env.WEIR_KAFKA_DIR ?? join(root, '.kafka');
  try {
    if (brokers.length !== 1 || readFileSync(join(dir, 'bootstrap'), 'utf8').trim() !== brokers[0]) return undefined;
    return Number(readFileSync(join(dir, 'broker.pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Starts it with its directory (data and log) under `parent`. */
export function startPrivateBroker(parent = tmpdir(), jvmOpts = BROKER_JVM_OPTS, heapOpts = BROKER_HEAP_OPTS): PrivateBroker {
  const dir = mkdtempSync(join(parent, 'weir-freshness-kafka-'));
  const env = { ...process.env, WEIR_KAFKA_DIR: dir, WEIR_KAFKA_LIBS: sharedKafkaLibs(), KAFKA_PORT: '', KAFKA_CONTROLLER_PORT: '', KAFKA_JVM_OPTS: jvmOpts, KAFKA_HEAP_OPTS: heapOpts };
  const run = (cmd: string): string => execFileSync('bash', [script, cmd], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 }).trim();
  let address: string;
  try {
    address = run('start').split('\n').pop()!;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the private broker did not start: ${(e as Error).message}`);
  }
  return {
    brokers: [address],
    pid: Number(readFileSync(join(dir, 'broker.pid'), 'utf8').trim()),
    stop() {
      try {
        run('stop');
      } finally {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      }
    },
  };
}
