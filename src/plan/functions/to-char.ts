/**
 * to-char.ts owns `to_char(timestamp | timestamptz, text)`: a date/time rendered through a
 * Postgres template (YYYY-MM-DD HH24:MI:SS, Month, Dy, FMDD, …), as Postgres's formatting.c
 * defines the patterns:
 *
 *   hours HH HH12 HH24 · MI SS MS US FF1…FF6 SSSS SSSSS · AM PM A.M. P.M. (and lower case)
 *   years YYYY Y,YYY YYY YY Y · ISO IYYY IYY IY I · BC AD B.C. A.D. · CC
 *   months MM · MONTH Month month (padded to 9) · MON Mon mon · RM rm (roman)
 *   days DD DDD IDDD D ID · DAY Day day (padded to 9) · DY Dy dy · weeks W WW IW · J · Q
 *   zones TZ tz TZH TZM OF (timestamp: empty / +00)
 *   modifiers: FM (no padding) and TM (English names anyway) before a pattern, TH th (ordinal)
 *   after it; "quoted text" and \" are literal; anything else is copied.
 *
 * Patterns match case-sensitively with the longest spelling first, as Postgres does: `mm` is
 * the month, `mi` the minute, and `HH:mm` is hour:month. A timestamptz is rendered in the
 * session time zone; TZ then prints the zone's abbreviation (or its offset when the zone has
 * none). Not supported: to_char of intervals and numbers, SP.
 */
import { T } from '../../types/sql-type.js';
import { civilFromDays, daysFromCivil, isoWeek, splitTimestamp, USECS_PER_HOUR, USECS_PER_MINUTE, utcToLocal } from './datetime-util.js';
import { fn, type Fn } from './define.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** The fields of one instant as local time, plus the zone offset for TZ / OF. */
interface Parts {
  year: number; // astronomical (0 = 1 BC)
  month: number;
  day: number;
  days: number; // since the epoch
  hour: number;
  minute: number;
  second: number;
  micros: number; // within the second
  offsetSec: number | null; // null for timestamp without time zone
  zone: string | null;
}

function partsOf(local: number, offsetSec: number | null, zone: string | null): Parts {
  const { days, time } = splitTimestamp(local);
  const c = civilFromDays(days);
  return {
    year: c.year,
    month: c.month,
    day: c.day,
    days,
    hour: Math.floor(time / USECS_PER_HOUR),
    minute: Math.floor((time % USECS_PER_HOUR) / USECS_PER_MINUTE),
    second: Math.floor((time % USECS_PER_MINUTE) / 1_000_000),
    micros: time % 1_000_000,
    offsetSec,
    zone,
  };
}

/** Pattern names, case-sensitive; among several matching at one position the longest wins. */
const PATTERNS = [
  'A.D.', 'A.M.', 'AD', 'AM', 'B.C.', 'BC', 'CC', 'DAY', 'DDD', 'DD', 'DY', 'Day', 'Dy', 'D',
  'FF1', 'FF2', 'FF3', 'FF4', 'FF5', 'FF6', 'FX', 'HH24', 'HH12', 'HH', 'IDDD', 'ID', 'IW', 'IYYY', 'IYY', 'IY', 'I',
  'J', 'MI', 'MM', 'MONTH', 'MON', 'MS', 'Month', 'Mon', 'OF', 'P.M.', 'PM', 'Q', 'RM', 'SSSSS', 'SSSS', 'SS',
  'TZH', 'TZM', 'TZ', 'US', 'WW', 'W', 'Y,YYY', 'YYYY', 'YYY', 'YY', 'Y',
  'a.d.', 'a.m.', 'ad', 'am', 'b.c.', 'bc', 'cc', 'day', 'ddd', 'dd', 'dy', 'd',
  'ff1', 'ff2', 'ff3', 'ff4', 'ff5', 'ff6', 'fx', 'hh24', 'hh12', 'hh', 'iddd', 'id', 'iw', 'iyyy', 'iyy', 'iy', 'i',
  'j', 'mi', 'mm', 'month', 'mon', 'ms', 'of', 'p.m.', 'pm', 'q', 'rm', 'sssss', 'ssss', 'ss',
  'tzh', 'tzm', 'tz', 'us', 'ww', 'w', 'y,yyy', 'yyyy', 'yyy', 'yy', 'y',
].sort((a, b) => b.length - a.length);

function matchPattern(fmt: string, i: number): string | undefined {
  return PATTERNS.find((p) => fmt.startsWith(p, i));
}

function ordinal(n: number, upper: boolean): string {
  const last2 = Math.abs(n) % 100;
  const last = Math.abs(n) % 10;
  const s = last2 >= 11 && last2 <= 13 ? 'th' : last === 1 ? 'st' : last === 2 ? 'nd' : last === 3 ? 'rd' : 'th';
  return upper ? s.toUpperCase() : s;
}

function pad(n: number, width: number, fm: boolean): string {
  const digits = String(Math.abs(n));
  const body = fm ? digits : digits.padStart(width, '0');
  return n < 0 ? '-' + body : body;
}

