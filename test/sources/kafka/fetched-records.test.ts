import { describe, expect, test } from 'vitest';
import { fetchedRecords, type RawMessage } from '../../../src/sources/kafka/fetched-records.js';

/** A record batch as kafkajs decodes it: `offsets` of its records, producer, flags. */
function batch(first: number, count: number, opts: { producer?: string; tx?: boolean; control?: 'abort' | 'commit'; lastDelta?: number } = {}): RawMessage[] {
  const ctx = { firstOffset: String(first), lastOffsetDelta: opts.lastDelta ?? count - 1, producerId: opts.producer ?? '-1', inTransaction: opts.tx ?? false };
  return Array.from({ length: count }, (_, i) => ({
    offset: String(first + i),
    key: opts.control ? new Uint8Array([0, 0, 0, opts.control === 'abort' ? 0 : 1]) : null,
    value: opts.control ? new Uint8Array([0, 0, 0, 0, 0, 0]) : new TextEncoder().encode(`v${first + i}`),
    timestamp: '1700000000000',
    headers: opts.control ? {} : { h: new Uint8Array([1]), multi: [new Uint8Array([2]), new Uint8Array([3])] },
    isControlRecord: opts.control !== undefined,
    batchContext: ctx,
  }));
}
const offsets = (r: { records: { offset: bigint }[] }) => r.records.map((x) => Number(x.offset));

describe('fetchedRecords', () => {
  test('records from the fetch offset on; the next position is the end of the last batch', () => {
    const r = fetchedRecords({ partition: 2, messages: [...batch(0, 4), ...batch(4, 2)] }, 2n);
    expect(offsets(r)).toEqual([2, 3, 4, 5]);
    expect(r.next).toBe(6n);
    expect(r.records[0]).toMatchObject({ partition: 2, offset: 2n, key: null, timestampMs: 1700000000000 });
    expect(r.records[0]!.headers.map((h) => [h.key, [...h.value!]])).toEqual([['h', [1]], ['multi', [2]], ['multi', [3]]]);
  });

  test('nothing fetched: the position stays', () => {
    expect(fetchedRecords({ partition: 0, messages: [] }, 7n)).toEqual({ records: [], next: 7n });
  });

  test('a compacted batch whose records end early still moves the position past the batch', () => {
    const r = fetchedRecords({ partition: 0, messages: batch(10, 2, { lastDelta: 5 }) }, 10n);
    expect(offsets(r)).toEqual([10, 11]);
    expect(r.next).toBe(16n);
  });

  test('markers are stepped over; committed transactions are read', () => {
    const messages = [...batch(0, 2, { producer: '7', tx: true }), ...batch(2, 1, { producer: '7', tx: true, control: 'commit' })];
    const r = fetchedRecords({ partition: 0, messages, abortedTransactions: [] }, 0n);
    expect(offsets(r)).toEqual([0, 1]);
    expect(r.next).toBe(3n);
  });

  test('aborted transactions are dropped, interleaved with other producers', () => {
    // offsets: 0-1 p7 tx (aborted), 2 p8 non-tx, 3-4 p9 tx (aborted), 5 p7 abort marker,
    // 6 p7 tx (committed later), 7 p9 abort marker, 8 p7 commit marker, 9 p8
    const messages = [
      ...batch(0, 2, { producer: '7', tx: true }),
      ...batch(2, 1, { producer: '8' }),
      ...batch(3, 2, { producer: '9', tx: true }),
      ...batch(5, 1, { producer: '7', tx: true, control: 'abort' }),
      ...batch(6, 1, { producer: '7', tx: true }),
      ...batch(7, 1, { producer: '9', tx: true, control: 'abort' }),
      ...batch(8, 1, { producer: '7', tx: true, control: 'commit' }),
      ...batch(9, 1, { producer: '8' }),
    ];
    const abortedTransactions = [
      { producerId: '9', firstOffset: '3' },
      { producerId: '7', firstOffset: '0' },
    ];
    const r = fetchedRecords({ partition: 0, messages, abortedTransactions }, 0n);
    expect(offsets(r)).toEqual([2, 6, 9]);
    expect(r.next).toBe(10n);
    // Fetching from inside the aborted transaction: the broker still lists it.
    expect(offsets(fetchedRecords({ partition: 0, messages, abortedTransactions }, 4n))).toEqual([6, 9]);
  });
});
