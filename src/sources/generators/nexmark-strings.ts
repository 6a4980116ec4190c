/**
 * The Nexmark string rules (GENERATOR.md §3): random words, the `extra` padding column, credit
 * card numbers, and the channel table (names and URLs per channel number, fixed per seed).
 *
 * `extra` and the words (names, emails, descriptions) are substrings of two 1 MiB pools built
 * once per process from a fixed seed (the nexmark-rs trick: a bid's padding costs one slice,
 * not 54–81 random characters). The pools are the same for every seed; offsets and lengths
 * are drawn from the event's stream, so a value is still a pure function of (seed, event id).
 */
import { CHANNELS_NUMBER, HOT_CHANNELS } from './nexmark-config.js';
import { DOMAIN_CHANNELS } from './nexmark-model.js';
import { Rng, seedKey } from './random.js';

const MIN_STRING_LENGTH = 3;
const SPACE = 32;
const UNDERSCORE = 95;
const A = 97;

/**
 * `3 + rand(maxLength − 3)` characters, each `special` with p = 1/13 else a–z. With the default
 * special (a space) the characters are a slice of a pool drawn that way (one draw per word, not
 * per character) and trimmed, so a word may be shorter than 3 or hold inner spaces, as in the
 * reference.
 */
export function nextString(rng: Rng, maxLength: number, special = SPACE): string {
  const len = MIN_STRING_LENGTH + rng.int(maxLength - MIN_STRING_LENGTH);
  if (special === SPACE) {
    const start = rng.int(POOL_LENGTH - len + 1);
    return pools().words.substring(start, start + len).trim();
  }
  let s = '';
  for (let i = 0; i < len; i++) {
    const r = rng.int(13 * 26);
    s += String.fromCharCode(r < 26 ? special : A + (r % 26));
  }
  return s;
}

const POOL_LENGTH = 1 << 20;
let cached: { letters: string; words: string } | undefined;

/** 1 MiB of a–z (extra) and 1 MiB of a–z with spaces at p = 1/13 (words), from a fixed seed. */
function pools(): { letters: string; words: string } {
  if (cached !== undefined) return cached;
  const rng = new Rng().reset(seedKey(0, 0x706f6f6c), 0);
  const fill = (space: boolean): string => {
    const parts: string[] = [];
    const chunk = new Array<number>(8192);
    for (let done = 0; done < POOL_LENGTH; done += chunk.length) {
      for (let i = 0; i < chunk.length; i++) {
        const r = rng.int(13 * 26);
        chunk[i] = space && r < 26 ? SPACE : A + (r % 26);
      }
      parts.push(String.fromCharCode(...chunk));
    }
    return parts.join('');
  };
  cached = { letters: fill(false), words: fill(true) };
  return cached;
}

/**
 * Padding so a record averages `desiredAverageSize` bytes: with d = average − currentSize and
 * δ = round(0.2·d), a length uniform in [d − δ, d + δ) (exactly d − δ when δ = 0); "" when
 * the record is already larger than the average.
 */
export function nextExtra(rng: Rng, currentSize: number, desiredAverageSize: number): string {
  if (currentSize > desiredAverageSize) return '';
  const d = desiredAverageSize - currentSize;
  const delta = Math.round(d * 0.2);
  const len = d - delta + (delta === 0 ? 0 : rng.int(2 * delta));
  const p = pools().letters;
  if (len <= POOL_LENGTH) {
    const start = rng.int(POOL_LENGTH - len + 1);
    return p.substring(start, start + len);
  }
  return p.repeat(Math.ceil(len / POOL_LENGTH)).substring(0, len);
}

/** Four groups of four digits, space separated. */
export function nextCreditCard(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    if (i > 0) s += ' ';
    s += String(rng.int(10_000)).padStart(4, '0');
  }
  return s;
}

/** `https://www.nexmark.com/<s>/<s>/<s>/item.htm?query=1`, s = 3–4 characters of a–z or '_'. */
function baseUrl(rng: Rng): string {
  return `https://www.nexmark.com/${nextString(rng, 5, UNDERSCORE)}/${nextString(rng, 5, UNDERSCORE)}/${nextString(rng, 5, UNDERSCORE)}/item.htm?query=1`;
}

/** Java's Integer.reverse (bit order of a 32-bit int), then Math.abs (which keeps MIN_VALUE negative). */
function javaAbsReverse(x: number): number {
  let v = x >>> 0;
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  v = (v >>> 16) | (v << 16);
  const r = v | 0;
  return r === -2147483648 ? r : Math.abs(r);
}

/**
 * Channel names and URLs of one seed: the four hot channels' fixed URLs and, for channel i of
 * `CHANNELS_NUMBER`, `channel-<i>` with a URL of its own, 90 % of them ending in
 * `&channel_id=<abs(reverse(i))>`. Entries are pure functions of (seed, i), filled lazily.
 */
export class ChannelTable {
  readonly hotUrls: readonly string[];
  private readonly names: (string | undefined)[] = new Array<string | undefined>(CHANNELS_NUMBER);
  private readonly urls: (string | undefined)[] = new Array<string | undefined>(CHANNELS_NUMBER);
  private readonly rng = new Rng();
  private readonly key;

  constructor(seed: number) {
    this.key = seedKey(seed, DOMAIN_CHANNELS);
    this.hotUrls = HOT_CHANNELS.map((_, i) => baseUrl(this.rng.reset(this.key, CHANNELS_NUMBER + i)));
  }

  name(i: number): string {
    return (this.names[i] ??= `channel-${i}`);
  }

  url(i: number): string {
    let u = this.urls[i];
    if (u === undefined) {
      const rng = this.rng.reset(this.key, i);
      u = baseUrl(rng);
      if (rng.int(10) > 0) u += `&channel_id=${javaAbsReverse(i)}`;
      this.urls[i] = u;
    }
    return u;
  }
}

const tables = new Map<number, ChannelTable>();

/** The channel table of `seed` (a few seeds are kept; the entries never depend on the cache). */
export function channelTable(seed: number): ChannelTable {
  let t = tables.get(seed);
  if (t === undefined) {
    if (tables.size >= 8) tables.clear();
    t = new ChannelTable(seed);
    tables.set(seed, t);
  }
  return t;
}
