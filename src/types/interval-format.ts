/**
 * interval-format.ts owns the text form of interval: output in Postgres's default
 * IntervalStyle 'postgres' ('1 year 2 mons 3 days 04:05:06.5', '-1 days +02:00:00'), input in
 * the postgres form ('1 day 02:00:00', '2 hours 3 minutes', '@ 1 day ago', '5' = 5 seconds),
 * the SQL-standard year-month form ('1-2') and ISO 8601 ('P1Y2M3DT4H5M6.5S'). Fractional
 * units spill down as Postgres's do (1.5 months = 1 mon 15 days). Called through text-format.ts.
 */
import { Interval } from './datum.js';
import { SqlError, SqlState } from './sql-error.js';
import { formatFraction } from './datetime-format.js';

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_MINUTE = 60_000_000;
const MICROS_PER_HOUR = 3_600_000_000;
const MICROS_PER_DAY = 86_400_000_000;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** EncodeInterval with IntervalStyle = postgres. */
export function formatInterval(v: Interval): string {
  const year = Math.trunc(v.months / 12);
  const mon = v.months % 12;
  let out = '';
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string): void => {
    if (value === 0) return;
    out += (isZero ? '' : ' ') + (isBefore && value > 0 ? '+' : '') + plural(value, unit);
    isBefore = value < 0;
    isZero = false;
  };
  part(year, 'year');
  part(mon + 0, 'mon');
  part(v.days + 0, 'day');
  const micros = v.micros;
  if (isZero || micros !== 0) {
    const minus = micros < 0;
    const abs = Math.abs(micros);
    const hours = Math.floor(abs / MICROS_PER_HOUR);
    let rest = abs - hours * MICROS_PER_HOUR;
    const minutes = Math.floor(rest / MICROS_PER_MINUTE);
    rest -= minutes * MICROS_PER_MINUTE;
    const seconds = Math.floor(rest / MICROS_PER_SECOND);
    const frac = rest - seconds * MICROS_PER_SECOND;
    out += (isZero ? '' : ' ') + (minus ? '-' : isBefore ? '+' : '') + pad2(hours) + ':' + pad2(minutes) + ':' + pad2(seconds) + formatFraction(frac);
  }
  return out;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

type Unit = 'micro' | 'milli' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year' | 'decade' | 'century' | 'millennium';

