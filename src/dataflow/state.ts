/**
 * OperatorState: how a stateful operator persists its entries. Each operator owns the key
 * range `st/<dataflowId>/<operatorIndex>/`; an entry is `<prefix><entryKey>` (the entry key is
 * an injective string such as a rowKey, stored as UTF-8) → `encodeRow(value)`.
 *
 * Loading is one prefix scan per operator per process lifetime. Writing is per tick: the
 * operator records which entries it changed and `flush`es their final values once, so each
 * changed entry yields exactly one put or del in the tick's KvOps.
 */
import type { KvOp, KvReader } from '../storage/kv-store.js';
import type { Row } from '../types/datum.js';
import { decodeRow, encodeRow } from '../types/value-codec.js';

export class OperatorState {
  readonly #prefix: string;
  readonly #prefixBytes: Buffer;
  #ops: KvOp[] = [];

  constructor(dataflowId: string, operatorIndex: number) {
    this.#prefix = `st/${dataflowId}/${operatorIndex}/`;
    this.#prefixBytes = Buffer.from(this.#prefix, 'utf8');
  }

  /** Every persisted entry of this operator, in key order: one scan. */
  async *entries(reader: KvReader): AsyncIterable<[entryKey: string, value: Row]> {
    const p = this.#prefixBytes;
    const end = Buffer.from(p);
    end[end.length - 1]! += 1; // the prefix ends with '/', so this never overflows
    const plen = p.length;
    for await (const chunk of reader.scan({ gte: p, lt: end })) {
      for (const [k, v] of chunk) {
        const entryKey = Buffer.from(k.buffer, k.byteOffset + plen, k.byteLength - plen).toString('utf8');
        yield [entryKey, decodeRow(v)];
      }
    }
  }

  /** Where this tick's writes go. */
  begin(ops: KvOp[]): void {
    this.#ops = ops;
  }

  put(entryKey: string, value: Row): void {
    this.#ops.push({ type: 'put', key: Buffer.from(this.#prefix + entryKey, 'utf8'), value: encodeRow(value) });
  }

  del(entryKey: string): void {
    this.#ops.push({ type: 'del', key: Buffer.from(this.#prefix + entryKey, 'utf8') });
  }
}
