import { beforeAll, describe, expect, test } from 'vitest';
import { bindError, columnsOf, plan, ready } from './bind-helper.js';

beforeAll(() => ready);

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('set operations', () => {
  test('UNION ALL and UNION', () => {
    expect(plan('select a from t union all select x from w')).toBe(lines('Union', '  Project (#0)', '    Get public.t', '  Project (#0)', '    Get public.w'));
    expect(plan('select a from t union select x from w')).toBe(lines('Distinct', '  Union', '    Project (#0)', '      Get public.t', '    Project (#0)', '      Get public.w'));
  });

  test('EXCEPT ALL = Threshold(A − B); EXCEPT on distinct inputs', () => {
    expect(plan('select a from t except all select x from w')).toBe(
      lines('Threshold', '  Union', '    Project (#0)', '      Get public.t', '    Negate', '      Project (#0)', '        Get public.w'),
    );
    expect(plan('select a from t except select x from w')).toBe(
      lines('Threshold', '  Union', '    Distinct', '      Project (#0)', '        Get public.t', '    Negate', '      Distinct', '        Project (#0)', '          Get public.w'),
    );
  });

  test('INTERSECT ALL = A − Threshold(A − B)', () => {
    expect(plan('select a from t intersect all select x from w')).toBe(
      lines(
        'Union',
        '  Project (#0)',
        '    Get public.t',
        '  Negate',
        '    Threshold',
        '      Union',
        '        Project (#0)',
        '          Get public.t',
        '        Negate',
        '          Project (#0)',
        '            Get public.w',
      ),
    );
  });

  test('branch types unify', () => {
    expect(columnsOf('select a from t union select c from t')).toEqual(['a bigint']);
    expect(columnsOf('select a, b from t union all select 1.5, null')).toEqual(['a numeric', 'b text']);
    expect(bindError('select a from t union select b from t')).toMatchObject({ code: '42804', message: 'UNION types integer and text cannot be matched' });
    expect(bindError('select a, b from t union select a from t')).toMatchObject({ code: '42601' });
  });
});
