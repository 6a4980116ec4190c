/**
 * flink.ts owns Flink SQL's scalar functions that Postgres lacks, as Flink documents them
 * (weir accepts Flink's spellings, DESIGN §6):
 *
 *   date_format(ts, fmt)           ts rendered with a Java date pattern (yyyy-MM-dd HH:mm:ss, date-format.ts);
 *                                  also for a string, read as a timestamp first
 *   hour(ts), minute(ts), second(ts)   the field as bigint
 *   split_index(s, sep, i)         the i-th (0-based) piece of s split on the whole string sep, all pieces
 *                                  kept (empty sep: runs of white space); NULL when i is negative or past the end
 *   regexp_extract(s, re [, i])    group i (0 = the whole match, the default) of the first match of re in s;
 *                                  NULL when nothing matches, i names no group, or re is not a valid pattern
 *
 * Regular expressions are Java's in Flink; weir runs them as JavaScript ones, which agree on the
 * common syntax (classes, groups, quantifiers, anchors).
 */
import { T } from '../../types/sql-type.js';
import { parseDatum } from '../../types/text-format.js';
import { dateFormat } from './date-format.js';
import { splitTimestamp, USECS_PER_HOUR, USECS_PER_MINUTE, utcToLocal } from './datetime-util.js';
import { fn, type Fn } from './define.js';

function splitIndex(s: string, sep: string, i: number): string | null {
  if (i < 0) return null;
  const parts = sep === '' ? s.trim().split(/\s+/) : s.split(sep);
  return i < parts.length ? parts[i]! : null;
}

const regexps = new Map<string, RegExp | null>();

function regexp(re: string): RegExp | null {
  let r = regexps.get(re);
  if (r === undefined) {
    try {
      r = new RegExp(re);
    } catch {
      r = null;
    }
    if (regexps.size >= 256) regexps.clear();
    regexps.set(re, r);
  }
  return r;
}

function regexpExtract(s: string, re: string, i: number): string | null {
  const r = regexp(re);
  if (r === null || i < 0) return null;
  const m = r.exec(s);
  if (m === null || i >= m.length) return null;
  return m[i] ?? null;
}

const field = (ts: number, unit: 'hour' | 'minute' | 'second'): bigint => {
  const { time } = splitTimestamp(ts);
  if (unit === 'hour') return BigInt(Math.floor(time / USECS_PER_HOUR));
  if (unit === 'minute') return BigInt(Math.floor((time % USECS_PER_HOUR) / USECS_PER_MINUTE));
  return BigInt(Math.floor((time % USECS_PER_MINUTE) / 1_000_000));
};

export const FLINK_FUNCTIONS: readonly Fn[] = [
  fn('date_format_timestamp', 'date_format', [T.timestamp, T.text], T.text, ([ts, f]) => dateFormat(ts as number, f as string)),
  fn('date_format_timestamptz', 'date_format', [T.timestamptz, T.text], T.text, ([ts, f], ctx) =>
    dateFormat(utcToLocal(ts as number, ctx.timeZone), f as string)),
  fn('date_format_text', 'date_format', [T.text, T.text], T.text, ([s, f]) => dateFormat(parseDatum(s as string, T.timestamp) as number, f as string)),
  ...(['hour', 'minute', 'second'] as const).flatMap((unit) => [
    fn(`${unit}_timestamp`, unit, [T.timestamp], T.int8, ([ts]) => field(ts as number, unit)),
    fn(`${unit}_timestamptz`, unit, [T.timestamptz], T.int8, ([ts], ctx) => field(utcToLocal(ts as number, ctx.timeZone), unit)),
  ]),
  fn('split_index', 'split_index', [T.text, T.text, T.int4], T.text, ([s, sep, i]) => splitIndex(s as string, sep as string, i as number)),
  fn('regexp_extract', 'regexp_extract', [T.text, T.text], T.text, ([s, re]) => regexpExtract(s as string, re as string, 0)),
  fn('regexp_extract_group', 'regexp_extract', [T.text, T.text, T.int4], T.text, ([s, re, i]) => regexpExtract(s as string, re as string, i as number)),
];
