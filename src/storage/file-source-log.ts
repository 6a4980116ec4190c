/**
 * FileSourceLog: SourceLog (source-log.ts) as segment files, `<dir>/<name>/<segment>.log`.
 *
 * - **Appending** is a synchronous write at the end of the name's current segment (the page
 *   cache takes it; no fsync, as LevelDB's log is not synced either: a kill -9 loses nothing).
 *   It runs on the caller's thread so that it is done before the tick's batch is issued.
 * - **Segments:** the first append after `open` starts a new segment (one more than the
 *   highest on disk), so bytes of ticks that never committed are simply never pointed at; a
 *   segment past SEGMENT_BYTES starts the next.
 * - **Reading** sorts the pointers by place, reads runs of adjacent ones with one read each,
 *   and checks every pointer's length and CRC-32.
 *
 * State: one open file descriptor per name appended to since `open`. Disk use grows with what is
 * appended (and at most a few ticks' worth of unreferenced bytes per crash) until DROP SOURCE.
 */
import { closeSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bytes } from './kv-store.js';
import { checksum, verify, type LogPointer, type SourceLog } from './source-log.js';

/** A segment this large gets no more appends: the next one starts a new segment. */
export const SEGMENT_BYTES = 256 * 1024 * 1024;
/** Reading merges adjacent pointers into reads of at most this many bytes. */
const READ_BYTES = 8 * 1024 * 1024;

interface Tail {
  fd: number;
  segment: number;
  size: number;
}

const segmentFile = (segment: number): string => `${String(segment).padStart(8, '0')}.log`;

export class FileSourceLog implements SourceLog {
  readonly #dir: string;
  readonly #segmentBytes: number;
  readonly #tails = new Map<string, Tail>();

  private constructor(dir: string, segmentBytes: number) {
    this.#dir = dir;
    this.#segmentBytes = segmentBytes;
  }

  /** Opens (creating if needed) the logs under `dir`; `segmentBytes` for tests. */
  static open(dir: string, segmentBytes = SEGMENT_BYTES): FileSourceLog {
    mkdirSync(dir, { recursive: true });
    return new FileSourceLog(dir, segmentBytes);
  }

  append(name: string, bytes: Bytes): LogPointer {
    let tail = this.#tails.get(name);
    if (tail !== undefined && tail.size >= this.#segmentBytes) {
      closeSync(tail.fd);
      tail = this.#start(name, tail.segment + 1);
    }
    tail ??= this.#start(name, this.#lastSegment(name) + 1);
    const position = tail.size;
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(tail.fd, bytes, done, bytes.byteLength - done, position + done);
    tail.size += bytes.byteLength;
    return { segment: tail.segment, position, length: bytes.byteLength, crc: checksum(bytes) };
  }

  #start(name: string, segment: number): Tail {
    const dir = join(this.#dir, name);
    mkdirSync(dir, { recursive: true });
    // 'wx': a segment is never reopened for writing (a crash leaves its tail unreferenced).
    const tail = { fd: openSync(join(dir, segmentFile(segment)), 'wx'), segment, size: 0 };
    this.#tails.set(name, tail);
    return tail;
  }

  #lastSegment(name: string): number {
    let last = 0;
    try {
      for (const f of readdirSync(join(this.#dir, name))) {
        const n = /^(\d+)\.log$/.exec(f);
        if (n) last = Math.max(last, Number(n[1]));
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return last;
  }

  async read(name: string, at: readonly LogPointer[]): Promise<Bytes[]> {
    const out: Bytes[] = new Array(at.length);
    const order = at.map((_, i) => i).sort((a, b) => at[a]!.segment - at[b]!.segment || at[a]!.position - at[b]!.position);
    let file: { segment: number; handle: FileHandle } | undefined;
    try {
      for (let i = 0; i < order.length; ) {
        const first = at[order[i]!]!;
        // A run: pointers of one segment, each starting where the one before ended.
        let j = i + 1;
        let end = first.position + first.length;
        while (j < order.length) {
          const p = at[order[j]!]!;
          if (p.segment !== first.segment || p.position !== end || end + p.length - first.position > READ_BYTES) break;
          end += p.length;
          j++;
        }
        if (file?.segment !== first.segment) {
          await file?.handle.close();
          file = undefined;
          file = { segment: first.segment, handle: await open(join(this.#dir, name, segmentFile(first.segment)), 'r') };
        }
        const buf = Buffer.allocUnsafe(end - first.position);
        let got = 0;
        while (got < buf.byteLength) {
          const { bytesRead } = await file.handle.read(buf, got, buf.byteLength - got, first.position + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        for (let k = i; k < j; k++) {
          const p = at[order[k]!]!;
          const from = p.position - first.position;
          const bytes = buf.subarray(from, Math.min(got, from + p.length));
          verify(name, p, bytes);
          out[order[k]!] = bytes;
        }
        i = j;
      }
    } finally {
      await file?.handle.close();
    }
    return out;
  }

  async drop(name: string): Promise<void> {
    const tail = this.#tails.get(name);
    if (tail !== undefined) closeSync(tail.fd);
    this.#tails.delete(name);
    await rm(join(this.#dir, name), { recursive: true, force: true });
  }

  async retain(names: ReadonlySet<string>): Promise<void> {
    for (const name of await readdir(this.#dir)) if (!names.has(name)) await this.drop(name);
  }

  async close(): Promise<void> {
    for (const tail of this.#tails.values()) closeSync(tail.fd);
    this.#tails.clear();
  }
}
