/**
 * The special expression forms, rewritten into ScalarExpr's small vocabulary:
 * CASE (simple → searched), COALESCE, NULLIF, GREATEST/LEAST, BETWEEN [SYMMETRIC], IN (list),
 * LIKE/ILIKE, IS [NOT] DISTINCT FROM, IS [NOT] TRUE/FALSE/UNKNOWN, ARRAY[…].
 */
import type { A_ArrayExpr, A_Expr, BooleanTest, CaseExpr, CoalesceExpr, MinMaxExpr, Node } from '@pgsql/types';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import type { Datum } from '../../types/datum.js';
import type { SqlType } from '../../types/sql-type.js';
import { sqlError } from './bind-context.js';
import { coerce } from './coerce.js';
import { unify } from './common-type.js';
import { FALSE, TRUE } from './constants.js';
import { bindCondition, bindExpr, bindOperator, nodeLocation, strings } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { resolveCall } from './overload.js';

const BOOL: SqlType = { kind: 'bool' };
const not = (arg: ScalarExpr): ScalarExpr => ({ kind: 'Not', arg, type: BOOL });
const isNull = (arg: ScalarExpr): ScalarExpr => ({ kind: 'IsNull', arg, type: BOOL });
const and = (...args: ScalarExpr[]): ScalarExpr => ({ kind: 'And', args, type: BOOL });
const or = (...args: ScalarExpr[]): ScalarExpr => ({ kind: 'Or', args, type: BOOL });

function listItems(n: Node | undefined): Node[] {
  return n && 'List' in n ? n.List.items ?? [] : n ? [n] : [];
}

export function bindAExprForm(env: ExprEnv, a: A_Expr): ScalarExpr {
  const loc = a.location;
  const opName = strings(a.name).at(-1) ?? '';
  switch (a.kind) {
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL': {
      // `x = ANY (array)` / `x <> ALL (array)` (the subquery forms are SubLinks, subquery.ts).
      const form = a.kind === 'AEXPR_OP_ANY' ? 'any' : 'all';
      if ((form === 'any' && opName !== '=') || (form === 'all' && opName !== '<>')) {
        throw sqlError(SqlState.featureNotSupported, `${opName} ${form.toUpperCase()} (array) is not supported yet`, loc, { hint: '= ANY (array) and <> ALL (array) are supported.' });
      }
      const r = resolveCall(env.ctx, `${opName} ${form}`, [bindExpr(env, a.lexpr!), bindExpr(env, a.rexpr!)], loc);
      return { kind: 'Call', fn: r.fn, args: r.args, type: r.type };
    }
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT': {
      const ne = bindOperator(env, '<>', bindExpr(env, a.lexpr!), bindExpr(env, a.rexpr!), loc);
      const [l, r] = ne.kind === 'Call' ? ne.args : [];
      // a IS DISTINCT FROM b: CASE WHEN a IS NULL THEN b IS NOT NULL WHEN b IS NULL THEN true ELSE a <> b END
      const distinct: ScalarExpr = {
        kind: 'Case',
        whens: [
          { cond: isNull(l!), result: not(isNull(r!)) },
          { cond: isNull(r!), result: TRUE },
        ],
        else: ne,
        type: BOOL,
      };
      return a.kind === 'AEXPR_DISTINCT' ? distinct : not(distinct);
    }
    case 'AEXPR_NULLIF': {
      const l = bindExpr(env, a.lexpr!);
      const r = bindExpr(env, a.rexpr!);
      const eq = bindOperator(env, '=', l, r, loc);
      const lc = eq.kind === 'Call' ? eq.args[0]! : l;
      const type = l.type.kind === 'unknown' ? lc.type : l.type;
      const left = coerce(env.ctx, l, type, 'implicit');
      return { kind: 'Case', whens: [{ cond: eq, result: { kind: 'Literal', value: null, type } }], else: left, type };
    }
    case 'AEXPR_IN': {
      const l = bindExpr(env, a.lexpr!);
      const tests = listItems(a.rexpr).map((item) => bindOperator(env, opName, l, bindExpr(env, item), loc));
      return opName === '<>' ? and(...tests) : or(...tests);
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE': {
      const negated = opName.startsWith('!');
      const base = negated ? opName.slice(1) : opName;
      const l = bindExpr(env, a.lexpr!);
      const r = bindExpr(env, a.rexpr!);
      const fnName = base === '~~*' ? 'ilike' : 'like';
      const call = firstResolvable(env, [base, fnName], [l, r], loc);
      return negated ? not(call) : call;
    }
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM': {
      const [lo, hi] = listItems(a.rexpr).map((n) => bindExpr(env, n));
      const x = bindExpr(env, a.lexpr!);
      const between = (p: ScalarExpr, q: ScalarExpr): ScalarExpr => and(bindOperator(env, '>=', x, p, loc), bindOperator(env, '<=', x, q, loc));
      const sym = a.kind === 'AEXPR_BETWEEN_SYM' || a.kind === 'AEXPR_NOT_BETWEEN_SYM';
      const e = sym ? or(between(lo!, hi!), between(hi!, lo!)) : between(lo!, hi!);
      return a.kind === 'AEXPR_NOT_BETWEEN' || a.kind === 'AEXPR_NOT_BETWEEN_SYM' ? not(e) : e;
    }
    default:
      throw sqlError(SqlState.featureNotSupported, `${(a.kind ?? '').replace('AEXPR_', '').toLowerCase().replace(/_/g, ' ')} expressions are not supported yet`, loc);
  }
}

