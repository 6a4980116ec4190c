/**
 * KafkaSink: a sink's changes to a Kafka topic, exactly once across crashes (issue 4 item 4).
 *
 *   tick commit ──(same LevelDB batch)──▶ outbox `o/<sinkId>/<tick>` = the tick's records
 *   sender      ──▶ one Kafka transaction per tick: its records, each with header weir-tick
 *               ──▶ then the outbox entry is deleted
 *
 * The outbox makes the records durable with the tick that produced them, so a crash never
 * loses them; the transaction makes a tick's records visible to read_committed consumers
 * all at once or not at all. A crash after the Kafka commit but before the outbox delete would
 * send the tick again — so at start the sender reads the last records of every partition of
 * the topic (read_committed) and skips the outbox ticks at or below the highest weir-tick it
 * finds. The transactional id is the sink's, so a restarted sender fences the old producer and
 * aborts its open transaction.
 *
 * Record layout (ENCODE JSON): PLAIN — value = the row as a JSON object (inserts only: the
 * view must be append-only); UPSERT — key = the key columns as a JSON object, value = the row,
 * a deleted key = a tombstone (null value); DEBEZIUM — value = {before, after, op: c | u | d}.
 */
import type { Logger } from 'pino';
import type { Change } from '../dataflow/zset.js';
import type { KvOp, KvStore } from '../storage/kv-store.js';
import { prefixRange } from '../storage/key-layout.js';
import type { Row } from '../types/datum.js';
import { datumToJson } from '../types/json-conversion.js';
import { formatJsonb } from '../types/json-format.js';
import type { Column } from '../types/sql-type.js';
import { columnsKey } from '../types/row-key.js';
import type { SinkItem } from '../catalog/catalog-item.js';
import type { OutgoingRecord } from '../sources/kafka/kafka-client.js';
import { KafkajsReader } from '../sources/kafka/kafkajs-reader.js';
import { KafkajsWriter } from '../sources/kafka/kafkajs-writer.js';
import { SinkDrainer } from './sink-drainer.js';

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();
const TICK_HEADER = 'weir-tick';
/** How many of each partition's last records are read at start to find the last tick sent. */
const TAIL = 200;

interface OutboxRecord {
  key: string | null;
  value: string | null;
}

export class KafkaSink {
  readonly #topic: string;
  readonly #brokers: string[];
  readonly #format: string;
  #writer: KafkajsWriter;
  readonly #prefix: Uint8Array;
  #lastSent: number | undefined;
  #closed = false;
  readonly #drainer: SinkDrainer;
  /** Set by a failed send: the next drain starts a new producer and reads the topic's tail again. */
  #reset = false;

