import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/types/byte-writer.js';

/** Reads unsigned LEB128 (the format varUint writes). */
function readLeb128(bytes: Uint8Array): number {
  let n = 0;
  let scale = 1;
  for (const b of bytes) {
    n += (b & 0x7f) * scale;
    scale *= 0x80;
    if (b < 0x80) break;
  }
  return n;
}

describe('ByteWriter', () => {
  it('varUint writes LEB128 on both sides of 2^31, up to 2^53', () => {
    const w = new ByteWriter(4);
    for (const n of [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53]) {
      w.reset();
      w.varUint(n);
      const bytes = w.finish();
      expect(readLeb128(bytes)).toBe(n);
      expect(bytes.length).toBe(Math.max(1, Math.ceil(Math.log2(n + 1) / 7)));
    }
  });

  it('bytes copies short and long strings, growing the buffer', () => {
    const w = new ByteWriter(4);
    const short = new Uint8Array([1, 2, 3]);
    const long = new Uint8Array(100).map((_, i) => i);
    w.bytes(short);
    w.bytes(long);
    w.bytes(short);
    expect(Array.from(w.finish())).toEqual([1, 2, 3, ...Array.from(long), 1, 2, 3]);
  });
});
