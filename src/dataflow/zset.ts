/**
 * Z-sets: collections of rows with integer diffs. A batch of changes is a Z-set; an insert
 * has diff +1, a retraction -1, and larger weights are multiplicities. `consolidate` sums the
 * diffs of equal rows and drops the zeros: the canonical form of a Z-set.
 */
import type { Row } from '../types/datum.js';
import { rowKey } from '../types/row-key.js';

export type Change = [row: Row, diff: number];

/** Sums equal rows and drops zero diffs. Order of the result follows first appearance. */
export function consolidate(changes: Change[]): Change[] {
  if (changes.length <= 1) return changes.length === 1 && changes[0]![1] === 0 ? [] : changes;
  const byKey = new Map<string, Change>();
  for (const [row, diff] of changes) {
    const k = rowKey(row);
    const prev = byKey.get(k);
    if (prev) prev[1] += diff;
    else byKey.set(k, [row, diff]);
  }
  const out: Change[] = [];
  for (const c of byKey.values()) if (c[1] !== 0) out.push(c);
  return out;
}

export function negate(changes: Change[]): Change[] {
  return changes.map(([row, diff]) => [row, -diff]);
}
