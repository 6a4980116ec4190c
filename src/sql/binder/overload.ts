/**
 * Calls of operators and functions: the overload is chosen by the registry's resolveCall
 * (Postgres's func_select_candidate, plan/functions/resolve.ts); here the arguments are
 * coerced to the chosen signature (untyped literals parsed, `$n` typed, casts inserted), so
 * every Call matches its implementation exactly, and failures get Postgres's 42883 wording
 * and the call's position.
 */
import { lookupFunctions, resolveCall as registryResolve } from '../../plan/functions/registry.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import { sqlError, type BindContext } from './bind-context.js';
import { coerce } from './coerce.js';

export interface Resolved {
  fn: string;
  args: ScalarExpr[];
  type: SqlType;
}

export function resolveCall(
  ctx: BindContext,
  name: string,
  args: ScalarExpr[],
  location: number | undefined,
  opts: { operator?: boolean; argLocations?: (number | undefined)[] } = {},
): Resolved {
  const types = args.map((a) => a.type);
  let r: ReturnType<typeof registryResolve>;
  try {
    r = registryResolve(name, types);
  } catch (err) {
    if (SqlError.is(err) && err.position === undefined && location !== undefined && location >= 0) err.position = location + 1;
    throw err;
  }
  if (!r) {
    const shown = types.map((t) => typeName(t)).join(', ');
    if (opts.operator) {
      const [l, rt] = types.length === 2 ? types : [undefined, types[0]];
      const sig = l ? `${typeName(l)} ${name} ${typeName(rt!)}` : `${name} ${typeName(rt!)}`;
      throw sqlError(SqlState.undefinedFunction, `operator does not exist: ${sig}`, location, {
        hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
      });
    }
    throw sqlError(SqlState.undefinedFunction, `function ${name}(${shown}) does not exist`, location, {
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  const coerced = args.map((a, i) => coerce(ctx, a, r.argTypes[i]!, 'implicit', opts.argLocations?.[i]));
  return { fn: r.impl.id, args: coerced, type: r.returnType };
}

/** Whether any function or operator has this name (to tell 42883 "does not exist" apart). */
export function functionExists(name: string): boolean {
  return lookupFunctions(name).length > 0;
}
