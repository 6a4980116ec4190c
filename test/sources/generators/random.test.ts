import { describe, expect, test } from 'vitest';
import { Rng, hashString, mix32, seedKey } from '../../../src/sources/generators/random.js';

describe('Rng', () => {
  test('a stream is a pure function of (seed, domain, key)', () => {
    const draw = (seed: number, domain: number, key: number) => {
      const r = new Rng().reset(seedKey(seed, domain), key);
      return [r.u32(), r.u32(), r.int(1000), r.double()];
    };
    expect(draw(1, 2, 3)).toEqual(draw(1, 2, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(2, 2, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 3, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 2, 4));
    expect(draw(0, 1, 2 ** 40)).not.toEqual(draw(0, 1, 2 ** 40 + 1));
    expect(draw(-5, 1, 0)).not.toEqual(draw(5, 1, 0));
  });

  test('consecutive keys give uncorrelated first draws (roughly uniform)', () => {
    const key = seedKey(0, 1);
    const r = new Rng();
    const buckets = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let k = 0; k < n; k++) buckets[r.reset(key, k).int(10)]!++;
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(600);
  });

  test('int(n) stays in [0, n), double in [0, 1)', () => {
    const r = new Rng().reset(seedKey(9, 9), 0);
    for (let i = 0; i < 10_000; i++) {
      const a = r.int(7);
      expect(a >= 0 && a < 7 && Number.isInteger(a)).toBe(true);
      const b = r.int(2 ** 40);
      expect(b >= 0 && b < 2 ** 40 && Number.isInteger(b)).toBe(true);
      const d = r.double();
      expect(d >= 0 && d < 1).toBe(true);
    }
  });

  test('mix32 and hashString are stable', () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).toBe(mix32(1));
    expect(hashString('v1.v2')).not.toBe(hashString('v1.v3'));
  });
});
