// Flink's functions (plan/functions/flink.ts, date-format.ts). Postgres has none of them, so
// these cases are not in the PGlite oracle: the expected values follow Flink's documentation.
import { err, fn, i4, ts, tstz, txt, type Case } from './harness.js';
import { runCases } from './run-cases.js';

const T1 = '2020-03-04 15:06:07.123456';
const URL = 'https://www.nexmark.com/abc/def/ghi/item.htm?query=1&channel_id=123';

const CASES: Case[] = [
  { call: fn('date_format', ts(T1), txt('yyyy-MM-dd')), want: '2020-03-04' },
  { call: fn('date_format', ts(T1), txt('HH:mm')), want: '15:06' },
  { call: fn('date_format', ts(T1), txt("yy/M/d h:mm:ss.SSS a 'at' E EEEE MMM MMMM D u k K")), want: '20/3/4 3:06:07.123 PM at Wed Wednesday Mar March 64 3 15 3' },
  { call: fn('date_format', ts(T1), txt("''yyyy'' 'o''clock' z Z X")), want: "'2020' o'clock UTC +0000 Z" },
  { call: fn('date_format', txt('2020-03-04 05:06:07'), txt('yyyyMMddHHmmss')), want: '20200304050607' },
  { call: fn('date_format', tstz('2020-03-04 05:06:07+00'), txt('yyyy-MM-dd HH')), want: '2020-03-04 00', tz: 'America/New_York' },
  { call: fn('date_format', ts(T1), txt('yyyy-MM-dd Q')), want: err('22007') },
  { call: fn('hour', ts(T1)), want: '15' },
  { call: fn('minute', ts(T1)), want: '6' },
  { call: fn('second', ts(T1)), want: '7' },
  { call: fn('hour', tstz('2020-03-04 05:06:07+00')), want: '0', tz: 'America/New_York' },
  { call: fn('split_index', txt(URL), txt('/'), i4(3)), want: 'abc' },
  { call: fn('split_index', txt(URL), txt('/'), i4(1)), want: '' },
  { call: fn('split_index', txt(URL), txt('/'), i4(7)), want: null },
  { call: fn('split_index', txt(URL), txt('/'), i4(-1)), want: null },
  { call: fn('split_index', txt('a::b::c'), txt('::'), i4(2)), want: 'c' },
  { call: fn('split_index', txt(' a  b '), txt(''), i4(1)), want: 'b' },
  { call: fn('regexp_extract', txt(URL), txt('(&|^)channel_id=([^&]*)'), i4(2)), want: '123' },
  { call: fn('regexp_extract', txt('foo123bar'), txt('[0-9]+')), want: '123' },
  { call: fn('regexp_extract', txt('foo'), txt('([0-9]+)'), i4(1)), want: null },
  { call: fn('regexp_extract', txt('foo1'), txt('([0-9]+)'), i4(2)), want: null },
  { call: fn('regexp_extract', txt('foo1'), txt('(['), i4(1)), want: null },
];

runCases(CASES);