/** A name in the case of the pattern's spelling: MONTH → upper, Month → capitalized, month → lower. */
function cased(name: string, spelling: string): string {
  if (spelling === spelling.toUpperCase()) return name.toUpperCase();
  if (spelling === spelling.toLowerCase()) return name.toLowerCase();
  return name;
}

function zoneAbbreviation(p: Parts, local: number): string {
  if (p.zone === null || p.offsetSec === null) return '';
  if (p.zone.toUpperCase() === 'UTC' || p.zone.toUpperCase() === 'GMT') return p.zone.toUpperCase();
  try {
    const utcMs = (local - p.offsetSec * 1_000_000) / 1000;
    const name = new Intl.DateTimeFormat('en-US', { timeZone: p.zone, timeZoneName: 'short' })
      .formatToParts(new Date(utcMs))
      .find((x) => x.type === 'timeZoneName')?.value;
    if (name && !/^GMT[+-]/.test(name)) return name;
  } catch {
    // an offset zone: fall through to the numeric form
  }
  return offsetText(p.offsetSec, false);
}

function offsetText(offsetSec: number, withMinutes: boolean): string {
  const sign = offsetSec < 0 ? '-' : '+';
  const a = Math.abs(offsetSec);
  const h = String(Math.floor(a / 3600)).padStart(2, '0');
  const m = Math.floor((a % 3600) / 60);
  return withMinutes || m !== 0 ? `${sign}${h}:${String(m).padStart(2, '0')}` : `${sign}${h}`;
}

/** The values every pattern reads, computed once per call. */
interface Derived {
  p: Parts;
  local: number;
  bc: boolean;
  year: number; // as written with BC / AD
  hour12: number;
  yday: number;
  dow: number; // 0 = Sunday
  iso: { isoYear: number; week: number };
}

function derive(p: Parts, local: number): Derived {
  const bc = p.year <= 0;
  return {
    p,
    local,
    bc,
    year: bc ? 1 - p.year : p.year,
    hour12: p.hour % 12 === 0 ? 12 : p.hour % 12,
    yday: p.days - daysFromCivil(p.year, 1, 1) + 1,
    dow: (((p.days + 4) % 7) + 7) % 7,
    iso: isoWeek(p.days),
  };
}

/** A pattern's number and its zero-padded width, or its text. */
type Rendered = { n: number; width: number } | { text: string };

function render(pat: string, up: string, d: Derived, fm: boolean): Rendered {
  const { p, year, iso } = d;
  switch (up) {
    case 'HH':
    case 'HH12': return { n: d.hour12, width: 2 };
    case 'HH24': return { n: p.hour, width: 2 };
    case 'MI': return { n: p.minute, width: 2 };
    case 'SS': return { n: p.second, width: 2 };
    case 'MS': return { n: Math.floor(p.micros / 1000), width: 3 };
    case 'US': return { n: p.micros, width: 6 };
    case 'FF1': case 'FF2': case 'FF3': case 'FF4': case 'FF5': case 'FF6': {
      const digits = Number(up[2]);
      return { n: Math.floor(p.micros / 10 ** (6 - digits)), width: digits };
    }
    case 'SSSS':
    case 'SSSSS': return { n: p.hour * 3600 + p.minute * 60 + p.second, width: 0 };
    case 'AM': case 'PM': return { text: cased(p.hour >= 12 ? 'PM' : 'AM', pat) };
    case 'A.M.': case 'P.M.': return { text: cased(p.hour >= 12 ? 'P.M.' : 'A.M.', pat) };
    case 'YYYY': return { n: year, width: 4 };
    case 'Y,YYY': return { text: `${Math.floor(year / 1000)},${String(year % 1000).padStart(3, '0')}` };
    case 'YYY': return { n: year % 1000, width: 3 };
    case 'YY': return { n: year % 100, width: 2 };
    case 'Y': return { n: year % 10, width: 1 };
    case 'IYYY': return { n: iso.isoYear, width: 4 };
    case 'IYY': return { n: iso.isoYear % 1000, width: 3 };
    case 'IY': return { n: iso.isoYear % 100, width: 2 };
    case 'I': return { n: iso.isoYear % 10, width: 1 };
    case 'BC': case 'AD': return { text: cased(d.bc ? 'BC' : 'AD', pat) };
    case 'B.C.': case 'A.D.': return { text: cased(d.bc ? 'B.C.' : 'A.D.', pat) };
    case 'CC': return { n: p.year > 0 ? Math.floor((p.year - 1) / 100) + 1 : -(Math.floor(-p.year / 100) + 1), width: 2 };
    case 'MM': return { n: p.month, width: 2 };
    case 'MONTH': {
      const name = cased(MONTHS[p.month - 1]!, pat.slice(0, 2));
      return { text: fm ? name : name.padEnd(9) };
    }
    case 'MON': return { text: cased(MONTHS[p.month - 1]!.slice(0, 3), pat.slice(0, 2)) };
    case 'RM': {
      const r = cased(ROMAN[p.month - 1]!, pat);
      return { text: fm ? r : r.padEnd(4) };
    }
    case 'DD': return { n: p.day, width: 2 };
    case 'DDD': return { n: d.yday, width: 3 };
    case 'IDDD': {
      const jan4 = daysFromCivil(iso.isoYear, 1, 4);
      const week1Monday = jan4 - ((((jan4 + 3) % 7) + 7) % 7);
      return { n: p.days - week1Monday + 1, width: 3 };
    }
    case 'D': return { n: d.dow + 1, width: 0 };
    case 'ID': return { n: d.dow === 0 ? 7 : d.dow, width: 0 };
    case 'DAY': {
      const name = cased(DAYS[d.dow]!, pat.slice(0, 2));
      return { text: fm ? name : name.padEnd(9) };
    }
    case 'DY': return { text: cased(DAYS[d.dow]!.slice(0, 3), pat.slice(0, 2)) };
    case 'W': return { n: Math.floor((p.day - 1) / 7) + 1, width: 0 };
    case 'WW': return { n: Math.floor((d.yday - 1) / 7) + 1, width: 2 };
    case 'IW': return { n: iso.week, width: 2 };
    case 'J': return { n: p.days + 2440588, width: 0 };
    case 'Q': return { n: Math.floor((p.month - 1) / 3) + 1, width: 0 };
    case 'TZ': {
      const z = zoneAbbreviation(p, d.local);
      return { text: pat === 'tz' ? z.toLowerCase() : z };
    }
    case 'TZH': {
      const o = p.offsetSec ?? 0;
      return { text: `${o < 0 ? '-' : '+'}${String(Math.floor(Math.abs(o) / 3600)).padStart(2, '0')}` };
    }
    case 'TZM': return { text: String(Math.floor((Math.abs(p.offsetSec ?? 0) % 3600) / 60)).padStart(2, '0') };
    case 'OF': return { text: offsetText(p.offsetSec ?? 0, false) };
    case 'FX': return { text: '' };
    default: return { text: pat };
  }
}

