import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareBytes } from '../../src/storage/compare-bytes.js';

const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);

describe('compareBytes', () => {
  it('has the sign of Buffer.compare, short and long, prefixes included', () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 12 }), fc.uint8Array({ minLength: 60, maxLength: 90 }));
    fc.assert(
      fc.property(bytes, bytes, fc.nat(3), (a, b, cut) => {
        expect(sign(compareBytes(a, b))).toBe(Buffer.compare(a, b));
        const p = a.subarray(0, Math.max(0, a.length - cut)); // a prefix sorts first
        expect(sign(compareBytes(p, a))).toBe(Buffer.compare(p, a));
        expect(compareBytes(a, new Uint8Array(a))).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('orders 0xff above every other byte', () => {
    expect(compareBytes(new Uint8Array([0xff]), new Uint8Array([0x00, 0xff]))).toBeGreaterThan(0);
    expect(compareBytes(new Uint8Array([]), new Uint8Array([0]))).toBeLessThan(0);
  });
});
