import { describe, expect, test } from 'vitest';
import { Record, type Row } from '../../../src/types/datum.js';
import {
  nexmarkEventKind,
  nexmarkEventTime,
  nexmarkRows,
  nexmarkSchema,
  type NexmarkOptions,
  type NexmarkTableType,
} from '../../../src/sources/generators/nexmark.js';
import { NEXMARK_DEFAULTS } from '../../../src/sources/generators/nexmark-config.js';

const BASE = 1_700_000_000_000_000; // µs, a whole second
const opts = (tableType: NexmarkTableType, extra: Partial<NexmarkOptions> = {}): NexmarkOptions => ({
  tableType,
  seed: 0,
  eventRate: 10_000,
  baseTimeUs: BASE,
  ...extra,
});

function rows(o: NexmarkOptions, from: number, to: number): Row[] {
  const out: Row[] = [];
  nexmarkRows(o, from, to, out);
  return out;
}

const num = (d: unknown): number => Number(d as bigint);

describe('nexmark: determinism', () => {
  test('same seed and id give the same row, whatever the range it is generated in', () => {
    const all = rows(opts('combined'), 0, 2000);
    const pieces = [...rows(opts('combined'), 0, 777), ...rows(opts('combined'), 777, 1500), ...rows(opts('combined'), 1500, 2000)];
    expect(pieces).toEqual(all);
    expect(rows(opts('combined'), 1234, 1235)).toEqual([all[1234]]);
  });

  test('different seeds give different data with the same ids and times', () => {
    const a = rows(opts('bid'), 0, 500);
    const b = rows(opts('bid', { seed: 1 }), 0, 500);
    expect(a.length).toBe(b.length);
    expect(a.map((r) => r[5])).toEqual(b.map((r) => r[5])); // date_time
    const samePrice = a.filter((r, i) => r[2] === b[i]![2]).length;
    expect(samePrice).toBeLessThan(10);
    const p0 = rows(opts('person'), 0, 100);
    const p1 = rows(opts('person', { seed: 42 }), 0, 100);
    expect(p0.map((r) => r[0])).toEqual(p1.map((r) => r[0])); // ids are dense, not random
    expect(p0.map((r) => r[2])).not.toEqual(p1.map((r) => r[2]));
  });
});

