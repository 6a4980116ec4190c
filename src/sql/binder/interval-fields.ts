/**
 * The field qualifier of an interval literal (`INTERVAL '30' MINUTE`, `'1'::interval hour`,
 * `INTERVAL '5' SECOND`): Postgres reads a bare number in the unit of the qualifier's last
 * field (the `range` switch of DecodeInterval), so `INTERVAL '30' MINUTE` is 30 minutes, not 30
 * seconds. libpg-query gives the qualifier as the first typmod, a bit mask of the fields.
 *
 * Not done (yet): Postgres also drops the fields below the qualifier
 * (`INTERVAL '1 day 2 hours' DAY` is `1 day`).
 */
import type { TypeName } from '@pgsql/types';

const MONTH = 1 << 1;
const YEAR = 1 << 2;
const DAY = 1 << 3;
const HOUR = 1 << 10;
const MINUTE = 1 << 11;
/** INTERVAL_FULL_RANGE: no qualifier (`interval(3)` carries it with a precision). */
const FULL_RANGE = 0x7fff;

/** The unit a bare number takes under a field mask. */
export function unitOfIntervalRange(range: number): 'years' | 'months' | 'days' | 'hours' | 'minutes' | 'seconds' {
  switch (range) {
    case YEAR:
      return 'years';
    case MONTH:
    case YEAR | MONTH:
      return 'months';
    case DAY:
      return 'days';
    case HOUR:
    case DAY | HOUR:
      return 'hours';
    case MINUTE:
    case HOUR | MINUTE:
    case DAY | HOUR | MINUTE:
      return 'minutes';
    default:
      return 'seconds';
  }
}

/** The field mask of an interval type name, or undefined when it has no qualifier. */
export function intervalRange(tn: TypeName): number | undefined {
  const first = tn.typmods?.[0];
  const range = first && 'A_Const' in first ? first.A_Const.ival?.ival : undefined;
  return range === undefined || range === FULL_RANGE ? undefined : range;
}

/** `'30'` under MINUTE → `'30 minutes'`; text that is not a bare number is left as written. */
export function qualifyIntervalText(text: string, range: number | undefined): string {
  if (range === undefined || !/^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(text)) return text;
  return `${text.trim()} ${unitOfIntervalRange(range)}`;
}
