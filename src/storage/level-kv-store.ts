/**
 * LevelKvStore: the durable KvStore on LevelDB (classic-level 3). Keys and values are
 * Uint8Arrays ('view' encodings); `write` is one atomic chained batch; a snapshot is db.snapshot()
 * passed as the `snapshot` option to get/getMany/iterator; scans read 1000 entries per
 * iterator.nextv call and yield them as one chunk.
 *
 * Keys and values cross into the binding from one off-heap buffer per call (`offHeap`): a
 * small Uint8Array lives on V8's heap, and handing one to native code makes V8 move its bytes
 * to a new off-heap backing store first (about a microsecond each, and more garbage), while
 * a view of an off-heap buffer is passed as a pointer. Ops marked `offHeap` (KvOp) are such
 * views already, encoded straight into off-heap slabs that are never reused: they are passed
 * without that copy (LevelDB's batch copies them in `_put`). Batches go through the chained batch's
 * `_put` / `_del` / `_write` (abstract-level's private API, classic-level pinned at 3.0.0):
 * the public `put` re-validates, re-encodes and clones an options object per op, which cost
 * as much again; weir's keys and values are always Uint8Arrays, so none of that is needed.
 *
 * Writes may be issued without waiting for the previous one (the coordinator processes tick
 * N+1 while tick N is written): they apply one at a time in call order, and every read,
 * scan or snapshot begun after a `write` call sees that write. After a failed write the
 * later ones are refused until `settle()` reports the failure.
 */
import { ClassicLevel } from 'classic-level';
import type { Bytes, KvOp, KvRange, KvReader, KvSnapshot, KvStore } from './kv-store.js';

const CHUNK = 1000;

/**
 * LevelDB's memtable size (its default is 4 MiB). Ticks rewrite the same few entries again and
 * again (a reduce's group, a view's row); a large memtable absorbs those rewrites, so a flush
 * writes each entry's last version once and compaction has far less to merge: with 1,000,000
 * INSERTs into a 10,000-group GROUP BY view, 64 MiB took 40% less server CPU per row than 4 MiB
 * (16 MiB: 25% less; single runs). The cost is memory (up to two memtables) and, after a kill, replaying up
 * to this much log at the next open.
 */
const WRITE_BUFFER_BYTES = 64 * 1024 * 1024;

/**
 * Copies byte strings into one off-heap buffer and returns views of it, in order (plain
 * Uint8Array views: a Buffer's subarray costs three times as much to make).
 */
function offHeap(parts: readonly Bytes[]): Uint8Array[] {
  let size = 0;
  for (let i = 0; i < parts.length; i++) size += parts[i]!.byteLength;
  const arena = Buffer.allocUnsafeSlow(size); // its own ArrayBuffer, at offset 0, not zeroed
  const ab = arena.buffer;
  const out: Uint8Array[] = new Array(parts.length);
  let off = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const n = p.byteLength;
    arena.set(p, off);
    out[i] = new Uint8Array(ab, off, n);
    off += n;
  }
  return out;
}

/** One key for a single get: a slice of Node's shared off-heap pool. */
function offHeapKey(key: Bytes): Buffer {
  if (Buffer.isBuffer(key)) return key;
  const b = Buffer.allocUnsafe(key.byteLength);
  b.set(key);
  return b;
}

/** The private half of abstract-level's chained batch, as classic-level 3.0.0 implements it. */
interface RawChainedBatch {
  _put(key: Uint8Array, value: Uint8Array): void;
  _del(key: Uint8Array): void;
  _write(options: object): Promise<void>;
}

type Db = ClassicLevel<Uint8Array, Uint8Array>;
type LevelSnapshot = ReturnType<Db['snapshot']>;

async function* levelScan(db: Db, range: KvRange, snapshot: LevelSnapshot | undefined): AsyncGenerator<[Bytes, Bytes][]> {
  const opts: Record<string, unknown> = { reverse: range.reverse ?? false };
  if (range.gte !== undefined) opts.gte = range.gte;
  if (range.lt !== undefined) opts.lt = range.lt;
  if (range.limit !== undefined && range.limit >= 0) opts.limit = range.limit;
  if (snapshot !== undefined) opts.snapshot = snapshot;
  const it = db.iterator(opts);
  try {
    for (;;) {
      const entries = (await it.nextv(CHUNK)) as [Bytes, Bytes][];
      if (entries.length === 0) break;
      yield entries;
    }
  } finally {
    await it.close();
  }
}

/**
 * A snapshot of the state once every write issued before it has applied: taken at once when
 * none is pending, otherwise when the pending ones are done (writes issued later wait behind
 * it, so it never sees them).
 */
class LevelKvSnapshot implements KvSnapshot {
  readonly #db: Db;
  #snapshot: LevelSnapshot | undefined;
  readonly #ready: Promise<void> | undefined;