describe('nexmark: event mix and ids', () => {
  test('every block of 50 events is P A A A B×46', () => {
    const types = rows(opts('combined'), 0, 150).map((r) => r[0]);
    const block = [0n, 1n, 1n, 1n, ...Array<bigint>(46).fill(2n)];
    expect(types).toEqual([...block, ...block, ...block]);
    expect(nexmarkEventKind(opts('bid'), 0)).toBe('person');
    expect(nexmarkEventKind(opts('bid'), 53)).toBe('auction');
    expect(nexmarkEventKind(opts('bid'), 99)).toBe('bid');
  });

  test('1:3:46 over a long range, and the table types split the combined stream', () => {
    const n = 50 * 200;
    expect(rows(opts('person'), 0, n)).toHaveLength(200);
    expect(rows(opts('auction'), 0, n)).toHaveLength(600);
    expect(rows(opts('bid'), 0, n)).toHaveLength(9200);
  });

  test('configurable proportions', () => {
    const o = opts('combined', { personProportion: 2, auctionProportion: 1, bidProportion: 7 });
    expect(rows(o, 0, 10).map((r) => r[0])).toEqual([0n, 0n, 1n, 2n, 2n, 2n, 2n, 2n, 2n, 2n]);
    expect(rows(o, 0, 100).filter((r) => r[0] === 0n)).toHaveLength(20);
  });

  test('person and auction ids are dense from 1000', () => {
    const people = rows(opts('person'), 0, 50 * 300).map((r) => r[0]);
    expect(people).toEqual(Array.from({ length: 300 }, (_, i) => BigInt(1000 + i)));
    const auctions = rows(opts('auction'), 0, 50 * 300).map((r) => r[0]);
    expect(auctions).toEqual(Array.from({ length: 900 }, (_, i) => BigInt(1000 + i)));
  });

  test('bids reference recent auctions and people (or the hot ones)', () => {
    const from = 50 * 1000;
    const to = from + 50 * 400;
    const bids = rows(opts('bid'), from, to);
    let hotAuctions = 0;
    let hotBidders = 0;
    let id = from;
    for (const b of bids) {
      while (id % 50 < 4) id++;
      const epoch = Math.floor(id / 50);
      const lastAuction = epoch * 3 + 2; // base 0
      const lastPerson = epoch;
      const auction = num(b[0]) - 1000;
      const bidder = num(b[1]) - 1000;
      const hotAuction = Math.floor(lastAuction / 100) * 100;
      const hotBidder = Math.floor(lastPerson / 100) * 100 + 1;
      if (auction === hotAuction) hotAuctions++;
      else expect(auction >= lastAuction - 100 && auction <= lastAuction + 10).toBe(true);
      if (bidder === hotBidder) hotBidders++;
      else expect(bidder >= lastPerson + 1 - 1000 && bidder < lastPerson + 1 + 10).toBe(true);
      id++;
    }
    const n = bids.length;
    expect(hotAuctions / n).toBeGreaterThan(0.45);
    expect(hotAuctions / n).toBeLessThan(0.56);
    expect(hotBidders / n).toBeGreaterThan(0.7);
    expect(hotBidders / n).toBeLessThan(0.8);
  });

  test('sellers are the hot seller or recent people; firstPersonId is added once', () => {
    const from = 50 * 2000;
    const auctions = rows(opts('auction'), from, from + 50 * 300);
    let hot = 0;
    for (const [i, a] of auctions.entries()) {
      const epoch = Math.floor(from / 50) + Math.floor(i / 3);
      const seller = num(a[7]) - 1000;
      if (seller === Math.floor(epoch / 100) * 100) hot++;
      else expect(seller >= epoch + 1 - 1000 && seller < epoch + 1 + 10).toBe(true);
    }
    expect(hot / auctions.length).toBeGreaterThan(0.68);
    expect(hot / auctions.length).toBeLessThan(0.82);
  });
});

describe('nexmark: event time', () => {
  test('10,000 ev/s: ten events per millisecond, millisecond granularity', () => {
    const o = opts('combined');
    const dateTime = (r: Row) => (r.slice(1).find((s) => s !== null) as Record).fields[r[0] === 0n ? 6 : 5];
    const times = rows(o, 0, 40).map(dateTime);
    expect(times).toEqual(Array.from({ length: 40 }, (_, i) => BASE + Math.floor(i / 10) * 1000));
    for (let k = 0; k < 40; k++) expect(nexmarkEventTime(o, k)).toBe(times[k]);
  });

  test('the configured rate sets the span: 1,000 ev/s is 1 ms per event, 10 M ev/s is 10,000 events per ms', () => {
    expect(nexmarkEventTime(opts('bid', { eventRate: 1000 }), 12345)).toBe(BASE + 12345 * 1000);
    expect(nexmarkEventTime(opts('bid', { eventRate: 10_000_000 }), 9_999)).toBe(BASE);
    expect(nexmarkEventTime(opts('bid', { eventRate: 10_000_000 }), 10_000)).toBe(BASE + 1000);
    expect(nexmarkEventTime(opts('bid'), 1_000_000)).toBe(BASE + 100_000_000); // 100 s
  });

  test('bid date_time equals nexmarkEventTime and never decreases', () => {
    const o = opts('bid', { eventRate: 3 });
    let prev = -Infinity;
    let id = 0;
    for (const b of rows(o, 0, 500)) {
      while (id % 50 < 4) id++;
      expect(b[5]).toBe(nexmarkEventTime(o, id));
      expect(b[5] as number).toBeGreaterThanOrEqual(prev);
      prev = b[5] as number;
      id++;
    }
  });
});

