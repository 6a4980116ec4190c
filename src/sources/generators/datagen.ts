/**
 * The datagen generator's entry point (RisingWave's `connector = 'datagen'`): rows for a range
 * of row indexes. Row i is a pure function of (i, each column's seed): a sequence column holds
 * start + i, a random column draws from the stream (column seed, i) — so any range can be
 * produced on its own, replayed after a restart, or split across partitions.
 *
 *   datagenSpec(columns, WITH …) ──▶ DatagenSpec ──▶ datagenRows(spec, from, to, out)
 *
 * The source is exhausted at the first row where a sequence passes its end (RisingWave stops
 * the split there too); datagenRows then produces fewer rows than asked.
 */
import { Numeric } from '../../types/numeric.js';
import { Record, type Datum, type Row } from '../../types/datum.js';
import type { DatagenSpec, FieldGen } from './datagen-spec.js';
import { Rng } from './random.js';

export type { DatagenSpec, FieldGen } from './datagen-spec.js';
export { datagenSpec } from './datagen-spec.js';

const TWO_32 = 4294967296;
const TWO_32N = 4294967296n;
const MAX_SAFE_SPAN = BigInt(Number.MAX_SAFE_INTEGER);
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MICROS_PER_DAY = 86_400_000_000;

/** The time (µs) row `row` is due: baseTimeUs + row / rowsPerSecond; `relative` timestamps count back from it. */
export function datagenRowTime(spec: DatagenSpec, row: number): number {
  return spec.baseTimeUs + Math.floor((row * 1e6) / spec.rowsPerSecond);
}

/** Uniform in [0, span) for any span ≥ 1 (modulo bias below 2^-11 for spans past 2^53). */
function uniformBig(rng: Rng, span: bigint): bigint {
  if (span <= MAX_SAFE_SPAN) return BigInt(rng.int(Number(span)));
  const hi = BigInt(rng.u32());
  const lo = BigInt(rng.u32());
  const top = BigInt(rng.u32() >>> 21);
  return (((top * TWO_32N + hi) * TWO_32N) + lo) % span;
}

function valueOf(g: FieldGen, n: number, row: number, spec: DatagenSpec, rng: Rng): Datum {
  switch (g.kind) {
    case 'IntSequence':
      return g.big ? g.start + BigInt(n) : Number(g.start) + n;
    case 'FloatSequence': {
      const v = g.start + n;
      return g.float4 ? Math.fround(v) : v;
    }
    case 'NumericSequence':
      return new Numeric(g.start + BigInt(n) * 10n ** BigInt(g.scale), g.scale);
    case 'IntRandom': {
      rng.reset(g.seed, n);
      if (!g.big) return Number(g.min) + rng.int(Number(g.span));
      return g.min + uniformBig(rng, g.span);
    }
    case 'FloatRandom': {
      const v = g.min + rng.reset(g.seed, n).double() * (g.max - g.min);
      return g.float4 ? Math.fround(v) : v;
    }
    case 'NumericRandom':
      return new Numeric(g.min + uniformBig(rng.reset(g.seed, n), g.span), g.scale);
    case 'StringRandom': {
      rng.reset(g.seed, n);
      let s = '';
      for (let i = 0; i < g.length; i++) s += ALPHANUMERIC[rng.int(62)]!;
      return s;
    }
    case 'BoolRandom':
      return rng.reset(g.seed, n).u32() >= TWO_32 / 2;
    case 'TimeRandom': {
      const pastMs = rng.reset(g.seed, n).int(g.maxPastMs + 1);
      const base = g.baseUs ?? (g.relative ? datagenRowTime(spec, row) : spec.baseTimeUs);
      const us = base - pastMs * 1000;
      return g.date ? Math.floor(us / MICROS_PER_DAY) : us;
    }
    case 'Struct':
      return new Record(g.fields.map((f) => valueOf(f, n, row, spec, rng)));
    case 'Array': {
      const out: Datum[] = new Array<Datum>(g.length);
      for (let j = 0; j < g.length; j++) out[j] = valueOf(g.element, n * g.length + j, row, spec, rng);
      return out;
    }
  }
}

/**
 * Rows with indexes [from, to), appended to `out`. Returns the number of rows produced: fewer
 * than `to − from` (possibly 0) when the source is exhausted before `to`.
 */
export function datagenRows(spec: DatagenSpec, from: number, to: number, out: Row[]): number {
  const start = Math.max(from, 0);
  const end = spec.rowLimit === undefined ? to : Math.min(to, spec.rowLimit);
  const rng = new Rng();
  const fields = spec.fields;
  for (let i = start; i < end; i++) {
    const row: Row = new Array<Datum>(fields.length);
    for (let c = 0; c < fields.length; c++) row[c] = valueOf(fields[c]!, i, i, spec, rng);
    out.push(row);
  }
  return Math.max(end - start, 0);
}
