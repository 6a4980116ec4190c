/**
 * date-format.ts owns Java's date patterns (SimpleDateFormat), which Flink's DATE_FORMAT
 * takes: a run of one letter is a field, its length the width; 'quoted text' is literal and
 * '' a quote; anything else is copied.
 *
 *   y  year (yy: two digits)          M  month (M, MM; MMM Jan; MMMM January)
 *   d  day of month    D  day of year  E  day name (E–EEE Mon; EEEE Monday)   u  day number (1 = Monday)
 *   H  hour 0–23   k  hour 1–24   K  hour 0–11   h  hour 1–12   a  AM / PM
 *   m  minute   s  second   S  milliseconds (SSS)
 *   z  UTC   Z  +0000   X  Z      (a timestamp's zone: weir renders the local time as UTC)
 *
 * Numbers are zero-padded to the run's length. Another letter is 22007, as Java rejects it.
 */
import { SqlError, SqlState } from '../../types/sql-error.js';
import { civilFromDays, daysFromCivil, splitTimestamp, USECS_PER_HOUR, USECS_PER_MINUTE } from './datetime-util.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Item = { text: string } | { letter: string; count: number };

function compile(fmt: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c === "'") {
      if (fmt[i + 1] === "'") {
        items.push({ text: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i++;
      while (i < fmt.length) {
        if (fmt[i] === "'") {
          if (fmt[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          break;
        }
        text += fmt[i]!;
        i++;
      }
      items.push({ text });
      i++;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (fmt[j] === c) j++;
      if (!'yMdDEuHkKhamsSzZX'.includes(c)) {
        throw new SqlError(SqlState.invalidDatetimeFormat, `invalid date pattern letter "${c}" in "${fmt}"`);
      }
      items.push({ letter: c, count: j - i });
      i = j;
      continue;
    }
    items.push({ text: c });
    i++;
  }
  return items;
}

const compiled = new Map<string, Item[]>();

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A local timestamp (µs) rendered with a Java date pattern. */
export function dateFormat(local: number, fmt: string): string {
  let items = compiled.get(fmt);
  if (items === undefined) {
    if (compiled.size >= 256) compiled.clear();
    compiled.set(fmt, (items = compile(fmt)));
  }
  const { days, time } = splitTimestamp(local);
  const c = civilFromDays(days);
  const hour = Math.floor(time / USECS_PER_HOUR);
  const dow = (((days + 4) % 7) + 7) % 7; // 0 = Sunday
  let out = '';
  for (const it of items) {
    if ('text' in it) {
      out += it.text;
      continue;
    }
    const n = it.count;
    switch (it.letter) {
      case 'y': out += n === 2 ? pad(c.year % 100, 2) : pad(c.year, n); break;
      case 'M': out += n >= 4 ? MONTHS[c.month - 1]! : n === 3 ? MONTHS[c.month - 1]!.slice(0, 3) : pad(c.month, n); break;
      case 'd': out += pad(c.day, n); break;
      case 'D': out += pad(days - daysFromCivil(c.year, 1, 1) + 1, n); break;
      case 'E': out += n >= 4 ? DAYS[dow]! : DAYS[dow]!.slice(0, 3); break;
      case 'u': out += pad(dow === 0 ? 7 : dow, n); break;
      case 'H': out += pad(hour, n); break;
      case 'k': out += pad(hour === 0 ? 24 : hour, n); break;
      case 'K': out += pad(hour % 12, n); break;
      case 'h': out += pad(hour % 12 === 0 ? 12 : hour % 12, n); break;
      case 'a': out += hour >= 12 ? 'PM' : 'AM'; break;
      case 'm': out += pad(Math.floor((time % USECS_PER_HOUR) / USECS_PER_MINUTE), n); break;
      case 's': out += pad(Math.floor((time % USECS_PER_MINUTE) / 1_000_000), n); break;
      case 'S': out += pad(Math.floor((time % 1_000_000) / 1000), n); break;
      case 'z': out += 'UTC'; break;
      case 'Z': out += '+0000'; break;
      case 'X': out += 'Z'; break;
    }
  }
  return out;
}
