/**
 * uniqueOn(plan, cols): whether the plan has at most one row for each value of `cols` (NULL
 * counting as a value, as in GROUP BY). A conservative analysis: `true` is a proof, `false`
 * means "not proven". The binder uses it to skip the one-row check of a scalar subquery
 * (21000) when its plan already returns at most one row per correlation key, e.g. a global
 * aggregate (`Reduce` grouped by the domain columns, left-joined back onto the domain).
 *
 *   Reduce           its group columns ⊆ cols
 *   Distinct         cols = every column
 *   TopK limit ≤ 1   its group columns ⊆ cols (row_number only: rank() keeps whole ties)
 *   Map, Filter      the input, on the cols it has
 *   SessionWindow    the input, on the cols it has (one output row per input row; Window too)
 *   WindowExpand     the input, on the cols it has, when cols hold the column that tells a
 *                    row's windows apart (hop: window_start; cumulate: window_end)
 *   Project          the input, on the input columns the cols pick
 *   Join inner/left  left unique on cols ∩ left, and right unique on its columns that an
 *                    equality conjunct of ON binds to a left column (each left row then
 *                    meets at most one right row)
 */
import { assertNever } from '../util/assert-never.js';
import type { LogicalPlan } from './logical-plan.js';
import { conjuncts, equality } from './scalar-util.js';

/** The unique key of a stored collection (a table's primary key, a view's key), if known. */
export type GetKey = (id: string) => readonly number[] | undefined;

export function uniqueOn(p: LogicalPlan, cols: readonly number[], getKey?: GetKey): boolean {
  const set = new Set(cols);
  const sub = (input: LogicalPlan, s: Iterable<number>): boolean => uniqueOn(input, [...s], getKey);
  switch (p.kind) {
    case 'Reduce':
      return p.groupKey.every((_, i) => set.has(i));
    case 'Distinct':
      return p.schema.every((_, i) => set.has(i)) || sub(p.input, set);
    case 'TopK':
      if (p.limit !== null && p.limit <= 1 && !p.ranking && p.groupKey.every((c) => set.has(c))) return true;
      return sub(p.input, [...set].filter((c) => c < p.input.schema.length));
    case 'Map':
    case 'SessionWindow':
    case 'Window':
      return sub(p.input, [...set].filter((c) => c < p.input.schema.length));
    case 'WindowExpand':
      return set.has(windowKeyColumn(p)) && sub(p.input, [...set].filter((c) => c < p.input.schema.length));
    case 'Filter':
      return sub(p.input, set);
    case 'Project':
      return sub(p.input, [...set].map((c) => p.outputs[c]!));
    case 'Join': {
      if (p.joinKind !== 'inner' && p.joinKind !== 'left') return false;
      const w = p.left.schema.length;
      if (!sub(p.left, [...set].filter((c) => c < w))) return false;
      const bound: number[] = [];
      for (const c of conjuncts(p.on)) {
        const eq = equality(c);
        if (!eq) continue;
        const [a, b] = eq.args;
        if (a.kind !== 'Column' || b.kind !== 'Column') continue;
        if (a.index < w && b.index >= w) bound.push(b.index - w);
        else if (b.index < w && a.index >= w) bound.push(a.index - w);
      }
      return sub(p.right, bound);
    }
    case 'Get': {
      const key = getKey?.(p.id);
      return key !== undefined && key.every((c) => set.has(c));
    }
    case 'Constant':
    case 'Union':
    case 'Negate':
    case 'Threshold':
    case 'FlatMap':
      return false;
    default:
      return assertNever(p, 'logical plan');
  }
}

/**
 * uniqueKey(plan): one set of output columns that no two rows share (each row's diff at
 * most 1), chosen for storage: a materialized view with a unique key stores its contents
 * keyed by it, so a changed row is one put and no read (Materialize arranges by key the same
 * way). The choice is part of the storage layout of existing views, so changing what it
 * returns for a plan shape needs a migration. `uniqueOn(p, uniqueKey(p))` always holds.
 *
 *   Reduce           its group key columns (no group key: the empty key, one row)
 *   Distinct         all columns
 *   TopK             its group key, when the limit is 1 and there is no offset (row_number only)
 *   Map, Filter      the input's key
 *   SessionWindow    the input's key (Window too)
 *   WindowExpand     the input's key ++ window_start (hop) or window_end (cumulate)
 *   Project          the input's key, if every key column is kept
 *   Get              the collection's key (`getKey`: a table's primary key, a view's key)
 *   Join             one side's key, when the other side is unique on the columns that ON's
 *                    equalities bind to the first side (inner; left keeps the left key,
 *                    right the right key)
 */
export function uniqueKey(p: LogicalPlan, getKey?: GetKey): number[] | undefined {
  switch (p.kind) {
    case 'Get': {
      const key = getKey?.(p.id);
      return key ? [...key] : undefined;
    }
    case 'Reduce':
      return p.groupKey.map((_, i) => i);
    case 'Distinct':
      return p.schema.map((_, i) => i);
    case 'TopK':
      return p.limit === 1 && p.offset === 0 && !p.ranking ? p.groupKey : undefined;
    case 'Map':
    case 'Filter':
    case 'SessionWindow':
    case 'Window':
      return uniqueKey(p.input, getKey);
    case 'WindowExpand': {
      const inner = uniqueKey(p.input, getKey);
      return inner ? [...inner, windowKeyColumn(p)] : undefined;
    }
    case 'Project': {
      const inner = uniqueKey(p.input, getKey);
      if (!inner) return undefined;
      const out: number[] = [];
      for (const c of inner) {
        const i = p.outputs.indexOf(c);
        if (i < 0) return undefined;
        out.push(i);
      }
      return out;
    }
    case 'Join': {
      // Each row of one side meets at most one row of the other when the other side is unique
      // on the columns that ON's equalities bind to the first side: the first side's key stays
      // a key. (A left join keeps every left row once; a right join every right row.)
      const w = p.left.schema.length;
      const bound = { left: [] as number[], right: [] as number[] };
      for (const c of conjuncts(p.on)) {
        const eq = equality(c);
        if (!eq) continue;
        const [a, b] = eq.args;
        if (a.kind !== 'Column' || b.kind !== 'Column') continue;
        if (a.index < w && b.index >= w) (bound.left.push(a.index), bound.right.push(b.index - w));
        else if (b.index < w && a.index >= w) (bound.left.push(b.index), bound.right.push(a.index - w));
      }
      if (p.joinKind === 'inner' || p.joinKind === 'left') {
        const leftKey = uniqueKey(p.left, getKey);
        if (leftKey && uniqueOn(p.right, bound.right, getKey)) return leftKey;
      }
      if (p.joinKind === 'inner' || p.joinKind === 'right') {
        const rightKey = uniqueKey(p.right, getKey);
        if (rightKey && uniqueOn(p.left, bound.left, getKey)) return rightKey.map((c) => c + w);
      }
      return undefined;
    }
    case 'Constant':
    case 'Union':
    case 'Negate':
    case 'Threshold':
    case 'FlatMap':
      return undefined;
    default:
      return assertNever(p, 'logical plan');
  }
}

/**
 * The appended column that tells apart the copies of one input row a WindowExpand makes:
 * window_start for hop (each window starts elsewhere), window_end for cumulate (they share
 * their start).
 */
function windowKeyColumn(p: Extract<LogicalPlan, { kind: 'WindowExpand' }>): number {
  return p.input.schema.length + (p.windowKind === 'hop' ? 0 : 1);
}
