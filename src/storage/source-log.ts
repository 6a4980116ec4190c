/**
 * SourceLog: append-only logs of bytes, one per source, outside the KvStore. A FORMAT PLAIN
 * Kafka source appends each tick's accepted rows here and puts only a pointer to them
 * (`LogPointer`, a few bytes) into the tick's batch: the rows are ~20 MB/s at 100,000 events/s,
 * and in LevelDB they filled the memtable every few seconds and were rewritten by compactions
 * with every other key, the latency tail of every view (docs/design/20261127_source-log.md).
 *
 * Order and crash safety (the caller's part): `append` returns once the bytes are in the log
 * (the OS's page cache, as LevelDB's own log writes are), and the pointer is committed in a
 * tick batch issued after it. So a committed pointer always points at bytes that are there.
 * Bytes appended by a tick that never committed (a kill, a failed write) are never pointed at:
 * a log is only appended to, and every process start begins a new segment, so nothing needs
 * truncating. A pointer carries a CRC-32 of its bytes: bytes damaged under it (an OS crash that
 * wrote the batch but not the log) are an error when read, never wrong rows.
 *
 * Two implementations: `MemorySourceLog` (below: in-memory databases and tests) and
 * `FileSourceLog` (file-source-log.ts: segment files under the data directory).
 */
import { crc32 } from 'node:zlib';
import type { Bytes } from './kv-store.js';

/** Where one append's bytes are: its segment, its byte position there, its length and CRC-32. */
export interface LogPointer {
  segment: number;
  position: number;
  length: number;
  crc: number;
}

export interface SourceLog {
  /** Appends `bytes` to `name`'s log; they are in the log when this returns. */
  append(name: string, bytes: Bytes): LogPointer;
  /** The bytes at each pointer, in the order given (throws if they are missing or damaged). */
  read(name: string, at: readonly LogPointer[]): Promise<Bytes[]>;
  /** Deletes `name`'s log (DROP SOURCE). */
  drop(name: string): Promise<void>;
  /** Deletes the logs of every name not in `names` (a drop a crash interrupted). */
  retain(names: ReadonlySet<string>): Promise<void>;
  close(): Promise<void>;
}

const POINTER_BYTES = 20;

/** A pointer as a value in the KvStore: segment u32, position f64, length u32, crc u32 (little-endian). */
export function encodePointer(p: LogPointer): Bytes {
  const out = new Uint8Array(POINTER_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, p.segment, true);
  v.setFloat64(4, p.position, true);
  v.setUint32(12, p.length, true);
  v.setUint32(16, p.crc, true);
  return out;
}

export function decodePointer(b: Bytes): LogPointer {
  if (b.byteLength !== POINTER_BYTES) throw new Error(`a source log pointer has ${POINTER_BYTES} bytes, not ${b.byteLength}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { segment: v.getUint32(0, true), position: v.getFloat64(4, true), length: v.getUint32(12, true), crc: v.getUint32(16, true) };
}

/** The CRC-32 a pointer carries. */
export function checksum(bytes: Bytes): number {
  return crc32(bytes);
}

/** Throws unless `bytes` are what `p` points at. */
export function verify(name: string, p: LogPointer, bytes: Bytes): void {
  if (bytes.byteLength !== p.length || checksum(bytes) !== p.crc) {
    throw new Error(`source log ${name}: the ${p.length} bytes at segment ${p.segment}, position ${p.position} are missing or damaged`);
  }
}

/**
 * The in-memory SourceLog: each append is one copied chunk; a pointer's position is the chunk's
 * index (segment 0).
 */
export class MemorySourceLog implements SourceLog {
  readonly #logs = new Map<string, Bytes[]>();

  append(name: string, bytes: Bytes): LogPointer {
    let log = this.#logs.get(name);
    if (log === undefined) this.#logs.set(name, (log = []));
    log.push(bytes.slice());
    return { segment: 0, position: log.length - 1, length: bytes.byteLength, crc: checksum(bytes) };
  }

  async read(name: string, at: readonly LogPointer[]): Promise<Bytes[]> {
    const log = this.#logs.get(name) ?? [];
    return at.map((p) => {
      const bytes = log[p.position] ?? new Uint8Array(0);
      verify(name, p, bytes);
      return bytes;
    });
  }

  async drop(name: string): Promise<void> {
    this.#logs.delete(name);
  }

  async retain(names: ReadonlySet<string>): Promise<void> {
    for (const name of [...this.#logs.keys()]) if (!names.has(name)) this.#logs.delete(name);
  }

  async close(): Promise<void> {}
}