const UNITS: { [k: string]: Unit } = {};
function units(u: Unit, names: string[]): void {
  for (const n of names) UNITS[n] = u;
}
units('micro', ['microsecond', 'microseconds', 'us', 'usec', 'usecs', 'useconds', 'usecond']);
units('milli', ['millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'mseconds', 'msecond']);
units('second', ['second', 'seconds', 's', 'sec', 'secs']);
units('minute', ['minute', 'minutes', 'm', 'min', 'mins']);
units('hour', ['hour', 'hours', 'h', 'hr', 'hrs']);
units('day', ['day', 'days', 'd']);
units('week', ['week', 'weeks', 'w']);
units('month', ['month', 'months', 'mon', 'mons']);
units('year', ['year', 'years', 'y', 'yr', 'yrs']);
units('decade', ['decade', 'decades', 'dec', 'decs']);
units('century', ['century', 'centuries', 'c', 'cent']);
units('millennium', ['millennium', 'millennia', 'millenniums', 'mil', 'mils']);

class Acc {
  months = 0;
  days = 0;
  micros = 0;

  add(value: number, unit: Unit): void {
    const whole = Math.trunc(value);
    const frac = value - whole;
    switch (unit) {
      case 'micro': this.micros += Math.round(value); break;
      case 'milli': this.micros += Math.round(value * 1000); break;
      case 'second': this.micros += Math.round(value * MICROS_PER_SECOND); break;
      case 'minute': this.micros += Math.round(value * MICROS_PER_MINUTE); break;
      case 'hour': this.micros += Math.round(value * MICROS_PER_HOUR); break;
      case 'day': this.days += whole; this.micros += Math.round(frac * MICROS_PER_DAY); break;
      case 'week': this.addDays(value * 7); break;
      case 'month': {
        this.months += whole;
        this.addDays(frac * 30);
        break;
      }
      case 'year': this.months += whole * 12 + Math.round(frac * 12); break;
      case 'decade': this.months += whole * 120 + Math.round(frac * 120); break;
      case 'century': this.months += whole * 1200 + Math.round(frac * 1200); break;
      case 'millennium': this.months += whole * 12000 + Math.round(frac * 12000); break;
    }
  }

  addDays(d: number): void {
    const whole = Math.trunc(d);
    this.days += whole;
    this.micros += Math.round((d - whole) * MICROS_PER_DAY);
  }
}

function syntax(s: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, `invalid input syntax for type interval: "${s}"`);
}

const RE_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/;
const RE_TIME = /^([+-]?)(\d+):(\d+)(?::(\d+(?:\.\d*)?))?$/;
const RE_YEAR_MONTH = /^([+-]?)(\d+)-(\d+)$/;
const RE_NUM_UNIT = /^([+-]?(?:\d+\.?\d*|\.\d+))([a-z]+)$/;

export function parseInterval(s: string): Interval {
  const text = s.trim().toLowerCase();
  if (text.length === 0) throw syntax(s);
  if (text.startsWith('p')) return parseIso(text, s);
  const tokens = text.split(/[\s,]+/).filter((t) => t.length > 0);
  if (tokens[0] === '@') tokens.shift();
  let ago = false;
  if (tokens.length > 0 && tokens[tokens.length - 1] === 'ago') {
    ago = true;
    tokens.pop();
  }
  if (tokens.length === 0) throw syntax(s);
  const acc = new Acc();
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    let m: RegExpExecArray | null;
    if ((m = RE_TIME.exec(tok))) {
      const sign = m[1] === '-' ? -1 : 1;
      const a = Number(m[2]);
      const b = Number(m[3]);
      if (m[4] !== undefined) {
        acc.micros += sign * (a * MICROS_PER_HOUR + b * MICROS_PER_MINUTE + Math.round(Number(m[4]) * MICROS_PER_SECOND));
      } else {
        acc.micros += sign * (a * MICROS_PER_HOUR + b * MICROS_PER_MINUTE);
      }
      continue;
    }
    if ((m = RE_YEAR_MONTH.exec(tok))) {
      const sign = m[1] === '-' ? -1 : 1;
      acc.months += sign * (Number(m[2]) * 12 + Number(m[3]));
      continue;
    }
    if ((m = RE_NUM_UNIT.exec(tok))) {
      const unit = UNITS[m[2]!];
      if (unit === undefined) throw syntax(s);
      acc.add(Number(m[1]), unit);
      continue;
    }
    if (RE_NUMBER.test(tok)) {
      const next = tokens[i + 1];
      const unit = next !== undefined ? UNITS[next] : undefined;
      if (unit !== undefined) {
        acc.add(Number(tok), unit);
        i++;
      } else if (next !== undefined && RE_TIME.test(next)) {
        acc.add(Number(tok), 'day'); // '1 02:00:00'
      } else if (next === undefined) {
        acc.add(Number(tok), 'second'); // a bare number is seconds
      } else throw syntax(s);
      continue;
    }
    throw syntax(s);
  }
  return finish(acc, ago, s);
}

function finish(acc: Acc, negate: boolean, s: string): Interval {
  const sign = negate ? -1 : 1;
  const months = acc.months * sign + 0;
  const days = acc.days * sign + 0;
  const micros = acc.micros * sign + 0;
  if (!Number.isSafeInteger(micros) || Math.abs(months) > 2_147_483_647 || Math.abs(days) > 2_147_483_647) {
    throw new SqlError(SqlState.datetimeFieldOverflow, `interval out of range: "${s}"`);
  }
  return new Interval(months, days, micros);
}

const ISO_DATE_UNITS: { [k: string]: Unit } = { y: 'year', m: 'month', w: 'week', d: 'day' };
const ISO_TIME_UNITS: { [k: string]: Unit } = { h: 'hour', m: 'minute', s: 'second' };

/** ISO 8601 durations: P[nY][nM][nW][nD][T[nH][nM][nS]]. */
function parseIso(text: string, s: string): Interval {
  const acc = new Acc();
  const re = /([+-]?(?:\d+\.?\d*|\.\d+))([a-z])/y;
  let i = 1;
  let inTime = false;
  let any = false;
  while (i < text.length) {
    if (text[i] === 't') {
      if (inTime) throw syntax(s);
      inTime = true;
      i++;
      continue;
    }
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw syntax(s);
    const unit = (inTime ? ISO_TIME_UNITS : ISO_DATE_UNITS)[m[2]!];
    if (unit === undefined) throw syntax(s);
    acc.add(Number(m[1]), unit);
    any = true;
    i = re.lastIndex;
  }
  if (!any) throw syntax(s);
  return finish(acc, false, s);
}
