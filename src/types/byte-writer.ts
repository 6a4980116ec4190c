/**
 * ByteWriter: a growable byte buffer shared by key-codec.ts and value-codec.ts. One writer is
 * reused across calls (reset, write, `finish` copies out), so encoding a row allocates only
 * its result. @internal
 */
import { offHeapCopy } from './off-heap-bytes.js';

export class ByteWriter {
  buf: Buffer;
  /** The same memory as `buf`, as a plain Uint8Array (its slice() is a fast native copy). */
  u8a: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(size = 1024) {
    this.buf = Buffer.allocUnsafeSlow(size);
    this.u8a = new Uint8Array(this.buf.buffer, this.buf.byteOffset, size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  reset(): void {
    this.pos = 0;
    if (this.buf.length > 1 << 20) this.#alloc(1024);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const old = this.buf;
    this.#alloc(size);
    old.copy(this.buf, 0, 0, this.pos);
  }

  #alloc(size: number): void {
    this.buf = Buffer.allocUnsafeSlow(size);
    this.u8a = new Uint8Array(this.buf.buffer, this.buf.byteOffset, size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  u8(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned LEB128 for 0 <= n <= 2^53. */
  varUint(n: number): void {
    this.ensure(8);
    const buf = this.buf;
    while (n >= 0x80) {
      buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[this.pos++] = n;
  }

  /** Zigzag LEB128 for int32 values. */
  varInt32(n: number): void {
    this.varUint(((n << 1) ^ (n >> 31)) >>> 0);
  }

  f64LE(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Writes `s` as UTF-8 and returns the byte count. */
  utf8(s: string): number {
    const n = s.length;
    if (n < 32) {
      this.ensure(n * 3);
      const buf = this.buf;
      const start = this.pos;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        this.pos += n;
        return n;
      }
      const w = buf.write(s.slice(i), start + i, 'utf8');
      this.pos = start + i + w;
      return i + w;
    }
    this.ensure(n * 3);
    const w = this.buf.write(s, this.pos, 'utf8');
    this.pos += w;
    return w;
  }

  /** A copy of the bytes written since the last reset. */
  finish(): Uint8Array {
    const n = this.pos;
    if (n > 64) return this.u8a.slice(0, n);
    const out = new Uint8Array(n);
    const src = this.u8a;
    for (let i = 0; i < n; i++) out[i] = src[i]!;
    return out;
  }

  /** `finish`, but the copy is a view of an off-heap slab (off-heap-bytes.ts: for a batch's keys and values only). */
  finishOffHeap(): Uint8Array {
    return offHeapCopy(this.u8a, this.pos);
  }
}

/** A Buffer view over `b` (no copy), for Buffer's fast string decoding. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Decodes UTF-8 bytes [start, end) of `buf` (a Buffer: its native utf8 slice is the fastest path). */
export function readUtf8(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n < 8) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return buf.toString('utf8', start, end);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return buf.toString('utf8', start, end);
}
