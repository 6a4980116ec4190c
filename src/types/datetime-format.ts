/**
 * datetime-format.ts owns the Postgres text forms of date, time, timestamp and timestamptz
 * (DateStyle ISO, MDY; TimeZone UTC), parsed and printed by hand with exact integer calendar
 * arithmetic (no Date string parsing). Called through text-format.ts.
 *
 * Values: date = days since 1970-01-01, time = µs since midnight, timestamp(tz) = µs since
 * 1970-01-01 00:00 UTC; ±Infinity for 'infinity'. Timestamps must fit 2^53 µs (22008).
 */
import { SqlError, SqlState } from './sql-error.js';

export const MICROS_PER_DAY = 86_400_000_000;
const MAX_TIMESTAMP = 2 ** 53;
/** Postgres's date range: 4714-11-24 BC to 5874897-12-31. */
const MIN_DATE_DAYS = -2_440_588;
const MAX_DATE_DAYS = 2_145_031_948;

/** Days since 1970-01-01 of a proleptic Gregorian date (astronomical year: 1 BC = 0). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month, day] of days since 1970-01-01 (astronomical year). */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function pad4(n: number): string {
  return n >= 1000 ? String(n) : ('000' + n).slice(-4);
}

/** 'YYYY-MM-DD' plus ' BC' (returned separately so timestamps can put it last). */
function dateParts(days: number): [string, string] {
  const [y, m, d] = civilFromDays(days);
  const bc = y <= 0;
  return [`${pad4(bc ? 1 - y : y)}-${pad2(m)}-${pad2(d)}`, bc ? ' BC' : ''];
}

export function formatDate(days: number): string {
  if (days === Infinity) return 'infinity';
  if (days === -Infinity) return '-infinity';
  const [date, bc] = dateParts(days);
  return date + bc;
}

/** 'HH:MM:SS' plus '.ffffff' without trailing zeros. */
export function formatTime(micros: number): string {
  const secs = Math.floor(micros / 1_000_000);
  const frac = micros - secs * 1_000_000;
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}${formatFraction(frac)}`;
}

/** '.ffffff' with trailing zeros removed; '' for zero. */
export function formatFraction(micros: number): string {
  if (micros === 0) return '';
  let f = String(micros).padStart(6, '0');
  let end = f.length;
  while (f.charCodeAt(end - 1) === 48) end--;
  f = f.slice(0, end);
  return '.' + f;
}

export function formatTimestamp(micros: number, withZone: boolean): string {
  if (micros === Infinity) return 'infinity';
  if (micros === -Infinity) return '-infinity';
  const days = Math.floor(micros / MICROS_PER_DAY);
  const [date, bc] = dateParts(days);
  return `${date} ${formatTime(micros - days * MICROS_PER_DAY)}${withZone ? '+00' : ''}${bc}`;
}

// ---- parsing ----

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  /** µs since midnight. */
  time?: number;
  /** Seconds east of UTC. */
  offset?: number;
  special?: 'infinity' | '-infinity' | 'epoch' | 'now' | 'today' | 'tomorrow' | 'yesterday' | 'allballs';
}

const MONTHS: { [k: string]: number } = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};

const SPECIALS = new Set(['infinity', '-infinity', 'epoch', 'now', 'today', 'tomorrow', 'yesterday', 'allballs']);

const RE_ISO = /^(\d{4,7})-(\d{1,2})-(\d{1,2})/;
const RE_YMON = /^(\d{4,7})-([a-z]{3,9})-(\d{1,2})/;
const RE_COMPACT = /^(\d{4})(\d{2})(\d{2})(?=$|[t\s])/;
const RE_SLASH = /^(\d{1,2})[/.](\d{1,2})[/.](\d{1,7})/;
const RE_MON_D_Y = /^([a-z]{3,9})\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{1,7})/;
const RE_D_MON_Y = /^(\d{1,2})[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{1,7})/;
const RE_TIME = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?/;
const RE_AMPM = /^\s*([ap])\.?m\.?(?![a-z])/;
const RE_ZONE_NAME = /^\s*(z|utc|gmt|ut|zulu)(?![a-z])/;
const RE_ZONE_OFFSET = /^\s*([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?/;
const RE_ERA = /^\s*(bc|ad)(?![a-z])/;

function syntax(label: string, s: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, `invalid input syntax for type ${label}: "${s}"`);
}

function fieldRange(s: string): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${s}"`);
}

