/** nullif, num_nulls, bytea functions. */
import { bytea, fn, i4, num, op, txt, unk, type Case } from '../harness.js';

export const MISC_CASES: Case[] = [
  { call: fn('nullif', i4(1), i4(1)), want: null },
  { call: fn('nullif', i4(1), i4(2)), want: '1' },
  { call: fn('nullif', i4(1), i4(null)), want: '1' },
  { call: fn('nullif', i4(1), num('1.0')), want: null },
  { call: fn('nullif', txt('a'), unk('a')), want: null },
  { call: fn('num_nulls', i4(1), txt(null), i4(null)), want: '2' },
  { call: fn('num_nonnulls', i4(1), txt(null)), want: '1' },
  { call: fn('length', bytea('\\x0102')), want: '2' },
  { call: op('||', bytea('\\x01'), bytea('\\x02')), want: '\\x0102' },
  { call: fn('encode', bytea('\\x48656c6c6f'), txt('base64')), want: 'SGVsbG8=' },
  { call: fn('encode', bytea('\\x00ff'), txt('hex')), want: '00ff' },
  { call: fn('encode', bytea('\\x41005c'), txt('escape')), want: 'A\\000\\\\' },
  { call: fn('decode', txt('SGVsbG8='), txt('base64')), want: '\\x48656c6c6f' },
  { call: fn('decode', txt('00ff'), txt('hex')), want: '\\x00ff' },
  { call: fn('sha256', bytea('\\x616263')), want: '\\xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
  { call: fn('get_byte', bytea('\\x0102'), i4(1)), want: '2' },
];
