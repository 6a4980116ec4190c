/**
 * The Nexmark generator's configuration: `NexmarkOptions` (what a source's WITH options
 * resolve to, see nexmark-options.ts) and the reference defaults (nexmark/nexmark's
 * NexmarkConfiguration and GeneratorConfig, as RisingWave's nexmark-rs keeps them).
 *
 * Every optional field defaults to the value below, so a caller may build options by hand
 * with only the five required fields.
 */

export type NexmarkTableType = 'person' | 'auction' | 'bid' | 'combined';

export interface NexmarkOptions {
  tableType: NexmarkTableType;
  /** weir's own: selects one of many equally shaped data sets. Default 0. */
  seed: number;
  /** Events per second of event time (all three kinds together). Default 10,000. */
  eventRate: number;
  /** Event time of event 0, µs since the epoch. */
  baseTimeUs: number;
  /** Total raw events (all kinds); undefined = unbounded. */
  maxEvents?: number;
  /** Event mix: of every `person + auction + bid` consecutive ids, the first `person` are
   *  people, the next `auction` auctions, the rest bids. Defaults 1 : 3 : 46. */
  personProportion?: number;
  auctionProportion?: number;
  bidProportion?: number;
  /** Random people are drawn from the last `activePeople` ids (+ `personIdLead`). */
  activePeople?: number;
  /** Random auctions are drawn from the last `inFlightAuctions` ids (+ `auctionIdLead`). */
  inFlightAuctions?: number;
  personIdLead?: number;
  auctionIdLead?: number;
  /** Average serialized sizes the `extra` column pads up to. */
  avgPersonByteSize?: number;
  avgAuctionByteSize?: number;
  avgBidByteSize?: number;
  /** P(hot) = 1 − 1/ratio for sellers, auctions, bidders and channels. */
  hotSellerRatio?: number;
  hotAuctionRatio?: number;
  hotBidderRatio?: number;
  hotChannelRatio?: number;
  numCategories?: number;
  firstPersonId?: number;
  firstAuctionId?: number;
  firstCategoryId?: number;
  firstNames?: readonly string[];
  lastNames?: readonly string[];
  usCities?: readonly string[];
  usStates?: readonly string[];
  /** At most this many events per poll ('nexmark.max.chunk.size'): the driver's batch size, no effect on the data. */
  maxChunkSize?: number;
  /** Parsed for the caller's pacing only ('nexmark.use.real.time'); no effect on the data. */
  useRealTime?: boolean;
}

export const NEXMARK_DEFAULTS = {
  seed: 0,
  eventRate: 10_000,
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  activePeople: 1000,
  inFlightAuctions: 100,
  personIdLead: 10,
  auctionIdLead: 10,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  hotSellerRatio: 4,
  hotAuctionRatio: 2,
  hotBidderRatio: 4,
  hotChannelRatio: 2,
  numCategories: 5,
  firstPersonId: 1000,
  firstAuctionId: 1000,
  firstCategoryId: 10,
  firstNames: ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'],
  lastNames: ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'],
  usCities: ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'],
  usStates: ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'],
} as const;

/** The hot key changes every this many people / auctions (HOT_*_RATIO in the reference). */
export const HOT_BATCH = 100;
export const HOT_CHANNELS: readonly string[] = ['Google', 'Facebook', 'Baidu', 'Apple'];
export const CHANNELS_NUMBER = 10_000;
