/**
 * Coercion: turning an expression of one type into another, as Postgres's coerce_type does.
 * Untyped literals ('abc', NULL) are parsed straight into the target type (at bind time, so
 * `date 'garbage'` fails with its position); untyped `$n` parameters take the target type;
 * everything else goes through a cast function from the registry (which also applies type
 * modifiers: numeric(10,2), varchar(3)), allowed or not by the cast's context
 * (implicit < assignment < explicit). The `Cast` node is used only for the leftovers the
 * registry has no function for (an untyped non-literal).
 */
import { lookupCast } from '../../plan/functions/registry.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { foldScalar } from '../../plan/rules/constant-fold.js';
import { parseDatum } from '../../types/text-format.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import { sqlError, type BindContext } from './bind-context.js';
import { category, exactlySame } from './type-names.js';

export type CoercionContext = 'implicit' | 'assignment' | 'explicit';

const RANK: Record<CoercionContext, number> = { implicit: 0, assignment: 1, explicit: 2 };

/** Whether a value of `from` may become `to` in `context` (unknown converts to anything). */
export function canCoerce(from: SqlType, to: SqlType, context: CoercionContext): boolean {
  if (from.kind === 'unknown' || to.kind === 'unknown') return true;
  if (exactlySame(from, to)) return true;
  const c = lookupCast(from, to);
  if (c) return RANK[c.context] <= RANK[context];
  return category(from) === 'S' && category(to) === 'S';
}

export function coerce(
  ctx: BindContext,
  e: ScalarExpr,
  to: SqlType,
  context: CoercionContext,
  location?: number,
): ScalarExpr {
  if (to.kind === 'unknown') return e;
  const from = e.type;
  if (from.kind === 'unknown') {
    const base = stripModifier(to);
    const v = coerceUnknown(ctx, e, base, context, location);
    return exactlySame(base, to) ? v : coerce(ctx, v, to, context, location);
  }
  if (exactlySame(from, to)) return e;
  const cast = lookupCast(from, to, { explicit: context === 'explicit' });
  if (cast && RANK[cast.context] <= RANK[context]) {
    if (e.kind === 'Literal' && e.value === null) return { kind: 'Literal', value: null, type: to };
    const call: ScalarExpr = { kind: 'Call', fn: cast.impl.id, args: [e], type: to };
    return e.kind === 'Literal' ? foldScalar(call) : call;
  }
  if (!cast && category(from) === 'S' && category(to) === 'S') return castNode(e, to, context);
  if (cast || context === 'explicit') {
    throw sqlError(SqlState.cannotCoerce, `cannot cast type ${typeName(from)} to ${typeName(to)}`, location);
  }
  throw sqlError(SqlState.datatypeMismatch, `cannot cast type ${typeName(from)} to ${typeName(to)}`, location);
}

function stripModifier(t: SqlType): SqlType {
  if (t.kind === 'numeric') return { kind: 'numeric' };
  if (t.kind === 'varchar') return { kind: 'varchar' };
  if (t.kind === 'char') return { kind: 'char' };
  return t;
}

/** A Cast node; an explicit one (`CAST` / `::`) truncates to varchar(n) / char(n) where an assignment raises 22001. */
function castNode(e: ScalarExpr, to: SqlType, context: CoercionContext): ScalarExpr {
  return context === 'explicit' ? { kind: 'Cast', expr: e, type: to, explicit: true } : { kind: 'Cast', expr: e, type: to };
}

function coerceUnknown(ctx: BindContext, e: ScalarExpr, to: SqlType, context: CoercionContext, location?: number): ScalarExpr {
  switch (e.kind) {
    case 'Literal': {
      if (e.value === null) return { kind: 'Literal', value: null, type: to };
      try {
        return { kind: 'Literal', value: parseDatum(String(e.value), to), type: to };
      } catch (err) {
        if (SqlError.is(err) && err.position === undefined && location !== undefined && location >= 0) err.position = location + 1;
        throw err;
      }
    }
    case 'Param':
      if (ctx.params[e.index - 1] === undefined) ctx.params[e.index - 1] = to;
      return { kind: 'Param', index: e.index, type: ctx.params[e.index - 1]! };
    default:
      return castNode(e, to, context);
  }
}

/** Resolves any still-untyped expression to text (Postgres does this for output columns). */
export function resolveUnknown(ctx: BindContext, e: ScalarExpr): ScalarExpr {
  return e.type.kind === 'unknown' ? coerce(ctx, e, { kind: 'text' }, 'implicit') : e;
}
