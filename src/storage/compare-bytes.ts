/**
 * compareBytes: the bytewise order of keys (as `Buffer.compare`), in JavaScript for short
 * keys: a native call costs more than comparing a few dozen bytes, and Buffer.compare must
 * first reach the bytes of a small Uint8Array that lives on V8's heap.
 */
import type { Bytes } from './kv-store.js';

/** Negative, zero or positive as `a` sorts before, equal to or after `b` (the sign of Buffer.compare). */
export function compareBytes(a: Bytes, b: Bytes): number {
  const na = a.length;
  const nb = b.length;
  if (na > 64 && nb > 64) return Buffer.compare(a, b);
  const n = na < nb ? na : nb;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return na - nb;
}
