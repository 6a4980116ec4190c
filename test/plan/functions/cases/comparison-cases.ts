/** Comparison operators across types (NaN equal to itself and greatest, char ignores trailing spaces). */
import { T } from '../../../../src/types/sql-type.js';
import { arr, bool, date, f8, i4, i8, ivl, jsonb, num, op, ts, tstz, txt, typed, unk, vc, type Case } from '../harness.js';

const ch = typed({ kind: 'char', length: 5 });

export const COMPARISON_CASES: Case[] = [
  { call: op('=', i4(1), i4(1)), want: 't' },
  { call: op('<>', i4(1), i4(2)), want: 't' },
  { call: op('<', i4(1), i8(2)), want: 't' },
  { call: op('=', num('1.0'), num('1.00')), want: 't' },
  { call: op('=', i4(1), num('1.0')), want: 't' },
  { call: op('=', f8('NaN'), f8('NaN')), want: 't' },
  { call: op('>', f8('NaN'), f8('Infinity')), want: 't' },
  { call: op('=', f8('-0'), f8('0')), want: 't' },
  { call: op('<', txt('abc'), txt('abd')), want: 't' },
  { call: op('<', txt('B'), txt('a')), want: 't' },
  { call: op('=', vc('x'), txt('x')), want: 't' },
  { call: op('=', ch('ab'), ch('ab   ')), want: 't' },
  { call: op('=', txt('a'), unk('a')), want: 't' },
  { call: op('=', unk('a'), unk('a')), want: 't' },
  { call: op('>=', bool('true'), bool('false')), want: 't' },
  { call: op('<', date('2020-01-01'), ts('2020-01-01 00:00:01')), want: 't' },
  { call: op('=', ts('2020-01-01 00:00'), tstz('2020-01-01 00:00+00')), want: 't' },
  { call: op('=', ivl('1 day'), ivl('24 hours')), want: 't' },
  { call: op('=', ivl('1 mon'), ivl('30 days')), want: 't' },
  { call: op('=', jsonb('{"a":1,"b":2}'), jsonb('{"b":2,"a":1}')), want: 't' },
  { call: op('=', arr(T.int4)('{1,2}'), arr(T.int4)('{1,2}')), want: 't' },
  { call: op('<', arr(T.int4)('{1,2}'), arr(T.int4)('{1,3}')), want: 't' },
  { call: op('=', i4(null), i4(1)), want: null },
  { call: op('=', i4(1), txt('1')), want: { error: '42883' } },
];
