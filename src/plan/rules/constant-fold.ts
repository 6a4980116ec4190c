/**
 * Constant folding where it is safe: a Call whose arguments are all literals is evaluated
 * now when its types are time-zone independent (numbers, text, bool, date/time without
 * zone, interval); if it raises, it is left for run time (errors are data). Boolean
 * connectives, NOT, IS NULL, COALESCE and CASE simplify around literals. A Filter with a
 * literal true predicate drops it; with false or NULL it becomes an empty Constant.
 */
import { getFunction } from '../functions/registry.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { ScalarExpr } from '../scalar-expr.js';
import { rewriteScalar, scalarKey } from '../scalar-util.js';
import type { SqlType } from '../../types/sql-type.js';
import type { Rule } from './rule.js';

const SAFE = new Set(['bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'text', 'varchar', 'char', 'date', 'time', 'timestamp', 'interval', 'bytea', 'uuid']);
const safeType = (t: SqlType): boolean => SAFE.has(t.kind) || (t.kind === 'array' && safeType(t.element));
const BOOL: SqlType = { kind: 'bool' };
const lit = (value: boolean | null): ScalarExpr => ({ kind: 'Literal', value, type: BOOL });
const isLit = (e: ScalarExpr, v?: unknown): boolean => e.kind === 'Literal' && (v === undefined || e.value === v);

function foldNode(e: ScalarExpr): ScalarExpr {
  switch (e.kind) {
    case 'Call': {
      if (!e.args.every((a) => a.kind === 'Literal') || !safeType(e.type) || !e.args.every((a) => safeType(a.type))) return e;
      try {
        const f = getFunction(e.fn);
        if (f.session) return e;
        const vals = e.args.map((a) => (a.kind === 'Literal' ? a.value : null));
        if (f.strict && vals.some((v) => v === null)) return { kind: 'Literal', value: null, type: e.type };
        return { kind: 'Literal', value: f.eval(vals, { now: 0, timeZone: 'UTC' }), type: e.type };
      } catch {
        return e;
      }
    }
    case 'And': {
      if (e.args.some((a) => isLit(a, false))) return lit(false);
      const rest = e.args.filter((a) => !isLit(a, true));
      if (rest.length === 0) return lit(true);
      if (rest.length === 1 && !isLit(rest[0]!, null)) return rest[0]!;
      return rest.length === e.args.length ? e : { ...e, args: rest };
    }
    case 'Or': {
      if (e.args.some((a) => isLit(a, true))) return lit(true);
      const rest = e.args.filter((a) => !isLit(a, false));
      if (rest.length === 0) return lit(false);
      if (rest.length === 1 && !isLit(rest[0]!, null)) return rest[0]!;
      return rest.length === e.args.length ? e : { ...e, args: rest };
    }
    case 'Not':
      if (e.arg.kind === 'Literal') return lit(e.arg.value === null ? null : !e.arg.value);
      if (e.arg.kind === 'Not') return e.arg.arg;
      return e;
    case 'IsNull':
      return e.arg.kind === 'Literal' ? lit(e.arg.value === null) : e;
    case 'Coalesce': {
      const args = e.args.filter((a) => !isLit(a, null));
      if (args.length === 0) return { kind: 'Literal', value: null, type: e.type };
      if (args[0]!.kind === 'Literal' || args.length === 1) return args[0]!;
      return args.length === e.args.length ? e : { ...e, args };
    }
    case 'Case': {
      const whens = e.whens.filter((w) => !(isLit(w.cond, false) || isLit(w.cond, null)));
      if (whens.length > 0 && isLit(whens[0]!.cond, true)) return whens[0]!.result;
      if (whens.length === 0) return e.else;
      return whens.length === e.whens.length ? e : { ...e, whens };
    }
    default:
      return e;
  }
}

export function foldScalar(e: ScalarExpr): ScalarExpr {
  const out = rewriteScalar(e, foldNode);
  return scalarKey(out) === scalarKey(e) ? e : out;
}

export const constantFold: Rule = {
  name: 'constant-fold',
  apply(p: LogicalPlan): LogicalPlan {
    switch (p.kind) {
      case 'Map': {
        const exprs = p.exprs.map(foldScalar);
        return exprs.every((x, i) => x === p.exprs[i]) ? p : { ...p, exprs };
      }
      case 'Filter': {
        const preds = p.predicates.map(foldScalar);
        if (preds.some((x) => isLit(x, false) || isLit(x, null))) return { kind: 'Constant', rows: [], schema: p.schema };
        const keep = preds.filter((x) => !isLit(x, true));
        if (keep.length === 0) return p.input;
        return keep.length === p.predicates.length && keep.every((x, i) => x === p.predicates[i]) ? p : { ...p, predicates: keep };
      }
      case 'Join': {
        const on = foldScalar(p.on);
        return on === p.on ? p : { ...p, on };
      }
      default:
        return p;
    }
  },
};
