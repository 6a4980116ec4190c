/**
 * BigIntCache: int8 ids as bigints without a `BigInt()` call (a runtime call and an
 * allocation) per use. Nexmark ids repeat a lot — a bid's auction and bidder are mostly the
 * hot ones or recent ones — so a small direct-mapped cache (slot = id mod 2^16) returns the
 * same immutable bigint for the same id. Values are the same with or without the cache.
 */
const SLOTS = 1 << 16;
const MASK = SLOTS - 1;

export class BigIntCache {
  readonly #ids = new Float64Array(SLOTS).fill(-1);
  readonly #values: bigint[] = new Array<bigint>(SLOTS).fill(0n);

  /** BigInt(id) for a non-negative safe integer id. */
  get(id: number): bigint {
    const slot = id & MASK;
    if (this.#ids[slot] === id) return this.#values[slot]!;
    const v = BigInt(id);
    this.#ids[slot] = id;
    this.#values[slot] = v;
    return v;
  }
}
