import { describe, expect, test } from 'vitest';
import { channelTable, nextCreditCard, nextExtra, nextString } from '../../../src/sources/generators/nexmark-strings.js';
import { Rng, seedKey } from '../../../src/sources/generators/random.js';

const rng = (key: number) => new Rng().reset(seedKey(7, 99), key);

/** Java's Math.abs(Integer.reverse(i)), written independently: via the binary string. */
function javaChannelId(i: number): number {
  const reversed = i.toString(2).padStart(32, '0').split('').reverse().join('');
  const asInt = parseInt(reversed, 2) | 0;
  return asInt === -2147483648 ? asInt : Math.abs(asInt);
}

describe('nexmark strings', () => {
  test('nextString: 3 … max−1 characters before trimming, a–z and inner spaces', () => {
    const lengths = new Set<number>();
    let spaces = 0;
    let chars = 0;
    for (let k = 0; k < 5000; k++) {
      const s = nextString(rng(k), 20);
      expect(s).toMatch(/^([a-z]([a-z ]*[a-z])?)?$/);
      expect(s.length).toBeLessThanOrEqual(19);
      lengths.add(s.length);
      spaces += s.split(' ').length - 1;
      chars += s.length;
    }
    expect(lengths.has(19)).toBe(true);
    expect(spaces / chars).toBeGreaterThan(0.05);
    expect(spaces / chars).toBeLessThan(0.1);
  });

  test('nextExtra: length in [d − δ, d + δ), "" past the average', () => {
    const seen = new Set<number>();
    for (let k = 0; k < 5000; k++) {
      const e = nextExtra(rng(k), 32, 100);
      expect(e).toMatch(/^[a-z]{54,81}$/);
      seen.add(e.length);
    }
    expect(Math.min(...seen)).toBe(54);
    expect(Math.max(...seen)).toBe(81);
    expect(nextExtra(rng(1), 120, 100)).toBe('');
    expect(nextExtra(rng(1), 100, 100)).toBe('');
    const long = nextExtra(rng(1), 0, 3_000_000); // longer than the 1 MiB pool
    expect(long.length).toBeGreaterThanOrEqual(2_400_000);
    expect(long.length).toBeLessThan(3_600_000);
    expect(/^[a-z]+$/.test(long)).toBe(true);
  });

  test('credit cards', () => {
    for (let k = 0; k < 100; k++) expect(nextCreditCard(rng(k))).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
  });

  test('channel table: names, URLs fixed per seed, channel_id = abs(Integer.reverse(i))', () => {
    const t = channelTable(0);
    expect(t.name(42)).toBe('channel-42');
    expect(t.hotUrls).toHaveLength(4);
    let withId = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = t.url(i);
      const m = /&channel_id=(-?\d+)$/.exec(u);
      if (m) {
        withId++;
        expect(Number(m[1])).toBe(javaChannelId(i));
      }
    }
    expect(withId).toBeGreaterThan(8800);
    expect(withId).toBeLessThan(9200);
    expect(javaChannelId(1)).toBe(-2147483648);
    expect(channelTable(0).url(5)).toBe(t.url(5));
    expect(channelTable(1).url(5)).not.toBe(t.url(5));
  });
});
