// Startup parameters become session settings, as in Postgres; the formats weir does not
// vary keep their values.
import { expect, test } from 'vitest';
import { pino } from 'pino';
import { Weir } from '../../src/adapter/weir.js';

test('startup parameters and -c options become settings; TimeZone stays UTC', async () => {
  const weir = await Weir.open({ logger: pino({ level: 'silent' }) });
  const s = await weir.open(
    new Map([
      ['user', 'weir'],
      ['extra_float_digits', '3'],
      ['TimeZone', 'Europe/Berlin'],
      ['options', '-c search_path=x --statement_timeout=5'],
    ]),
  );
  const show = async (name: string) => {
    const r = await s.execute(await s.prepare(`SHOW ${name}`, []), []);
    return r.kind === 'rows' ? r.rows[0]![0] : undefined;
  };
  expect(await show('extra_float_digits')).toBe('3');
  expect(await show('search_path')).toBe('x');
  expect(await show('statement_timeout')).toBe('5');
  expect(await show('TimeZone')).toBe('UTC');
  await weir.close();
});
