/**
 * What the kafkajs reader and writer share: the log adapter and the mapping of kafkajs's
 * errors to KafkaClientError.
 */
import { KafkaClientError, type KafkaConnectionOptions } from './kafka-client.js';

/** kafkajs's log levels (its `logLevel`): NOTHING 0, ERROR 1, WARN 2, INFO 4, DEBUG 5. */
const LEVEL_NAMES = { 1: 'error', 2: 'warn', 4: 'info', 5: 'debug' } as const;

interface KafkajsLogEntry {
  namespace: string;
  level: number;
  label: string;
  log: { message: string; [key: string]: unknown };
}

/** kafkajs's `logCreator` and `logLevel` for the given options: silent without a `log` callback. */
export function kafkajsLogging(options: KafkaConnectionOptions): {
  logLevel: number;
  logCreator: (level: number) => (entry: KafkajsLogEntry) => void;
} {
  const sink = options.log;
  if (!sink) return { logLevel: 0, logCreator: () => () => {} };
  return {
    logLevel: 5,
    logCreator:
      () =>
      ({ namespace, level, log }) => {
        const { message, ...extra } = log;
        sink(LEVEL_NAMES[level as keyof typeof LEVEL_NAMES] ?? 'debug', `kafka ${namespace}: ${message}`, extra);
      },
  };
}

const UNAVAILABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSLockTimeout',
]);

/** kafkajs's error (possibly wrapped in "number of retries exceeded") as a KafkaClientError. */
export function classifyError(e: unknown): KafkaClientError {
  if (e instanceof KafkaClientError) return e;
  let err = e as { name?: string; type?: string; message?: string; retriable?: boolean; originalError?: unknown; cause?: unknown };
  while (err?.name === 'KafkaJSNumberOfRetriesExceeded' || err?.name === 'KafkaJSNonRetriableError') {
    const inner = err.originalError ?? err.cause;
    if (!inner) break;
    err = inner as typeof err;
  }
  const message = err?.message ?? String(e);
  if (err?.type === 'UNKNOWN_TOPIC_OR_PARTITION' || err?.type === 'UNKNOWN_TOPIC_ID') {
    return new KafkaClientError('unknown_topic', message, true);
  }
  if ((err?.name && UNAVAILABLE_NAMES.has(err.name)) || (err as { code?: string })?.code === 'ECONNREFUSED') {
    return new KafkaClientError('unavailable', message, true);
  }
  return new KafkaClientError('protocol', message, err?.retriable ?? false);
}
