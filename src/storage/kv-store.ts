/**
 * KvStore: the one interface through which weir reaches durable bytes. Keys and values are
 * byte strings ordered bytewise. Two implementations: MemoryKvStore (tests, one-shot plans)
 * and LevelKvStore (LevelDB). A tick commits everything it changed with one `write`.
 */
export type Bytes = Uint8Array;

export type KvOp = { type: 'put'; key: Bytes; value: Bytes } | { type: 'del'; key: Bytes };

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
  /** Applies all ops atomically (one LevelDB batch). */
  write(ops: KvOp[]): Promise<void>;
  snapshot(): KvSnapshot;
  close(): Promise<void>;
}
