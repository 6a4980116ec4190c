/**
 * NexmarkModel: `NexmarkOptions` with defaults filled in, plus the deterministic arithmetic of
 * the reference generator (GENERATOR.md §1–§3) that depends only on an event id: its kind, its
 * event time, the newest person / auction id as of it, and the random-but-recent id choices.
 *
 * Event numbering: event id = event number k, from 0 (firstEventId 0, out-of-order group 1).
 * Event time: `baseTimeUs + 1000 · floor(floor(k · interEventDelayUs) / 1000)`, i.e. the
 * reference's millisecond timestamp `baseTime + floor(k · delayUs) / 1000`, kept at millisecond
 * granularity (at 10,000 ev/s ten events share each millisecond, as in Flink and RisingWave).
 */
import { NEXMARK_DEFAULTS, type NexmarkOptions } from './nexmark-config.js';
import { type Rng, type SeedKey, seedKey } from './random.js';

export const PERSON = 0;
export const AUCTION = 1;
export const BID = 2;
export type EventKind = typeof PERSON | typeof AUCTION | typeof BID;

/** Seed domains: the per-event streams and the per-seed channel URL table. */
export const DOMAIN_EVENTS = 1;
export const DOMAIN_CHANNELS = 2;

/** ln(10^6): 10^(6U) = e^(U·ln 10^6), which Math.exp computes faster than Math.pow. */
const LN_1E6 = 6 * Math.LN10;

export class NexmarkModel {
  readonly baseTimeUs: number;
  readonly delayUs: number;
  readonly maxEvents: number;
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly totalProportion: number;
  readonly activePeople: number;
  readonly inFlightAuctions: number;
  readonly personIdLead: number;
  readonly auctionIdLead: number;
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
  readonly hotSellerRatio: number;
  readonly hotAuctionRatio: number;
  readonly hotBidderRatio: number;
  readonly hotChannelRatio: number;
  readonly numCategories: number;
  readonly firstPersonId: number;
  readonly firstAuctionId: number;
  readonly firstCategoryId: number;
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly usCities: readonly string[];
  readonly usStates: readonly string[];
  readonly seed: number;
  /** The per-event streams: event id n draws from `rng.reset(events, n)`. */
  readonly events: SeedKey;
  /** Events between now and the auction `inFlightAuctions` ahead (auction lifetime horizon). */
  readonly eventsForAuctions: number;

  constructor(o: NexmarkOptions) {
    const d = NEXMARK_DEFAULTS;
    this.seed = o.seed ?? d.seed;
    this.baseTimeUs = o.baseTimeUs;
    this.delayUs = 1e6 / (o.eventRate ?? d.eventRate);
    this.maxEvents = o.maxEvents ?? Infinity;
    this.personProportion = o.personProportion ?? d.personProportion;
    this.auctionProportion = o.auctionProportion ?? d.auctionProportion;
    this.totalProportion = this.personProportion + this.auctionProportion + (o.bidProportion ?? d.bidProportion);
    this.activePeople = o.activePeople ?? d.activePeople;
    this.inFlightAuctions = o.inFlightAuctions ?? d.inFlightAuctions;
    this.personIdLead = o.personIdLead ?? d.personIdLead;
    this.auctionIdLead = o.auctionIdLead ?? d.auctionIdLead;
    this.avgPersonByteSize = o.avgPersonByteSize ?? d.avgPersonByteSize;
    this.avgAuctionByteSize = o.avgAuctionByteSize ?? d.avgAuctionByteSize;
    this.avgBidByteSize = o.avgBidByteSize ?? d.avgBidByteSize;
    this.hotSellerRatio = o.hotSellerRatio ?? d.hotSellerRatio;
    this.hotAuctionRatio = o.hotAuctionRatio ?? d.hotAuctionRatio;
    this.hotBidderRatio = o.hotBidderRatio ?? d.hotBidderRatio;
    this.hotChannelRatio = o.hotChannelRatio ?? d.hotChannelRatio;
    this.numCategories = o.numCategories ?? d.numCategories;
    this.firstPersonId = o.firstPersonId ?? d.firstPersonId;
    this.firstAuctionId = o.firstAuctionId ?? d.firstAuctionId;
    this.firstCategoryId = o.firstCategoryId ?? d.firstCategoryId;
    this.firstNames = o.firstNames ?? d.firstNames;
    this.lastNames = o.lastNames ?? d.lastNames;
    this.usCities = o.usCities ?? d.usCities;
    this.usStates = o.usStates ?? d.usStates;
    this.events = seedKey(this.seed, DOMAIN_EVENTS);
    this.eventsForAuctions =
      this.auctionProportion > 0 ? Math.floor((this.inFlightAuctions * this.totalProportion) / this.auctionProportion) : 0;
  }

