/** One-dimensional array functions and operators. */
import { T } from '../../../../src/types/sql-type.js';
import { arr, fn, i4, op, txt, type Case } from '../harness.js';

const ia = arr(T.int4);

export const ARRAY_CASES: Case[] = [
  { call: fn('array_length', ia('{1,2,3}'), i4(1)), want: '3' },
  { call: fn('array_length', ia('{}'), i4(1)), want: null },
  { call: fn('array_length', ia('{1}'), i4(2)), want: null },
  { call: fn('cardinality', ia('{1,2}')), want: '2' },
  { call: fn('cardinality', ia('{}')), want: '0' },
  { call: fn('array_lower', ia('{5,6}'), i4(1)), want: '1' },
  { call: fn('array_upper', ia('{5,6}'), i4(1)), want: '2' },
  { call: fn('array_position', ia('{5,6,7}'), i4(6)), want: '2' },
  { call: fn('array_position', ia('{5,NULL}'), i4(null)), want: '2' },
  { call: fn('array_append', ia('{1,2}'), i4(3)), want: '{1,2,3}' },
  { call: fn('array_prepend', i4(0), ia('{1,2}')), want: '{0,1,2}' },
  { call: fn('array_cat', ia('{1}'), ia('{2,3}')), want: '{1,2,3}' },
  { call: fn('array_cat', ia(null), ia('{2,3}')), want: '{2,3}' },
  { call: fn('array_remove', ia('{1,2,1}'), i4(1)), want: '{2}' },
  { call: op('||', ia('{1,2}'), ia('{3}')), want: '{1,2,3}' },
  { call: op('||', ia('{1,2}'), i4(3)), want: '{1,2,3}' },
  { call: op('||', i4(0), ia('{1}')), want: '{0,1}' },
  { call: op('||', arr(T.text)('{a}'), txt('b')), want: '{a,b}' },
  { call: op('@>', ia('{1,2,3}'), ia('{3,1}')), want: 't' },
  { call: op('@>', ia('{1,NULL}'), ia('{NULL}')), want: 'f' },
  { call: op('<@', ia('{1}'), ia('{1,2}')), want: 't' },
  { call: op('&&', ia('{1,2}'), ia('{2,3}')), want: 't' },
  { call: op('&&', ia('{1,2}'), ia('{3}')), want: 'f' },
];
