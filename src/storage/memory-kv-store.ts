/**
 * MemoryKvStore: the in-memory KvStore (tests, one-shot plans). Entries live in two parallel
 * arrays sorted bytewise by key. Versions are copy-on-write: a snapshot or a running scan pins
 * the current version, and the next write copies the arrays instead of changing them in place,
 * so every reader sees the instant it started at.
 */
import type { Bytes, KvOp, KvRange, KvReader, KvSnapshot, KvStore } from './kv-store.js';

const CHUNK = 1000;

interface Version {
  keys: Bytes[];
  values: Bytes[];
  /** Readers (snapshots, running scans) holding this version; a write must not mutate it while > 0. */
  pins: number;
}

/** Index of the first key >= `key` (keys.length when none). */
function lowerBound(keys: Bytes[], key: Bytes): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Buffer.compare(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function copy(b: Bytes): Bytes {
  return b.slice();
}

function readGet(v: Version, key: Bytes): Bytes | undefined {
  const i = lowerBound(v.keys, key);
  return i < v.keys.length && Buffer.compare(v.keys[i]!, key) === 0 ? v.values[i] : undefined;
}

async function* readScan(v: Version, range: KvRange, unpin: () => void): AsyncGenerator<[Bytes, Bytes][]> {
  try {
    const { keys, values } = v;
    let start = range.gte ? lowerBound(keys, range.gte) : 0;
    let end = range.lt ? lowerBound(keys, range.lt) : keys.length;
    if (end < start) end = start;
    let remaining = range.limit !== undefined && range.limit >= 0 ? range.limit : Infinity;
    if (range.reverse) {
      let i = end - 1;
      while (i >= start && remaining > 0) {
        const n = Math.min(CHUNK, i - start + 1, remaining);
        const chunk: [Bytes, Bytes][] = new Array(n);
        for (let j = 0; j < n; j++, i--) chunk[j] = [keys[i]!, values[i]!];
        remaining -= n;
        yield chunk;
      }
    } else {
      while (start < end && remaining > 0) {
        const n = Math.min(CHUNK, end - start, remaining);
        const chunk: [Bytes, Bytes][] = new Array(n);
        for (let j = 0; j < n; j++, start++) chunk[j] = [keys[start]!, values[start]!];
        remaining -= n;
        yield chunk;
      }
    }
  } finally {
    unpin();
  }
}

class MemorySnapshot implements KvSnapshot {
  #version: Version | null;

  constructor(version: Version) {
    this.#version = version;
    version.pins++;
  }

  #v(): Version {
    if (!this.#version) throw new Error('snapshot is released');
    return this.#version;
  }

  async get(key: Bytes): Promise<Bytes | undefined> {
    return readGet(this.#v(), key);
  }

  async getMany(keys: Bytes[]): Promise<(Bytes | undefined)[]> {
    const v = this.#v();
    return keys.map((k) => readGet(v, k));
  }

  scan(range: KvRange): AsyncIterable<[Bytes, Bytes][]> {
    const v = this.#v();
    v.pins++;
    return readScan(v, range, () => v.pins--);
  }

  async release(): Promise<void> {
    if (this.#version) this.#version.pins--;
    this.#version = null;
  }
}

export class MemoryKvStore implements KvStore, KvReader {
  #v: Version = { keys: [], values: [], pins: 0 };
  #closed = false;

  /** Number of entries (tests and diagnostics). */
  get size(): number {
    return this.#v.keys.length;
  }

  async get(key: Bytes): Promise<Bytes | undefined> {
    return readGet(this.#v, key);
  }

  async getMany(keys: Bytes[]): Promise<(Bytes | undefined)[]> {
    const v = this.#v;
    return keys.map((k) => readGet(v, k));
  }

  scan(range: KvRange): AsyncIterable<[Bytes, Bytes][]> {
    const v = this.#v;
    v.pins++;
    return readScan(v, range, () => v.pins--);
  }

  snapshot(): KvSnapshot {
    return new MemorySnapshot(this.#v);
  }

  /** Writes apply at once (in `write` itself), so nothing is ever pending. */
  async settle(): Promise<unknown> {
    return undefined;
  }

  async write(ops: KvOp[]): Promise<void> {
    if (this.#closed) throw new Error('store is closed');
    if (ops.length === 0) return;
    const cur = this.#v;
    // Each splice is a memmove of the arrays; past a few dozen ops one merge pass is cheaper.
    if (ops.length > 64) this.#v = mergeOps(cur, ops);
    else {
      const v = cur.pins > 0 ? { keys: cur.keys.slice(), values: cur.values.slice(), pins: 0 } : cur;
      for (const op of ops) {
        const i = lowerBound(v.keys, op.key);
        const found = i < v.keys.length && Buffer.compare(v.keys[i]!, op.key) === 0;
        if (op.type === 'put') {
          if (found) v.values[i] = copy(op.value);
          else {
            v.keys.splice(i, 0, copy(op.key));
            v.values.splice(i, 0, copy(op.value));
          }
        } else if (found) {
          v.keys.splice(i, 1);
          v.values.splice(i, 1);
        }
      }
      this.#v = v;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

/** Applies a large batch by sorting it (last op per key wins) and merging into new arrays. */
function mergeOps(cur: Version, ops: KvOp[]): Version {
  const idx = ops.map((_, i) => i);
  idx.sort((a, b) => Buffer.compare(ops[a]!.key, ops[b]!.key) || a - b);
  const keys: Bytes[] = [];
  const values: Bytes[] = [];
  let i = 0;
  const n = cur.keys.length;
  for (let j = 0; j < idx.length; j++) {
    const op = ops[idx[j]!]!;
    if (j + 1 < idx.length && Buffer.compare(ops[idx[j + 1]!]!.key, op.key) === 0) continue; // a later op wins
    while (i < n && Buffer.compare(cur.keys[i]!, op.key) < 0) {
      keys.push(cur.keys[i]!);
      values.push(cur.values[i]!);
      i++;
    }
    if (i < n && Buffer.compare(cur.keys[i]!, op.key) === 0) i++;
    if (op.type === 'put') {
      keys.push(copy(op.key));
      values.push(copy(op.value));
    }
  }
  while (i < n) {
    keys.push(cur.keys[i]!);
    values.push(cur.values[i]!);
    i++;
  }
  return { keys, values, pins: 0 };
}
