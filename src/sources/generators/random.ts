/**
 * Random numbers for the generators: a small counter-based generator that is reset per key, so
 * every value a generator draws is a pure function of (seed, domain, key, draw index) and any
 * event or row can be produced on its own, in any order, on any partition.
 *
 * A stream is named by a `SeedKey` (two 32-bit words from the user's seed and a domain constant
 * that keeps unrelated uses apart) plus a numeric key (an event id, a row index, a channel
 * number). Draw i of a stream is `fmix32(fmix32(s0 + i·φ) ^ k)`, with (s0, k) hashed from the
 * SeedKey and the key: 64 bits name a stream, so two events never share or overlap one in
 * practice. 32-bit integer math only (Math.imul), no BigInt and no allocation per draw.
 */

const GOLDEN = 0x9e3779b9;
const TWO_32 = 4294967296;

/** murmur3's 32-bit finalizer: a bijection on uint32 with full avalanche. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The words naming a family of streams: a user seed under one domain. */
export interface SeedKey {
  readonly a: number;
  readonly b: number;
}

/** Streams for `seed` (any safe integer) in `domain` (a small constant per use). */
export function seedKey(seed: number, domain: number): SeedKey {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_32) | 0;
  const d = mix32(domain + GOLDEN);
  return {
    a: mix32(mix32(lo ^ d) ^ hi),
    b: mix32(mix32((lo + 0x6a09e667) ^ hi) ^ mix32(d + 0x3c6ef372)),
  };
}

/** FNV-1a over UTF-16 code units: a stable 32-bit hash of a name (a column path). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A reusable generator. `reset` positions it at the start of one stream; the draws that
 * follow depend on nothing else. Not shared across calls that interleave.
 */
export class Rng {
  private s = 0;
  private k = 0;

  /** Starts the stream of `key` (a non-negative safe integer) under `seed`. */
  reset(seed: SeedKey, key: number): this {
    const lo = key >>> 0;
    const hi = (key / TWO_32) >>> 0;
    this.s = mix32(mix32(seed.a ^ lo) ^ hi);
    this.k = mix32(mix32((seed.b + lo) | 0) ^ (hi + 0x5bd1e995));
    return this;
  }

  /** A uniform uint32. */
  u32(): number {
    const s = (this.s + GOLDEN) | 0;
    this.s = s;
    return mix32(mix32(s) ^ this.k);
  }

  /** A uniform integer in [0, n), n ≥ 1 (exact enough for any n up to 2^53). */
  int(n: number): number {
    if (n <= TWO_32) return Math.floor((this.u32() / TWO_32) * n);
    return Math.floor(this.double() * n);
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  double(): number {
    const hi = this.u32() >>> 5; // 27 bits
    const lo = this.u32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}
