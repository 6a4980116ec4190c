import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isoTimestampMicros } from '../../../src/sources/kafka/iso-timestamp.js';
import { parseTimestamp } from '../../../src/types/datetime-format.js';

/** What Postgres's full parser gives (for timestamp and timestamptz), or 'error'. */
function full(s: string, withZone: boolean): number | 'error' {
  try {
    return parseTimestamp(s, withZone);
  } catch {
    return 'error';
  }
}

describe('isoTimestampMicros', () => {
  test('reads the common spellings', () => {
    expect(isoTimestampMicros('2026-11-26 10:00:00')).toBe(Date.UTC(2026, 10, 26, 10) * 1000);
    expect(isoTimestampMicros('2026-11-26 10:00:00.014')).toBe(Date.UTC(2026, 10, 26, 10, 0, 0, 14) * 1000);
    expect(isoTimestampMicros('2026-11-26T10:00:00.000014Z')).toBe(Date.UTC(2026, 10, 26, 10) * 1000 + 14);
    expect(isoTimestampMicros('2024-02-29 23:59:59.5')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 500) * 1000);
  });

  test('leaves everything else to the full parser', () => {
    for (const s of ['2023-02-29 00:00:00', '2026-11-26 24:00:00', '2026-11-26 10:00:60', '0099-01-01 00:00:00', '2026-11-26 10:00:00+02',
      '2026-11-26 10:00:00.1234567', '2026-11-26 10:00:00.', '2026-1-26 10:00:00', 'epoch', '2026-11-26', '2026-11-26 10:00:00 BC']) {
      expect(isoTimestampMicros(s), s).toBeUndefined();
    }
  });

  test('agrees with the full parser whenever it answers', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc
      .tuple(fc.integer({ min: 900, max: 9999 }), two(13), two(32), fc.constantFrom(' ', 'T', 'x'), two(25), two(61), two(61),
        fc.constantFrom('', '.', '.1', '.014', '.123456', '.1234567', '.x'), fc.constantFrom('', 'Z', '+01', ' '))
      .map(([y, mo, d, sep, h, mi, s, f, z]) => `${String(y).padStart(4, '0')}-${mo}-${d}${sep}${h}:${mi}:${s}${f}${z}`);
    fc.assert(
      fc.property(text, (s) => {
        const fast = isoTimestampMicros(s);
        if (fast === undefined) return;
        expect(fast).toBe(full(s, false));
        expect(fast).toBe(full(s, true));
      }),
      { numRuns: 20_000 },
    );
  });

  test('agrees with the full parser over runs of timestamps in the same minute (the minute read once)', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const minute = fc
      .tuple(fc.integer({ min: 999, max: 2100 }), two(13), two(31), fc.constantFrom(' ', 'T'), two(24), two(60))
      .map(([y, mo, d, sep, h, mi]) => `${y}-${mo}-${d}${sep}${h}:${mi}`);
    const rest = fc
      .tuple(two(61), fc.constantFrom('', '.', '.5', '.014', '.123456', '.1234567'), fc.constantFrom('', 'Z', '+01'))
      .map(([sec, f, z]) => `:${sec}${f}${z}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), rest), { minLength: 1, maxLength: 12 }), minute, minute, minute, (seq, ...minutes) => {
        for (const [m, r] of seq) {
          const s = minutes[m]! + r;
          const fast = isoTimestampMicros(s);
          if (fast === undefined) continue;
          expect(fast, s).toBe(full(s, false));
        }
      }),
      { numRuns: 3_000 },
    );
    expect(isoTimestampMicros('2026-11-26 10:00:01')).toBe(Date.UTC(2026, 10, 26, 10, 0, 1) * 1000);
    expect(isoTimestampMicros('2026-11-26 10:00:60')).toBeUndefined();
    expect(isoTimestampMicros('2026-11-26 10:00:02.1234567')).toBeUndefined();
    expect(isoTimestampMicros('2026-11-26 10:00:03.25Z')).toBe(Date.UTC(2026, 10, 26, 10, 0, 3, 250) * 1000);
  });
});
