/** to_char(timestamp | timestamptz, text): Postgres templates. */
import { date, fn, ts, tstz, txt, type Case } from '../harness.js';

const T1 = '2020-03-04 05:06:07.123456';

export const TO_CHAR_CASES: Case[] = [
  { call: fn('to_char', ts(T1), txt('YYYY-MM-DD HH24:MI:SS.US')), want: '2020-03-04 05:06:07.123456' },
  { call: fn('to_char', ts('2020-03-04 15:06:07.123456'), txt('HH:MI HH12 AM am P.M. p.m. MS FF1 FF3 SSSS')), want: '03:06 03 PM pm P.M. p.m. 123 1 123 54367' },
  { call: fn('to_char', ts(T1), txt('HH:mm')), want: '05:03' },
  { call: fn('to_char', ts(T1), txt('Month month MONTH Mon mon MON|FMMonth|')), want: 'March     march     MARCH     Mar mar MAR|March|' },
  { call: fn('to_char', ts(T1), txt('Day day DAY Dy dy DY|FMDay|')), want: 'Wednesday wednesday WEDNESDAY Wed wed WED|Wednesday|' },
  { call: fn('to_char', ts(T1), txt('DDD IDDD D ID W WW IW J Q CC RM rm')), want: '064 066 4 3 1 10 10 2458913 1 21 III  iii ' },
  { call: fn('to_char', ts(T1), txt('FMDDth DDTH FMMMth Y,YYY YYY YY Y IYYY')), want: '4th 04TH 3rd 2,020 020 20 0 2020' },
  { call: fn('to_char', ts(T1), txt('"YYYY is" YYYY \\"q\\" xyz')), want: 'YYYY is 2020 "1" x0z' },
  { call: fn('to_char', ts(T1), txt('TZ tz TZH TZM OF')), want: '  +00 00 +00' },
  { call: fn('to_char', tstz('2020-03-04 05:06:07+00'), txt('YYYY-MM-DD HH24:MI TZ OF')), want: '2020-03-04 05:06 UTC +00' },
  { call: fn('to_char', tstz('2020-03-04 05:06:07+00'), txt('YYYY-MM-DD HH24:MI TZ OF')), want: '2020-03-04 00:06 EST -05', tz: 'America/New_York' },
  { call: fn('to_char', ts('1900-03-15 12:00:00'), txt('YYYY BC b.c. AD CC')), want: '1900 AD a.d. AD 19' },
  { call: fn('to_char', date('2021-01-01'), txt('IYYY-IW-ID IDDD')), want: '2020-53-5 369' },
  { call: fn('to_char', ts(T1), txt('FMHH24:FMMI FX hh24')), want: '5:6  05' },
  { call: fn('to_char', ts('2020-12-31 23:59:59'), txt('YYYY-MM-DD HH:MI')), want: '2020-12-31 11:59' },
  { call: fn('to_char', ts('2020-03-01 00:00:00'), txt('Dy, DD Mon YYYY HH12 AM 1st 2nd')), want: 'Sun, 01 Mar 2020 12 AM 1st 2n1' },
  { call: fn('to_char', ts(null), txt('YYYY')), want: null },
];
