/**
 * `ARRAY(SELECT x FROM … ORDER BY k)`: the subquery's one column gathered into an array, in
 * its order, '{}' when it has no rows. Bound by rewriting to a scalar subquery over
 * `array_agg(x ORDER BY k)` (decorrelated like any other, subquery.ts) and
 * `COALESCE(…, '{}')`. ORDER BY by output position or output name is replaced by the
 * expression it names, since it moves inside the aggregate.
 *
 * `ARRAY(SELECT f(x) FROM unnest(a) x)` (psql's \d+ writes it) maps the array instead:
 * an ArrayMap of `f` over `a`'s elements, `f` seeing only `x`.
 *
 * Not supported (0A000): several output columns, DISTINCT, GROUP BY, LIMIT, set operations.
 */
import type { Node, SelectStmt, SortBy, SubLink } from '@pgsql/types';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError } from './bind-context.js';
import type { ExprEnv } from './expr-env.js';
import { bindExpr, strings } from './expr.js';
import { Scope } from './scope.js';

export function bindArraySubLink(env: ExprEnv, s: SubLink, bindSubLink: (env: ExprEnv, s: SubLink) => ScalarExpr): ScalarExpr {
  const sub = (s.subselect as { SelectStmt?: SelectStmt } | undefined)?.SelectStmt;
  const targets = sub?.targetList ?? [];
  if (!sub || sub.op !== 'SETOP_NONE' && sub.op !== undefined || targets.length !== 1 || sub.distinctClause || sub.groupClause || sub.limitCount || sub.limitOffset || sub.valuesLists) {
    throw sqlError(SqlState.featureNotSupported, 'this form of ARRAY(subquery) is not supported yet', s.location, {
      hint: 'ARRAY(SELECT one column FROM … WHERE … ORDER BY …) is supported.',
    });
  }
  const target = (targets[0] as { ResTarget: { name?: string; val: Node } }).ResTarget;
  const mapped = unnestMap(env, sub, target.val);
  if (mapped) return mapped;
  const order = (sub.sortClause ?? []).map((n) => {
    const sb = (n as { SortBy: SortBy }).SortBy;
    const node = sb.node;
    const byPosition = node && 'A_Const' in node && node.A_Const.ival !== undefined;
    const byName = node && 'ColumnRef' in node && target.name !== undefined && (node.ColumnRef.fields ?? []).length === 1 &&
      (node.ColumnRef.fields![0] as { String?: { sval?: string } }).String?.sval === target.name;
    if (byPosition && (node.A_Const.ival!.ival ?? 0) !== 1) throw sqlError(SqlState.invalidColumnReference, 'ORDER BY position is not in select list', s.location);
    return { SortBy: { ...sb, node: byPosition || byName ? target.val : node } };
  });
  const agg: Node = {
    FuncCall: {
      funcname: [{ String: { sval: 'array_agg' } }],
      args: [target.val],
      ...(order.length > 0 ? { agg_order: order } : {}),
      funcformat: 'COERCE_EXPLICIT_CALL',
      location: s.location,
    },
  };
  const rewritten: SelectStmt = { ...sub, targetList: [{ ResTarget: { val: agg, location: s.location } }], sortClause: undefined };
  const e = bindSubLink(env, { ...s, subLinkType: 'EXPR_SUBLINK', subselect: { SelectStmt: rewritten } });
  return { kind: 'Coalesce', args: [e, { kind: 'Literal', value: [], type: e.type }], type: e.type };
}

/** `SELECT f(x) FROM unnest(a) x` (nothing else) → ArrayMap(a, f); undefined for any other shape. */
function unnestMap(env: ExprEnv, sub: SelectStmt, body: Node): ScalarExpr | undefined {
  const from = sub.fromClause ?? [];
  if (from.length !== 1 || sub.whereClause || sub.sortClause || sub.havingClause) return undefined;
  const rf = (from[0] as { RangeFunction?: import('@pgsql/types').RangeFunction }).RangeFunction;
  const items = (rf?.functions?.[0] as { List?: { items?: Node[] } } | undefined)?.List?.items ?? [];
  const call = items[0] && 'FuncCall' in items[0] ? items[0].FuncCall : undefined;
  if (!rf || rf.functions!.length !== 1 || rf.lateral || rf.ordinality || !call || call.args?.length !== 1) return undefined;
  const name = strings(call.funcname);
  if (name[name.length - 1] !== 'unnest' || (name.length > 1 && name[0] !== 'pg_catalog')) return undefined;
  const array = bindExpr(env, call.args[0]!);
  if (array.type.kind !== 'array') return undefined;
  const alias = rf.alias?.aliasname ?? 'unnest';
  const column = strings(rf.alias?.colnames)[0] ?? alias;
  const scope = new Scope([{ table: alias, name: column, index: 0, type: array.type.element }]);
  const element = bindExpr({ ctx: env.ctx, scope, rel: { plan: { kind: 'Constant', rows: [], schema: [] } }, clause: 'ARRAY', subqueries: 'forbid' }, body);
  return { kind: 'ArrayMap', array, body: element, type: { kind: 'array', element: element.type } };
}
