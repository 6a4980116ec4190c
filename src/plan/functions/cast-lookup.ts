/**
 * cast-lookup.ts owns `lookupCast(from, to)`: the cast between two full SqlTypes, built from
 * the kind-to-kind table in casts.ts plus
 *   - identity casts within a kind (`cast_int4_int4`), implicit;
 *   - typmod coercion when the target has one: numeric(p,s) rounds to s and checks p (22003),
 *     varchar(n) / char(n) reject longer values (22001) unless the excess is spaces, or the cast
 *     is explicit, which truncates; char(n) pads with spaces. Id: `<base><to-type[;explicit]>`,
 *     e.g. `cast_text_varchar<varchar(3);explicit>`;
 *   - arrays: element-wise (`cast_array<int4[];int8[]>`, the element cast's context), to text
 *     (`cast_array_string<int4[];text>`, assignment), from text (`cast_string_array<text;int4[]>`,
 *     explicit), from an unknown literal (`cast_unknown_array<int4[]>`, implicit).
 * `rebuildCast(base, params)` makes the same impl again from its id (registry.getFunction).
 */
import type { Datum } from '../../types/datum.js';
import type { Numeric } from '../../types/numeric.js';
import { isStringKind, sameType, type SqlType } from '../../types/sql-type.js';
import { coerceChar, coerceNumeric, coerceVarchar, formatDatum, parseDatum } from '../../types/text-format.js';
import { castEntry, kindType, type CastContext } from './casts.js';
import { fn, type Fn } from './define.js';
import type { FunctionImpl } from './function-impl.js';
import { parseTypeKey, specializedId, typeKey } from './type-key.js';

export interface CastLookup {
  impl: FunctionImpl;
  context: CastContext;
}

export interface CastOptions {
  /** An explicit CAST / `::`: varchar(n) and char(n) truncate instead of raising 22001. */
  explicit?: boolean;
}

function hasTypmod(t: SqlType): boolean {
  if (t.kind === 'numeric') return t.precision !== undefined;
  if (t.kind === 'varchar' || t.kind === 'char') return t.length !== undefined;
  return false;
}

/** Applies the target's typmod to a (non-null) value already of the target's kind. */
export function applyTypmod(d: Datum, to: SqlType, explicit: boolean): Datum {
  switch (to.kind) {
    case 'numeric': return to.precision === undefined ? d : coerceNumeric(d as Numeric, to.precision, to.scale ?? 0);
    case 'varchar': return coerceVarchar(d as string, to.length, explicit);
    case 'char': return coerceChar(d as string, to.length, explicit);
    default: return d;
  }
}

const identities = new Map<string, Fn>();

function identity(t: SqlType): Fn {
  const id = `cast_${t.kind}_${t.kind}`;
  let f = identities.get(id);
  if (!f) {
    const plain = kindType(t.kind);
    f = fn(id, 'cast', [plain], plain, ([d]) => d!);
    identities.set(id, f);
  }
  return f;
}

function withTypmod(base: FunctionImpl, to: SqlType, explicit: boolean): FunctionImpl {
  if (!hasTypmod(to)) return base;
  const flag = explicit && to.kind !== 'numeric';
  const params = [typeKey(to), ...(flag ? ['explicit'] : [])].join(';');
  return fn(`${base.id}<${params}>`, 'cast', base.args, to, (args, ctx) => {
    const v = base.eval(args, ctx);
    return v === null ? null : applyTypmod(v, to, flag);
  });
}

function elementwise(from: SqlType, to: SqlType, inner: FunctionImpl, explicit: boolean): FunctionImpl {
  const params = [typeKey(from), typeKey(to), ...(explicit ? ['explicit'] : [])];
  return fn(`cast_array<${params.join(';')}>`, 'cast', [from], to, ([a], ctx) => (a as Datum[]).map((e) => (e === null ? null : inner.eval([e], ctx))));
}

function arrayToString(from: SqlType, to: SqlType, explicit: boolean): FunctionImpl {
  const f = fn(specializedId('cast_array_string', [from, to]), 'cast', [from], to, ([a]) => formatDatum(a!, from));
  return hasTypmod(to) ? wrapTypmodKeepId(f, to, explicit) : f;
}

function wrapTypmodKeepId(f: FunctionImpl, to: SqlType, explicit: boolean): FunctionImpl {
  const flag = explicit && to.kind !== 'numeric';
  const id = flag ? f.id.slice(0, -1) + ';explicit>' : f.id;
  return fn(id, 'cast', f.args, to, (args, ctx) => applyTypmod(f.eval(args, ctx)!, to, flag));
}

function stringToArray(from: SqlType, to: SqlType): FunctionImpl {
  return fn(specializedId('cast_string_array', [from, to]), 'cast', [from], to, ([s]) =>
    parseDatum(from.kind === 'char' ? (s as string).replace(/ +$/, '') : (s as string), to));
}

function unknownToArray(to: SqlType): FunctionImpl {
  return fn(specializedId('cast_unknown_array', [to]), 'cast', [{ kind: 'unknown' }], to, ([s]) => parseDatum(s as string, to));
}

/**
 * The cast from `from` to `to` and the context Postgres allows it in, or undefined when the
 * types cannot be cast. Same kind → identity (plus typmod coercion).
 */
export function lookupCast(from: SqlType, to: SqlType, opts: CastOptions = {}): CastLookup | undefined {
  const explicit = opts.explicit ?? false;
  if (to.kind === 'unknown') return undefined;
  if (from.kind === 'record' || to.kind === 'record') {
    return from.kind === 'record' && to.kind === 'record' && sameType(from, to) ? { impl: recordIdentity, context: 'implicit' } : undefined;
  }
  if (from.kind === 'array' && to.kind === 'array') {
    const inner = lookupCast(from.element, to.element, opts);
    if (!inner) return undefined;
    return { impl: elementwise(from, to, inner.impl, explicit), context: inner.context };
  }
  if (from.kind === 'array') {
    return isStringKind(to) ? { impl: arrayToString(from, to, explicit), context: 'assignment' } : undefined;
  }
  if (to.kind === 'array') {
    if (from.kind === 'unknown') return { impl: unknownToArray(to), context: 'implicit' };
    return isStringKind(from) ? { impl: stringToArray(from, to), context: 'explicit' } : undefined;
  }
  if (from.kind === to.kind) return { impl: withTypmod(identity(to), to, explicit), context: 'implicit' };
  const entry = castEntry(from.kind, to.kind);
  if (!entry) return undefined;
  return { impl: withTypmod(entry.impl, to, explicit), context: entry.context };
}

const recordIdentity: Fn = fn('cast_record_record', 'cast', [{ kind: 'record', fields: [] }], { kind: 'record', fields: [] }, ([d]) => d!);

/** Rebuilds a specialized cast from its id parts (`base<params>`), or undefined if base is not a cast. */
export function rebuildCast(base: string, params: string[]): FunctionImpl | undefined {
  const explicit = params.includes('explicit');
  const types = params.filter((p) => p !== 'explicit').map(parseTypeKey);
  switch (base) {
    case 'cast_array':
    case 'cast_array_string':
    case 'cast_string_array':
      return lookupCast(types[0]!, types[1]!, { explicit })?.impl;
    case 'cast_unknown_array':
      return lookupCast({ kind: 'unknown' }, types[0]!)?.impl;
    default: {
      const m = /^cast_([a-z0-9]+)_([a-z0-9]+)$/.exec(base);
      if (!m) return undefined;
      const to = types[0]!;
      return lookupCast(kindType(m[1] as SqlType['kind']), to, { explicit })?.impl;
    }
  }
}
