/**
 * `datagenSpec`: a datagen source's columns and WITH options → `DatagenSpec`, one `FieldGen`
 * per column (a discriminated union on `kind`, nested for structs and arrays). The options are
 * RisingWave's: `datagen.rows.per.second` (default 10), `datagen.split.num` (ignored), and per
 * column or sub-field path (`v1`, `v1.v2`, array elements `c1._`):
 *
 * | column type                        | fields.<path>.*                                        |
 * |------------------------------------|--------------------------------------------------------|
 * | int2 int4 int8 float4 float8 numeric | kind = random (min 0, max 32767) or sequence (start 0, end 32767), seed |
 * | varchar text char                  | kind = random, length (10), seed — alphanumeric        |
 * | bool                               | kind = random, seed                                    |
 * | timestamp timestamptz date         | kind = random, max_past (1 day), max_past_mode (absolute / relative), basetime, seed |
 * | struct                             | its sub-fields' paths                                  |
 * | array                              | length (10), and the element path `<path>._`           |
 *
 * Errors: an unknown `datagen.*` key, a path naming no column, an option that does not apply
 * to the column's type, or a bad value → 22023 naming the key; a column type datagen cannot
 * generate → 0A000. Keys outside `datagen.*` / `fields.*` are not ours and are skipped.
 */
import type { Column, SqlType } from '../../types/sql-type.js';
import { typeName } from '../../types/sql-type.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { Numeric } from '../../types/numeric.js';
import { pow10 } from '../../types/numeric.js';
import {
  type IntKind,
  badValue,
  parseBaseTime,
  parseCount,
  parseDurationMs,
  parseFloatOption,
  parseIntOption,
  parseNumericOption,
} from './datagen-values.js';
import { type SeedKey, hashString, seedKey } from './random.js';

export type FieldGen =
  /** int2/int4 (`big` false, as numbers) or int8 (bigint): start + n for n < count. */
  | { kind: 'IntSequence'; start: bigint; count: number; big: boolean }
  | { kind: 'FloatSequence'; start: number; count: number; float4: boolean }
  | { kind: 'NumericSequence'; start: bigint; scale: number; count: number }
  /** Uniform in [min, min + span). */
  | { kind: 'IntRandom'; min: bigint; span: bigint; big: boolean; seed: SeedKey }
  /** Uniform in [min, max). */
  | { kind: 'FloatRandom'; min: number; max: number; float4: boolean; seed: SeedKey }
  /** Unscaled value uniform in [min, min + span) at `scale`. */
  | { kind: 'NumericRandom'; min: bigint; span: bigint; scale: number; seed: SeedKey }
  | { kind: 'StringRandom'; length: number; seed: SeedKey }
  | { kind: 'BoolRandom'; seed: SeedKey }
  /** base − uniform [0, maxPastMs] ms; base = `baseUs`, else the row's time (relative) or the source's base time. */
  | { kind: 'TimeRandom'; maxPastMs: number; relative: boolean; baseUs: number | undefined; date: boolean; seed: SeedKey }
  | { kind: 'Struct'; fields: FieldGen[] }
  /** Element j of stream index n is the element generator's stream index n·length + j. */
  | { kind: 'Array'; length: number; element: FieldGen };

export interface DatagenSpec {
  schema: Column[];
  rowsPerSecond: number;
  /** The source's base time (µs): `absolute` timestamps count back from it; row i is due at baseTimeUs + i / rowsPerSecond. */
  baseTimeUs: number;
  /** Rows before some sequence passes its end; undefined = unbounded. */
  rowLimit: number | undefined;
  fields: FieldGen[];
}

/** Seed domains: explicit `seed` options, and columns without one (seeded by their path). */
const DOMAIN_SEED = 11;
const DOMAIN_PATH = 12;

const DEFAULT_MIN = 0n;
const DEFAULT_MAX = 32767n;
const DEFAULT_LENGTH = 10;
const DEFAULT_MAX_PAST_MS = 86_400_000;

type Option = { key: string; value: string };
type Params = Map<string, Option>;

const NUMBER_PARAMS = ['kind', 'start', 'end', 'min', 'max', 'seed'];
const STRING_PARAMS = ['kind', 'length', 'seed'];
const BOOL_PARAMS = ['kind', 'seed'];
const TIME_PARAMS = ['kind', 'max_past', 'max_past_mode', 'basetime', 'seed'];

function paramsOf(t: SqlType): string[] | undefined {
  switch (t.kind) {
    case 'int2': case 'int4': case 'int8': case 'float4': case 'float8': case 'numeric': return NUMBER_PARAMS;
    case 'varchar': case 'text': case 'char': return STRING_PARAMS;
    case 'bool': return BOOL_PARAMS;
    case 'timestamp': case 'timestamptz': case 'date': return TIME_PARAMS;
    case 'array': return ['length'];
    case 'record': return [];
    default: return undefined;
  }
}

