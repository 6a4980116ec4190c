/**
 * Splits a join's ON condition into equi-join keys and a residual. A conjunct becomes a key
 * pair when one side reads only left columns and the other only right columns, and both sides
 * have a type whose in-memory key (rowKey) equality is exactly SQL equality:
 *
 * - `l = r` (a `<type>_eq` call, see plan/functions/comparison.ts): a plain key, NULL matches
 *   nothing;
 * - `(l = r) OR (l IS NULL AND r IS NULL)` (the binder's decorrelation pattern, either order)
 *   and `l IS NOT DISTINCT FROM r` (the binder's `NOT CASE … ELSE l <> r END`): a null-safe
 *   key, NULL matches NULL.
 *
 * (`equality` in scalar-util.ts recognizes the forms.)
 *
 * Every other conjunct stays in the residual, evaluated over `left ++ right`. No key pairs =
 * a cross join (with residual).
 */
import type { LogicalPlan } from '../logical-plan.js';
import type { ScalarExpr } from '../scalar-expr.js';
import type { SqlType } from '../../types/sql-type.js';
import { and, columnsUsed, conjuncts, equality, isTrueLiteral, remapColumns } from '../scalar-util.js';
import type { DataflowNode } from '../physical/dataflow-plan.js';
import { findTimeBounds } from './time-bounds.js';

type Join = Extract<LogicalPlan, { kind: 'Join' }>;

export function lowerJoin(p: Join, left: DataflowNode, right: DataflowNode): DataflowNode {
  const leftArity = p.left.schema.length;
  const leftKey: ScalarExpr[] = [];
  const rightKey: ScalarExpr[] = [];
  const nullSafe: boolean[] = [];
  const rest: ScalarExpr[] = [];
  for (const c of conjuncts(p.on)) {
    if (isTrueLiteral(c)) continue;
    const eq = equality(c);
    const pair = eq && keyPair(eq.args, leftArity);
    if (eq && pair) {
      leftKey.push(pair[0]);
      rightKey.push(pair[1]);
      nullSafe.push(eq.nullSafe);
    } else rest.push(c);
  }
  const timeBounds = findTimeBounds(rest, leftArity);
  return {
    kind: 'Join',
    joinKind: p.joinKind,
    left,
    right,
    leftKey,
    rightKey,
    nullSafe,
    residual: rest.length === 0 ? null : and(rest),
    ...(timeBounds ? { timeBounds } : {}),
    ...(p.lookup ? { lookup: true } : {}),
    schema: p.schema,
  };
}

/** [expr over left, expr over right] for the two sides of a usable equality, else null. */
function keyPair([a, b]: [ScalarExpr, ScalarExpr], leftArity: number): [ScalarExpr, ScalarExpr] | null {
  if (!keyComparable(a.type, b.type)) return null;
  const side = (e: ScalarExpr): 'l' | 'r' | null => {
    const cols = [...columnsUsed(e)];
    if (cols.length === 0) return null;
    if (cols.every((i) => i < leftArity)) return 'l';
    if (cols.every((i) => i >= leftArity)) return 'r';
    return null;
  };
  const sa = side(a);
  const sb = side(b);
  const shift = (e: ScalarExpr) => remapColumns(e, (i) => i - leftArity);
  if (sa === 'l' && sb === 'r') return [a, shift(b)];
  if (sa === 'r' && sb === 'l') return [b, shift(a)];
  return null;
}

const NUMBER_KINDS = new Set(['int2', 'int4', 'float4', 'float8', 'oid']);
const STRING_KINDS = new Set(['text', 'varchar']);

/** Whether equal rowKeys of values of these types mean SQL equality (and vice versa). */
function keyComparable(a: SqlType, b: SqlType): boolean {
  if (a.kind === 'char' || b.kind === 'char' || a.kind === 'unknown' || a.kind === 'record' || a.kind === 'json') return false;
  if (NUMBER_KINDS.has(a.kind) && NUMBER_KINDS.has(b.kind)) return true;
  if (STRING_KINDS.has(a.kind) && STRING_KINDS.has(b.kind)) return true;
  if (a.kind === 'array' && b.kind === 'array') return keyComparable(a.element, b.element) && a.element.kind === b.element.kind;
  return a.kind === b.kind;
}
