/**
 * KvStore: the one interface through which weir reaches durable bytes. Keys and values are
 * byte strings ordered bytewise. Two implementations: MemoryKvStore (tests, one-shot plans)
 * and LevelKvStore (LevelDB). A tick commits everything it changed with one `write`.
 */
export type Bytes = Uint8Array;

/**
 * One write of a batch. `offHeap: true` promises that `key` and `value` are views of off-heap
 * memory that nobody changes (types/off-heap-bytes.ts), so LevelKvStore hands them to LevelDB
 * as they are instead of copying them off V8's heap first; every store still copies what it keeps.
 */
export type KvOp = { type: 'put'; key: Bytes; value: Bytes; offHeap?: true } | { type: 'del'; key: Bytes; offHeap?: true };

export interface KvRange {
  /** Inclusive lower bound. */
  gte?: Bytes;
  /** Exclusive upper bound. */
  lt?: Bytes;
  reverse?: boolean;
  limit?: number;
}

/** A consistent read-only view of the store at one instant (the last committed tick). */
export interface KvReader {
  get(key: Bytes): Promise<Bytes | undefined>;
  getMany(keys: Bytes[]): Promise<(Bytes | undefined)[]>;
  /** Ordered scan; entries arrive in chunks for speed. */
  scan(range: KvRange): AsyncIterable<[Bytes, Bytes][]>;
}

export interface KvSnapshot extends KvReader {
  release(): Promise<void>;
}

export interface KvStore extends KvReader {
  /**
   * Applies all ops atomically (one LevelDB batch). The caller need not wait before issuing the
   * next write: writes apply in call order, a read, scan or snapshot begun after this call
   * sees these ops, and the store copies keys and values before returning. If a write fails,
   * every later one fails too until `settle()`.
   */
  write(ops: KvOp[]): Promise<void>;
  /** Waits until every issued write has applied or failed; returns the first failure since the last settle, and clears it. */
  settle(): Promise<unknown>;
  snapshot(): KvSnapshot;
  close(): Promise<void>;
}
