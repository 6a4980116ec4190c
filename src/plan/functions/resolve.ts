/**
 * resolve.ts owns overload resolution, as Postgres's func_select_candidate does it (docs §10.2,
 * §10.3): `resolveFunction(name, argTypes)` picks one overload of a function or operator, the
 * types each argument must be cast to, and the result type; `selectCommonType(types)` is the
 * UNION / CASE / COALESCE rule (§10.5). Both use `typeCategory` and `isPreferredType`
 * (pg_type.typcategory / typispreferred) and implicit casts from cast-lookup.ts.
 *
 * Steps for a call: keep overloads whose parameters accept every argument (same type, an
 * implicit cast, an unknown literal, or a polymorphic slot); a binary operator with one unknown
 * side first tries (T, T) for the other side's T; then keep the most exact matches; then the
 * most preferred-type conversions; then resolve unknown arguments by category (string first,
 * then preferred type); then assume unknowns have the known arguments' common type. More than
 * one left: 42725 "… is not unique".
 */
import { SqlError, SqlState } from '../../types/sql-error.js';
import { arrayOf, T, typeName, type SqlType } from '../../types/sql-type.js';
import { lookupCast } from './cast-lookup.js';
import { isPolymorphic, type Fn } from './define.js';
import type { FunctionImpl } from './function-impl.js';

/** pg_type.typcategory: A array, B boolean, C composite, D datetime, N numeric, P pseudo (polymorphic), S string, T timespan, U user, X unknown. */
export type TypeCategory = 'A' | 'B' | 'C' | 'D' | 'N' | 'P' | 'S' | 'T' | 'U' | 'X';

export function typeCategory(t: SqlType): TypeCategory {
  if (isPolymorphic(t)) return 'P';
  switch (t.kind) {
    case 'bool': return 'B';
    case 'int2': case 'int4': case 'int8': case 'float4': case 'float8': case 'numeric': case 'oid': return 'N';
    case 'text': case 'varchar': case 'char': return 'S';
    case 'date': case 'time': case 'timestamp': case 'timestamptz': return 'D';
    case 'interval': return 'T';
    case 'array': return 'A';
    case 'record': return 'C';
    case 'unknown': return 'X';
    default: return 'U';
  }
}

/** typispreferred: the type others in its category convert to (float8, text, timestamptz, interval, bool). */
export function isPreferredType(t: SqlType): boolean {
  return t.kind === 'float8' || t.kind === 'text' || t.kind === 'timestamptz' || t.kind === 'interval' || t.kind === 'bool' || t.kind === 'oid';
}

export function canCastImplicitly(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'unknown') return lookupCast(from, to) !== undefined;
  return lookupCast(from, to)?.context === 'implicit';
}

/** Same type for resolution purposes: kinds equal, array elements equal, typmods ignored. */
function sameKind(a: SqlType, b: SqlType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'array' && b.kind === 'array') return sameKind(a.element, b.element);
  return true;
}

/** UNION / CASE / COALESCE / greatest: the common type, or undefined if none (§10.5). */
export function selectCommonType(types: readonly SqlType[]): SqlType | undefined {
  const known = types.filter((t) => t.kind !== 'unknown');
  if (known.length === 0) return T.text;
  let p: SqlType = known[0]!;
  for (const t of known.slice(1)) {
    if (sameKind(p, t)) {
      if (JSON.stringify(p) !== JSON.stringify(t)) p = stripTypmod(p);
      continue;
    }
    if (typeCategory(t) !== typeCategory(p)) return undefined;
    if (!isPreferredType(p) && canCastImplicitly(p, t) && !canCastImplicitly(t, p)) p = t;
  }
  return known.every((t) => sameKind(t, p) || canCastImplicitly(t, p)) ? p : undefined;
}

function stripTypmod(t: SqlType): SqlType {
  if (t.kind === 'numeric') return T.numeric;
  if (t.kind === 'varchar') return T.varchar;
  if (t.kind === 'char') return { kind: 'char' };
  return t;
}

export interface ResolvedCall {
  /** The chosen overload, specialized to the argument types when its eval needs them. */
  impl: FunctionImpl;
  /** The type each argument must be cast to (unknown literals included). */
  argTypes: SqlType[];
  returnType: SqlType;
}

interface Candidate {
  fn: Fn;
  declared: SqlType[];
  targets: SqlType[];
  exact: number;
  preferred: number;
}

function expand(f: Fn, n: number): SqlType[] | undefined {
  if (f.variadic) {
    if (n < f.args.length) return undefined;
    const last = f.args[f.args.length - 1]!;
    return [...f.args.slice(0, -1), ...Array.from({ length: n - f.args.length + 1 }, () => last)];
  }
  return n === f.args.length ? [...f.args] : undefined;
}