  constructor(
    readonly item: SinkItem,
    readonly keyColumns: number[] | undefined,
    readonly store: KvStore,
    readonly log: Logger,
  ) {
    const opt = (k: string) => item.options.find((o) => o.key === k)?.value;
    this.#topic = opt('topic')!;
    this.#brokers = opt('properties.bootstrap.server')!.split(',').map((s) => s.trim());
    this.#format = item.format?.format ?? 'plain';
    this.#writer = this.#newWriter();
    this.#prefix = utf8.encode(`o/${item.id}/`);
    this.#drainer = new SinkDrainer({
      drain: () => this.#drain(),
      log,
      sink: item.name,
      doing: 'kafka sink: sending',
      describe: (e) => (e as Error).message,
      onFailure: () => (this.#reset = true),
    });
  }

  #newWriter(): KafkajsWriter {
    return new KafkajsWriter({ brokers: this.#brokers, clientId: `weir-sink-${this.item.id}`, transactionalId: `weir-sink-${this.item.id}` });
  }

  /** The outbox entry for one tick's changes (none when they make no records). */
  outboxOps(tick: number, changes: Change[]): KvOp[] {
    const records = this.#records(changes);
    if (records.length === 0) return [];
    return [{ type: 'put', key: utf8.encode(`o/${this.item.id}/${String(tick).padStart(16, '0')}`), value: utf8.encode(JSON.stringify(records)) }];
  }

  #json(row: Row, cols: readonly number[] | null): string {
    const columns: Column[] = this.item.columns;
    const obj: { [k: string]: ReturnType<typeof datumToJson> } = {};
    const idx = cols ?? columns.map((_, i) => i);
    for (const i of idx) obj[columns[i]!.name] = datumToJson(row[i]!, columns[i]!.type);
    return formatJsonb(obj);
  }

  #records(changes: Change[]): OutboxRecord[] {
    if (this.#format === 'plain') {
      const out: OutboxRecord[] = [];
      for (const [row, diff] of changes) for (let k = 0; k < diff; k++) out.push({ key: null, value: this.#json(row, null) });
      return out;
    }
    // UPSERT / DEBEZIUM: per key, the row it had and the row it has after the tick.
    const keyCols = this.keyColumns ?? this.item.columns.map((_, i) => i);
    const byKey = new Map<string, { before?: Row; after?: Row }>();
    for (const [row, diff] of changes) {
      const k = columnsKey(row, keyCols);
      const e = byKey.get(k) ?? {};
      if (diff < 0) e.before = row;
      else e.after = row;
      byKey.set(k, e);
    }
    const out: OutboxRecord[] = [];
    for (const e of byKey.values()) {
      const any = (e.after ?? e.before)!;
      const key = this.#json(any, keyCols);
      if (this.#format === 'upsert') out.push({ key, value: e.after ? this.#json(e.after, null) : null });
      else {
        const op = e.before && e.after ? 'u' : e.after ? 'c' : 'd';
        const before = e.before ? this.#json(e.before, null) : 'null';
        const after = e.after ? this.#json(e.after, null) : 'null';
        out.push({ key, value: `{"before":${before},"after":${after},"op":"${op}"}` });
      }
    }
    return out;
  }

  /** What weir_sink_stats shows: 'running', or 'retrying: <why>' while sending fails. */
  status(): string {
    return this.#drainer.status();
  }

  /** Sends what the outbox holds (called after each commit and at start); never throws. */
  kick(): void {
    this.#drainer.kick();
  }

  async #drain(): Promise<void> {
    if (this.#reset) {
      // After a failure the transaction in flight may be open or committed, and the producer's
      // state unknown. A new producer with the same transactional id fences the old one and
      // aborts its open transaction (which would otherwise hold read_committed readers back
      // until it timed out); then the topic's tail says which tick was really sent.
      await this.#writer.close().catch(() => undefined);
      this.#writer = this.#newWriter();
      await this.#writer.ready();
      this.#lastSent = undefined;
      this.#reset = false;
    }
    this.#lastSent ??= await this.#lastTickInTopic();
    for (;;) {
      const batch: [Uint8Array, Uint8Array][] = [];
      for await (const chunk of this.store.scan({ ...prefixRange(this.#prefix), limit: 64 })) batch.push(...chunk);
      if (batch.length === 0 || this.#closed) return;
      for (const [k, v] of batch) {
        const tick = Number(utf8d.decode(k.subarray(this.#prefix.length)));
        if (tick > this.#lastSent) {
          const records = JSON.parse(utf8d.decode(v)) as OutboxRecord[];
          const headers = [{ key: TICK_HEADER, value: utf8.encode(String(tick)) }];
          const out: OutgoingRecord[] = records.map((r) => ({ topic: this.#topic, key: r.key, value: r.value, headers }));
          await this.#writer.begin();
          try {
            await this.#writer.send(out);
            await this.#writer.commit();
          } catch (e) {
            await this.#writer.abort().catch(() => undefined);
            throw e;
          }
          this.#lastSent = tick;
        }
        await this.store.write([{ type: 'del', key: k }]);
      }
    }
  }

  /** The highest weir-tick among the last records of the topic's partitions (read_committed); 0 if none. */
  async #lastTickInTopic(): Promise<number> {
    const reader = new KafkajsReader({ brokers: this.#brokers, clientId: `weir-sink-${this.item.id}-tail` });
    try {
      const offsets = await reader.offsets(this.#topic);
      const starts = offsets.filter((o) => o.high > o.low).map((o) => ({ partition: o.partition, offset: o.high - BigInt(TAIL) > o.low ? o.high - BigInt(TAIL) : o.low }));
      if (starts.length === 0) return 0;
      reader.assign(this.#topic, starts);
      let max = 0;
      for (let idle = 0; idle < 3; ) {
        const res = await reader.poll(1000, 200);
        if (res.error) throw res.error;
        if (res.records.length === 0) idle++;
        for (const r of res.records) {
          const h = r.headers.find((x) => x.key === TICK_HEADER);
          if (h?.value) max = Math.max(max, Number(utf8d.decode(h.value)));
        }
        const done = [...reader.positions()].every(([p, pos]) => pos >= (offsets.find((o) => o.partition === p)?.high ?? 0n));
        if (done) break;
      }
      return max;
    } finally {
      await reader.close();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#drainer.close();
    await this.#writer.close().catch(() => undefined);
  }
}
