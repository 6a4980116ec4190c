/**
 * Key lookups: a read that needs only the rows with given values of a collection's leading
 * storage-key columns. Tables are stored by primary key, materialized views by their unique
 * key (or the whole row), all through key-codec's order-preserving encoding, in which the
 * encoding of a key prefix is a byte prefix. So `WHERE id = 5` on a table, or `WHERE country
 * = 'NL'` on a view grouped by country, reads one key range instead of the collection.
 *
 * A lookup is found for a Get that occurs once in the plan, directly under a Filter whose
 * predicates include `column = literal` (or `= $n`) for the first key column (and maybe the next ones).
 * The Filter still runs on what is read, so the lookup only narrows the input.
 */
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { planChildren } from '../../plan/plan-visit.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { getFunction } from '../../plan/functions/registry.js';
import type { Datum } from '../../types/datum.js';

/** Get id → the values of the leading key columns to read. */
export type KeyLookups = Map<string, Datum[]>;

export function findKeyLookups(
  plan: LogicalPlan,
  keyColumnsOf: (id: string) => number[] | undefined,
  params: readonly Datum[] = [],
): KeyLookups {
  const occurrences = new Map<string, number>();
  const candidates = new Map<string, Datum[]>();
  const visit = (p: LogicalPlan): void => {
    if (p.kind === 'Get') occurrences.set(p.id, (occurrences.get(p.id) ?? 0) + 1);
    if (p.kind === 'Filter' && p.input.kind === 'Get') {
      const keyCols = keyColumnsOf(p.input.id);
      const prefix = keyCols ? keyPrefix(p.predicates, keyCols, params) : [];
      if (prefix.length > 0) candidates.set(p.input.id, prefix);
    }
    for (const c of planChildren(p)) visit(c);
  };
  visit(plan);
  for (const id of [...candidates.keys()]) if (occurrences.get(id) !== 1) candidates.delete(id);
  return candidates;
}

/** The literal values fixed by `col = literal` predicates for a leading run of key columns. */
function keyPrefix(predicates: ScalarExpr[], keyCols: number[], params: readonly Datum[]): Datum[] {
  const fixed = new Map<number, Datum>();
  for (const p of predicates) {
    const eq = columnEqualsValue(p, params);
    if (eq) fixed.set(eq.column, eq.value);
  }
  const out: Datum[] = [];
  for (const c of keyCols) {
    if (!fixed.has(c)) break;
    out.push(fixed.get(c)!);
  }
  return out;
}

/** `column = literal` or `column = $n`, with the value. */
function columnEqualsValue(e: ScalarExpr, params: readonly Datum[]): { column: number; value: Datum } | undefined {
  if (e.kind !== 'Call' || e.args.length !== 2 || getFunction(e.fn).sqlName !== '=') return undefined;
  const [a, b] = e.args as [ScalarExpr, ScalarExpr];
  const value = (x: ScalarExpr): Datum | undefined => (x.kind === 'Literal' ? x.value : x.kind === 'Param' ? params[x.index - 1] : undefined);
  // The binder makes both sides of `=` the same type, so the value encodes as the column does.
  for (const [c, v] of [
    [a, b],
    [b, a],
  ] as const) {
    const val = value(v);
    if (c.kind === 'Column' && val !== undefined && val !== null && c.type.kind === v.type.kind) return { column: c.index, value: val };
  }
  return undefined;
}
