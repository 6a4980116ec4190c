/**
 * weir_source_stats (pg_catalog, so `SELECT * FROM weir_source_stats` works unqualified):
 * one row per source and stream table, with what DESIGN §3 asks to be visible: rows taken in,
 * the watermark, how many late rows each late policy dropped, side-output or corrected, and
 * the source's status (a Kafka source whose broker is away says why it is retrying).
 */
import { relation, type SystemRelation } from './system-relation.js';

export const WEIR_SOURCE_STATS = relation(
  'pg_catalog', 'weir_source_stats', 16001, 'v',
  `name text, kind text, connector text, rows_ingested int8, position int8, watermark timestamp,
   late_policy text, late_dropped int8, late_side_output int8, late_corrected int8, status text`,
  (ctx) =>
    ctx.catalog.relations().flatMap((item) => {
      if (!item.stream) return [];
      const s = ctx.streamStats?.(item.id);
      return [
        {
          name: item.name,
          kind: item.kind,
          connector: item.stream.connector?.name ?? null,
          rows_ingested: BigInt(s?.rows ?? 0),
          position: BigInt(s?.position ?? 0),
          watermark: s?.watermark ?? null,
          late_policy: item.stream.late.policy,
          late_dropped: BigInt(s?.lateDropped ?? 0),
          late_side_output: BigInt(s?.lateSideOutput ?? 0),
          late_corrected: BigInt(s?.lateCorrected ?? 0),
          status: s?.status ?? 'running',
        },
      ];
    }),
);

export const WEIR_RELATIONS: readonly SystemRelation[] = [WEIR_SOURCE_STATS];
