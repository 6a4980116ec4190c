/**
 * Z-sets: collections of rows with integer diffs. A batch of changes is a Z-set; an insert
 * has diff +1, a retraction -1, and larger weights are multiplicities. `consolidate` sums the
 * diffs of equal rows and drops the zeros: the canonical form of a Z-set.
 */
import type { Row } from '../types/datum.js';
import { rowKey } from '../types/row-key.js';

export type Change = [row: Row, diff: number];

/**
 * Sums equal rows and drops zero diffs. Order of the result follows first appearance. The
 * result may share Change arrays with the input (never mutate either).
 */
export function consolidate(changes: Change[]): Change[] {
  const n = changes.length;
  if (n <= 1) return n === 1 && changes[0]![1] === 0 ? [] : changes;
  const byKey = new Map<string, Change>();
  for (let i = 0; i < n; i++) {
    const c = changes[i]!;
    const k = rowKey(c[0]);
    const prev = byKey.get(k);
    if (prev === undefined) byKey.set(k, c);
    else byKey.set(k, [prev[0], prev[1] + c[1]]); // a new Change: inputs are never mutated
  }
  const out: Change[] = [];
  for (const c of byKey.values()) if (c[1] !== 0) out.push(c);
  return out;
}

export function negate(changes: Change[]): Change[] {
  return changes.map(([row, diff]) => [row, -diff]);
}
