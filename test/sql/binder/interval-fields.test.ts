import { describe, expect, test } from 'vitest';
import { qualifyIntervalText, unitOfIntervalRange } from '../../../src/sql/binder/interval-fields.js';

// Field masks as libpg-query gives them (Postgres's INTERVAL_MASK bits).
const YEAR = 4, MONTH = 2, DAY = 8, HOUR = 1024, MINUTE = 2048, SECOND = 4096;

describe('interval field qualifiers', () => {
  test('a bare number takes the unit of the last field', () => {
    expect([YEAR, MONTH, YEAR | MONTH, DAY, HOUR, DAY | HOUR, MINUTE, HOUR | MINUTE, SECOND, DAY | HOUR | MINUTE | SECOND].map(unitOfIntervalRange)).toEqual([
      'years', 'months', 'months', 'days', 'hours', 'hours', 'minutes', 'minutes', 'seconds', 'seconds',
    ]);
  });

  test('only bare numbers are rewritten', () => {
    expect(qualifyIntervalText('30', MINUTE)).toBe('30 minutes');
    expect(qualifyIntervalText(' -1.5 ', HOUR)).toBe('-1.5 hours');
    expect(qualifyIntervalText('1-2', YEAR | MONTH)).toBe('1-2');
    expect(qualifyIntervalText('1 day', HOUR)).toBe('1 day');
    expect(qualifyIntervalText('30', undefined)).toBe('30');
  });
});