  constructor(db: Db, pending: Promise<void> | undefined) {
    this.#db = db;
    if (pending === undefined) this.#snapshot = db.snapshot();
    else this.#ready = pending.then(() => void (this.#snapshot = db.snapshot()));
  }

  async get(key: Bytes): Promise<Bytes | undefined> {
    if (this.#ready) await this.#ready;
    return this.#db.get(offHeapKey(key), { snapshot: this.#snapshot });
  }

  async getMany(keys: Bytes[]): Promise<(Bytes | undefined)[]> {
    if (this.#ready) await this.#ready;
    return this.#db.getMany(offHeap(keys), { snapshot: this.#snapshot });
  }

  async *scan(range: KvRange): AsyncIterable<[Bytes, Bytes][]> {
    if (this.#ready) await this.#ready;
    yield* levelScan(this.#db, range, this.#snapshot);
  }

  async release(): Promise<void> {
    if (this.#ready) await this.#ready;
    return this.#snapshot!.close();
  }
}

export class LevelKvStore implements KvStore, KvReader {
  readonly #db: Db;
  /** Resolves when every write issued so far has applied (or failed); undefined when none is pending. */
  #tail: Promise<void> | undefined;
  #pending = 0;
  /** The first write failure since the last `settle()`: later writes are refused until then. */
  #failure: unknown;

  private constructor(db: Db) {
    this.#db = db;
  }

  /** Opens (creating if needed) the LevelDB database in `dir`. */
  static async open(dir: string): Promise<LevelKvStore> {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view', writeBufferSize: WRITE_BUFFER_BYTES });
    await db.open();
    return new LevelKvStore(db);
  }

  async get(key: Bytes): Promise<Bytes | undefined> {
    if (this.#tail) await this.#tail;
    return this.#db.get(offHeapKey(key));
  }

  async getMany(keys: Bytes[]): Promise<(Bytes | undefined)[]> {
    if (this.#tail) await this.#tail;
    return this.#db.getMany(offHeap(keys));
  }

  async *scan(range: KvRange): AsyncIterable<[Bytes, Bytes][]> {
    if (this.#tail) await this.#tail;
    yield* levelScan(this.#db, range, undefined);
  }

  snapshot(): KvSnapshot {
    return new LevelKvSnapshot(this.#db, this.#tail);
  }

  async settle(): Promise<unknown> {
    while (this.#tail) await this.#tail;
    const failure = this.#failure;
    this.#failure = undefined;
    return failure;
  }

  write(ops: KvOp[]): Promise<void> {
    if (ops.length === 0) return this.#tail ?? Promise.resolve();
    const n = ops.length;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const op = ops[i]!;
      if (op.offHeap === true) continue;
      size += op.key.byteLength;
      if (op.type === 'put') size += op.value.byteLength;
    }
    const arena = Buffer.allocUnsafeSlow(size);
    const ab = arena.buffer;
    let off = 0;
    const copy = (b: Bytes): Uint8Array => {
      const len = b.byteLength;
      arena.set(b, off);
      const view = new Uint8Array(ab, off, len);
      off += len;
      return view;
    };
    // A chained batch costs the main thread less per op than batch(array), which reads
    // every op object's fields through the binding. Ops marked offHeap are views of off-heap
    // slabs already (see KvOp): passed as they are.
    const batch = this.#db.batch() as unknown as RawChainedBatch;
    for (let i = 0; i < n; i++) {
      const op = ops[i]!;
      if (op.offHeap === true) {
        if (op.type === 'put') batch._put(op.key, op.value);
        else batch._del(op.key);
      } else if (op.type === 'put') batch._put(copy(op.key), copy(op.value));
      else batch._del(copy(op.key));
    }
    // One write at a time, in call order: LevelDB's writer queue orders concurrent writes by
    // whichever thread-pool thread gets there first, and tick N+1 must never apply before tick N.
    const commit = (): Promise<void> => {
      if (this.#failure !== undefined) return Promise.reject(new Error('an earlier write failed', { cause: this.#failure }));
      const written = batch._write({});
      // abstract-level keeps every batch that was not closed among the database's open resources
      // (with its native WriteBatch): close it now. classic-level's close is a no-op natively; the
      // write in flight holds its own reference to the batch until it completes.
      void (batch as unknown as { close(): Promise<void> }).close();
      return written;
    };
    const written = this.#tail ? this.#tail.then(commit) : commit();
    this.#pending++;
    const tail: Promise<void> = written.then(
      (): void => this.#done(tail),
      (e: unknown): void => {
        this.#failure ??= e;
        this.#done(tail);
      },
    );
    this.#tail = tail;
    return written;
  }

  #done(tail: Promise<void>): void {
    this.#pending--;
    if (this.#pending === 0 && this.#tail === tail) this.#tail = undefined;
  }

  async close(): Promise<void> {
    await this.settle();
    return this.#db.close();
  }
}
