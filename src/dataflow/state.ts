/**
 * OperatorState: how a stateful operator persists its entries. Each operator owns the key
 * range `st/<dataflowId>/<operatorIndex>/`; an entry is `<prefix><entryKey>` (the entry key is
 * an injective string such as a rowKey, stored as UTF-8) → `encodeRow(value)`.
 *
 * Loading is one prefix scan per operator per process lifetime. Writing is per tick: the
 * operator records which entries it changed and writes their final values once, so each
 * changed entry yields exactly one put or del in the tick's KvOps. An operator that rewrites
 * the same entry in many ticks (a reduce group) may build its storage key once with `key` and
 * keep it (`putKey` / `delKey`); ops share that key, so it is never modified. An operator whose
 * entries are rows (a join's arrangements) may name them by the row's encoding instead
 * (`rowEntryKey`, read back with `rawEntries`).
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

  /**
   * Every persisted entry of this operator, in key order, its key as the bytes after the
   * prefix (a view of the scanned key, valid until the next entry): for entries stored with
   * `rowEntryKey`.
   */
  async *rawEntries(reader: KvReader): AsyncIterable<[entryKey: Uint8Array, value: Row]> {
    const p = this.#prefixBytes;
    const end = Buffer.from(p);
    end[end.length - 1]! += 1;
    const plen = p.length;
    for await (const chunk of reader.scan({ gte: p, lt: end })) {
      for (const [k, v] of chunk) yield [k.subarray(plen), decodeRow(v)];
    }
  }

  /**
   * The storage key of an entry named by a row: `<prefix><tag><encodeRow(row)>`. Cheaper than
   * `key(tag + rowKey(row))` (no string, and the encoding of numbers is short); the same row
   * always gives the same key, and `decodeRow` of the bytes after the tag gives the row back.
   */
  rowEntryKey(tag: number, row: Row): Uint8Array {
    const body = encodeRow(row);
    const p = this.#prefixBytes;
    const plen = p.length;
    const out = new Uint8Array(plen + 1 + body.length);
    out.set(p);
    out[plen] = tag;
    out.set(body, plen + 1);
    return out;
  }

  /** The full storage key of every persisted entry (copies): what deleting the whole range takes. */
  async *storedKeys(reader: KvReader): AsyncIterable<Uint8Array> {
    const p = this.#prefixBytes;
    const end = Buffer.from(p);
    end[end.length - 1]! += 1;
    for await (const chunk of reader.scan({ gte: p, lt: end })) for (const [k] of chunk) yield Uint8Array.from(k);
  }

  /** Where this tick's writes go. */
  begin(ops: KvOp[]): void {
    this.#ops = ops;
  }

  /**
   * The storage key of an entry: `<prefix><entryKey>` as UTF-8. An operator that rewrites the
   * same entry tick after tick may keep it and pass it to `putKey` / `delKey`.
   */
  key(entryKey: string): Uint8Array {
    const p = this.#prefixBytes;
    const plen = p.length;
    const n = entryKey.length;
    const out = new Uint8Array(plen + n);
    for (let i = 0; i < plen; i++) out[i] = p[i]!;
    for (let i = 0; i < n; i++) {
      const c = entryKey.charCodeAt(i);
      if (c >= 0x80) return Buffer.from(this.#prefix + entryKey, 'utf8'); // non-ASCII: the general path
      out[plen + i] = c;
    }
    return out;
  }

  put(entryKey: string, value: Row): void {
    this.#ops.push({ type: 'put', key: this.key(entryKey), value: encodeRow(value) });
  }

  del(entryKey: string): void {
    this.#ops.push({ type: 'del', key: this.key(entryKey) });
  }

  /** `put` with a key from `key()`; the key is not copied, so it must not be modified. */
  putKey(key: Uint8Array, value: Row): void {
    this.#ops.push({ type: 'put', key, value: encodeRow(value) });
  }

  delKey(key: Uint8Array): void {
    this.#ops.push({ type: 'del', key });
  }
}
