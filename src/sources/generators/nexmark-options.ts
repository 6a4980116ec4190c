/**
 * `nexmarkOptions`: a nexmark source's WITH options → `NexmarkOptions`. The keys are
 * RisingWave's (src/connector/src/source/nexmark/mod.rs) plus weir's `nexmark.seed` and
 * `nexmark.event.rate`. Keys outside `nexmark.*` (connector, …) are not ours and are skipped.
 *
 * Event rate: `nexmark.event.rate`, `nexmark.first.event.rate` or `nexmark.events.per.sec`
 * (events per second), or `nexmark.min.event.gap.in.ns` (rate = 1e9 / gap; 0 = no effect).
 * Unlike RisingWave, where the gap only throttles emission, in weir it sets the event-time
 * spacing too: the event time of a run is what a real-time run at that rate would see.
 * Given twice with different rates → 22023.
 *
 * Errors: an unknown `nexmark.*` key or a bad value → 22023 naming the key; a RisingWave
 * option weir does not implement with a non-default value → 0A000.
 */
import { SqlError, SqlState } from '../../types/sql-error.js';
import { NEXMARK_DEFAULTS, type NexmarkOptions, type NexmarkTableType } from './nexmark-config.js';

type Mutable = { -readonly [K in keyof NexmarkOptions]: NexmarkOptions[K] };
type Setter = (value: string, key: string, o: Mutable, rates: Map<string, number>) => void;

const TABLE_TYPES: readonly NexmarkTableType[] = ['person', 'auction', 'bid', 'combined'];

function bad(key: string, value: string, hint: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, `invalid value for option "${key}": "${value}"`, { hint });
}

function integer(key: string, value: string, min: number): number {
  const v = value.trim();
  const n = /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw bad(key, value, min === 0 ? 'The value must be a non-negative integer.' : `The value must be an integer of at least ${min}.`);
  }
  return n;
}

function positiveNumber(key: string, value: string): number {
  const v = value.trim();
  const n = /^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v) ? Number(v) : NaN;
  if (!(n > 0 && Number.isFinite(n))) throw bad(key, value, 'The value must be a positive number.');
  return n;
}

function bool(key: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw bad(key, value, 'The value must be true or false.');
}

function list(key: string, value: string): string[] {
  const items = value.split(',');
  if (items.some((s) => s === '')) throw bad(key, value, 'The value must be a comma-separated list of non-empty names.');
  return items;
}

/** A RisingWave option weir accepts only at its default value. */
function onlyDefault(expected: number): Setter {
  return (value, key) => {
    if (integer(key, value, 0) !== expected) {
      throw new SqlError(SqlState.featureNotSupported, `nexmark option "${key}" is not supported`, {
        detail: `weir's nexmark generator supports only "${key}" = '${expected}'.`,
      });
    }
  };
}

function unsupported(): Setter {
  return (_value, key) => {
    throw new SqlError(SqlState.featureNotSupported, `nexmark option "${key}" is not supported`);
  };
}

const ignored: Setter = () => {};

type KeysOf<V> = { [K in keyof Mutable]-?: Mutable[K] extends V | undefined ? K : never }[keyof Mutable];

function int(field: KeysOf<number>, min: number): Setter {
  return (value, key, o) => {
    o[field] = integer(key, value, min);
  };
}

function names(field: KeysOf<readonly string[]>): Setter {
  return (value, key, o) => {
    o[field] = list(key, value);
  };
}

const rate: Setter = (value, key, _o, rates) => {
  rates.set(key, positiveNumber(key, value));
};

