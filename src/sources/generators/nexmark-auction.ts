/**
 * One Auction event as the fields of RisingWave's auction struct: (id, item_name, description,
 * initial_bid, reserve, date_time, expires, seller, category, extra). Draw order follows the
 * reference AuctionGenerator.
 *
 * - id: the event's own dense id (`lastBase0AuctionId + firstAuctionId`).
 * - seller: with p = 1 − 1/hotSellerRatio the first person of the current batch of 100,
 *   else a random active person.
 * - category: firstCategoryId + rand(numCategories).
 * - expires: date_time + 1 + rand(2·horizon) ms, horizon = event time until `inFlightAuctions`
 *   more auctions (≈ 166 ms at 10,000 ev/s; exactly 1 ms at ≥ ~2 M ev/s).
 * - reserve = initial_bid + another price; extra pads to `avgAuctionByteSize`.
 */
import type { Datum } from '../../types/datum.js';
import { HOT_BATCH } from './nexmark-config.js';
import { batchStart, type NexmarkModel } from './nexmark-model.js';
import { nextExtra, nextString } from './nexmark-strings.js';
import type { Rng } from './random.js';

export function auctionFields(m: NexmarkModel, rng: Rng, id: number, timeUs: number): Datum[] {
  const auctionId = m.lastBase0AuctionId(id) + m.firstAuctionId;
  const seller =
    (rng.int(m.hotSellerRatio) > 0 ? batchStart(m.lastBase0PersonId(id), HOT_BATCH) : m.nextBase0PersonId(id, rng)) +
    m.firstPersonId;
  const category = m.firstCategoryId + rng.int(m.numCategories);
  const initialBid = m.nextPrice(rng);
  const expiresUs = timeUs + m.nextAuctionLengthMs(id, rng) * 1000;
  const itemName = nextString(rng, 20);
  const description = nextString(rng, 100);
  const reserve = initialBid + m.nextPrice(rng);
  const size = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
  const extra = nextExtra(rng, size, m.avgAuctionByteSize);
  return [
    BigInt(auctionId),
    itemName,
    description,
    BigInt(initialBid),
    BigInt(reserve),
    timeUs,
    expiresUs,
    BigInt(seller),
    BigInt(category),
    extra,
  ];
}
