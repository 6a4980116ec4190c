/**
 * KafkajsWriter: the KafkaWriter over kafkajs's public producer, idempotent and transactional
 * (one in-flight request, as kafkajs requires for idempotence). A sink opens a transaction per
 * tick, sends the tick's output and commits it with the tick, so a restart that replays a tick
 * aborts (or fences) the unfinished transaction instead of writing its records twice.
 */
import kafkajs from 'kafkajs';
import type { IHeaders, Producer, Transaction } from 'kafkajs';
import { KafkaClientError, type KafkaHeader, type KafkaWriter, type KafkaWriterOptions, type OutgoingRecord } from './kafka-client.js';
import { classifyError, kafkajsLogging } from './kafkajs-common.js';

const { Kafka, Partitioners } = kafkajs;

const toBuffer = (v: Uint8Array | string | null | undefined): Buffer | string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** kafkajs's headers: an object whose repeated keys hold arrays. */
function headersObject(headers: readonly KafkaHeader[]): IHeaders {
  const out: IHeaders = {};
  for (const h of headers) {
    const v = toBuffer(h.value) ?? '';
    const prev = out[h.key];
    out[h.key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev as Buffer | string, v];
  }
  return out;
}

export class KafkajsWriter implements KafkaWriter {
  readonly #producer: Producer;
  #connected: Promise<void> | undefined;
  /** Set by close(): no call connects again. */
  #closed = false;
  #tx: Transaction | undefined;

  constructor(options: KafkaWriterOptions) {
    const { logLevel, logCreator } = kafkajsLogging(options);
    const kafka = new Kafka({
      brokers: options.brokers,
      clientId: options.clientId ?? 'weir',
      ssl: options.ssl,
      sasl: options.sasl as never,
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      logLevel,
      logCreator: logCreator as never,
    });
    this.#producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      transactionalId: options.transactionalId,
      transactionTimeout: options.transactionTimeoutMs ?? 60_000,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async #wrap<T>(f: () => Promise<T>): Promise<T> {
    // A closed writer never connects again: a call still in flight from before close() (a
    // sink's drain) would otherwise reconnect, and its InitProducerId with the same
    // transactional id would fence the producer that replaced it (and commit a stale tick).
    if (this.#closed) throw new KafkaClientError('protocol', 'the producer is closed', false);
    try {
      this.#connected ??= this.#producer.connect().catch((e: unknown) => {
        this.#connected = undefined; // the next call tries again
        throw e;
      });
      await this.#connected;
      if (this.#closed) throw new KafkaClientError('protocol', 'the producer is closed', false);
      return await f();
    } catch (e) {
      throw classifyError(e);
    }
  }

  /**
   * Connects and initializes the transactional producer: kafkajs sends InitProducerId with the
   * transactional id at its first transaction, which fences older producers of that id and
   * aborts their open transaction; an empty transaction begun and aborted does exactly that.
   */
  async ready(): Promise<void> {
    if (this.#tx) return;
    const tx = await this.#wrap(() => this.#producer.transaction());
    await this.#wrap(() => tx.abort());
  }

  async begin(): Promise<void> {
    if (this.#tx) throw new KafkaClientError('protocol', 'a transaction is already open', false);
    this.#tx = await this.#wrap(() => this.#producer.transaction());
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    const tx = this.#tx;
    if (!tx) throw new KafkaClientError('protocol', 'send outside a transaction', false);
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const r of records) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    await this.#wrap(() =>
      tx.sendBatch({
        topicMessages: [...byTopic].map(([topic, rs]) => ({
          topic,
          messages: rs.map((r) => ({
            partition: r.partition,
            key: toBuffer(r.key),
            value: toBuffer(r.value),
            timestamp: r.timestampMs === undefined ? undefined : String(r.timestampMs),
            headers: r.headers ? headersObject(r.headers) : undefined,
          })),
        })),
      }),
    );
  }

  async commit(): Promise<void> {
    const tx = this.#tx;
    if (!tx) throw new KafkaClientError('protocol', 'commit outside a transaction', false);
    this.#tx = undefined;
    await this.#wrap(() => tx.commit());
  }

  async abort(): Promise<void> {
    const tx = this.#tx;
    this.#tx = undefined;
    if (tx) await this.#wrap(() => tx.abort());
  }

  async close(): Promise<void> {
    if (this.#tx) await this.abort().catch(() => {});
    this.#closed = true;
    if (this.#connected) await this.#producer.disconnect();
    this.#connected = undefined;
  }
}
