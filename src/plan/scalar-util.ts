/**
 * Helpers over ScalarExpr shared by the binder and the rules: rewrite column references,
 * collect the columns an expression reads, structural equality, conjunct splitting, equality
 * conjuncts (plain and null-safe).
 */
import { assertNever } from '../util/assert-never.js';
import { datumKey } from '../types/row-key.js';
import type { SqlType } from '../types/sql-type.js';
import type { ScalarExpr } from './scalar-expr.js';

const BOOL: SqlType = { kind: 'bool' };

/** Rebuilds `e` bottom-up, applying `f` to every node after its children (f may return the node itself). */
export function rewriteScalar(e: ScalarExpr, f: (e: ScalarExpr) => ScalarExpr): ScalarExpr {
  switch (e.kind) {
    case 'Column':
    case 'Literal':
    case 'Param':
    case 'Unmaterializable':
      return f(e);
    case 'Call':
      return f({ ...e, args: e.args.map((a) => rewriteScalar(a, f)) });
    case 'Cast':
      return f({ ...e, expr: rewriteScalar(e.expr, f) });
    case 'And':
    case 'Or':
      return f({ ...e, args: e.args.map((a) => rewriteScalar(a, f)) });
    case 'Not':
    case 'IsNull':
      return f({ ...e, arg: rewriteScalar(e.arg, f) });
    case 'Case':
      return f({
        ...e,
        whens: e.whens.map((w) => ({ cond: rewriteScalar(w.cond, f), result: rewriteScalar(w.result, f) })),
        else: rewriteScalar(e.else, f),
      });
    case 'Coalesce':
      return f({ ...e, args: e.args.map((a) => rewriteScalar(a, f)) });
    case 'ArrayMap':
      return f({ ...e, array: rewriteScalar(e.array, f) });
    default:
      return assertNever(e, 'scalar expression');
  }
}

/** Visits every node (pre-order). */
export function visitScalar(e: ScalarExpr, f: (e: ScalarExpr) => void): void {
  f(e);
  switch (e.kind) {
    case 'Column':
    case 'Literal':
    case 'Param':
    case 'Unmaterializable':
      return;
    case 'Call':
    case 'And':
    case 'Or':
    case 'Coalesce':
      for (const a of e.args) visitScalar(a, f);
      return;
    case 'Cast':
      visitScalar(e.expr, f);
      return;
    case 'Not':
    case 'IsNull':
      visitScalar(e.arg, f);
      return;
    case 'Case':
      for (const w of e.whens) {
        visitScalar(w.cond, f);
        visitScalar(w.result, f);
      }
      visitScalar(e.else, f);
      return;
    case 'ArrayMap':
      visitScalar(e.array, f);
      return;
    default:
      assertNever(e, 'scalar expression');
  }
}

/** Replaces each Column index i by `m(i)`. */
export function remapColumns(e: ScalarExpr, m: (i: number) => number): ScalarExpr {
  return rewriteScalar(e, (x) => (x.kind === 'Column' ? { ...x, index: m(x.index) } : x));
}

/** Replaces each Column by the expression `m(i)` (substitution). */
export function substituteColumns(e: ScalarExpr, m: (i: number) => ScalarExpr): ScalarExpr {
  return rewriteScalar(e, (x) => (x.kind === 'Column' ? m(x.index) : x));
}

export function columnsUsed(e: ScalarExpr, into = new Set<number>()): Set<number> {
  visitScalar(e, (x) => {
    if (x.kind === 'Column') into.add(x.index);
  });
  return into;
}

/** Structural equality (ignores column names). */
export function scalarEquals(a: ScalarExpr, b: ScalarExpr): boolean {
  return scalarKey(a) === scalarKey(b);
}