describe('nexmark: field rules', () => {
  const d = NEXMARK_DEFAULTS;

  test('person fields', () => {
    for (const p of rows(opts('person'), 0, 50 * 500)) {
      const [, name, email, cc, city, state, , extra] = p as [bigint, string, string, string, string, string, number, string];
      const [first, last] = name.split(' ');
      expect(d.firstNames).toContain(first);
      expect(d.lastNames).toContain(last);
      expect(email).toMatch(/^[a-z ]*@[a-z ]*\.com$/);
      expect(email.length).toBeLessThanOrEqual(6 + 1 + 4 + 4);
      expect(cc).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
      expect(d.usCities).toContain(city);
      expect(d.usStates).toContain(state);
      const dd = 200 - (8 + name.length + email.length + cc.length + city.length + state.length);
      const delta = Math.round(dd * 0.2);
      expect(extra).toMatch(/^[a-z]*$/);
      expect(extra.length).toBeGreaterThanOrEqual(dd - delta);
      expect(extra.length).toBeLessThan(dd + delta);
    }
  });

  test('auction fields', () => {
    const o = opts('auction');
    const categories = new Set<bigint>();
    let id = 50 * 100;
    for (const a of rows(o, 50 * 100, 50 * 600)) {
      while (id % 50 < 1 || id % 50 > 3) id++;
      const [, item, desc, initial, reserve, dt, expires, , category, extra] = a as [bigint, string, string, bigint, bigint, number, number, bigint, bigint, string];
      expect(item.length).toBeLessThanOrEqual(19);
      expect(desc.length).toBeLessThanOrEqual(99);
      expect(item).toMatch(/^[a-z]([a-z ]*[a-z])?$|^$/);
      expect(initial >= 100n && initial <= 100_000_000n).toBe(true);
      expect(reserve - initial >= 100n).toBe(true);
      categories.add(category);
      expect(dt).toBe(nexmarkEventTime(o, id));
      const lifeMs = (expires - dt) / 1000;
      const horizon = (nexmarkEventTime(o, id + 1666) - dt) / 1000;
      expect(Number.isInteger(lifeMs)).toBe(true);
      expect(lifeMs).toBeGreaterThanOrEqual(1);
      expect(lifeMs).toBeLessThanOrEqual(2 * horizon);
      const dd = 500 - (8 + item.length + desc.length + 40);
      const delta = Math.round(dd * 0.2);
      expect(extra.length).toBeGreaterThanOrEqual(dd - delta);
      expect(extra.length).toBeLessThan(dd + delta);
      id++;
    }
    expect([...categories].sort()).toEqual([10n, 11n, 12n, 13n, 14n]);
  });

  test('at >= 2 M ev/s every auction lives exactly 1 ms', () => {
    for (const a of rows(opts('auction', { eventRate: 10_000_000 }), 0, 5000)) expect((a[6] as number) - (a[5] as number)).toBe(1000);
  });

  test('bid fields: price, channel, url, extra', () => {
    const bids = rows(opts('bid'), 0, 50 * 1000);
    const urlShape = /^https:\/\/www\.nexmark\.com\/[a-z_]{3,4}\/[a-z_]{3,4}\/[a-z_]{3,4}\/item\.htm\?query=1(&channel_id=-?\d+)?$/;
    const hotChannels = new Set(['Google', 'Facebook', 'Baidu', 'Apple']);
    let hot = 0;
    const bad: Row[] = [];
    for (const b of bids) {
      const [, , price, channel, url, , extra] = b as [bigint, bigint, bigint, string, string, number, string];
      const ok =
        price >= 100n && price <= 100_000_000n &&
        extra.length >= 54 && extra.length <= 81 &&
        urlShape.test(url) &&
        (hotChannels.has(channel) || /^channel-\d{1,4}$/.test(channel));
      if (!ok) bad.push(b);
      if (hotChannels.has(channel)) hot++;
    }
    expect(bad).toEqual([]);
    expect(hot / bids.length).toBeGreaterThan(0.47);
    expect(hot / bids.length).toBeLessThan(0.53);
    // log-uniform over 100 … 10^8: the median is near 10^3 · 100
    const prices = bids.map((b) => num(b[2])).sort((a, b) => a - b);
    const median = prices[prices.length >> 1]!;
    expect(median).toBeGreaterThan(60_000);
    expect(median).toBeLessThan(160_000);
  });

  test('a channel keeps one URL; a hot channel keeps one URL; most carry a channel_id', () => {
    const urls = new Map<string, string>();
    let changed = 0;
    for (const b of rows(opts('bid'), 0, 50 * 2000)) {
      const [channel, url] = [b[3] as string, b[4] as string];
      const seen = urls.get(channel);
      if (seen !== undefined && seen !== url) changed++;
      urls.set(channel, url);
    }
    expect(changed).toBe(0);
    expect(urls.size).toBeGreaterThan(3000);
    const withId = [...urls.entries()].filter(([c, u]) => c.startsWith('channel-') && u.includes('&channel_id=')).length;
    const plain = [...urls.keys()].filter((c) => c.startsWith('channel-')).length;
    expect(withId / plain).toBeGreaterThan(0.85);
    expect(withId / plain).toBeLessThan(0.95);
  });
});

