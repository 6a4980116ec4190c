/**
 * KafkajsReader: the KafkaReader over kafkajs. kafkajs's consumer always joins a consumer group
 * and commits offsets there, so this reader talks to the cluster one level down: kafkajs's
 * `Cluster` (metadata, connections, ListOffsets) and `Broker.fetch`, the Fetch request sent to
 * each partition leader. No group, no committed offsets: positions are the caller's to keep.
 * Those two classes are kafkajs internals, so package.json pins kafkajs to one version.
 *
 * Poll: records left over from the last fetch are handed out first; when none are left, one
 * Fetch per leader (in parallel) waits up to maxWaitMs for data. A failed fetch leaves every
 * position as it was, and later polls retry after an exponential backoff (100 ms doubling up to
 * maxBackoffMs); they return at once meanwhile, so a caller's tick is never held up by a broker
 * that is away.
 *
 * A deleted topic: fetches fail with `unknown_topic` (retried like an absent broker). When the
 * topic is there again it is a new log, so every partition is read from its earliest offset,
 * reported as an OffsetReset. A position outside a partition's log (retention deleted it, or the
 * topic was recreated while nobody watched and is shorter now) resumes at the earliest offset too.
 */
import { createRequire } from 'node:module';
import {
  KafkaClientError,
  type KafkaReader,
  type KafkaReaderOptions,
  type KafkaRecord,
  type OffsetReset,
  type PartitionOffsets,
  type PartitionStart,
  type PollResult,
  type StartupMode,
} from './kafka-client.js';
import { fetchedRecords, type RawPartition } from './fetched-records.js';
import { classifyError, kafkajsLogging } from './kafkajs-common.js';
import { jitteredBackoffMs } from '../../util/backoff.js';

const require = createRequire(import.meta.url);

