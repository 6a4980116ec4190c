/**
 * Off-heap byte strings for the keys and values of a tick's batch: each one a view of a large
 * off-heap slab (64 KiB, its own ArrayBuffer), cut off by bumping an offset. LevelDB's
 * binding reads such a view through a pointer, where a small Uint8Array made by `new` or
 * `slice` lives on V8's heap and must be moved off it (and copied into an off-heap arena by
 * storage/level-kv-store.ts first, to avoid that). Encoding straight into a slab saves the
 * heap allocation and that second copy.
 *
 * Safe because slabs are never reused: a slab is only written at offsets not yet handed out,
 * so a view's bytes never change after it is returned, and the slab is freed by the GC once
 * no view of it is left. The cost is that any one view keeps its whole slab alive: use these
 * only for bytes that live as long as a batch (a KvOp marked `offHeap`), never for keys kept
 * in long-lived maps.
 */
const SLAB_BYTES = 64 * 1024;

let slab = new ArrayBuffer(0);
let slabBytes = new Uint8Array(slab);
let used = 0;

/** An off-heap copy of `src[0, n)`. */
export function offHeapCopy(src: Uint8Array, n: number): Uint8Array {
  if (used + n > slabBytes.length) {
    // Buffer.allocUnsafeSlow: an off-heap ArrayBuffer of its own, not zeroed.
    const size = n > SLAB_BYTES / 4 ? n : SLAB_BYTES;
    const b = Buffer.allocUnsafeSlow(size);
    if (n > SLAB_BYTES / 4) {
      // A large string gets a buffer of its own (the current slab stays in use for small ones).
      b.set(n === src.length ? src : src.subarray(0, n));
      return new Uint8Array(b.buffer, 0, n);
    }
    slab = b.buffer as ArrayBuffer;
    slabBytes = new Uint8Array(slab, 0, size);
    used = 0;
  }
  const at = used;
  if (n <= 32) {
    const dst = slabBytes;
    for (let i = 0; i < n; i++) dst[at + i] = src[i]!;
  } else {
    slabBytes.set(n === src.length ? src : src.subarray(0, n), at);
  }
  used = at + n;
  return new Uint8Array(slab, at, n);
}
