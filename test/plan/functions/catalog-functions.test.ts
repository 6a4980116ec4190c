// The pure catalog functions, against values Postgres 15 gives; the session-dependent ones are
// exercised end to end in test/catalog/system-relations.test.ts.
import { describe, expect, test } from 'vitest';
import { formatType, sizePretty } from '../../../src/plan/functions/catalog-functions.js';
import { getFunction } from '../../../src/plan/functions/registry.js';

describe('format_type', () => {
  test('names with modifiers, arrays and the catalog-only types', () => {
    expect(formatType(23, -1)).toBe('integer');
    expect(formatType(1043, 14)).toBe('character varying(10)');
    expect(formatType(1700, ((10 << 16) | 2) + 4)).toBe('numeric(10,2)');
    expect(formatType(1015, 12)).toBe('character varying(8)[]');
    expect(formatType(1114, null)).toBe('timestamp without time zone');
    expect(formatType(19, -1)).toBe('name');
    expect(formatType(18, -1)).toBe('"char"');
    expect(formatType(999999, -1)).toBe('???');
  });
});

describe('pg_size_pretty', () => {
  test('units and half rounding as Postgres', () => {
    expect(sizePretty(0n)).toBe('0 bytes');
    expect(sizePretty(10239n)).toBe('10239 bytes');
    expect(sizePretty(10240n)).toBe('10 kB');
    expect(sizePretty(1048576n)).toBe('1024 kB');
    expect(sizePretty(10485760n)).toBe('10 MB');
    expect(sizePretty(123456789n)).toBe('118 MB');
    expect(sizePretty(-20480n)).toBe('-20 kB');
  });
});

describe('session functions', () => {
  test('are marked session (never constant-folded) and raise 0A000 without a session', () => {
    const f = getFunction('current_user');
    expect(f.session).toBe(true);
    expect(() => f.eval([], { now: 0, timeZone: 'UTC' })).toThrow(/current_user\(\) is not supported in a materialized view/);
    expect(getFunction('format_type').session).toBeUndefined();
  });
});
