/**
 * The Kafka client as weir's sources and sinks see it: a `KafkaReader` that reads assigned
 * partitions from offsets the caller keeps (never a consumer group, never committed offsets:
 * a source's position lives in LevelDB, in the tick's batch), and a transactional
 * `KafkaWriter` for sinks. `kafkajs-reader.ts` and `kafkajs-writer.ts` implement them with
 * kafkajs; nothing else in weir imports kafkajs.
 *
 * Offsets are bigints (Kafka's are int64). A partition's "position" is the next offset to
 * read: store it, and `assign` from it after a restart reads each record exactly once.
 */

export interface KafkaHeader {
  key: string;
  value: Uint8Array | null;
}

/** One record as a source gets it (transaction markers and aborted records never appear). */
export interface KafkaRecord {
  partition: number;
  offset: bigint;
  key: Uint8Array | null;
  value: Uint8Array | null;
  /** The record's timestamp, ms since 1970 (create time or log-append time, as the topic says). */
  timestampMs: number;
  headers: KafkaHeader[];
}

/** Where a source starts when it has no stored position (`scan.startup.mode`). */
export type StartupMode = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'timestamp'; ms: number };

export interface PartitionStart {
  partition: number;
  /** The next offset to read. */
  offset: bigint;
}

export interface PartitionOffsets {
  partition: number;
  /** The first offset still in the log. */
  low: bigint;
  /** The offset the next record will get (the last stable offset under read_committed). */
  high: bigint;
}

/**
 * A partition whose position was no longer in the log (deleted by retention, or the topic was
 * recreated): the reader moved on to `resumedAt`. The caller reports it; it is never silent.
 */
export interface OffsetReset {
  partition: number;
  requested: bigint;
  resumedAt: bigint;
  reason: string;
}

export interface PollResult {
  records: KafkaRecord[];
  resets: OffsetReset[];
  /**
   * Set while the broker cannot be reached or refuses the fetch. The reader keeps its
   * positions, backs off (up to `maxBackoffMs`) and tries again on a later poll.
   */
  error?: KafkaClientError;
}

export interface KafkaReader {
  /** The topic's partition ids, ascending. Throws KafkaClientError (kind 'unknown_topic') when there is no such topic. */
  partitions(topic: string): Promise<number[]>;
  /** The low and high offsets of the topic's partitions (all when `partitions` is omitted). */
  offsets(topic: string, partitions?: readonly number[]): Promise<PartitionOffsets[]>;
  /** The offsets to start from under `mode` (a timestamp past the last record gives the high offset). */
  startOffsets(topic: string, partitions: readonly number[], mode: StartupMode): Promise<PartitionStart[]>;
  /** Reads these partitions of `topic` from these offsets from now on (replacing any earlier assignment). */
  assign(topic: string, starts: readonly PartitionStart[]): void;
  /**
   * At most `maxRecords` records, waiting up to `maxWaitMs` for the first when none is ready.
   * Never throws for a broker that is away (see PollResult.error).
   */
  poll(maxRecords: number, maxWaitMs: number): Promise<PollResult>;
  /** The next offset to read, per assigned partition: what to store with the tick. */
  positions(): Map<number, bigint>;
  /** The high offset each assigned partition had at its last fetch (undefined before one). */
  highWatermark(partition: number): bigint | undefined;
  close(): Promise<void>;
}

export interface OutgoingRecord {
  topic: string;
  /** Omitted: the partitioner picks one from the key. */
  partition?: number;
  key: Uint8Array | string | null;
  value: Uint8Array | string | null;
  timestampMs?: number;
  headers?: KafkaHeader[];
}

/**
 * An idempotent, transactional producer. One transaction at a time: `begin`, any number of
 * `send`, then `commit` or `abort`. A reader with read_committed sees all of a committed
 * transaction's records or none.
 */
export interface KafkaWriter {
  /** Connects; a transactional producer fences older producers of its id and aborts their open transaction. */
  ready(): Promise<void>;
  begin(): Promise<void>;
  send(records: readonly OutgoingRecord[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaConnectionOptions {
  brokers: string[];
  clientId?: string;
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Where the client's own log lines go; omitted: dropped (errors reach the caller as values). */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: object) => void;
}

export interface KafkaReaderOptions extends KafkaConnectionOptions {
  /** read_committed (the default) hides aborted and open transactions' records. */
  isolation?: 'read_committed' | 'read_uncommitted';
  /** Bytes one fetch may return per partition (default 1 MiB) and in all (default 16 MiB). */
  maxBytesPerPartition?: number;
  maxBytes?: number;
  /** The longest pause between retries while the broker is away (default 10 s). */
  maxBackoffMs?: number;
}

export interface KafkaWriterOptions extends KafkaConnectionOptions {
  /** Identifies the producer across restarts: a new one with the same id fences the old one. */
  transactionalId: string;
  transactionTimeoutMs?: number;
}

export type KafkaClientErrorKind =
  /** The broker cannot be reached or timed out: retried. */
  | 'unavailable'
  /** The topic does not exist (or the client may not see it). */
  | 'unknown_topic'
  /** Anything else the broker or the client reported. */
  | 'protocol';

export class KafkaClientError extends Error {
  constructor(
    readonly kind: KafkaClientErrorKind,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'KafkaClientError';
  }
}
