/**
 * Overload resolution for operators and functions, after Postgres's func_select_candidate:
 * candidates of the right arity whose parameters accept the arguments by implicit casts;
 * then the most exact matches; then the most preferred types where casts are needed; then,
 * for untyped arguments, the candidates whose type there matches the category of the known
 * arguments (so `a = '1'` takes a's type), else string. The winner's arguments are coerced
 * to its signature, so every Call matches its implementation exactly.
 */
import { lookupFunctions } from '../../plan/functions/registry.js';
import type { FunctionImpl } from '../../plan/functions/function-impl.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import { sqlError, type BindContext } from './bind-context.js';
import { canCoerce, coerce } from './coerce.js';
import { category, exactlySame, isPreferred } from './type-names.js';

interface Polymorphic {
  unify?: boolean;
  specialize?: (argTypes: readonly SqlType[]) => FunctionImpl;
}

function paramTypes(f: FunctionImpl, n: number): SqlType[] {
  const out: SqlType[] = [];
  for (let i = 0; i < n; i++) out.push(f.args[Math.min(i, f.args.length - 1)]!);
  return out;
}

const isAny = (t: SqlType): boolean => t.kind === 'unknown';
const isAnyArray = (t: SqlType): boolean => t.kind === 'array' && t.element.kind === 'unknown';

/** The concrete parameter types of `f` for these arguments, or undefined when it does not apply. */
function instantiate(f: FunctionImpl, args: SqlType[]): SqlType[] | undefined {
  const n = args.length;
  if (f.variadic ? n < f.args.length - 1 : n !== f.args.length) return undefined;
  const params = paramTypes(f, n);
  const poly = f as FunctionImpl & Polymorphic;
  let elem: SqlType | undefined;
  if (poly.unify) {
    for (let i = 0; i < n; i++) {
      const a = args[i]!;
      if (a.kind === 'unknown') continue;
      const e = isAny(params[i]!) ? a : isAnyArray(params[i]!) && a.kind === 'array' ? a.element : undefined;
      if (e && !elem) elem = e;
    }
  }
  const out: SqlType[] = [];
  for (let i = 0; i < n; i++) {
    const p = params[i]!;
    const a = args[i]!;
    if (isAny(p)) out.push(poly.unify ? elem ?? (a.kind === 'unknown' ? { kind: 'text' } : a) : a.kind === 'unknown' ? { kind: 'text' } : a);
    else if (isAnyArray(p)) {
      if (a.kind !== 'array' && a.kind !== 'unknown') return undefined;
      out.push(poly.unify && elem ? { kind: 'array', element: elem } : a.kind === 'array' ? a : { kind: 'array', element: { kind: 'text' } });
    } else out.push(p);
  }
  for (let i = 0; i < n; i++) if (!canCoerce(args[i]!, out[i]!, 'implicit')) return undefined;
  return out;
}

export interface Resolved {
  fn: string;
  args: ScalarExpr[];
  type: SqlType;
}

export function resolveCall(
  ctx: BindContext,
  name: string,
  args: ScalarExpr[],
  location: number | undefined,
  opts: { operator?: boolean; argLocations?: (number | undefined)[] } = {},
): Resolved {
  const types = args.map((a) => a.type);
  const cands: { f: FunctionImpl; params: SqlType[] }[] = [];
  for (const f of lookupFunctions(name)) {
    const params = instantiate(f, types);
    if (params) cands.push({ f, params });
  }
  let best = cands;
  // An untyped side of a binary operator first tries the other side's type (Postgres's rule 2.a).
  if (opts.operator && types.length === 2 && best.length > 1) {
    const known = types.find((t) => t.kind !== 'unknown');
    if (known && types.some((t) => t.kind === 'unknown')) {
      const same = best.filter((c) => c.params.every((p) => exactlySame(p, known)));
      if (same.length > 0) best = same;
    }
  }
  best = keepMax(best, (c) => c.params.filter((p, i) => types[i]!.kind !== 'unknown' && exactlySame(p, types[i]!)).length);
  best = keepMax(best, (c) => c.params.filter((p, i) => types[i]!.kind !== 'unknown' && !exactlySame(p, types[i]!) && isPreferred(p)).length);
  if (best.length > 1 && types.some((t) => t.kind === 'unknown')) {
    const knownCats = new Set(types.filter((t) => t.kind !== 'unknown').map(category));
    best = keepMax(best, (c) =>
      c.params.filter((p, i) => types[i]!.kind === 'unknown' && (knownCats.size > 0 ? knownCats.has(category(p)) : category(p) === 'S')).length,
    );
    best = keepMax(best, (c) => c.params.filter((p, i) => types[i]!.kind === 'unknown' && isPreferred(p)).length);
  }
  const chosen = best[0];
  if (!chosen) {
    const shown = types.map((t) => typeName(t)).join(', ');
    if (opts.operator) {
      const [l, r] = types.length === 2 ? types : [undefined, types[0]];
      const sig = l ? `${typeName(l)} ${name} ${typeName(r!)}` : `${name} ${typeName(r!)}`;
      throw sqlError(SqlState.undefinedFunction, `operator does not exist: ${sig}`, location, {
        hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
      });
    }
    throw sqlError(SqlState.undefinedFunction, `function ${name}(${shown}) does not exist`, location, {
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  const coerced = args.map((a, i) => coerce(ctx, a, chosen.params[i]!, 'implicit', opts.argLocations?.[i]));
  const argTypes = coerced.map((a) => a.type);
  let impl: FunctionImpl = chosen.f;
  const poly = impl as FunctionImpl & Polymorphic;
  if (poly.specialize) impl = poly.specialize(argTypes);
  const type = typeof impl.returns === 'function' ? impl.returns(argTypes) : impl.returns;
  return { fn: impl.id, args: coerced, type };
}

function keepMax<X>(xs: X[], score: (x: X) => number): X[] {
  if (xs.length <= 1) return xs;
  const scores = xs.map(score);
  const max = Math.max(...scores);
  return xs.filter((_, i) => scores[i] === max);
}

/** Whether any function or operator has this name (to tell 42883 "does not exist" apart). */
export function functionExists(name: string): boolean {
  return lookupFunctions(name).length > 0;
}
