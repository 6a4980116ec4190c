/**
 * ViewOutputStore: a materialized view's contents written by the root operator of its
 * dataflow instead of by the adapter, so that the operator can keep its own state for a row in
 * the row's entry (one put per changed row instead of two). Used when the root is a GROUP BY
 * whose group key is the view's storage key (render/render-plan.ts decides; the adapter then
 * skips `applyViewChanges` for the view).
 *
 * Entry layout: the key is the view's storage key (`<prefix>` ++ encodeKey(key columns), what
 * adapter/collections.ts's `applyKeyedChanges` writes); the value is `encodeRow([1, ...row])`,
 * what every collection entry holds, followed by the operator's trailer (`encodeRow(trailer)`),
 * which readers of the view skip (`decodeFirstRow`). A row without a trailer is a row the
 * operator no longer keeps state for (a group a watermark closed).
 *
 * State: none of its own; like OperatorState, it appends one put or del per changed entry to
 * the tick's ops (`begin`).
 */
import type { KvOp, KvReader } from '../storage/kv-store.js';
import { prefixRange } from '../storage/key-layout.js';
import type { Row } from '../types/datum.js';
import { encodeKeyAfter } from '../types/key-codec.js';
import { offHeapCopy } from '../types/off-heap-bytes.js';
import { decodeRowTrailer, encodeRowAfterOffHeap, encodeRowAfterWithTrailerOffHeap } from '../types/value-codec.js';

export class ViewOutputStore {
  readonly #prefix: Uint8Array;
  #ops: KvOp[] = [];

  /** `prefix`: the view's key range (storage/key-layout.ts `viewPrefix`). */
  constructor(prefix: Uint8Array) {
    this.#prefix = prefix;
  }

  /** Where this tick's writes go. */
  begin(ops: KvOp[]): void {
    this.#ops = ops;
  }

  /** The entry key of the row whose key columns are `keyRow` (on the heap: it may be kept and reused). */
  key(keyRow: Row): Uint8Array {
    return encodeKeyAfter(this.#prefix, keyRow);
  }

  /** Stores `row` under `key`, followed by `trailer` (none: the row alone). */
  put(key: Uint8Array, row: Row, trailer: Row | null): void {
    const value = trailer === null ? encodeRowAfterOffHeap(1, row) : encodeRowAfterWithTrailerOffHeap(1, row, trailer);
    this.#ops.push({ type: 'put', key: offHeapCopy(key, key.length), value, offHeap: true });
  }

  del(key: Uint8Array): void {
    this.#ops.push({ type: 'del', key });
  }

  /** Every stored row with its trailer (null: none), in key order: one scan. */
  async *entries(reader: KvReader): AsyncIterable<[row: Row, trailer: Row | null]> {
    for await (const chunk of reader.scan(prefixRange(this.#prefix))) {
      for (const [, v] of chunk) {
        const [first, trailer] = decodeRowTrailer(v);
        yield [first.slice(1), trailer];
      }
    }
  }
}
