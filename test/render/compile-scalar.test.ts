import { describe, expect, test } from 'vitest';
import { compileScalar } from '../../src/render/compile-scalar.js';
import type { ScalarExpr } from '../../src/plan/scalar-expr.js';
import { T } from '../../src/types/sql-type.js';

const env = { ctx: { now: 0, timeZone: 'UTC' } };
const text: ScalarExpr = { kind: 'Column', index: 0, type: T.text };

describe('compileScalar: Cast nodes', () => {
  test('an explicit cast to varchar(n) / char(n) truncates; an implicit or assignment one raises 22001', () => {
    const explicit = compileScalar({ kind: 'Cast', expr: text, type: { kind: 'varchar', length: 3 }, explicit: true }, env);
    expect(explicit(['abcdef'])).toBe('abc');
    expect(explicit([null])).toBeNull();
    expect(compileScalar({ kind: 'Cast', expr: text, type: { kind: 'char', length: 2 }, explicit: true }, env)(['abcdef'])).toBe('ab');
    const assignment = compileScalar({ kind: 'Cast', expr: text, type: { kind: 'varchar', length: 3 } }, env);
    expect(assignment(['abc'])).toBe('abc');
    expect(() => assignment(['abcdef'])).toThrow(expect.objectContaining({ code: '22001', message: 'value too long for type character varying(3)' }));
  });
});
