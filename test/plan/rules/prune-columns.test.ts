import { beforeAll, describe, expect, test } from 'vitest';
import type { LogicalPlan } from '../../../src/plan/logical-plan.js';
import { optimize } from '../../../src/plan/optimize.js';
import { printPlan } from '../../../src/plan/print-plan.js';
import { pruneColumns } from '../../../src/plan/rules/prune-columns.js';
import type { SqlType } from '../../../src/types/sql-type.js';
import { bind, ready, testCatalog } from '../../sql/binder/bind-helper.js';
import { c, gt, lines, n, P } from './rule-helper.js';

beforeAll(() => ready);

const TS: SqlType = { kind: 'timestamp' };
const INT8: SqlType = { kind: 'int8' };
const ts = (i: number) => ({ kind: 'Column' as const, index: i, type: TS });
/** bid(auction, bidder, price, channel, date_time): five columns, time at #4. */
const bid = (): LogicalPlan =>
  P.get('b1', 'public.bid', [
    { name: 'auction', type: INT8, nullable: true },
    { name: 'bidder', type: INT8, nullable: true },
    { name: 'price', type: INT8, nullable: true },
    { name: 'channel', type: { kind: 'text' }, nullable: true },
    { name: 'date_time', type: TS, nullable: true },
  ]);
const countStar = { fn: 'count_star' as const, args: [], distinct: false, type: INT8 };
const HOP = (input: LogicalPlan, time: number) => P.windowExpand(input, 'hop', time, 2_000_000, 10_000_000, 0);

const cat = () => testCatalog().table('bid', 'auction int8, bidder int8, price int8, channel text, url text, date_time timestamp, extra text');
const opt = (sql: string): LogicalPlan => {
  const b = bind(sql, cat());
  if (b.kind !== 'Select') throw new Error('not a select');
  return optimize(b.plan);
};

