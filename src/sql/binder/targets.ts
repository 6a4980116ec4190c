/**
 * The select list: `*`, `t.*` and `(record).*` expansion, binding each target, and output
 * column names (Postgres's FigureColname: the column or function name, `case`, `?column?`…). Also the
 * resolution of ORDER BY / DISTINCT ON / GROUP BY items that name output columns by
 * position (`ORDER BY 2`) or by alias.
 */
import type { Node, ResTarget } from '@pgsql/types';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError } from './bind-context.js';
import { resolveUnknown } from './coerce.js';
import { bindExpr, strings } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { expandStar } from './scope.js';
import { funcName } from './expr-call.js';
import { expandFieldStar, indirectionName } from './field-access.js';

export interface Target {
  name: string;
  expr: ScalarExpr;
  /** The AST, for GROUP BY ordinals that re-bind it. */
  node?: Node;
}

export function figureName(n: Node | undefined): string {
  if (!n) return '?column?';
  if ('ColumnRef' in n) {
    const f = strings(n.ColumnRef.fields);
    return f[f.length - 1] || '?column?';
  }
  if ('FuncCall' in n) return funcName(n.FuncCall).split('.').pop()!;
  if ('TypeCast' in n) {
    const inner = figureName(n.TypeCast.arg);
    if (inner !== '?column?') return inner;
    const names = strings(n.TypeCast.typeName?.names);
    return names[names.length - 1] ?? '?column?';
  }
  if ('A_Indirection' in n) return indirectionName(n.A_Indirection) ?? figureName(n.A_Indirection.arg);
  if ('CaseExpr' in n) return 'case';
  if ('CoalesceExpr' in n) return 'coalesce';
  if ('MinMaxExpr' in n) return n.MinMaxExpr.op === 'IS_GREATEST' ? 'greatest' : 'least';
  if ('A_Expr' in n && n.A_Expr.kind === 'AEXPR_NULLIF') return 'nullif';
  if ('A_ArrayExpr' in n) return 'array';
  if ('SubLink' in n) {
    if (n.SubLink.subLinkType === 'EXISTS_SUBLINK') return 'exists';
    const sub = (n.SubLink.subselect as { SelectStmt?: { targetList?: Node[] } }).SelectStmt;
    const first = sub?.targetList?.[0];
    if (n.SubLink.subLinkType === 'EXPR_SUBLINK' && first && 'ResTarget' in first) return first.ResTarget.name ?? figureName(first.ResTarget.val);
  }
  if ('SQLValueFunction' in n) return (n.SQLValueFunction.op ?? '').replace('SVFOP_', '').toLowerCase().replace(/_n$/, '');
  return '?column?';
}

export function bindTargets(env: ExprEnv, list: Node[] | undefined): Target[] {
  const out: Target[] = [];
  for (const n of list ?? []) {
    const rt = (n as { ResTarget: ResTarget }).ResTarget;
    const val = rt.val!;
    if ('ColumnRef' in val && (val.ColumnRef.fields ?? []).some((f) => 'A_Star' in f)) {
      const names = strings(val.ColumnRef.fields);
      const table = names.length >= 2 ? names[names.length - 2] : undefined;
      for (const it of expandStar(env.scope, table, val.ColumnRef.location ?? -1)) {
        out.push({ name: it.name, expr: { kind: 'Column', index: it.index, type: it.type, name: it.name } });
      }
      continue;
    }
    const fields = expandFieldStar(env, val);
    if (fields) {
      out.push(...fields);
      continue;
    }
    const expr = resolveUnknown(env.ctx, bindExpr(env, val));
    out.push({ name: rt.name ?? figureName(val), expr, node: val });
  }
  return out;
}

/**
 * An ORDER BY / DISTINCT ON / GROUP BY item that refers to an output column: an integer
 * constant (position) or, when `byName`, a bare name equal to an output alias. Returns the
 * output index, or undefined for an ordinary expression.
 */
export function outputReference(node: Node, targets: Target[], clause: string, byName: boolean, scopeHas: (name: string) => boolean): number | undefined {
  if ('A_Const' in node && node.A_Const.ival !== undefined) {
    const k = node.A_Const.ival.ival ?? 0;
    if (k < 1 || k > targets.length) {
      throw sqlError(SqlState.invalidColumnReference, `${clause} position ${k} is not in select list`, node.A_Const.location);
    }
    return k - 1;
  }
  if (byName && 'ColumnRef' in node) {
    const f = node.ColumnRef.fields ?? [];
    if (f.length === 1 && 'String' in f[0]!) {
      const name = f[0].String.sval ?? '';
      if (clause === 'GROUP BY' && scopeHas(name)) return undefined;
      const hits = targets.map((t, i) => (t.name === name ? i : -1)).filter((i) => i >= 0);
      if (hits.length > 1 && clause !== 'GROUP BY') {
        throw sqlError(SqlState.ambiguousColumn, `${clause} "${name}" is ambiguous`, node.ColumnRef.location);
      }
      if (hits.length >= 1) return hits[0];
    }
  }
  return undefined;
}
