// Event-time windows in both spellings: TUMBLE / HOP / CUMULATE / SESSION in FROM, and the
// group-window form GROUP BY SESSION(ts, gap) with SESSION_START / SESSION_END (Nexmark q11).
import { beforeAll, describe, expect, test } from 'vitest';
import { lowerPlan } from '../../../src/plan/lower/lower-plan.js';
import { optimize } from '../../../src/plan/optimize.js';
import { printDataflowPlan } from '../../../src/plan/physical/print-dataflow-plan.js';
import { printPlan } from '../../../src/plan/print-plan.js';
import { bind, bindError, columnsOf, plan, ready, testCatalog } from './bind-helper.js';

beforeAll(() => ready);

const lines = (...l: string[]): string => l.join('\n') + '\n';
const cat = () => testCatalog().table('bid', 'auction int8, bidder int8, price int8, date_time timestamp').table('tz', 'k int4, ts timestamptz');
const p = (sql: string) => plan(sql, cat());
const cols = (sql: string) => columnsOf(sql, cat());
const err = (sql: string) => bindError(sql, cat());
const WINDOW_COLS = ['window_start timestamp without time zone', 'window_end timestamp without time zone'];
const BID_COLS = ['auction bigint', 'bidder bigint', 'price bigint', 'date_time timestamp without time zone'];

describe('TUMBLE in FROM', () => {
  test('a Map of tumble_start and window_start + size; * includes the window columns', () => {
    expect(p("select * from tumble(bid, date_time, interval '10' second)")).toBe(
      lines(
        'Project (#0, #1, #2, #3, #4, #5)',
        '  Map (tumble_start(#3, interval(0,0,10000000), interval(0,0,0)), (#4 + interval(0,0,10000000)))',
        '    Get public.bid',
      ),
    );
    expect(cols("select * from tumble(bid, date_time, interval '10' second)")).toEqual([...BID_COLS, ...WINDOW_COLS]);
  });

  test('an alias qualifies every column; an offset; days count as 24 hours; timestamptz keeps its type', () => {
    expect(p("select t.window_end, t.bidder from tumble(bid, date_time, interval '1' day, interval '1' hour) as t")).toBe(
      lines('Project (#5, #1)', '  Map (tumble_start(#3, interval(0,0,86400000000), interval(0,0,3600000000)), (#4 + interval(0,0,86400000000)))', '    Get public.bid'),
    );
    expect(cols("select window_start from tumble(tz, ts, interval '5 minutes')")).toEqual(['window_start timestamp with time zone']);
  });

  test('without an alias the relation name qualifies; column aliases rename in order', () => {
    expect(cols("select bid.window_start from tumble(bid, date_time, interval '1' minute)")).toEqual(['window_start timestamp without time zone']);
    expect(cols("select * from tumble(bid, date_time, interval '1' minute) as w(a, b, c, d, ws)")).toEqual([
      'a bigint',
      'b bigint',
      'c bigint',
      'd timestamp without time zone',
      'ws timestamp without time zone',
      'window_end timestamp without time zone',
    ]);
  });

  test('over a WITH query and over a view', () => {
    expect(p("with b as (select bidder, date_time from bid where price > 10) select bidder, window_start from tumble(b, date_time, interval '1' minute)")).toBe(
      lines(
        'Project (#0, #2)',
        '  Map (tumble_start(#1, interval(0,0,60000000), interval(0,0,0)), (#2 + interval(0,0,60000000)))',
        '    Project (#1, #3)',
        '      Filter (#2 > 10)',
        '        Get public.bid',
      ),
    );
    const c = cat().view('bv', 'bidder int8, date_time timestamp', 'select bidder, date_time from bid');
    expect(columnsOf("select * from tumble(bv, date_time, interval '1' minute)", c)).toEqual(['bidder bigint', 'date_time timestamp without time zone', ...WINDOW_COLS]);
  });

  test('errors: bad sizes (22023), bad time columns (42804), unknown names, wrong arity', () => {
    expect(err("select * from tumble(bid, date_time, interval '1' month)")).toMatchObject({ code: '22023', message: 'the size of TUMBLE must not contain months or years' });
    expect(err("select * from tumble(bid, date_time, interval '0' second)")).toMatchObject({ code: '22023', message: 'the size of TUMBLE must be positive' });
    expect(err("select * from tumble(bid, date_time, interval '-5' second)").code).toBe('22023');
    expect(err("select * from tumble(bid, price, interval '5' second)")).toMatchObject({
      code: '42804',
      message: 'the time column of TUMBLE must be of type timestamp or timestamp with time zone, not bigint',
    });
    expect(err("select * from tumble(nope, date_time, interval '5' second)")).toMatchObject({ code: '42P01' });
    expect(err("select * from tumble(bid, nope, interval '5' second)")).toMatchObject({ code: '42703' });
    expect(err("select * from tumble(bid, date_time)")).toMatchObject({ code: '42883', message: 'wrong number of arguments to TUMBLE' });
    expect(err('select * from tumble(bid, date_time, 5)').code).toBe('42804');
    expect(err("select * from tumble(bid, date_time, now() - now())")).toMatchObject({ code: '0A000', message: 'the size of TUMBLE must be a constant interval' });
  });
});

