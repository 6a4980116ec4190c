/**
 * weir_sink_stats (pg_catalog): one row per sink (CREATE SINK, and Flink's INSERT INTO a sink
 * table), with its connector, the sink table it writes into, and its status: 'running', or
 * 'retrying: <why>' while a Kafka broker is away or a filesystem sink's directory cannot be
 * written (the output waits in the sink's outbox meanwhile; nothing is lost).
 */
import { relation, type SystemRelation } from './system-relation.js';

export const WEIR_SINK_STATS: SystemRelation = relation(
  'pg_catalog', 'weir_sink_stats', 16002, 'v',
  'name text, connector text, target text, status text',
  (ctx) =>
    ctx.catalog.items().flatMap((item) => {
      if (item.kind !== 'sink') return [];
      const target = item.into !== undefined ? ctx.catalog.get(item.into) : undefined;
      return [
        {
          name: item.name,
          connector: item.connector,
          target: target?.name ?? null,
          status: ctx.sinkStatus?.(item.id) ?? 'running',
        },
      ];
    }),
);
