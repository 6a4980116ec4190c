/**
 * One Bid event as the fields of RisingWave's bid struct: (auction, bidder, price, channel, url,
 * date_time, extra). Draw order follows the reference BidGenerator.
 *
 * - auction: with p = 1 − 1/hotAuctionRatio the first auction of the current batch of 100,
 *   else uniform in [last − inFlightAuctions, last + auctionIdLead] (clamped at the first).
 * - bidder: with p = 1 − 1/hotBidderRatio the second person of the current batch of 100, else a
 *   random active person; `firstPersonId` is added once (nexmark-rs), not twice (Flink's quirk).
 * - channel/url: with p = 1 − 1/hotChannelRatio one of the four hot channels, else channel-<i>,
 *   i < 10,000, each with its own fixed URL (see ChannelTable).
 * - auction and bidder ids come from `ids` (the same bigint for a repeated id).
 * - extra pads to `avgBidByteSize` with currentSize 32 (54–81 characters by default).
 */
import type { Datum } from '../../types/datum.js';
import { CHANNELS_NUMBER, HOT_BATCH, HOT_CHANNELS } from './nexmark-config.js';
import { batchStart, type NexmarkModel } from './nexmark-model.js';
import { type ChannelTable, nextExtra } from './nexmark-strings.js';
import type { Rng } from './random.js';
import type { BigIntCache } from './bigint-cache.js';

export function bidFields(m: NexmarkModel, channels: ChannelTable, rng: Rng, id: number, timeUs: number, ids: BigIntCache): Datum[] {
  const auction =
    (rng.int(m.hotAuctionRatio) > 0 ? batchStart(m.lastBase0AuctionId(id), HOT_BATCH) : m.nextBase0AuctionId(id, rng)) +
    m.firstAuctionId;
  const bidder =
    (rng.int(m.hotBidderRatio) > 0 ? batchStart(m.lastBase0PersonId(id), HOT_BATCH) + 1 : m.nextBase0PersonId(id, rng)) +
    m.firstPersonId;
  const price = m.nextPrice(rng);
  let channel: string;
  let url: string;
  if (rng.int(m.hotChannelRatio) > 0) {
    const i = rng.int(HOT_CHANNELS.length);
    channel = HOT_CHANNELS[i]!;
    url = channels.hotUrls[i]!;
  } else {
    const i = rng.int(CHANNELS_NUMBER);
    channel = channels.name(i);
    url = channels.url(i);
  }
  const extra = nextExtra(rng, 32, m.avgBidByteSize);
  return [ids.get(auction), ids.get(bidder), BigInt(price), channel, url, timeUs, extra];
}