function firstResolvable(env: ExprEnv, names: string[], args: ScalarExpr[], loc: number | undefined): ScalarExpr {
  let firstErr: unknown;
  for (const n of names) {
    try {
      const r = resolveCall(env.ctx, n, args, loc, { operator: !/^[a-z]/.test(n) });
      return { kind: 'Call', fn: r.fn, args: r.args, type: r.type };
    } catch (e) {
      firstErr ??= e;
    }
  }
  throw firstErr;
}

export function bindBooleanTest(env: ExprEnv, t: BooleanTest): ScalarExpr {
  const arg = bindCondition(env, t.arg!, 'IS TRUE');
  switch (t.booltesttype) {
    case 'IS_TRUE': return { kind: 'Coalesce', args: [arg, FALSE], type: BOOL };
    case 'IS_NOT_TRUE': return not({ kind: 'Coalesce', args: [arg, FALSE], type: BOOL });
    case 'IS_FALSE': return { kind: 'Coalesce', args: [not(arg), FALSE], type: BOOL };
    case 'IS_NOT_FALSE': return { kind: 'Coalesce', args: [arg, TRUE], type: BOOL };
    case 'IS_UNKNOWN': return isNull(arg);
    default: return not(isNull(arg));
  }
}

export function bindCase(env: ExprEnv, c: CaseExpr): ScalarExpr {
  const subject = c.arg ? bindExpr(env, c.arg) : undefined;
  const whens = (c.args ?? []).map((w) => {
    const cw = (w as { CaseWhen: { expr?: Node; result?: Node; location?: number } }).CaseWhen;
    const cond = subject ? bindOperator(env, '=', subject, bindExpr(env, cw.expr!), cw.location) : bindCondition(env, cw.expr!, 'CASE/WHEN');
    return { cond, result: bindExpr(env, cw.result!), loc: nodeLocation(cw.result) };
  });
  const elseExpr: ScalarExpr = c.defresult ? bindExpr(env, c.defresult) : { kind: 'Literal', value: null, type: { kind: 'unknown' } };
  const results = unify(env.ctx, [...whens.map((w) => w.result), elseExpr], 'CASE', [...whens.map((w) => w.loc), nodeLocation(c.defresult)]);
  const type = results[0]!.type;
  return { kind: 'Case', whens: whens.map((w, i) => ({ cond: w.cond, result: results[i]! })), else: results[results.length - 1]!, type };
}

export function bindCoalesce(env: ExprEnv, c: CoalesceExpr): ScalarExpr {
  const nodes = c.args ?? [];
  const args = unify(env.ctx, nodes.map((n) => bindExpr(env, n)), 'COALESCE', nodes.map(nodeLocation));
  return { kind: 'Coalesce', args, type: args[0]!.type };
}

export function bindMinMax(env: ExprEnv, m: MinMaxExpr): ScalarExpr {
  const nodes = m.args ?? [];
  const args = unify(env.ctx, nodes.map((n) => bindExpr(env, n)), m.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST', nodes.map(nodeLocation));
  const type = args[0]!.type;
  // GREATEST(a, b, …) ignores NULLs: fold pairwise as CASE WHEN x IS NULL OR y > x THEN y ELSE x END.
  const op = m.op === 'IS_GREATEST' ? '>' : '<';
  let acc = args[0]!;
  for (const y of args.slice(1)) {
    const better = bindOperator(env, op, y, acc, m.location);
    acc = { kind: 'Case', whens: [{ cond: or(isNull(acc), better), result: y }], else: acc, type };
  }
  return acc;
}

export function bindArray(env: ExprEnv, a: A_ArrayExpr): ScalarExpr {
  const nodes = a.elements ?? [];
  if (nodes.length === 0) throw sqlError(SqlState.indeterminateDatatype, 'cannot determine type of empty array', a.location, { hint: 'Explicitly cast to the desired type, for example ARRAY[]::integer[].' });
  const elems = unify(env.ctx, nodes.map((n) => bindExpr(env, n)), 'ARRAY', nodes.map(nodeLocation));
  const type: SqlType = { kind: 'array', element: elems[0]!.type };
  if (elems.every((e) => e.kind === 'Literal')) {
    return { kind: 'Literal', value: elems.map((e) => (e as { value: Datum }).value), type };
  }
  const r = resolveCall(env.ctx, 'array', elems, a.location);
  return { kind: 'Call', fn: r.fn, args: r.args, type: r.type };
}
