/**
 * The common type of several expressions (UNION branches, CASE results, VALUES columns,
 * COALESCE / GREATEST arguments, IN lists): Postgres's select_common_type. All untyped →
 * text; otherwise the first typed one, moved along implicit casts towards the preferred
 * type of the category; different categories fail with 42804.
 */
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import { sqlError, type BindContext } from './bind-context.js';
import { canCoerce, coerce } from './coerce.js';
import { category, exactlySame, isPreferred } from './type-names.js';

export function commonType(types: SqlType[], what: string, locations: (number | undefined)[] = []): SqlType {
  let cand: SqlType | undefined;
  let candLoc: number | undefined;
  types.forEach((t, i) => {
    if (t.kind === 'unknown') return;
    if (!cand) {
      cand = t;
      candLoc = locations[i];
      return;
    }
    if (exactlySame(cand, t)) return;
    if (category(cand) !== category(t)) {
      throw sqlError(SqlState.datatypeMismatch, `${what} types ${typeName(cand)} and ${typeName(t)} cannot be matched`, locations[i] ?? candLoc);
    }
    if (!isPreferred(cand) && canCoerce(cand, t, 'implicit') && !canCoerce(t, cand, 'implicit')) cand = t;
  });
  if (!cand) return { kind: 'text' };
  // varchar(3) and varchar(5) unify to varchar: drop modifiers that differ.
  if (types.some((t) => t.kind === cand!.kind && !exactlySame(t, cand!))) {
    if (cand.kind === 'numeric') return { kind: 'numeric' };
    if (cand.kind === 'varchar' || cand.kind === 'char') return { kind: cand.kind === 'char' ? 'char' : 'varchar' };
  }
  return cand;
}

/** Coerces every expression to their common type. */
export function unify(ctx: BindContext, exprs: ScalarExpr[], what: string, locations: (number | undefined)[] = []): ScalarExpr[] {
  const t = commonType(exprs.map((e) => e.type), what, locations);
  return exprs.map((e, i) => coerce(ctx, e, t, 'implicit', locations[i]));
}
