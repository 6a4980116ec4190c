/**
 * fetchedRecords: one partition's part of a Fetch response (as kafkajs decodes it) → the records
 * a source gets, and the partition's next position. Pure, so the transaction rules are tested
 * without a broker.
 *
 * - A fetch starts at the beginning of the record batch holding the fetch offset: records
 *   below it are dropped.
 * - Control records (transaction commit and abort markers) are never records.
 * - Under read_committed the broker lists the aborted transactions overlapping the fetch
 *   (producer id, first offset); a transactional record of such a producer, from that first
 *   offset until the producer's abort marker, is dropped.
 * - The next position is the end of the last batch fetched (its base offset + last offset
 *   delta + 1), so markers and compacted-away offsets at a batch's end are stepped over.
 */
import type { KafkaHeader, KafkaRecord } from './kafka-client.js';

/** A record as kafkajs decodes it (the fields used here). */
export interface RawMessage {
  offset: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  timestamp: string;
  headers?: { [key: string]: Uint8Array | Uint8Array[] | null | undefined };
  isControlRecord?: boolean;
  batchContext?: { firstOffset: string; lastOffsetDelta: number; producerId: string; inTransaction: boolean };
}

export interface RawPartition {
  partition: number;
  abortedTransactions?: { producerId: string; firstOffset: string }[] | null;
  messages: RawMessage[];
}

/** A control record's key: version (int16) and type (int16: 0 abort, 1 commit). */
function isAbortMarker(m: RawMessage): boolean {
  const k = m.key;
  return k !== null && k.length >= 4 && k[2] === 0 && k[3] === 0;
}

/** The headers of a record without any (most): one shared, frozen empty list. */
const NO_HEADERS: KafkaHeader[] = Object.freeze([]) as unknown as KafkaHeader[];

function headersOf(h: RawMessage['headers']): KafkaHeader[] {
  if (!h) return NO_HEADERS;
  let out: KafkaHeader[] | undefined;
  for (const key in h) {
    out ??= [];
    const v = h[key];
    if (Array.isArray(v)) for (const x of v) out.push({ key, value: x });
    else out.push({ key, value: v ?? null });
  }
  return out ?? NO_HEADERS;
}

export function fetchedRecords(raw: RawPartition, fetchOffset: bigint): { records: KafkaRecord[]; next: bigint } {
  const aborted = [...(raw.abortedTransactions ?? [])]
    .map((t) => ({ producerId: t.producerId, firstOffset: BigInt(t.firstOffset) }))
    .sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  let nextAborted = 0;
  /** Producers inside an aborted transaction at the current offset. */
  const inAborted = new Set<string>();
  const records: KafkaRecord[] = [];
  let next = fetchOffset;
  // kafkajs gives the records of one batch the same context object: its end is computed once.
  let lastCtx: RawMessage['batchContext'];
  let ctxEnd = 0n;
  for (const m of raw.messages) {
    const offset = BigInt(m.offset);
    const ctx = m.batchContext;
    if (ctx !== lastCtx && ctx) ctxEnd = BigInt(ctx.firstOffset) + BigInt(ctx.lastOffsetDelta) + 1n;
    lastCtx = ctx;
    const end = ctx ? ctxEnd : offset + 1n;
    if (end > next) next = end;
    if (offset + 1n > next) next = offset + 1n;
    while (nextAborted < aborted.length && aborted[nextAborted]!.firstOffset <= offset) {
      inAborted.add(aborted[nextAborted++]!.producerId);
    }
    if (m.isControlRecord) {
      if (ctx && isAbortMarker(m)) inAborted.delete(ctx.producerId);
      continue;
    }
    if (ctx?.inTransaction && inAborted.has(ctx.producerId)) continue;
    if (offset < fetchOffset) continue;
    records.push({
      partition: raw.partition,
      offset,
      key: m.key,
      value: m.value,
      timestampMs: Number(m.timestamp),
      headers: headersOf(m.headers),
    });
  }
  return { records, next };
}
