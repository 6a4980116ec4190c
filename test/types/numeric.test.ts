import { describe, expect, it } from 'vitest';
import { Numeric } from '../../src/types/numeric.js';
import { SqlError } from '../../src/types/sql-error.js';

const n = (s: string): Numeric => Numeric.parse(s);
const str = (x: Numeric): string => x.toString();

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SqlError) return `${e.code} ${e.message}`;
    throw e;
  }
  throw new Error('expected an error');
}

describe('Numeric arithmetic', () => {
  it('add and sub keep the larger scale', () => {
    expect(str(n('10.50').add(n('3')))).toBe('13.50');
    expect(str(n('0.1').add(n('0.20')))).toBe('0.30');
    expect(str(n('1').sub(n('1.000')))).toBe('0.000');
    expect(str(n('-5.5').sub(n('4.25')))).toBe('-9.75');
  });

  it('mul sums the scales', () => {
    expect(str(n('1.5').mul(n('2.25')))).toBe('3.375');
    expect(str(n('10.0').mul(n('10.0')))).toBe('100.00');
    expect(str(n('-3').mul(n('0.5')))).toBe('-1.5');
  });

  it('div picks at least 16 significant digits (select_div_scale)', () => {
    expect(str(n('1').div(n('3')))).toBe('0.33333333333333333333');
    expect(str(n('10').div(n('2')))).toBe('5.0000000000000000');
    expect(str(n('2').div(n('3')))).toBe('0.66666666666666666667');
    expect(str(n('1').div(n('7')))).toBe('0.14285714285714285714');
    expect(str(n('100').div(n('7')))).toBe('14.2857142857142857');
    expect(str(n('1.00').div(n('3')))).toBe('0.33333333333333333333');
    expect(str(n('12345678').div(n('0.001')))).toBe('12345678000.00000000');
    expect(str(n('-1').div(n('3')))).toBe('-0.33333333333333333333');
    expect(str(n('7.5').div(n('2.5')))).toBe('3.0000000000000000');
    expect(str(n('1').div(n('30000')))).toBe('0.000033333333333333333333');
  });

  it('mod has the sign of the dividend', () => {
    expect(str(n('10').mod(n('3')))).toBe('1');
    expect(str(n('-10').mod(n('3')))).toBe('-1');
    expect(str(n('10.5').mod(n('3')))).toBe('1.5');
    expect(str(n('5.25').mod(n('-2')))).toBe('1.25');
  });

  it('division by zero is 22012', () => {
    expect(codeOf(() => n('1').div(n('0')))).toBe('22012 division by zero');
    expect(codeOf(() => n('1').mod(n('0.0')))).toBe('22012 division by zero');
    expect(codeOf(() => n('Infinity').div(n('0')))).toBe('22012 division by zero');
  });

  it('round and trunc, half away from zero', () => {
    expect(str(n('2.5').round())).toBe('3');
    expect(str(n('-2.5').round())).toBe('-3');
    expect(str(n('2.4999').round())).toBe('2');
    expect(str(n('1.2345').round(2))).toBe('1.23');
    expect(str(n('1.235').round(2))).toBe('1.24');
    expect(str(n('1234.5').round(-2))).toBe('1200');
    expect(str(n('1250').round(-2))).toBe('1300');
    expect(str(n('1.5').round(3))).toBe('1.500');
    expect(str(n('-2.7').trunc())).toBe('-2');
    expect(str(n('2.789').trunc(1))).toBe('2.7');
    expect(str(n('1299').trunc(-2))).toBe('1200');
  });

  it('compares by value, ignoring scale', () => {
    expect(n('1.0').cmp(n('1.00'))).toBe(0);
    expect(n('1.0').equals(n('1'))).toBe(true);
    expect(n('-1').cmp(n('0.5'))).toBe(-1);
    expect(n('NaN').cmp(n('Infinity'))).toBe(1);
    expect(n('-Infinity').cmp(n('-1e100'))).toBe(-1);
    expect(n('NaN').cmp(n('NaN'))).toBe(0);
  });

  it('neg, abs, isZero', () => {
    expect(str(n('1.50').neg())).toBe('-1.50');
    expect(str(n('-1.50').abs())).toBe('1.50');
    expect(str(n('-Infinity').abs())).toBe('Infinity');
    expect(n('0.000').isZero()).toBe(true);
    expect(n('NaN').isZero()).toBe(false);
  });

  it('NaN and Infinity as Postgres 14+', () => {
    expect(str(n('NaN').add(n('1')))).toBe('NaN');
    expect(str(n('Infinity').add(n('1')))).toBe('Infinity');
    expect(str(n('Infinity').add(n('-Infinity')))).toBe('NaN');
    expect(str(n('Infinity').sub(n('Infinity')))).toBe('NaN');
    expect(str(n('Infinity').mul(n('-2')))).toBe('-Infinity');
    expect(str(n('Infinity').mul(n('0')))).toBe('NaN');
    expect(str(n('1').div(n('Infinity')))).toBe('0');
    expect(str(n('-Infinity').div(n('2')))).toBe('-Infinity');
    expect(str(n('Infinity').div(n('Infinity')))).toBe('NaN');
    expect(str(n('5').mod(n('Infinity')))).toBe('5');
    expect(str(n('Infinity').mod(n('5')))).toBe('NaN');
  });

  it('converts to integers', () => {
    expect(n('2.5').toBigIntRound()).toBe(3n);
    expect(n('-2.5').toBigIntRound()).toBe(-3n);
    expect(n('-2.4').toBigIntRound()).toBe(-2n);
    expect(n('-2.9').toBigIntTrunc()).toBe(-2n);
    expect(Numeric.fromBigInt(12345678901234567890n).toString()).toBe('12345678901234567890');
    expect(codeOf(() => n('NaN').toBigIntRound())).toBe('0A000 cannot convert NaN to integer');
    expect(codeOf(() => n('Infinity').toBigIntTrunc())).toBe('0A000 cannot convert infinity to integer');
  });
});