/** A string that identifies an expression structurally. */
export function scalarKey(e: ScalarExpr): string {
  switch (e.kind) {
    case 'Column':
      return `#${e.index}`;
    case 'Literal':
      return `L(${e.value === null ? 'N' : datumKey(e.value)}:${JSON.stringify(e.type)})`;
    case 'Param':
      return `$${e.index}`;
    case 'Call':
      return `${e.fn}(${e.args.map(scalarKey).join(',')})`;
    case 'Cast':
      return `cast(${scalarKey(e.expr)}:${JSON.stringify(e.type)}${e.explicit ? ':explicit' : ''})`;
    case 'And':
    case 'Or':
    case 'Coalesce':
      return `${e.kind}(${e.args.map(scalarKey).join(',')})`;
    case 'Not':
    case 'IsNull':
      return `${e.kind}(${scalarKey(e.arg)})`;
    case 'Case':
      return `case(${e.whens.map((w) => scalarKey(w.cond) + '=>' + scalarKey(w.result)).join(',')};${scalarKey(e.else)})`;
    case 'Unmaterializable':
      return `${e.fn}()`;
    case 'ArrayMap':
      return `array_map(${scalarKey(e.array)};${scalarKey(e.body)})`;
    default:
      return assertNever(e, 'scalar expression');
  }
}

/** Splits nested ANDs into a flat list of conjuncts. */
export function conjuncts(e: ScalarExpr): ScalarExpr[] {
  return e.kind === 'And' ? e.args.flatMap(conjuncts) : [e];
}

export function and(args: ScalarExpr[]): ScalarExpr {
  const flat = args.flatMap(conjuncts).filter((a) => !(a.kind === 'Literal' && a.value === true));
  if (flat.length === 0) return { kind: 'Literal', value: true, type: BOOL };
  if (flat.length === 1) return flat[0]!;
  return { kind: 'And', args: flat, type: BOOL };
}

export function isTrueLiteral(e: ScalarExpr): boolean {
  return e.kind === 'Literal' && e.value === true;
}

/** An equality conjunct: `l = r` (nullSafe false) or `l IS NOT DISTINCT FROM r` (nullSafe true). */
export interface Equality {
  args: [ScalarExpr, ScalarExpr];
  nullSafe: boolean;
}

/**
 * The equality `c` states, in the forms the binder produces: a `<type>_eq` call (never bpchar,
 * whose `=` ignores trailing spaces); `(l = r) OR (l IS NULL AND r IS NULL)` in either order
 * (decorrelation, subquery.ts); `NOT (CASE WHEN l IS NULL THEN NOT r IS NULL WHEN r IS NULL
 * THEN true ELSE l <> r END)` (IS NOT DISTINCT FROM, expr-forms.ts). Null otherwise.
 */
export function equality(c: ScalarExpr): Equality | null {
  const plain = comparisonArgs(c, '_eq');
  if (plain) return { args: plain, nullSafe: false };
  if (c.kind === 'Or' && c.args.length === 2) {
    for (const [x, y] of [[c.args[0]!, c.args[1]!], [c.args[1]!, c.args[0]!]] as const) {
      const args = comparisonArgs(x, '_eq');
      if (args && bothNull(y, args)) return { args, nullSafe: true };
    }
  }
  if (c.kind === 'Not' && c.arg.kind === 'Case' && c.arg.whens.length === 2) {
    const k = c.arg;
    const args = comparisonArgs(k.else, '_ne');
    if (!args) return null;
    const [l, r] = args;
    const [w0, w1] = [k.whens[0]!, k.whens[1]!];
    const ok = isNullOf(w0.cond, l) && w0.result.kind === 'Not' && isNullOf(w0.result.arg, r) && isNullOf(w1.cond, r) && isTrueLiteral(w1.result);
    if (ok) return { args, nullSafe: true };
  }
  return null;
}

function comparisonArgs(e: ScalarExpr, suffix: '_eq' | '_ne'): [ScalarExpr, ScalarExpr] | null {
  if (e.kind !== 'Call' || e.args.length !== 2 || !e.fn.endsWith(suffix) || e.fn.startsWith('bpchar_')) return null;
  return [e.args[0]!, e.args[1]!];
}

function isNullOf(e: ScalarExpr, x: ScalarExpr): boolean {
  return e.kind === 'IsNull' && scalarEquals(e.arg, x);
}

/** `a IS NULL AND b IS NULL` for the two arguments, in either order. */
function bothNull(e: ScalarExpr, [a, b]: [ScalarExpr, ScalarExpr]): boolean {
  if (e.kind !== 'And' || e.args.length !== 2) return false;
  const [x, y] = [e.args[0]!, e.args[1]!];
  return (isNullOf(x, a) && isNullOf(y, b)) || (isNullOf(x, b) && isNullOf(y, a));
}