/** Every generatable path (lower-case) → its type. */
function paths(prefix: string, t: SqlType, out: Map<string, SqlType>): void {
  out.set(prefix.toLowerCase(), t);
  if (t.kind === 'record') for (const f of t.fields) paths(`${prefix}.${f.name}`, f.type, out);
  if (t.kind === 'array') paths(`${prefix}._`, t.element, out);
}

/** 22023 unless lower ≤ upper (the bounds' option keys named, defaults spelled out). */
function checkOrder(path: string, names: [string, string], given: [Option | undefined, Option | undefined], shown: [string, string], greater: boolean): void {
  if (!greater) return;
  const [lo, hi] = names.map((n, i) => given[i] ?? { key: `fields.${path}.${n}`, value: shown[i]! }) as [Option, Option];
  throw new SqlError(SqlState.invalidParameterValue, `option "${lo.key}" must not be greater than "${hi.key}"`, {
    detail: `"${lo.key}" is ${lo.value}, "${hi.key}" is ${hi.value}.`,
  });
}

function countOf(n: bigint): number {
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

function build(path: string, t: SqlType, options: Map<string, Params>): FieldGen {
  const p: Params = options.get(path.toLowerCase()) ?? new Map();
  const opt = (name: string): Option | undefined => p.get(name);
  const seedOpt = opt('seed');
  const seed = seedOpt ? seedKey(parseCount(seedOpt.key, seedOpt.value), DOMAIN_SEED) : seedKey(hashString(path), DOMAIN_PATH);
  const kindOpt = opt('kind');
  const kind = kindOpt?.value.trim().toLowerCase() ?? 'random';
  if (kindOpt && kind !== 'random' && kind !== 'sequence') throw badValue(kindOpt.key, kindOpt.value, "The value must be 'random' or 'sequence'.");
  const isNumber = paramsOf(t) === NUMBER_PARAMS;
  if (kindOpt && kind === 'sequence' && !isNumber) {
    throw badValue(kindOpt.key, kindOpt.value, `Only number columns can be sequences; "${path}" is ${typeName(t)}.`);
  }
  const sequence = kind === 'sequence';
  const names: [string, string] = sequence ? ['start', 'end'] : ['min', 'max'];
  const lo = opt(names[0]);
  const hi = opt(names[1]);
  switch (t.kind) {
    case 'int2': case 'int4': case 'int8': {
      const k = t.kind as IntKind;
      const a = lo ? parseIntOption(lo.key, lo.value, k) : DEFAULT_MIN;
      const b = hi ? parseIntOption(hi.key, hi.value, k) : DEFAULT_MAX;
      checkOrder(path, names, [lo, hi], [String(a), String(b)], a > b);
      const big = k === 'int8';
      return sequence ? { kind: 'IntSequence', start: a, count: countOf(b - a + 1n), big } : { kind: 'IntRandom', min: a, span: b - a + 1n, big, seed };
    }
    case 'float4': case 'float8': {
      const a = lo ? parseFloatOption(lo.key, lo.value) : 0;
      const b = hi ? parseFloatOption(hi.key, hi.value) : 32767;
      checkOrder(path, names, [lo, hi], [String(a), String(b)], a > b);
      const float4 = t.kind === 'float4';
      return sequence ? { kind: 'FloatSequence', start: a, count: Math.floor(b - a) + 1, float4 } : { kind: 'FloatRandom', min: a, max: b, float4, seed };
    }
    case 'numeric': {
      const a = lo ? parseNumericOption(lo.key, lo.value) : undefined;
      const b = hi ? parseNumericOption(hi.key, hi.value) : undefined;
      const scale = t.scale ?? (sequence ? (a?.scale ?? 0) : Math.max(a?.scale ?? 0, b?.scale ?? 0));
      const unscaled = (n: Numeric | undefined, dflt: bigint): bigint => (n ? n.round(scale).unscaled : dflt * pow10(scale));
      const ua = unscaled(a, DEFAULT_MIN);
      const ub = unscaled(b, DEFAULT_MAX);
      checkOrder(path, names, [lo, hi], ['0', '32767'], ua > ub);
      if (sequence) return { kind: 'NumericSequence', start: ua, scale, count: countOf((ub - ua) / pow10(scale) + 1n) };
      return { kind: 'NumericRandom', min: ua, span: ub - ua + 1n, scale, seed };
    }
    case 'varchar': case 'text': case 'char': {
      const max = t.kind === 'text' ? undefined : t.length;
      const lenOpt = opt('length');
      const length = lenOpt ? parseCount(lenOpt.key, lenOpt.value) : t.kind === 'char' ? (t.length ?? 1) : Math.min(DEFAULT_LENGTH, max ?? DEFAULT_LENGTH);
      if (lenOpt && max !== undefined && length > max) throw badValue(lenOpt.key, lenOpt.value, `The column "${path}" is ${typeName(t)}.`);
      return { kind: 'StringRandom', length, seed };
    }
    case 'bool':
      return { kind: 'BoolRandom', seed };
    case 'timestamp': case 'timestamptz': case 'date': {
      const pastOpt = opt('max_past');
      const modeOpt = opt('max_past_mode');
      const baseOpt = opt('basetime');
      const mode = modeOpt?.value.trim().toLowerCase() ?? 'absolute';
      if (mode !== 'absolute' && mode !== 'relative') throw badValue(modeOpt!.key, modeOpt!.value, "The value must be 'absolute' or 'relative'.");
      return {
        kind: 'TimeRandom',
        maxPastMs: pastOpt ? parseDurationMs(pastOpt.key, pastOpt.value) : DEFAULT_MAX_PAST_MS,
        relative: mode === 'relative',
        baseUs: baseOpt ? parseBaseTime(baseOpt.key, baseOpt.value, t.kind !== 'timestamp') : undefined,
        date: t.kind === 'date',
        seed,
      };
    }
    case 'record':
      return { kind: 'Struct', fields: t.fields.map((f) => build(`${path}.${f.name}`, f.type, options)) };
    case 'array': {
      const lenOpt = opt('length');
      return { kind: 'Array', length: lenOpt ? parseCount(lenOpt.key, lenOpt.value) : DEFAULT_LENGTH, element: build(`${path}._`, t.element, options) };
    }
    default:
      throw new SqlError(SqlState.featureNotSupported, `datagen cannot generate column "${path}" of type ${typeName(t)}`);
  }
}

/** Rows a generator produces before a sequence inside it passes its end (Infinity: never). */
function limitOf(g: FieldGen): number {
  switch (g.kind) {
    case 'IntSequence': case 'FloatSequence': case 'NumericSequence': return g.count;
    case 'Struct': return Math.min(Infinity, ...g.fields.map(limitOf));
    case 'Array': return g.length === 0 ? Infinity : Math.floor(limitOf(g.element) / g.length);
    default: return Infinity;
  }
}

export function datagenSpec(schema: Column[], with_: Option[], baseTimeUs: number): DatagenSpec {
  const known = new Map<string, SqlType>();
  for (const c of schema) paths(c.name, c.type, known);
  let rowsPerSecond = 10;
  const options = new Map<string, Params>();
  for (const o of with_) {
    const key = o.key.toLowerCase();
    if (key === 'datagen.rows.per.second') {
      rowsPerSecond = parseCount(o.key, o.value, 1);
    } else if (key === 'datagen.split.num') {
      parseCount(o.key, o.value, 1);
    } else if (key.startsWith('datagen.')) {
      throw new SqlError(SqlState.invalidParameterValue, `unknown datagen option "${o.key}"`, {
        hint: 'Known options: datagen.rows.per.second, datagen.split.num, fields.<column>.<parameter>.',
      });
    } else if (key.startsWith('fields.')) {
      const dot = key.lastIndexOf('.');
      const path = key.slice('fields.'.length, dot);
      const param = key.slice(dot + 1);
      const t = dot > 'fields.'.length ? known.get(path) : undefined;
      if (t === undefined) {
        throw new SqlError(SqlState.invalidParameterValue, `datagen option "${o.key}" names no column`, {
          hint: `Columns and sub-fields: ${[...known.keys()].join(', ')}.`,
        });
      }
      const allowed = paramsOf(t);
      if (allowed !== undefined && !allowed.includes(param)) {
        throw new SqlError(SqlState.invalidParameterValue, `datagen option "${o.key}" does not apply to a column of type ${typeName(t)}`, {
          hint: allowed.length > 0 ? `Its parameters: ${allowed.join(', ')}.` : 'Set the options of its sub-fields instead.',
        });
      }
      let p = options.get(path);
      if (p === undefined) options.set(path, (p = new Map()));
      p.set(param, { key: o.key, value: o.value });
    }
  }
  const fields = schema.map((c) => build(c.name, c.type, options));
  const limit = Math.min(Infinity, ...fields.map(limitOf));
  return { schema, rowsPerSecond, baseTimeUs, rowLimit: limit === Infinity ? undefined : limit, fields };
}
