/**
 * Expressions: libpg-query expression nodes → ScalarExpr. This file dispatches on the node
 * type and binds names, constants, parameters, operators, boolean logic and casts; the
 * special forms (CASE, BETWEEN, IN, LIKE, …) are in expr-forms.ts, function calls and
 * aggregates in expr-call.ts, subqueries go to the `sublink` hook (subquery.ts).
 */
import type { A_Expr, Node } from '@pgsql/types';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState, type SqlError } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import { sqlError } from './bind-context.js';
import { coerce } from './coerce.js';
import { bindConst } from './constants.js';
import { columnLocations, type ExprEnv } from './expr-env.js';
import { bindCall, bindSqlValueFunction } from './expr-call.js';
import { bindAExprForm, bindArray, bindCase, bindCoalesce, bindMinMax, bindBooleanTest } from './expr-forms.js';
import { resolveCall } from './overload.js';
import { resolveColumn } from './scope.js';
import { resolveTypeName } from './type-names.js';
import { intervalRange, qualifyIntervalText } from './interval-fields.js';
import { bindSubLink } from './subquery.js';
import { bindRegCast, regTextCast, regTypeOf } from './reg-casts.js';
import { bindDottedField, bindIndirection } from './field-access.js';

const BOOL: SqlType = { kind: 'bool' };

export function nodeLocation(n: Node | undefined): number | undefined {
  if (!n) return undefined;
  const inner = Object.values(n)[0] as { location?: number } | undefined;
  return inner?.location;
}

export function strings(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => ('String' in n ? n.String.sval ?? '' : ''));
}

export function bindExpr(env: ExprEnv, node: Node): ScalarExpr {
  if ('ColumnRef' in node) {
    const fields = node.ColumnRef.fields ?? [];
    const loc = node.ColumnRef.location;
    if (fields.some((f) => 'A_Star' in f)) throw sqlError(SqlState.syntaxError, '"*" is not allowed here', loc);
    const names = strings(fields);
    if (names.length > 2) {
      if (names.length > 3) throw sqlError(SqlState.syntaxError, `improper qualified name (too many dotted names): ${names.join('.')}`, loc);
    }
    const name = names[names.length - 1]!;
    const table = names.length >= 2 ? names[names.length - 2] : undefined;
    let e: ScalarExpr;
    try {
      e = resolveColumn(env.scope, table, name, loc ?? -1);
    } catch (err) {
      // Flink's `record_column.field` (no parentheses): only when no table of that name is in scope.
      const dotted = (err as SqlError).code === SqlState.undefinedTable ? bindDottedField(env, names, loc ?? -1) : undefined;
      if (!dotted) throw err;
      e = dotted;
    }
    if (loc !== undefined) columnLocations.set(e, loc);
    return e;
  }
  if ('A_Const' in node) return bindConst(node.A_Const);
  if ('ParamRef' in node) {
    const n = node.ParamRef.number ?? 0;
    if (n < 1) throw sqlError(SqlState.undefinedParameter, `there is no parameter $${n}`, node.ParamRef.location);
    env.ctx.maxParam = Math.max(env.ctx.maxParam, n);
    return { kind: 'Param', index: n, type: env.ctx.params[n - 1] ?? { kind: 'unknown' } };
  }
  if ('A_Expr' in node) return bindAExpr(env, node.A_Expr);
  if ('BoolExpr' in node) {
    const b = node.BoolExpr;
    const args = (b.args ?? []).map((a) => bindCondition(env, a, b.boolop === 'NOT_EXPR' ? 'NOT' : b.boolop === 'AND_EXPR' ? 'AND' : 'OR'));
    if (b.boolop === 'NOT_EXPR') return { kind: 'Not', arg: args[0]!, type: BOOL };
    return { kind: b.boolop === 'AND_EXPR' ? 'And' : 'Or', args, type: BOOL };
  }
  if ('NullTest' in node) {
    const t = node.NullTest;
    const arg = bindExpr(env, t.arg!);
    const isNull: ScalarExpr = { kind: 'IsNull', arg, type: BOOL };
    return t.nulltesttype === 'IS_NOT_NULL' ? { kind: 'Not', arg: isNull, type: BOOL } : isNull;
  }
  if ('BooleanTest' in node) return bindBooleanTest(env, node.BooleanTest);
  if ('TypeCast' in node) {
    const c = node.TypeCast;
    const reg = regTypeOf(c);
    if (reg) return bindRegCast(env, c, reg, (n) => bindExpr(env, n));
    const named = regTextCast(env, c, (n) => bindExpr(env, n));
    if (named) return named;
    const target = resolveTypeName(c.typeName!, env.ctx.catalog);
    // ARRAY[]::int[]: an empty constructor takes its type from the cast, as in Postgres.
    if (target.kind === 'array' && c.arg && 'A_ArrayExpr' in c.arg && (c.arg.A_ArrayExpr.elements ?? []).length === 0) {
      return { kind: 'Literal', value: [], type: target };
    }
    let argNode = c.arg!;
    // INTERVAL '30' MINUTE: a bare number takes the unit of the field qualifier.
    if (target.kind === 'interval' && 'A_Const' in argNode && argNode.A_Const.sval?.sval !== undefined) {
      const sval = qualifyIntervalText(argNode.A_Const.sval.sval, intervalRange(c.typeName!));
      argNode = { A_Const: { ...argNode.A_Const, sval: { sval } } };
    }
    const arg = bindExpr(env, argNode);
    return coerce(env.ctx, arg, target, 'explicit', nodeLocation(c.arg) ?? c.location);
  }
  if ('CaseExpr' in node) return bindCase(env, node.CaseExpr);
  if ('CoalesceExpr' in node) return bindCoalesce(env, node.CoalesceExpr);
  if ('MinMaxExpr' in node) return bindMinMax(env, node.MinMaxExpr);
  if ('A_ArrayExpr' in node) return bindArray(env, node.A_ArrayExpr);
  if ('FuncCall' in node) return bindCall(env, node.FuncCall);
  if ('SQLValueFunction' in node) return bindSqlValueFunction(node.SQLValueFunction);
  if ('SubLink' in node) return bindSubLink(env, node.SubLink);
  if ('CollateClause' in node) return bindExpr(env, node.CollateClause.arg!);
  if ('A_Indirection' in node) return bindIndirection(env, node.A_Indirection);
  const kind = Object.keys(node)[0];
  throw sqlError(SqlState.featureNotSupported, `expression ${kind} is not supported`, nodeLocation(node));
}

