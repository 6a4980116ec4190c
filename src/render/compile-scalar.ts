/**
 * compileScalar: a ScalarExpr → a plain function of the row (dataflow/scalar-fn.ts), built
 * once per dataflow. Calls go straight to the implementation's `eval` (strict functions return
 * NULL on a NULL argument without calling it); casts to `lookupCast(from, to, { explicit }).impl`
 * (an explicit cast truncates to varchar(n) / char(n) instead of raising 22001). And / Or /
 * Case / Coalesce are lazy, with SQL three-valued logic. Param reads `env.params` (plans
 * compiled once per prepared statement) or has been replaced by a Literal; `now()` & co read the tick's EvalContext through `env`.
 */
import type { Datum, Row } from '../types/datum.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { typeName } from '../types/sql-type.js';
import { assertNever } from '../util/assert-never.js';
import type { ScalarExpr } from '../plan/scalar-expr.js';
import type { EvalContext } from '../plan/functions/function-impl.js';
import { getFunction, lookupCast } from '../plan/functions/registry.js';
import type { ScalarFn } from '../dataflow/scalar-fn.js';

/** The evaluation context of the current tick; set by the dataflow before each step. */
export interface EvalEnv {
  ctx: EvalContext;
  /** Statement parameters, for plans compiled once and run with many ($n = params[n-1]). */
  params?: readonly Datum[];
}

export function compileScalar(e: ScalarExpr, env: EvalEnv): ScalarFn {
  switch (e.kind) {
    case 'Column': {
      const i = e.index;
      return (row) => row[i]!;
    }
    case 'Literal': {
      const v = e.value;
      return () => v;
    }
    case 'Param': {
      const i = e.index - 1;
      return () => {
        if (!env.params || i >= env.params.length) {
          throw new SqlError(SqlState.internalError, `parameter $${i + 1} was not bound before execution`);
        }
        return env.params[i]!;
      };
    }
    case 'Call': {
      const impl = getFunction(e.fn);
      const args = e.args.map((a) => compileScalar(a, env));
      return callFn(args, impl.strict, (vals) => impl.eval(vals, env.ctx));
    }
    case 'Cast': {
      const from = e.expr.type;
      const inner = compileScalar(e.expr, env);
      if (from.kind === e.type.kind && from.kind !== 'numeric' && from.kind !== 'varchar' && from.kind !== 'char' && from.kind !== 'array') return inner;
      const cast = lookupCast(from, e.type, { explicit: e.explicit === true });
      if (!cast) throw new SqlError(SqlState.cannotCoerce, `cannot cast type ${typeName(from)} to ${typeName(e.type)}`);
      const impl = cast.impl;
      return (row) => {
        const v = inner(row);
        if (v === null && impl.strict) return null;
        return impl.eval([v], env.ctx);
      };
    }
    case 'And': {
      const args = e.args.map((a) => compileScalar(a, env));
      return (row) => {
        let sawNull = false;
        for (let i = 0; i < args.length; i++) {
          const v = args[i]!(row);
          if (v === false) return false;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : true;
      };
    }
    case 'Or': {
      const args = e.args.map((a) => compileScalar(a, env));
      return (row) => {
        let sawNull = false;
        for (let i = 0; i < args.length; i++) {
          const v = args[i]!(row);
          if (v === true) return true;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : false;
      };
    }
    case 'Not': {
      const arg = compileScalar(e.arg, env);
      return (row) => {
        const v = arg(row);
        return v === null ? null : !v;
      };
    }
    case 'IsNull': {
      const arg = compileScalar(e.arg, env);
      return (row) => arg(row) === null;
    }
    case 'Case': {
      const whens = e.whens.map((w) => [compileScalar(w.cond, env), compileScalar(w.result, env)] as const);
      const otherwise = compileScalar(e.else, env);
      return (row) => {
        for (let i = 0; i < whens.length; i++) if (whens[i]![0](row) === true) return whens[i]![1](row);
        return otherwise(row);
      };
    }
    case 'Coalesce': {
      const args = e.args.map((a) => compileScalar(a, env));
      return (row) => {
        for (let i = 0; i < args.length; i++) {
          const v = args[i]!(row);
          if (v !== null) return v;
        }
        return null;
      };
    }
    case 'ArrayMap': {
      const array = compileScalar(e.array, env);
      const body = compileScalar(e.body, env);
      return (row) => {
        const a = array(row) as Datum[] | null;
        return a === null ? [] : a.map((x) => body([x]));
      };
    }
    case 'Unmaterializable': {
      const fn = e.fn;
      if (fn === 'current_date') return () => currentDate(env.ctx);
      return () => env.ctx.now; // now(), mz_now()
    }
    default:
      return assertNever(e, 'scalar expression');
  }
}

/** A call with 1, 2 or n compiled arguments; one argument array per evaluation. */
function callFn(args: ScalarFn[], strict: boolean, call: (vals: Datum[]) => Datum): ScalarFn {
  const n = args.length;
  if (n === 1) {
    const a0 = args[0]!;
    return (row) => {
      const v0 = a0(row);
      if (strict && v0 === null) return null;
      return call([v0]);
    };
  }
  if (n === 2) {
    const a0 = args[0]!;
    const a1 = args[1]!;
    return (row) => {
      const v0 = a0(row);
      if (strict && v0 === null) return null;
      const v1 = a1(row);
      if (strict && v1 === null) return null;
      return call([v0, v1]);
    };
  }
  return (row: Row) => {
    const vals: Datum[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = args[i]!(row);
      if (strict && v === null) return null;
      vals[i] = v;
    }
    return call(vals);
  };
}

/** The date (days since 1970-01-01) of `now` in the session's time zone. */
function currentDate(ctx: EvalContext): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Math.floor(ctx.now / 1000)),
  );
  return Math.floor(Date.parse(parts + 'T00:00:00Z') / 86_400_000);
}