describe('HOP and CUMULATE in FROM', () => {
  test('a WindowExpand node; slide first; filters on input columns move below it', () => {
    const sql = "select * from hop(bid, date_time, interval '5' second, interval '10' second) where bidder = 3 and window_end > '2020-01-01'";
    expect(p(sql)).toBe(
      lines(
        'Project (#0, #1, #2, #3, #4, #5)',
        '  Filter (#1 = 3) AND (#5 > 1577836800000000::timestamp without time zone)',
        '    WindowExpand hop time=#3 slide=5s size=10s',
        '      Get public.bid',
      ),
    );
    expect(printPlan(optimize(bind(sql, cat()).plan))).toBe(
      lines(
        'Filter (#5 > 1577836800000000::timestamp without time zone)',
        '  WindowExpand hop time=#3 slide=5s size=10s',
        '    Filter (#1 = 3)',
        '      Get public.bid',
      ),
    );
    expect(cols("select * from cumulate(bid, date_time, interval '1' minute, interval '1' hour, interval '30' second)")).toEqual([...BID_COLS, ...WINDOW_COLS]);
    expect(p("select * from cumulate(bid, date_time, interval '1' minute, interval '1' hour, interval '30' second)")).toContain('WindowExpand cumulate time=#3 step=1m size=1h offset=30s');
  });

  test('EXPLAIN PHYSICAL shows the window node, its input pruned to the columns it needs', () => {
    const b = bind("select bidder, window_start, count(*) from hop(bid, date_time, interval '2' second, interval '10' second) group by 1, 2", cat());
    expect(printDataflowPlan(lowerPlan(optimize(b.plan)))).toBe(
      [
        'Reduce group=[#0, #2] aggs=[count(*):accumulable]',
        '  WindowExpand hop time=#1 slide=2s size=10s',
        '    MapFilterProject project=[#1, #3]',
        '      Get public.bid (u7)',
      ].join('\n'),
    );
  });

  test('the size must be a multiple of the slide (22023)', () => {
    expect(err("select * from hop(bid, date_time, interval '3' second, interval '10' second)")).toMatchObject({
      code: '22023',
      message: 'the size of HOP must be a multiple of its slide',
    });
    expect(err("select * from cumulate(bid, date_time, interval '3' second, interval '10' second)").message).toBe('the size of CUMULATE must be a multiple of its step');
  });
});

