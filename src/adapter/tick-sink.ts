/**
 * TickSink: what the coordinator needs of a sink whose output is tied to the tick commit
 * (kafka-sink.ts, file-sink.ts). Both follow one pattern, the outbox:
 *
 *   tick commit ──(same LevelDB batch)──▶ `o/<sinkId>/<tick>` = the tick's output (outboxOps)
 *   after the commit (kick) ──▶ the sender delivers each entry in tick order, idempotently,
 *                              then deletes it
 *
 * so a crash never loses a tick's output (it is durable with the tick) and a restart that
 * delivers an entry again does not duplicate it (each sink's delivery is idempotent per tick).
 * A blackhole sink has none.
 */
import type { Logger } from 'pino';
import type { Change } from '../dataflow/zset.js';
import type { Watermarks } from '../dataflow/watermark.js';
import type { KvOp, KvStore } from '../storage/kv-store.js';
import type { Catalog } from '../catalog/catalog.js';
import type { RelationItem, SinkItem } from '../catalog/catalog-item.js';
import { KafkaSink } from './kafka-sink.js';
import { FileSink } from './file-sink.js';

export interface TickSink {
  /** The outbox entries for one tick's output (none when there is nothing to deliver); `watermarks`: the sink's input watermarks after the tick. */
  outboxOps(tick: number, changes: Change[], watermarks?: Watermarks): KvOp[];
  /** Delivers what the outbox holds (after each commit and at start); never throws. */
  kick(): void;
  close(): Promise<void>;
  /** What weir_sink_stats shows: 'running' or 'retrying: <why>'. */
  status(): string;
}

/** The sink's sender, for the connectors that deliver anywhere (undefined for blackhole). */
export function createTickSink(item: SinkItem, catalog: Catalog, keyColumns: () => number[] | undefined, store: KvStore, log: Logger): TickSink | undefined {
  switch (item.connector) {
    case 'kafka':
      return new KafkaSink(item, keyColumns(), store, log);
    case 'filesystem': {
      const table = item.into ? (catalog.get(item.into) as RelationItem | undefined) : undefined;
      if (!table?.sinkConnector) throw new Error(`internal error: filesystem sink ${item.name} has no sink table`);
      return new FileSink(item, table, store, log);
    }
    default:
      return undefined;
  }
}
