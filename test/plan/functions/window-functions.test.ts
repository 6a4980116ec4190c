import { describe, expect, test } from 'vitest';
import { resolveCall } from '../../../src/plan/functions/registry.js';
import { windowDurationMicros } from '../../../src/plan/functions/window-functions.js';
import { Interval } from '../../../src/types/datum.js';
import { T } from '../../../src/types/sql-type.js';
import { parseDatum, formatDatum } from '../../../src/types/text-format.js';

const ctx = { now: 0, timeZone: 'UTC' };
const ts = (s: string) => parseDatum(s, T.timestamp);
const iv = (s: string) => parseDatum(s, T.interval);

describe('tumble_start', () => {
  test('floors to the size, aligned to the epoch plus the offset', () => {
    const two = resolveCall('tumble_start', [T.timestamp, T.interval])!.impl;
    const three = resolveCall('tumble_start', [T.timestamp, T.interval, T.interval])!.impl;
    expect([two.id, three.id]).toEqual(['tumble_start_size', 'tumble_start']);
    expect(formatDatum(two.eval([ts('2024-05-01 12:07:31'), iv('5 minutes')], ctx), T.timestamp)).toBe('2024-05-01 12:05:00');
    expect(formatDatum(three.eval([ts('2024-05-01 12:07:31'), iv('1 hour'), iv('10 minutes')], ctx), T.timestamp)).toBe('2024-05-01 11:10:00');
    expect(formatDatum(two.eval([ts('1969-12-31 23:59:59'), iv('1 day')], ctx), T.timestamp)).toBe('1969-12-31 00:00:00');
    expect(two.eval([Infinity, iv('1 day')], ctx)).toBe(Infinity);
    expect(resolveCall('tumble_start', [T.timestamptz, T.interval, T.interval])!.impl.id).toBe('tumble_start_timestamptz');
  });

  test('window parameters: no months, positive sizes (22023)', () => {
    expect(windowDurationMicros(new Interval(0, 1, 5), 'size')).toBe(86_400_000_005);
    expect(windowDurationMicros(new Interval(0, 0, -5), 'offset', false)).toBe(-5);
    expect(() => windowDurationMicros(new Interval(1, 0, 0), 'the size of TUMBLE')).toThrow('the size of TUMBLE must not contain months or years');
    expect(() => windowDurationMicros(new Interval(0, 0, 0), 'the size of TUMBLE')).toThrow('the size of TUMBLE must be positive');
  });
});
