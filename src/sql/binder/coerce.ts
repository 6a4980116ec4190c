/**
 * Coercion: turning an expression of one type into another, as Postgres's coerce_type does.
 * Untyped literals ('abc', NULL) are parsed straight into the target type (at bind time, so
 * `date 'garbage'` fails with its position); untyped `$n` parameters take the target type;
 * everything else goes through a cast function from the registry, allowed or not by the
 * cast's context (implicit < assignment < explicit). Changing only a type modifier
 * (numeric → numeric(10,2), text → varchar(3)) is a `Cast` node.
 */
import { lookupCast } from '../../plan/functions/registry.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
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
  if (from.kind === to.kind && from.kind !== 'array') return true;
  if (from.kind === 'array' && to.kind === 'array') {
    return exactlySame(from, to) || (context === 'explicit' && canCoerce(from.element, to.element, context));
  }
  if (category(from) === 'S' && category(to) === 'S') return true;
  const c = lookupCast(from, to);
  return c !== undefined && RANK[c.context] <= RANK[context];
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
  if (from.kind === 'unknown') return coerceUnknown(ctx, e, to, location);
  if (exactlySame(from, to)) return e;
  if (from.kind === to.kind && from.kind !== 'array') {
    // Only the modifier differs: numeric(p,s), varchar(n), char(n).
    const hasMod = ('precision' in to && to.precision !== undefined) || ('length' in to && to.length !== undefined);
    return hasMod ? { kind: 'Cast', expr: e, type: to } : { ...e, type: to } as ScalarExpr;
  }
  const base = stripModifier(to);
  const cast = lookupCast(from, base);
  if (cast && RANK[cast.context] <= RANK[context]) {
    const call: ScalarExpr = e.kind === 'Literal' && e.value === null ? { kind: 'Literal', value: null, type: base } : { kind: 'Call', fn: cast.impl.id, args: [e], type: base };
    return exactlySame(base, to) ? call : { kind: 'Cast', expr: call, type: to };
  }
  if (category(from) === 'S' && category(to) === 'S') return { kind: 'Cast', expr: e, type: to };
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

function coerceUnknown(ctx: BindContext, e: ScalarExpr, to: SqlType, location?: number): ScalarExpr {
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
      return { kind: 'Cast', expr: e, type: to };
  }
}

/** Resolves any still-untyped expression to text (Postgres does this for output columns). */
export function resolveUnknown(ctx: BindContext, e: ScalarExpr): ScalarExpr {
  return e.type.kind === 'unknown' ? coerce(ctx, e, { kind: 'text' }, 'implicit') : e;
}
