/**
 * The Nexmark generator's entry point: rows of a table type for a range of raw event ids, and
 * the event time of an event. Every event is a pure function of (seed, event id): its kind and
 * ids come from the id (GENERATOR.md §1), its time from the id and the rate (§2), its random
 * fields from a stream seeded by (seed, id) (§3, random.ts). So any id range can be produced
 * on its own, replayed after a restart, or split across partitions.
 *
 *   nexmarkOptions(WITH …) ──▶ NexmarkOptions ──▶ nexmarkRows(opts, from, to, out)
 *                                                   per id: kind → person | auction | bid fields
 *                                                   (combined: [event_type, struct|NULL ×3])
 */
import { Record, type Row } from '../../types/datum.js';
import { NEXMARK_DEFAULTS, type NexmarkOptions, type NexmarkTableType } from './nexmark-config.js';
import { auctionFields } from './nexmark-auction.js';
import { bidFields } from './nexmark-bid.js';
import { AUCTION, BID, NexmarkModel, offsetMs, PERSON } from './nexmark-model.js';
import { personFields } from './nexmark-person.js';
import { channelTable } from './nexmark-strings.js';
import { Rng } from './random.js';
import { BigIntCache } from './bigint-cache.js';

export type { NexmarkOptions, NexmarkTableType } from './nexmark-config.js';
export { nexmarkOptions } from './nexmark-options.js';
export { nexmarkSchema } from './nexmark-schema.js';

const KIND_OF_TABLE = { person: PERSON, auction: AUCTION, bid: BID, combined: -1 } as const;
const EVENT_TYPE = [0n, 1n, 2n] as const;
/** Shared by every call: a cached bigint depends only on its id. */
const ids = new BigIntCache();

/**
 * Rows of the table type for raw event ids [from, to) (events of other kinds skipped), in
 * event-id order, appended to `out`. Ids at or past `maxEvents` produce nothing.
 */
export function nexmarkRows(opts: NexmarkOptions, from: number, to: number, out: Row[]): void {
  const m = new NexmarkModel(opts);
  const end = Math.min(to, m.maxEvents);
  const want = KIND_OF_TABLE[opts.tableType];
  const channels = channelTable(m.seed);
  const rng = new Rng();
  for (let id = Math.max(from, 0); id < end; id++) {
    const kind = m.kindOf(id);
    if (want !== kind && want !== -1) continue;
    rng.reset(m.events, id);
    const t = m.timeUs(id);
    const fields =
      kind === BID ? bidFields(m, channels, rng, id, t, ids) : kind === AUCTION ? auctionFields(m, rng, id, t) : personFields(m, rng, id, t);
    if (want !== -1) {
      out.push(fields);
    } else {
      const struct = new Record(fields);
      out.push([EVENT_TYPE[kind], kind === PERSON ? struct : null, kind === AUCTION ? struct : null, kind === BID ? struct : null]);
    }
  }
}

/** Event time (µs since the epoch) of raw event id n. */
export function nexmarkEventTime(opts: NexmarkOptions, n: number): number {
  return opts.baseTimeUs + offsetMs(1e6 / (opts.eventRate ?? NEXMARK_DEFAULTS.eventRate), n) * 1000;
}

/** The kind of raw event id n: 'person' | 'auction' | 'bid'. */
export function nexmarkEventKind(opts: NexmarkOptions, n: number): Exclude<NexmarkTableType, 'combined'> {
  const kind = new NexmarkModel(opts).kindOf(n);
  return kind === PERSON ? 'person' : kind === AUCTION ? 'auction' : 'bid';
}