/** Binds an expression that must be boolean (WHERE, ON, HAVING, AND/OR/NOT arguments). */
export function bindCondition(env: ExprEnv, node: Node, clause = env.clause): ScalarExpr {
  const e = bindExpr(env, node);
  if (e.type.kind === 'bool') return e;
  if (e.type.kind === 'unknown') return coerce(env.ctx, e, BOOL, 'implicit', nodeLocation(node));
  throw sqlError(SqlState.datatypeMismatch, `argument of ${clause} must be type boolean, not type ${typeName(e.type)}`, nodeLocation(node));
}

/** A binary or unary operator call through the registry. */
export function bindOperator(env: ExprEnv, op: string, left: ScalarExpr | undefined, right: ScalarExpr, location: number | undefined, argLocations?: (number | undefined)[]): ScalarExpr {
  const args = left ? [left, right] : [right];
  const r = resolveCall(env.ctx, op, args, location, { operator: true, argLocations });
  return { kind: 'Call', fn: r.fn, args: r.args, type: r.type };
}

function bindAExpr(env: ExprEnv, a: A_Expr): ScalarExpr {
  if (a.kind !== 'AEXPR_OP') return bindAExprForm(env, a);
  const names = strings(a.name);
  const op = names[names.length - 1]!;
  const right = bindExpr(env, a.rexpr!);
  const left = a.lexpr ? bindExpr(env, a.lexpr) : undefined;
  // A negated numeric literal stays a literal (-2147483648 is int4).
  if (!left && op === '-' && right.kind === 'Literal' && right.value !== null && (typeof right.value === 'number' || typeof right.value === 'bigint')) {
    return { ...right, value: -right.value as number };
  }
  return bindOperator(env, op, left, right, a.location, [nodeLocation(a.lexpr), nodeLocation(a.rexpr)]);
}