/** Splits a date/time literal into fields; validates field ranges. */
function parseParts(s: string, label: string, wantDate: boolean): Parsed {
  let rest = s.trim().toLowerCase();
  if (SPECIALS.has(rest)) return { special: rest as Parsed['special'] };
  if (rest === '+infinity') return { special: 'infinity' };
  const p: Parsed = {};
  let m: RegExpExecArray | null;
  if (wantDate || /^\d{4,}-|^[a-z]|^\d{8}(?:$|[t\s])|^\d{1,2}[/.]|^\d{1,2}[\s-]+[a-z]/.test(rest)) {
    if ((m = RE_ISO.exec(rest))) [p.year, p.month, p.day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    else if ((m = RE_YMON.exec(rest))) [p.year, p.month, p.day] = [Number(m[1]), monthOf(m[2]!, label, s), Number(m[3])];
    else if ((m = RE_COMPACT.exec(rest))) [p.year, p.month, p.day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    else if ((m = RE_SLASH.exec(rest))) [p.year, p.month, p.day] = [fixYear(m[3]!), Number(m[1]), Number(m[2])];
    else if ((m = RE_MON_D_Y.exec(rest))) [p.year, p.month, p.day] = [fixYear(m[3]!), monthOf(m[1]!, label, s), Number(m[2])];
    else if ((m = RE_D_MON_Y.exec(rest))) [p.year, p.month, p.day] = [fixYear(m[3]!), monthOf(m[2]!, label, s), Number(m[1])];
    else if (wantDate) throw syntax(label, s);
    if (m) {
      if (p.year === 0) throw fieldRange(s);
      rest = rest.slice(m[0].length);
      if (rest.startsWith('t')) rest = rest.slice(1);
      else rest = rest.trimStart();
    }
  }
  if ((m = RE_TIME.exec(rest))) {
    let hour = Number(m[1]);
    const minute = Number(m[2]);
    const second = m[3] !== undefined ? Number(m[3]) : 0;
    const fracDigits = m[4] ?? '';
    rest = rest.slice(m[0].length);
    const ampm = RE_AMPM.exec(rest);
    if (ampm) {
      rest = rest.slice(ampm[0].length);
      if (hour < 1 || hour > 12) throw fieldRange(s);
      if (ampm[1] === 'a' && hour === 12) hour = 0;
      else if (ampm[1] === 'p' && hour !== 12) hour += 12;
    }
    let frac = 0;
    if (fracDigits.length > 0) frac = Math.round(Number('0.' + fracDigits) * 1_000_000);
    if (minute > 59 || second > 60 || hour > 24) throw fieldRange(s);
    const time = ((hour * 60 + minute) * 60 + second) * 1_000_000 + frac;
    if (time > MICROS_PER_DAY) throw fieldRange(s);
    p.time = time;
  }
  if ((m = RE_ZONE_NAME.exec(rest))) {
    p.offset = 0;
    rest = rest.slice(m[0].length);
  } else if ((m = RE_ZONE_OFFSET.exec(rest))) {
    let h = Number(m[2]);
    const min = m[3] !== undefined ? Number(m[3]) : 0;
    const sec = m[4] !== undefined ? Number(m[4]) : 0;
    if (m[3] === undefined && m[2]!.length > 2) throw syntax(label, s);
    if (h > 15 || min > 59 || sec > 59) throw new SqlError(SqlState.invalidDatetimeFormat, `time zone displacement out of range: "${s}"`);
    h = h * 3600 + min * 60 + sec;
    p.offset = m[1] === '-' ? -h : h;
    rest = rest.slice(m[0].length);
  }
  if ((m = RE_ERA.exec(rest))) {
    if (p.year === undefined) throw syntax(label, s);
    if (m[1] === 'bc') {
      p.year = 1 - p.year;
    }
    rest = rest.slice(m[0].length);
  }
  if (rest.trim() !== '') throw syntax(label, s);
  if (p.year !== undefined) {
    if (p.month! < 1 || p.month! > 12 || p.day! < 1 || p.day! > daysInMonth(p.year, p.month!)) throw fieldRange(s);
  }
  return p;
}

function monthOf(name: string, label: string, s: string): number {
  const m = MONTHS[name];
  if (m === undefined) throw syntax(label, s);
  return m;
}

/** Two-digit years map to 1970..2069, as Postgres does. */
function fixYear(text: string): number {
  const y = Number(text);
  if (text.length <= 2) return y < 70 ? 2000 + y : 1900 + y;
  return y;
}

function todayDays(): number {
  return Math.floor(Date.now() / 86_400_000);
}

export function parseDate(s: string): number {
  const p = parseParts(s, 'date', true);
  switch (p.special) {
    case undefined: break;
    case 'infinity': return Infinity;
    case '-infinity': return -Infinity;
    case 'epoch': return 0;
    case 'now':
    case 'today': return todayDays();
    case 'tomorrow': return todayDays() + 1;
    case 'yesterday': return todayDays() - 1;
    default: throw syntax('date', s);
  }
  const days = daysFromCivil(p.year!, p.month!, p.day!);
  if (days < MIN_DATE_DAYS || days > MAX_DATE_DAYS) throw new SqlError(SqlState.datetimeFieldOverflow, `date out of range: "${s}"`);
  return days;
}

export function parseTime(s: string): number {
  const p = parseParts(s, 'time', false);
  if (p.special === 'allballs') return 0;
  if (p.special === 'now') return Math.round((Date.now() % 86_400_000) * 1000);
  if (p.special !== undefined || p.time === undefined) throw syntax('time', s);
  if (p.time === MICROS_PER_DAY) return MICROS_PER_DAY; // 24:00:00 is valid
  return p.time;
}

export function parseTimestamp(s: string, withZone: boolean): number {
  const label = withZone ? 'timestamp with time zone' : 'timestamp';
  const p = parseParts(s, label, true);
  switch (p.special) {
    case undefined: break;
    case 'infinity': return Infinity;
    case '-infinity': return -Infinity;
    case 'epoch': return 0;
    case 'now': return Date.now() * 1000;
    case 'today': return todayDays() * MICROS_PER_DAY;
    case 'tomorrow': return (todayDays() + 1) * MICROS_PER_DAY;
    case 'yesterday': return (todayDays() - 1) * MICROS_PER_DAY;
    default: throw syntax(label, s);
  }
  const days = daysFromCivil(p.year!, p.month!, p.day!);
  let micros = days * MICROS_PER_DAY + (p.time ?? 0);
  if (withZone && p.offset !== undefined) micros -= p.offset * 1_000_000;
  if (!(Math.abs(micros) <= MAX_TIMESTAMP)) throw new SqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${s}"`);
  return micros;
}