/** The parts of kafkajs's internal Broker and Cluster this reader uses (kafkajs 2.2.4). */
interface KjsBroker {
  fetch(request: {
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: (RawPartition & { highWatermark: string; lastStableOffset?: string })[] }[] }>;
}
interface KjsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number; partitionErrorCode: number }[];
  findBroker(args: { nodeId: string }): Promise<KjsBroker>;
  fetchTopicsOffset(
    topics: { topic: string; partitions: { partition: number }[]; fromBeginning?: boolean; fromTimestamp?: number }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

const Cluster = require('kafkajs/src/cluster/index.js') as new (options: object) => KjsCluster;
const { createLogger } = require('kafkajs/src/loggers/index.js') as { createLogger(o: object): unknown };
const socketFactory = require('kafkajs/src/network/socketFactory.js') as () => unknown;

const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;
const LATEST = -1;
const EARLIEST = -2;

interface Buffered {
  records: KafkaRecord[];
  index: number;
  /** The position once every record here is handed out. */
  next: bigint;
}

export class KafkajsReader implements KafkaReader {
  readonly #cluster: KjsCluster;
  readonly #isolation: number;
  readonly #maxBytesPerPartition: number;
  readonly #maxBytes: number;
  readonly #maxBackoffMs: number;
  #topic: string | undefined;
  #metadataFor: string | undefined;
  readonly #positions = new Map<number, bigint>();
  readonly #high = new Map<number, bigint>();
  readonly #buffers = new Map<number, Buffered>();
  #failures = 0;
  #retryAt = 0;
  #lastError: KafkaClientError | undefined;
  #connected = false;
  /** A fetch found the topic missing: when it is back, it is a new log. */
  #topicGone = false;

  constructor(options: KafkaReaderOptions) {
    const { logLevel, logCreator } = kafkajsLogging(options);
    this.#isolation = options.isolation === 'read_uncommitted' ? READ_UNCOMMITTED : READ_COMMITTED;
    this.#maxBytesPerPartition = options.maxBytesPerPartition ?? 1 << 20;
    this.#maxBytes = options.maxBytes ?? 16 << 20;
    this.#maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.#cluster = new Cluster({
      logger: createLogger({ level: logLevel, logCreator }),
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      offsets: new Map(),
      socketFactory: socketFactory(),
      brokers: options.brokers,
      ssl: options.ssl,
      sasl: options.sasl,
      clientId: options.clientId ?? 'weir',
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      enforceRequestTimeout: true,
      metadataMaxAge: 300_000,
      allowAutoTopicCreation: false,
      maxInFlightRequests: null,
      instrumentationEmitter: null,
      isolationLevel: this.#isolation,
    });
  }

  async #ensureTopic(topic: string): Promise<void> {
    if (!this.#connected) {
      await this.#cluster.connect();
      this.#connected = true;
    }
    if (this.#metadataFor !== topic) {
      await this.#cluster.addTargetTopic(topic);
      this.#metadataFor = topic;
    } else {
      await this.#cluster.refreshMetadataIfNecessary();
    }
  }

  async #call<T>(topic: string, f: () => Promise<T>): Promise<T> {
    try {
      await this.#ensureTopic(topic);
      return await f();
    } catch (e) {
      this.#metadataFor = undefined;
      throw classifyError(e);
    }
  }

  async partitions(topic: string): Promise<number[]> {
    return this.#call(topic, async () => {
      // Always fresh metadata: the caller asks to discover partitions added since.
      if (this.#metadataFor === topic) await this.#cluster.refreshMetadata();
      const meta = this.#cluster.findTopicPartitionMetadata(topic);
      if (meta.length === 0) throw new KafkaClientError('unknown_topic', `topic "${topic}" does not exist`, true);
      return meta.map((p) => p.partitionId).sort((a, b) => a - b);
    });
  }

  async offsets(topic: string, partitions?: readonly number[]): Promise<PartitionOffsets[]> {
    const ps = partitions ?? (await this.partitions(topic));
    const [low, high] = await Promise.all([this.#listOffsets(topic, ps, EARLIEST), this.#listOffsets(topic, ps, LATEST)]);
    return ps.map((p) => ({ partition: p, low: low.get(p)!, high: high.get(p)! }));
  }

  async startOffsets(topic: string, partitions: readonly number[], mode: StartupMode): Promise<PartitionStart[]> {
    const at = mode.kind === 'earliest' ? EARLIEST : mode.kind === 'latest' ? LATEST : mode.ms;
    const found = await this.#listOffsets(topic, partitions, at);
    const high = mode.kind === 'timestamp' ? await this.#listOffsets(topic, partitions, LATEST) : found;
    // A timestamp later than every record finds no offset (-1): start at the end.
    return partitions.map((p) => ({ partition: p, offset: found.get(p)! < 0n ? high.get(p)! : found.get(p)! }));
  }

  async #listOffsets(topic: string, partitions: readonly number[], at: number): Promise<Map<number, bigint>> {
    const res = await this.#call(topic, () =>
      this.#cluster.fetchTopicsOffset([
        { topic, partitions: partitions.map((partition) => ({ partition })), fromBeginning: at === EARLIEST, fromTimestamp: at },
      ]),
    );
    const out = new Map<number, bigint>();
    for (const t of res) for (const p of t.partitions) out.set(p.partition, BigInt(p.offset));
    for (const p of partitions) {
      if (!out.has(p)) throw new KafkaClientError('unknown_topic', `partition ${p} of topic "${topic}" does not exist`, true);
    }
    return out;
  }

  assign(topic: string, starts: readonly PartitionStart[]): void {
    this.#positions.clear();
    this.#buffers.clear();
    this.#high.clear();
    if (topic !== this.#topic) this.#topicGone = false;
    this.#topic = topic;
    for (const s of starts) this.#positions.set(s.partition, s.offset);
  }

  positions(): Map<number, bigint> {
    return new Map(this.#positions);
  }

  highWatermark(partition: number): bigint | undefined {
    return this.#high.get(partition);
  }

  async poll(maxRecords: number, maxWaitMs: number): Promise<PollResult> {
    const resets: OffsetReset[] = [];
    if (this.#buffers.size === 0 && this.#topic !== undefined && this.#positions.size > 0) {
      if (Date.now() < this.#retryAt) return { records: [], resets, error: this.#lastError };
      try {
        await this.#fetch(this.#topic, maxWaitMs, resets);
        this.#failures = 0;
        this.#lastError = undefined;
      } catch (e) {
        const err = classifyError(e);
        this.#metadataFor = undefined;
        if (err.kind === 'unknown_topic' && !this.#topicGone) this.#topicGone = await this.#missingFromMetadata(this.#topic);
        this.#failures++;
        this.#retryAt = Date.now() + jitteredBackoffMs(this.#failures, this.#maxBackoffMs);
        this.#lastError = err;
        return { records: [], resets, error: err };
      }
    }
    const records = this.#drain(maxRecords);
    // A backlog (a partition behind its high watermark) is read on without waiting, up to
    // `maxRecords`, so a caller's tick gets a full batch rather than one fetch's worth. A fetch
    // failing here ends the poll with what it has; the next poll meets the failure again.
    for (let extra = 0; extra < 16 && records.length < maxRecords && this.#buffers.size === 0 && this.#behind(); extra++) {
      try {
        await this.#fetch(this.#topic!, 0, resets);
      } catch {
        break;
      }
      const more = this.#drain(maxRecords - records.length);
      if (more.length === 0) break;
      for (const r of more) records.push(r);
    }
    return { records, resets };
  }

  /** Whether some assigned partition's position is below its last known high watermark. */
  #behind(): boolean {
    for (const [p, at] of this.#positions) {
      const high = this.#high.get(p);
      if (high !== undefined && at < high) return true;
    }
    return false;
  }

  /** Hands out up to `max` buffered records, advancing the positions past them. */
  #drain(max: number): KafkaRecord[] {
    const out: KafkaRecord[] = [];
    for (const [p, buf] of this.#buffers) {
      const from = buf.index;
      while (buf.index < buf.records.length && out.length < max) out.push(buf.records[buf.index++]!);
      if (buf.index > from) this.#positions.set(p, buf.records[buf.index - 1]!.offset + 1n);
      if (buf.index >= buf.records.length) {
        this.#positions.set(p, buf.next);
        this.#buffers.delete(p);
      }
      if (out.length >= max) break;
    }
    return out;
  }

  async #fetch(topic: string, maxWaitMs: number, resets: OffsetReset[]): Promise<void> {
    await this.#ensureTopic(topic);
    const meta = this.#cluster.findTopicPartitionMetadata(topic);
    if (this.#topicGone && meta.length > 0) await this.#resetRecreated(topic, meta.map((m) => m.partitionId), resets);
    const byLeader = new Map<number, number[]>();
    for (const p of this.#positions.keys()) {
      const m = meta.find((x) => x.partitionId === p);
      if (!m) throw new KafkaClientError('unknown_topic', `partition ${p} of topic "${topic}" does not exist`, true);
      if (m.leader === null || m.leader === undefined || m.leader < 0) {
        throw new KafkaClientError('unavailable', `partition ${p} of topic "${topic}" has no leader`, true);
      }
      byLeader.set(m.leader, [...(byLeader.get(m.leader) ?? []), p]);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, partitions]) => {
        const broker = await this.#cluster.findBroker({ nodeId: String(leader) });
        const fetchOffsets = new Map(partitions.map((p) => [p, this.#positions.get(p)!]));
        let response;
        try {
          response = await broker.fetch({
            isolationLevel: this.#isolation,
            maxWaitTime: maxWaitMs,
            minBytes: 1,
            maxBytes: this.#maxBytes,
            topics: [
              {
                topic,
                partitions: partitions.map((p) => ({ partition: p, fetchOffset: String(fetchOffsets.get(p)), maxBytes: this.#maxBytesPerPartition })),
              },
            ],
          });
        } catch (e) {
          const err = e as { name?: string; partition?: number };
          if (err.name === 'KafkaJSOffsetOutOfRange' && err.partition !== undefined) {
            resets.push(await this.#resetOutOfRange(topic, err.partition));
            return;
          }
          throw e;
        }
        for (const t of response.responses) {
          for (const part of t.partitions) {
            const from = fetchOffsets.get(part.partition);
            if (from === undefined) continue;
            const stable = part.lastStableOffset !== undefined && BigInt(part.lastStableOffset) >= 0n;
            this.#high.set(part.partition, BigInt(this.#isolation === READ_COMMITTED && stable ? part.lastStableOffset! : part.highWatermark));
            const { records, next } = fetchedRecords(part, from);
            if (records.length > 0 || next > from) this.#buffers.set(part.partition, { records, index: 0, next });
          }
        }
      }),
    );
  }

  /**
   * The position of `partition` is outside its log: resume at its earliest offset and say so.
   * Below the log, retention deleted what lay between; past its end, the log is not the one the
   * position was taken in (the topic was deleted and created again), so all of it is new.
   */
  async #resetOutOfRange(topic: string, partition: number): Promise<OffsetReset> {
    const requested = this.#positions.get(partition)!;
    const [{ low, high }] = (await this.offsets(topic, [partition])) as [PartitionOffsets];
    this.#positions.set(partition, low);
    this.#buffers.delete(partition);
    const reason =
      requested < low
        ? `offsets ${requested} to ${low - 1n} of partition ${partition} are no longer in the log (retention deleted them)`
        : `partition ${partition} ends at offset ${high}, before the stored position ${requested} (was the topic recreated?); read from its earliest offset`;
    return { partition, requested, resumedAt: low, reason };
  }

  /**
   * Whether fresh metadata says the topic does not exist. A fetch's "unknown topic or partition"
   * alone is not enough: a broker no longer hosting a moved partition answers the same.
   */
  async #missingFromMetadata(topic: string): Promise<boolean> {
    try {
      await this.#cluster.refreshMetadata();
      return this.#cluster.findTopicPartitionMetadata(topic).length === 0;
    } catch (e) {
      return classifyError(e).kind === 'unknown_topic';
    }
  }

  /** The topic was found missing and is back: a new log, every assigned partition of it read from its earliest offset. */
  async #resetRecreated(topic: string, present: number[], resets: OffsetReset[]): Promise<void> {
    const assigned = [...this.#positions.keys()].filter((p) => present.includes(p));
    const low = await this.#listOffsets(topic, assigned, EARLIEST);
    for (const p of assigned) {
      const requested = this.#positions.get(p)!;
      const resumedAt = low.get(p)!;
      this.#positions.set(p, resumedAt);
      this.#buffers.delete(p);
      resets.push({ partition: p, requested, resumedAt, reason: `topic "${topic}" was deleted and created again; partition ${p} read from its earliest offset` });
    }
    this.#topicGone = false;
  }

  async close(): Promise<void> {
    this.#buffers.clear();
    if (this.#connected) await this.#cluster.disconnect();
    this.#connected = false;
  }
}