  kindOf(id: number): EventKind {
    const rem = id % this.totalProportion;
    if (rem < this.personProportion) return PERSON;
    return rem < this.personProportion + this.auctionProportion ? AUCTION : BID;
  }

  /** Milliseconds from the base time to event number k. */
  offsetMs(k: number): number {
    return offsetMs(this.delayUs, k);
  }

  timeUs(k: number): number {
    return this.baseTimeUs + offsetMs(this.delayUs, k) * 1000;
  }

  /** The newest person id (base 0) as of event `id` (the one it creates, for a person). */
  lastBase0PersonId(id: number): number {
    const epoch = Math.floor(id / this.totalProportion);
    let offset = id % this.totalProportion;
    if (offset >= this.personProportion) offset = this.personProportion - 1;
    return epoch * this.personProportion + offset;
  }

  /** The newest auction id (base 0) as of event `id`; −1 before the first auction. */
  lastBase0AuctionId(id: number): number {
    let epoch = Math.floor(id / this.totalProportion);
    let offset = id % this.totalProportion;
    if (offset < this.personProportion) {
      epoch--;
      offset = this.auctionProportion - 1;
    } else if (offset >= this.personProportion + this.auctionProportion) {
      offset = this.auctionProportion - 1;
    } else {
      offset -= this.personProportion;
    }
    return epoch * this.auctionProportion + offset;
  }

  /** A random active person: uniform over the last `activePeople` ids plus `personIdLead` future ones. */
  nextBase0PersonId(id: number, rng: Rng): number {
    const numPeople = this.lastBase0PersonId(id) + 1;
    const active = Math.min(numPeople, this.activePeople);
    return numPeople - active + rng.int(active + this.personIdLead);
  }

  /** A random in-flight auction: uniform over [last − inFlight, last + auctionIdLead]. */
  nextBase0AuctionId(id: number, rng: Rng): number {
    const max = this.lastBase0AuctionId(id);
    const min = Math.max(max - this.inFlightAuctions, 0);
    return min + rng.int(max - min + 1 + this.auctionIdLead);
  }

  /** Log-uniform price in cents: round(10^(6U) · 100), 100 … 100,000,000. */
  nextPrice(rng: Rng): number {
    return Math.round(Math.exp(rng.double() * LN_1E6) * 100);
  }

  /** Auction lifetime in ms: 1 + uniform [0, 2·horizon), horizon = time until `inFlightAuctions` more auctions. */
  nextAuctionLengthMs(k: number, rng: Rng): number {
    const horizonMs = this.offsetMs(k + this.eventsForAuctions) - this.offsetMs(k);
    return 1 + rng.int(Math.max(horizonMs * 2, 1));
  }
}

/** Milliseconds from the base time to event number k at `delayUs` per event (reference: integer division). */
export function offsetMs(delayUs: number, k: number): number {
  return Math.floor(Math.floor(k * delayUs) / 1000);
}

/** Java's `(a / b) * b` for longs (truncating division), used for the hot-key batches. */
export function batchStart(id: number, batch: number): number {
  return Math.trunc(id / batch) * batch;
}
