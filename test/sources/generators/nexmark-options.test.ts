import { describe, expect, test } from 'vitest';
import { nexmarkOptions } from '../../../src/sources/generators/nexmark.js';
import { SqlError } from '../../../src/types/sql-error.js';

const BASE = 1_700_000_000_000_000;
const parse = (pairs: Record<string, string>) =>
  nexmarkOptions(Object.entries(pairs).map(([key, value]) => ({ key, value })), BASE);

function error(pairs: Record<string, string>): SqlError {
  try {
    parse(pairs);
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('nexmarkOptions', () => {
  test('defaults: combined, seed 0, 10,000 ev/s, unbounded, the caller\'s base time', () => {
    expect(parse({})).toEqual({ tableType: 'combined', seed: 0, eventRate: 10_000, baseTimeUs: BASE });
  });

  test('RisingWave\'s options and weir\'s', () => {
    const o = parse({
      connector: 'nexmark',
      'nexmark.table.type': 'Bid',
      'nexmark.seed': '42',
      'nexmark.event.num': '1000000',
      'nexmark.split.num': '2',
      'nexmark.max.chunk.size': '1024',
      'nexmark.person.proportion': '2',
      'nexmark.hot.auction.ratio': '3',
      'nexmark.us.states': 'az,ca',
      'nexmark.use.real.time': 'true',
    });
    expect(o).toMatchObject({
      tableType: 'bid', seed: 42, maxEvents: 1_000_000, personProportion: 2, hotAuctionRatio: 3, usStates: ['az', 'ca'], useRealTime: true, maxChunkSize: 1024,
    });
  });

  test('event rate: nexmark.event.rate, or 1e9 / nexmark.min.event.gap.in.ns', () => {
    expect(parse({ 'nexmark.event.rate': '500' }).eventRate).toBe(500);
    expect(parse({ 'nexmark.min.event.gap.in.ns': '100' }).eventRate).toBe(10_000_000);
    expect(parse({ 'nexmark.min.event.gap.in.ns': '0' }).eventRate).toBe(10_000);
    expect(parse({ 'nexmark.event.rate': '10000000', 'nexmark.min.event.gap.in.ns': '100' }).eventRate).toBe(10_000_000);
    const e = error({ 'nexmark.event.rate': '5', 'nexmark.min.event.gap.in.ns': '100' });
    expect(e.code).toBe('22023');
    expect(e.message).toContain('conflicting');
  });

  test('nexmark.base.time (ms) overrides the caller\'s base time', () => {
    expect(parse({ 'nexmark.base.time': '1436918400000' }).baseTimeUs).toBe(1_436_918_400_000_000);
  });

  test('an unknown nexmark.* key is 22023 naming it', () => {
    const e = error({ 'nexmark.evnet.rate': '5' });
    expect(e.code).toBe('22023');
    expect(e.message).toBe('unknown nexmark option "nexmark.evnet.rate"');
  });

  test('bad values are 22023 with a hint', () => {
    for (const [key, value] of [
      ['nexmark.event.rate', 'fast'],
      ['nexmark.event.rate', '0'],
      ['nexmark.event.num', '-1'],
      ['nexmark.table.type', 'bids'],
      ['nexmark.hot.seller.ratio', '0'],
      ['nexmark.seed', '1.5'],
      ['nexmark.use.real.time', 'yes'],
      ['nexmark.first.names', 'a,,b'],
    ] as const) {
      const e = error({ [key]: value });
      expect(e.code, `${key}=${value}`).toBe('22023');
      expect(e.message).toBe(`invalid value for option "${key}": "${value}"`);
      expect(e.hint).toBeDefined();
    }
    expect(error({ 'nexmark.person.proportion': '0', 'nexmark.auction.proportion': '0', 'nexmark.bid.proportion': '0' }).code).toBe('22023');
  });

  test('RisingWave options weir does not implement are 0A000 unless at their default', () => {
    expect(parse({ 'nexmark.out.of.order.group.size': '1', 'nexmark.threads': '1' }).tableType).toBe('combined');
    expect(error({ 'nexmark.out.of.order.group.size': '4' }).code).toBe('0A000');
    expect(error({ 'nexmark.hot.seller.ratio.2': '4' }).code).toBe('0A000');
  });
});