describe('SESSION', () => {
  test('in FROM: partition columns after the gap', () => {
    expect(p("select * from session(bid, date_time, interval '10' second, bidder)")).toBe(
      lines('Project (#0, #1, #2, #3, #4, #5)', '  SessionWindow partition=[#1] time=#3 gap=10s', '    Get public.bid'),
    );
    expect(p("select * from session(bid, date_time, interval '10' second)")).toContain('SessionWindow partition=[] time=#3 gap=10s');
  });

  test('Nexmark q11: GROUP BY bidder, SESSION(ts, gap) with SESSION_START / SESSION_END', () => {
    const q11 =
      "select bidder, count(*) as bids, session_start(date_time, interval '10' second) as starttime, session_end(date_time, interval '10' second) as endtime " +
      "from bid group by bidder, session(date_time, interval '10' second)";
    expect(p(q11)).toBe(lines('Project (#0, #3, #1, #2)', '  Reduce group=[#1, #4, #5] aggs=[count(*)]', '    SessionWindow partition=[#1] time=#3 gap=10s', '      Get public.bid'));
    expect(cols(q11)).toEqual(['bidder bigint', 'bids bigint', 'starttime timestamp without time zone', 'endtime timestamp without time zone']);
    // the same with a qualified column and the gap written another way
    expect(p("select session_end(b.date_time, interval '10 seconds') from bid b group by b.bidder, session(b.date_time, interval '10' second)")).toContain(
      'SessionWindow partition=[#1] time=#3 gap=10s',
    );
  });

  test('an expression partition is mapped first', () => {
    expect(p("select count(*) from bid group by bidder % 2, session(date_time, interval '1' minute)")).toBe(
      lines(
        'Project (#3)',
        '  Reduce group=[#7, #5, #6] aggs=[count(*)]',
        '    Map ((#1 % 2))',
        '      SessionWindow partition=[#4] time=#3 gap=1m',
        '        Map ((#1 % 2))',
        '          Get public.bid',
      ),
    );
  });

  test('the bound calls must repeat the window call; outside a group window they are errors', () => {
    expect(err("select session_start(date_time, interval '5' second) from bid group by session(date_time, interval '10' second)")).toMatchObject({
      code: '42803',
      message: 'the arguments of SESSION_START must be those of SESSION(…) in GROUP BY',
    });
    expect(err("select tumble_end(date_time, interval '10' second) from bid group by session(date_time, interval '10' second)").code).toBe('42803');
    expect(err("select session_end(date_time, interval '10' second) from bid")).toMatchObject({ code: '42803', message: 'SESSION_END is only allowed in a query grouped by SESSION(…)' });
    expect(err("select date_time from bid group by session(date_time, interval '10' second)").code).toBe('42803');
    expect(err("select count(*) from bid group by session(date_time, interval '1' second), tumble(date_time, interval '1' second)").code).toBe('0A000');
  });
});

describe('TUMBLE and HOP in GROUP BY', () => {
  test('TUMBLE_START / TUMBLE_END / TUMBLE_ROWTIME', () => {
    expect(p("select tumble_start(date_time, interval '1' minute), tumble_rowtime(date_time, interval '1' minute), sum(price) from bid group by tumble(date_time, interval '1' minute)")).toBe(
      lines(
        'Project (#0, #3, #2)',
        '  Map ((#1 - interval(0,0,1)))',
        '    Reduce group=[#4, #5] aggs=[sum(#2)]',
        '      Map (tumble_start(#3, interval(0,0,60000000), interval(0,0,0)), (#4 + interval(0,0,60000000)))',
        '        Get public.bid',
      ),
    );
  });

  test('HOP_START / HOP_END with other keys', () => {
    expect(p("select auction, hop_end(date_time, interval '2' second, interval '10' second), count(*) from bid group by auction, hop(date_time, interval '2' second, interval '10' second)")).toBe(
      lines('Project (#0, #2, #3)', '  Reduce group=[#0, #4, #5] aggs=[count(*)]', '    WindowExpand hop time=#3 slide=2s size=10s', '      Get public.bid'),
    );
  });

  test('tumble_start is also a scalar function', () => {
    expect(p("select tumble_start(date_time, interval '1' hour) from bid")).toBe(lines('Project (#4)', '  Map (tumble_start(#3, interval(0,0,3600000000)))', '    Get public.bid'));
  });
});