describe('nexmark: layouts', () => {
  test('column names are RisingWave\'s', () => {
    expect(nexmarkSchema('person').map((c) => c.name)).toEqual(['id', 'name', 'email_address', 'credit_card', 'city', 'state', 'date_time', 'extra']);
    expect(nexmarkSchema('auction').map((c) => c.name)).toEqual([
      'id', 'item_name', 'description', 'initial_bid', 'reserve', 'date_time', 'expires', 'seller', 'category', 'extra',
    ]);
    expect(nexmarkSchema('bid').map((c) => c.name)).toEqual(['auction', 'bidder', 'price', 'channel', 'url', 'date_time', 'extra']);
    const combined = nexmarkSchema('combined');
    expect(combined.map((c) => c.name)).toEqual(['event_type', 'person', 'auction', 'bid']);
    expect(combined[3]!.type).toEqual({ kind: 'record', fields: nexmarkSchema('bid').map((c) => ({ name: c.name, type: c.type })) });
  });

  test('rows match their schema\'s arity and types', () => {
    for (const t of ['person', 'auction', 'bid'] as const) {
      const schema = nexmarkSchema(t);
      for (const r of rows(opts(t), 0, 200)) {
        expect(r).toHaveLength(schema.length);
        r.forEach((v, i) => {
          const k = schema[i]!.type.kind;
          expect(typeof v).toBe(k === 'int8' ? 'bigint' : k === 'timestamp' ? 'number' : 'string');
        });
      }
    }
  });

  test('combined: exactly one non-null struct, the one of event_type, equal to the table type\'s row', () => {
    const combined = rows(opts('combined'), 0, 1000);
    const byType = { person: rows(opts('person'), 0, 1000), auction: rows(opts('auction'), 0, 1000), bid: rows(opts('bid'), 0, 1000) };
    const next = { person: 0, auction: 0, bid: 0 };
    for (const r of combined) {
      const t = Number(r[0]);
      const structs = r.slice(1);
      expect(structs.filter((s) => s !== null)).toHaveLength(1);
      expect(structs[t]).toBeInstanceOf(Record);
      const name = (['person', 'auction', 'bid'] as const)[t]!;
      expect((structs[t] as Record).fields).toEqual(byType[name][next[name]++]);
    }
  });

  test('maxEvents bounds the raw event ids', () => {
    expect(rows(opts('combined', { maxEvents: 120 }), 100, 200)).toHaveLength(20);
    expect(rows(opts('bid', { maxEvents: 100 }), 0, 1000)).toHaveLength(92);
    expect(rows(opts('bid', { maxEvents: 100 }), 100, 200)).toHaveLength(0);
  });
});
