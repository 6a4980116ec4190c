/**
 * Name resolution. A Scope lists the columns visible by name at one query level, each
 * mapped to a column index of that level's current plan. Scopes chain outwards:
 *
 * - a 'same-plan' parent holds more columns of the same plan (the decorrelation domain,
 *   see subquery.ts), so its indexes are used as they are;
 * - an 'outer' parent is the enclosing query of a subquery. A reference that crosses an
 *   outer link is correlated: while a subquery is probed (its first binding pass), the
 *   crossing is recorded in the link's `correlated` set (indexes of the outer plan) and a
 *   placeholder column is returned; the second pass rebinds it over a domain that holds
 *   those columns (see subquery.ts).
 */
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import type { SqlType } from '../../types/sql-type.js';
import { sqlError } from './bind-context.js';

export interface ScopeItem {
  /** The range-table alias that qualifies it (`t` in `t.a`); undefined for merged USING columns. */
  table?: string;
  name: string;
  index: number;
  type: SqlType;
  /** Not reachable by an unqualified name (a USING column's per-side copies). */
  qualifiedOnly?: boolean;
  /** Not part of an unqualified `*` (the per-side copies of USING columns). */
  notInStar?: boolean;
}

export class Scope {
  constructor(
    readonly items: ScopeItem[],
    readonly parent?: Scope,
    readonly link: 'same-plan' | 'outer' = 'outer',
    /** Set while probing a subquery: outer-plan indexes referenced across this scope's 'outer' link. */
    readonly correlated?: Set<number>,
  ) {}

  /** This scope and its 'same-plan' ancestors: every column of the current plan visible by name. */
  samePlanLevels(): Scope[] {
    const out: Scope[] = [this];
    let s: Scope | undefined = this;
    while (s.link === 'same-plan' && s.parent) {
      s = s.parent;
      out.push(s);
    }
    return out;
  }
}

/** Placeholder for a correlated reference during the probe pass; never survives into a plan. */
export const PROBE_INDEX = -1;

export function resolveColumn(scope: Scope, table: string | undefined, name: string, location: number): ScalarExpr {
  let s: Scope | undefined = scope;
  let crossed: Scope | undefined;
  let tableSeen = false;
  while (s) {
    const matches = s.items.filter((it) =>
      table === undefined ? it.name === name && !it.qualifiedOnly : it.table === table && it.name === name,
    );
    if (table !== undefined && s.items.some((it) => it.table === table)) tableSeen = true;
    const distinct = new Set(matches.map((m) => m.index));
    if (distinct.size > 1) {
      throw sqlError(SqlState.ambiguousColumn, `column reference "${name}" is ambiguous`, location);
    }
    if (matches.length > 0) {
      const it = matches[0]!;
      if (crossed) {
        if (!crossed.correlated) throw new Error(`binder: unexpected correlated reference to "${name}"`);
        crossed.correlated.add(it.index);
        return { kind: 'Column', index: PROBE_INDEX, type: it.type, name };
      }
      return { kind: 'Column', index: it.index, type: it.type, name };
    }
    if (tableSeen) break;
    if (s.link === 'outer') crossed = s;
    s = s.parent;
  }
  if (table !== undefined && !tableSeen) {
    throw sqlError(SqlState.undefinedTable, `missing FROM-clause entry for table "${table}"`, location);
  }
  const shown = table !== undefined ? `${table}.${name}` : `"${name}"`;
  throw sqlError(SqlState.undefinedColumn, `column ${shown} does not exist`, location);
}

/** The items `*` (table undefined) or `t.*` expands to, in order. */
export function expandStar(scope: Scope, table: string | undefined, location: number): ScopeItem[] {
  const items = scope.items.filter((it) => (table === undefined ? !it.notInStar : it.table === table));
  if (table !== undefined && items.length === 0 && !scope.items.some((it) => it.table === table)) {
    throw sqlError(SqlState.undefinedTable, `missing FROM-clause entry for table "${table}"`, location);
  }
  if (table === undefined && scope.items.length === 0) {
    throw sqlError(SqlState.syntaxError, 'SELECT * with no tables specified is not valid', location);
  }
  return items;
}
