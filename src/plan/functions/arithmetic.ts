/**
 * arithmetic.ts owns the arithmetic operators of the numeric types (int2, int4, int8, float4,
 * float8, numeric): + - * / % unary - and +, abs, and the integer bitwise operators & | # ~ << >>.
 *
 * Postgres semantics: integer results are range-checked (22003 "integer out of range"), int / int
 * truncates toward zero, x / 0 and x % 0 raise 22012 "division by zero", % takes the sign of the
 * dividend, float results that overflow raise 22003 "value out of range: overflow". int8 is bigint.
 * Mixed-type calls (int4 + int8) resolve through implicit casts to the wider type, as Postgres's
 * result types are the same.
 */
import type { Datum } from '../../types/datum.js';
import type { Numeric } from '../../types/numeric.js';
import { T, type SqlType } from '../../types/sql-type.js';
import {
  checkFloat4,
  checkFloat8,
  checkInt2,
  checkInt4,
  checkInt8,
  divisionByZero,
  fn,
  outOfRange,
  type Fn,
} from './define.js';

type NumOps = {
  add(a: Datum, b: Datum): Datum;
  sub(a: Datum, b: Datum): Datum;
  mul(a: Datum, b: Datum): Datum;
  div(a: Datum, b: Datum): Datum;
  mod?(a: Datum, b: Datum): Datum;
  neg(a: Datum): Datum;
  abs(a: Datum): Datum;
};

function smallIntOps(check: (v: number) => number, min: number, what: string): NumOps {
  return {
    add: (a, b) => check((a as number) + (b as number)),
    sub: (a, b) => check((a as number) - (b as number)),
    mul: (a, b) => check((a as number) * (b as number)),
    div: (a, b) => {
      if (b === 0) throw divisionByZero();
      if (a === min && b === -1) throw outOfRange(what);
      return Math.trunc((a as number) / (b as number)) + 0;
    },
    mod: (a, b) => {
      if (b === 0) throw divisionByZero();
      if (b === -1) return 0;
      return ((a as number) % (b as number)) + 0;
    },
    neg: (a) => check(-(a as number) + 0),
    abs: (a) => check(Math.abs(a as number)),
  };
}

const int8Ops: NumOps = {
  add: (a, b) => checkInt8((a as bigint) + (b as bigint)),
  sub: (a, b) => checkInt8((a as bigint) - (b as bigint)),
  mul: (a, b) => checkInt8((a as bigint) * (b as bigint)),
  div: (a, b) => {
    if (b === 0n) throw divisionByZero();
    return checkInt8((a as bigint) / (b as bigint));
  },
  mod: (a, b) => {
    if (b === 0n) throw divisionByZero();
    return (a as bigint) % (b as bigint);
  },
  neg: (a) => checkInt8(-(a as bigint)),
  abs: (a) => checkInt8((a as bigint) < 0n ? -(a as bigint) : (a as bigint)),
};

const float8Ops: NumOps = {
  add: (a, b) => checkFloat8((a as number) + (b as number), a as number, b as number),
  sub: (a, b) => checkFloat8((a as number) - (b as number), a as number, b as number),
  mul: (a, b) => checkFloat8((a as number) * (b as number), a as number, b as number),
  div: (a, b) => {
    if (b === 0) throw divisionByZero();
    return checkFloat8((a as number) / (b as number), a as number, b as number);
  },
  neg: (a) => -(a as number),
  abs: (a) => Math.abs(a as number),
};

const float4Ops: NumOps = {
  add: (a, b) => checkFloat4((a as number) + (b as number), a as number, b as number),
  sub: (a, b) => checkFloat4((a as number) - (b as number), a as number, b as number),
  mul: (a, b) => checkFloat4((a as number) * (b as number), a as number, b as number),
  div: (a, b) => {
    if (b === 0) throw divisionByZero();
    return checkFloat4((a as number) / (b as number), a as number, b as number);
  },
  neg: (a) => -(a as number),
  abs: (a) => Math.abs(a as number),
};

const numericOps: NumOps = {
  add: (a, b) => (a as Numeric).add(b as Numeric),
  sub: (a, b) => (a as Numeric).sub(b as Numeric),
  mul: (a, b) => (a as Numeric).mul(b as Numeric),
  div: (a, b) => (a as Numeric).div(b as Numeric),
  mod: (a, b) => (a as Numeric).mod(b as Numeric),
  neg: (a) => (a as Numeric).neg(),
  abs: (a) => (a as Numeric).abs(),
};