const SETTERS: Record<string, Setter> = {
  'nexmark.table.type': (value, key, o) => {
    const t = value.trim().toLowerCase() as NexmarkTableType;
    if (!TABLE_TYPES.includes(t)) throw bad(key, value, 'The value must be one of Person, Auction, Bid or Combined.');
    o.tableType = t;
  },
  'nexmark.seed': (value, key, o) => {
    o.seed = integer(key, value, Number.MIN_SAFE_INTEGER);
  },
  'nexmark.event.rate': rate,
  'nexmark.first.event.rate': rate,
  'nexmark.events.per.sec': rate,
  'nexmark.min.event.gap.in.ns': (value, key, _o, rates) => {
    const gap = integer(key, value, 0);
    if (gap > 0) rates.set(key, 1e9 / gap);
  },
  'nexmark.event.num': int('maxEvents', 0),
  'nexmark.base.time': (value, key, o) => {
    o.baseTimeUs = integer(key, value, 0) * 1000;
  },
  'nexmark.use.real.time': (value, key, o) => {
    o.useRealTime = bool(key, value);
  },
  'nexmark.split.num': (value, key) => void integer(key, value, 1),
  'nexmark.max.chunk.size': int('maxChunkSize', 1),
  'nexmark.person.proportion': int('personProportion', 0),
  'nexmark.auction.proportion': int('auctionProportion', 0),
  'nexmark.bid.proportion': int('bidProportion', 0),
  'nexmark.active.people': int('activePeople', 1),
  'nexmark.in.flight.auctions': int('inFlightAuctions', 1),
  'nexmark.person.id.lead': int('personIdLead', 0),
  'nexmark.auction.id.lead': int('auctionIdLead', 0),
  'nexmark.avg.person.byte.size': int('avgPersonByteSize', 0),
  'nexmark.avg.auction.byte.size': int('avgAuctionByteSize', 0),
  'nexmark.avg.bid.byte.size': int('avgBidByteSize', 0),
  'nexmark.hot.seller.ratio': int('hotSellerRatio', 1),
  'nexmark.hot.auction.ratio': int('hotAuctionRatio', 1),
  'nexmark.hot.bidder.ratio': int('hotBidderRatio', 1),
  'nexmark.hot.channel.ratio': int('hotChannelRatio', 1),
  'nexmark.num.categories': int('numCategories', 1),
  'nexmark.first.person.id': int('firstPersonId', 0),
  'nexmark.first.auction.id': int('firstAuctionId', 0),
  'nexmark.first.category.id': int('firstCategoryId', 0),
  'nexmark.first.names': names('firstNames'),
  'nexmark.last.names': names('lastNames'),
  'nexmark.us.cities': names('usCities'),
  'nexmark.us.states': names('usStates'),
  // Rate shapes: RisingWave sets the next rate equal to the first, so the shape never shows.
  'nexmark.rate.shape': ignored,
  'nexmark.rate.period': ignored,
  'nexmark.next.event.rate': ignored,
  'nexmark.sine.approx.steps': ignored,
  'nexmark.out.of.order.group.size': onlyDefault(1),
  'nexmark.threads': onlyDefault(1),
  'nexmark.first.event.id': onlyDefault(0),
  'nexmark.first.event.number': onlyDefault(0),
  'nexmark.us.per.unit': onlyDefault(1_000_000),
  'nexmark.hot.seller.ratio.2': unsupported(),
  'nexmark.hot.auction.ratio.2': unsupported(),
  'nexmark.hot.bidder.ratio.2': unsupported(),
};

/**
 * Parses a nexmark source's WITH options. `baseTimeUs` is the event time of event 0 unless
 * `nexmark.base.time` (ms since the epoch, RisingWave's option) overrides it.
 */
export function nexmarkOptions(with_: { key: string; value: string }[], baseTimeUs: number): NexmarkOptions {
  const o: Mutable = { tableType: 'combined', seed: NEXMARK_DEFAULTS.seed, eventRate: NEXMARK_DEFAULTS.eventRate, baseTimeUs };
  const rates = new Map<string, number>();
  for (const { key: rawKey, value } of with_) {
    const key = rawKey.toLowerCase();
    if (!key.startsWith('nexmark.')) continue;
    const set = SETTERS[key];
    if (set === undefined) {
      throw new SqlError(SqlState.invalidParameterValue, `unknown nexmark option "${key}"`, {
        hint: `Known options: ${Object.keys(SETTERS).join(', ')}.`,
      });
    }
    set(value, key, o, rates);
  }
  const distinct = [...new Set(rates.values())];
  if (distinct.length > 1) {
    const keys = [...rates.keys()];
    throw new SqlError(SqlState.invalidParameterValue, `conflicting nexmark event rates: ${keys.map((k) => `"${k}"`).join(', ')}`, {
      hint: 'Give the event rate once.',
    });
  }
  if (distinct.length === 1) o.eventRate = distinct[0]!;
  const d = NEXMARK_DEFAULTS;
  const total = (o.personProportion ?? d.personProportion) + (o.auctionProportion ?? d.auctionProportion) + (o.bidProportion ?? d.bidProportion);
  if (total < 1) {
    throw new SqlError(SqlState.invalidParameterValue, 'nexmark proportions must not all be zero', {
      hint: 'Set "nexmark.person.proportion", "nexmark.auction.proportion" or "nexmark.bid.proportion" to a positive integer.',
    });
  }
  return o;
}