function bind(f: Fn, actual: readonly SqlType[]): Candidate | undefined {
  const declared = expand(f, actual.length);
  if (!declared) return undefined;
  let elem: SqlType | undefined;
  if (f.unify) {
    const elems: SqlType[] = [];
    for (let i = 0; i < declared.length; i++) {
      const d = declared[i]!;
      const a = actual[i]!;
      if (!isPolymorphic(d) || a.kind === 'unknown') continue;
      if (d.kind === 'array') {
        if (a.kind !== 'array') return undefined;
        elems.push(a.element);
      } else elems.push(a);
    }
    elem = selectCommonType(elems);
    if (!elem) return undefined;
  }
  const targets: SqlType[] = [];
  let exact = 0;
  let preferred = 0;
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    const a = actual[i]!;
    let t = d;
    if (isPolymorphic(d)) {
      if (d.kind === 'array') t = elem ? arrayOf(elem) : a.kind === 'array' ? a : a.kind === 'unknown' ? arrayOf(T.text) : d;
      else t = elem ?? (a.kind === 'unknown' ? T.text : a);
      if (d.kind === 'array' && t.kind !== 'array') return undefined;
      if (d.kind !== 'array' && f.anyNonArray && t.kind === 'array') return undefined;
    }
    if (a.kind === 'unknown') {
      if (!lookupCast(a, t)) return undefined;
    } else if (sameKind(a, t)) {
      if (!isPolymorphic(d)) exact++;
    } else if (canCastImplicitly(a, t)) {
      if (isPreferredType(t)) preferred++;
    } else return undefined;
    targets.push(t);
  }
  return { fn: f, declared, targets, exact, preferred };
}

function keepMax(cs: Candidate[], score: (c: Candidate) => number): Candidate[] {
  const best = Math.max(...cs.map(score));
  return cs.filter((c) => score(c) === best);
}

/** Resolves unknown arguments by the categories the candidates accept there (string first). */
function byUnknownCategories(cs: Candidate[], actual: readonly SqlType[]): Candidate[] {
  let out = cs;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i]!.kind !== 'unknown' || out.length <= 1) continue;
    const cats = new Set(out.map((c) => typeCategory(c.declared[i]!)));
    let cat: TypeCategory;
    if (cats.has('S')) cat = 'S';
    else if (cats.size === 1) cat = [...cats][0]!;
    else return cs;
    const inCat = out.filter((c) => typeCategory(c.declared[i]!) === cat);
    const pref = inCat.filter((c) => isPreferredType(c.declared[i]!));
    out = pref.length > 0 ? pref : inCat;
  }
  return out;
}

export function specialize(impl: FunctionImpl, argTypes: readonly SqlType[]): FunctionImpl {
  const f = impl as Fn;
  return f.specialize ? f.specialize(argTypes) : impl;
}

function finish(c: Candidate): ResolvedCall {
  const impl = specialize(c.fn, c.targets);
  const returnType = typeof c.fn.returns === 'function' ? c.fn.returns(c.targets) : c.fn.returns;
  return { impl, argTypes: c.targets, returnType };
}

function describe(name: string, actual: readonly SqlType[]): string {
  const isOperator = !/^[a-z_]/i.test(name);
  if (isOperator) {
    return actual.length === 1
      ? `operator is not unique: ${name} ${typeName(actual[0]!)}`
      : `operator is not unique: ${typeName(actual[0]!)} ${name} ${typeName(actual[1]!)}`;
  }
  return `function ${name}(${actual.map(typeName).join(', ')}) is not unique`;
}

/**
 * Picks the overload of `name` for arguments of `actual` types. Undefined when none accepts
 * them (the binder raises 42883 "function … does not exist"); throws 42725 when several do.
 */
export function resolveFunction(overloads: readonly Fn[], name: string, actual: readonly SqlType[]): ResolvedCall | undefined {
  let cs = overloads.map((f) => bind(f, actual)).filter((c): c is Candidate => c !== undefined);
  if (cs.length === 0) return undefined;
  if (cs.length === 1) return finish(cs[0]!);
  // A binary operator with one unknown side: try (T, T) for the known side's T.
  if (actual.length === 2 && (actual[0]!.kind === 'unknown') !== (actual[1]!.kind === 'unknown')) {
    const known = actual[0]!.kind === 'unknown' ? actual[1]! : actual[0]!;
    const same = cs.filter((c) => c.declared.every((d) => !isPolymorphic(d) && sameKind(d, known)));
    if (same.length === 1) return finish(same[0]!);
  }
  cs = keepMax(cs, (c) => c.exact);
  if (cs.length === 1) return finish(cs[0]!);
  cs = keepMax(cs, (c) => c.preferred);
  if (cs.length === 1) return finish(cs[0]!);
  cs = byUnknownCategories(cs, actual);
  if (cs.length === 1) return finish(cs[0]!);
  const knownTypes = actual.filter((t) => t.kind !== 'unknown');
  if (knownTypes.length > 0 && knownTypes.length < actual.length) {
    const common = selectCommonType(knownTypes);
    if (common) {
      const fit = cs.filter((c) =>
        actual.every((a, i) => a.kind !== 'unknown' || sameKind(common, c.targets[i]!) || canCastImplicitly(common, c.targets[i]!)),
      );
      if (fit.length === 1) return finish(fit[0]!);
    }
  }
  throw new SqlError(SqlState.ambiguousFunction, describe(name, actual), {
    hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
  });
}
