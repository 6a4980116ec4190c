/**
 * LevelKvStore: the durable KvStore on LevelDB (classic-level 3). Keys and values are
 * Uint8Arrays ('view' encodings); `write` is one atomic db.batch; a snapshot is db.snapshot()
 * passed as the `snapshot` option to get/getMany/iterator; scans read 1000 entries per
 * iterator.nextv call and yield them as one chunk.
 */
import { ClassicLevel } from 'classic-level';
import type { Bytes, KvOp, KvRange, KvReader, KvSnapshot, KvStore } from './kv-store.js';

const CHUNK = 1000;

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

class LevelKvSnapshot implements KvSnapshot {
  readonly #db: Db;
  readonly #snapshot: LevelSnapshot;

  constructor(db: Db) {
    this.#db = db;
    this.#snapshot = db.snapshot();
  }

  get(key: Bytes): Promise<Bytes | undefined> {
    return this.#db.get(key, { snapshot: this.#snapshot });
  }

  getMany(keys: Bytes[]): Promise<(Bytes | undefined)[]> {
    return this.#db.getMany(keys, { snapshot: this.#snapshot });
  }

  scan(range: KvRange): AsyncIterable<[Bytes, Bytes][]> {
    return levelScan(this.#db, range, this.#snapshot);
  }

  release(): Promise<void> {
    return this.#snapshot.close();
  }
}

export class LevelKvStore implements KvStore, KvReader {
  readonly #db: Db;

  private constructor(db: Db) {
    this.#db = db;
  }

  /** Opens (creating if needed) the LevelDB database in `dir`. */
  static async open(dir: string): Promise<LevelKvStore> {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    return new LevelKvStore(db);
  }

  get(key: Bytes): Promise<Bytes | undefined> {
    return this.#db.get(key);
  }

  getMany(keys: Bytes[]): Promise<(Bytes | undefined)[]> {
    return this.#db.getMany(keys);
  }

  scan(range: KvRange): AsyncIterable<[Bytes, Bytes][]> {
    return levelScan(this.#db, range, undefined);
  }

  snapshot(): KvSnapshot {
    return new LevelKvSnapshot(this.#db);
  }

  write(ops: KvOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    // A chained batch costs the main thread less per op than batch(array), which reads
    // every op object's fields through the binding.
    const batch = this.#db.batch();
    for (const op of ops) {
      if (op.type === 'put') batch.put(op.key, op.value);
      else batch.del(op.key);
    }
    return batch.write();
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