const FAMILIES: [string, SqlType, NumOps][] = [
  ['int2', T.int2, smallIntOps(checkInt2, -32768, 'smallint')],
  ['int4', T.int4, smallIntOps(checkInt4, -2147483648, 'integer')],
  ['int8', T.int8, int8Ops],
  ['float4', T.float4, float4Ops],
  ['float8', T.float8, float8Ops],
  ['numeric', T.numeric, numericOps],
];

function familyFunctions(name: string, t: SqlType, ops: NumOps): Fn[] {
  const out: Fn[] = [
    fn(`${name}_add`, '+', [t, t], t, ([a, b]) => ops.add(a!, b!)),
    fn(`${name}_sub`, '-', [t, t], t, ([a, b]) => ops.sub(a!, b!)),
    fn(`${name}_mul`, '*', [t, t], t, ([a, b]) => ops.mul(a!, b!)),
    fn(`${name}_div`, '/', [t, t], t, ([a, b]) => ops.div(a!, b!)),
    fn(`${name}_neg`, '-', [t], t, ([a]) => ops.neg(a!)),
    fn(`${name}_pos`, '+', [t], t, ([a]) => a!),
    fn(`${name}_abs`, 'abs', [t], t, ([a]) => ops.abs(a!)),
  ];
  const mod = ops.mod;
  if (mod) {
    out.push(fn(`${name}_mod`, '%', [t, t], t, ([a, b]) => mod(a!, b!)));
    out.push(fn(`${name}_mod_fn`, 'mod', [t, t], t, ([a, b]) => mod(a!, b!)));
  }
  return out;
}

function bitwise(name: string, t: SqlType, check: (v: number) => number): Fn[] {
  const shift = (a: number, n: number, left: boolean): number => {
    const bits = name === 'int2' ? 16 : 32;
    const k = ((n % bits) + bits) % bits; // C shifts by n mod width on x86
    if (left) return name === 'int2' ? ((a << k) << 16) >> 16 : a << k;
    return a >> k;
  };
  return [
    fn(`${name}_and`, '&', [t, t], t, ([a, b]) => (a as number) & (b as number)),
    fn(`${name}_or`, '|', [t, t], t, ([a, b]) => (a as number) | (b as number)),
    fn(`${name}_xor`, '#', [t, t], t, ([a, b]) => (a as number) ^ (b as number)),
    fn(`${name}_not`, '~', [t], t, ([a]) => check(~(a as number))),
    fn(`${name}_shl`, '<<', [t, T.int4], t, ([a, n]) => shift(a as number, n as number, true)),
    fn(`${name}_shr`, '>>', [t, T.int4], t, ([a, n]) => shift(a as number, n as number, false)),
  ];
}

function int8Shift(a: bigint, n: number, left: boolean): bigint {
  const k = BigInt(((n % 64) + 64) % 64);
  return left ? BigInt.asIntN(64, a << k) : a >> k;
}

export const ARITHMETIC_FUNCTIONS: readonly Fn[] = [
  ...FAMILIES.flatMap(([name, t, ops]) => familyFunctions(name, t, ops)),
  ...bitwise('int2', T.int2, checkInt2),
  ...bitwise('int4', T.int4, checkInt4),
  fn('int8_and', '&', [T.int8, T.int8], T.int8, ([a, b]) => (a as bigint) & (b as bigint)),
  fn('int8_or', '|', [T.int8, T.int8], T.int8, ([a, b]) => (a as bigint) | (b as bigint)),
  fn('int8_xor', '#', [T.int8, T.int8], T.int8, ([a, b]) => (a as bigint) ^ (b as bigint)),
  fn('int8_not', '~', [T.int8], T.int8, ([a]) => ~(a as bigint)),
  fn('int8_shl', '<<', [T.int8, T.int4], T.int8, ([a, n]) => int8Shift(a as bigint, n as number, true)),
  fn('int8_shr', '>>', [T.int8, T.int4], T.int8, ([a, n]) => int8Shift(a as bigint, n as number, false)),
];