/** A template, parsed once: literal text and patterns with their FM / TH modifiers. */
type Item = { text: string } | { pat: string; up: string; fm: boolean; th: '' | 'TH' | 'th' };

function compile(fmt: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i]!;
    if (ch === '"') {
      // Quoted literal text; \" inside is a quote.
      let text = '';
      i++;
      while (i < fmt.length && fmt[i] !== '"') {
        if (fmt[i] === '\\' && i + 1 < fmt.length) i++;
        text += fmt[i]!;
        i++;
      }
      items.push({ text });
      i++;
      continue;
    }
    if (ch === '\\' && fmt[i + 1] === '"') {
      items.push({ text: '"' });
      i += 2;
      continue;
    }
    let fm = false;
    let j = i;
    for (;;) {
      const two = fmt.slice(j, j + 2);
      if (two === 'FM' || two === 'fm') {
        fm = true;
        j += 2;
      } else if (two === 'TM' || two === 'tm') j += 2;
      else break;
    }
    const pat = matchPattern(fmt, j);
    if (pat === undefined) {
      // A modifier alone, or ordinary text.
      const end = j === i ? i + 1 : j;
      items.push({ text: fmt.slice(i, end) });
      i = end;
      continue;
    }
    j += pat.length;
    const suffix = fmt.slice(j, j + 2);
    const th = suffix === 'TH' || suffix === 'th' ? suffix : '';
    items.push({ pat, up: pat.toUpperCase(), fm, th });
    i = j + th.length;
  }
  return items;
}

const compiled = new Map<string, Item[]>();

function compileCached(fmt: string): Item[] {
  let items = compiled.get(fmt);
  if (items === undefined) {
    if (compiled.size >= 256) compiled.clear();
    compiled.set(fmt, (items = compile(fmt)));
  }
  return items;
}

export function toChar(local: number, fmt: string, offsetSec: number | null, zone: string | null): string {
  if (!Number.isFinite(local)) return '';
  const d = derive(partsOf(local, offsetSec, zone), local);
  let out = '';
  for (const item of compileCached(fmt)) {
    if ('text' in item) {
      out += item.text;
      continue;
    }
    const r = render(item.pat, item.up, d, item.fm);
    if ('text' in r) {
      out += r.text;
      continue;
    }
    out += pad(r.n, r.width, item.fm);
    // TH applies to numbers; Y,YYY and the names take none.
    if (item.th) out += ordinal(r.n, item.th === 'TH');
  }
  return out;
}

export const TO_CHAR_FUNCTIONS: readonly Fn[] = [
  fn('to_char_timestamp', 'to_char', [T.timestamp, T.text], T.text, ([ts, f]) => toChar(ts as number, f as string, null, null)),
  fn('to_char_timestamptz', 'to_char', [T.timestamptz, T.text], T.text, ([ts, f], ctx) => {
    const local = utcToLocal(ts as number, ctx.timeZone);
    return toChar(local, f as string, Math.round((local - (ts as number)) / 1_000_000), ctx.timeZone);
  }),
];