describe('prune-columns', () => {
  test('a HOP under a Reduce keeps only the group key, the aggregate arguments and its time column', () => {
    const p = P.reduce(HOP(bid(), 4), [0, 6], [countStar]);
    expect(printPlan(p)).toBe(lines('Reduce group=[#0, #6] aggs=[count(*)]', '  WindowExpand hop time=#4 slide=2s size=10s', '    Get public.bid'));
    const q = pruneColumns(p);
    expect(printPlan(q)).toBe(
      lines('Reduce group=[#0, #3] aggs=[count(*)]', '  WindowExpand hop time=#1 slide=2s size=10s', '    Project (#0, #4)', '      Get public.bid'),
    );
    expect(q.schema).toEqual(p.schema);
  });

  test('a Filter below the window keeps its columns below the narrowing Project', () => {
    const p = P.reduce(HOP(P.filter(bid(), [gt(c(2), n(10))]), 4), [1], [{ fn: 'max', args: [c(2)], distinct: false, type: INT8 }]);
    expect(printPlan(optimize(p))).toBe(
      lines(
        'Reduce group=[#0] aggs=[max(#1)]',
        '  WindowExpand hop time=#2 slide=2s size=10s',
        '    Project (#1, #2, #4)',
        '      Filter (#2 > 10)',
        '        Get public.bid',
      ),
    );
  });

  test('a SessionWindow keeps its partition key and time column, and the Map above it is renumbered', () => {
    const p = P.project(P.map(P.sessionWindow(bid(), [1], 4, 10_000_000), [c(6)]), [1, 7]);
    expect(printPlan(pruneColumns(p))).toBe(
      lines('Project (#0, #4)', '  Map (#3)', '    SessionWindow partition=[#0] time=#1 gap=10s', '      Project (#1, #4)', '        Get public.bid'),
    );
  });

  test('nothing to drop: the same plan comes back', () => {
    const p = HOP(bid(), 4);
    expect(pruneColumns(p)).toBe(p);
    const q = P.distinct(P.project(HOP(bid(), 4), [0, 5]));
    expect(printPlan(pruneColumns(q))).toContain('Project (#0, #4)');
    const d = P.project(P.distinct(HOP(bid(), 4)), [0]);
    expect(pruneColumns(d)).toBe(d);
  });

  test('whole-row operators above a window keep every column', () => {
    for (const wrap of [P.distinct, P.negate, P.threshold, (x: LogicalPlan) => P.union([x, x])]) {
      const p = P.project(wrap(HOP(bid(), 4)), [0]);
      expect(pruneColumns(p)).toBe(p);
    }
  });

  test('a Join: each side keeps the columns read above it and those of its ON condition, renumbered', () => {
    // bid ⋈ HOP(bid) on b.auction > h.auction, reading b.price and h.window_start.
    const j = P.project(P.join('left', bid(), HOP(bid(), 4), gt(c(0), c(5))), [2, 10]);
    const q = pruneColumns(j);
    expect(printPlan(q)).toBe(
      lines(
        'Project (#1, #3)',
        '  Join kind=left on=(#0 > #2)',
        '    Project (#0, #2)',
        '      Get public.bid',
        '    Project (#0, #2)',
        '      WindowExpand hop time=#1 slide=2s size=10s',
        '        Project (#0, #4)',
        '          Get public.bid',
      ),
    );
    expect(q.schema).toEqual(j.schema);
    // The padded side stays nullable.
    const join = (q as { input: LogicalPlan }).input;
    expect(join.schema.map((x) => x.nullable)).toEqual([true, true, true, true]);
    // Nothing to drop: every column is read.
    const all = P.join('inner', bid(), bid(), gt(c(0), c(5)));
    expect(pruneColumns(all)).toBe(all);
  });

  test('SQL: Nexmark q7 keeps the join key and the time-bound columns on both sides', () => {
    const sql = `select b.auction, b.price, b.bidder, b.date_time from bid b
      join (select max(price) as maxprice, window_end as date_time from tumble(bid, date_time, interval '10' second) group by window_end) b1
      on b.price = b1.maxprice
      where b.date_time between b1.date_time - interval '10' second and b1.date_time`;
    const p = opt(sql);
    const text = printPlan(p);
    // The bid side keeps auction, bidder, price and date_time (not channel, url, extra).
    expect(text).toMatch(/Join kind=inner on=\(\(#2 = #4\) AND \(#3 >= \(#5 - interval[^)]*\)\)\) AND \(#3 <= #5\)\)\n {4}Project \(#0, #1, #2, #5\)\n {6}Get public.bid/);
    expect(p.schema.map((x) => x.name)).toEqual(['auction', 'price', 'bidder', 'date_time']);
    expect(optimize(p)).toBe(p);
  });

  test('SQL: Nexmark q5-style HOP count per auction; optimize is idempotent', () => {
    const sql =
      "select auction, count(*) as num, window_start from hop(bid, date_time, interval '2' second, interval '10' second) group by auction, window_start";
    const p = opt(sql);
    expect(printPlan(p)).toBe(
      lines(
        'Project (#0, #2, #1)',
        '  Reduce group=[#0, #2] aggs=[count(*)]',
        '    WindowExpand hop time=#1 slide=2s size=10s',
        '      Project (#0, #5)',
        '        Get public.bid',
      ),
    );
    expect(optimize(p)).toBe(p);
  });

  test('SQL: Nexmark q11-style GROUP BY bidder, SESSION keeps bidder and date_time', () => {
    const sql =
      "select bidder, count(*), session_start(date_time, interval '10' second), session_end(date_time, interval '10' second) from bid group by bidder, session(date_time, interval '10' second)";
    const p = opt(sql);
    const text = printPlan(p);
    expect(text).toContain('SessionWindow partition=[#0] time=#1 gap=10s');
    expect(text).toContain('Project (#1, #5)\n');
    expect(optimize(p)).toBe(p);
  });

  test('SQL: a predicate on the window end still reads it, one below the window keeps its column below the Project; select * keeps everything', () => {
    const all = opt("select * from hop(bid, date_time, interval '2' second, interval '10' second)");
    expect(printPlan(all)).not.toContain('Project (#');
    const filtered = opt("select auction from hop(bid, date_time, interval '2' second, interval '10' second) where window_end > now() and price > 5");
    expect(printPlan(filtered)).toBe(
      lines(
        'Project (#0)',
        '  Filter (#3::timestamp with time zone > now())',
        '    WindowExpand hop time=#1 slide=2s size=10s',
        '      Project (#0, #5)',
        '        Filter (#2 > 5)',
        '          Get public.bid',
      ),
    );
    expect(filtered.schema.map((x) => x.name)).toEqual(['auction']);
  });
});
