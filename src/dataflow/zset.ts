/**
 * Z-sets: collections of rows with integer diffs. A batch of changes is a Z-set; an insert
 * has diff +1, a retraction -1, and larger weights are multiplicities. `consolidate` sums the
 * diffs of equal rows and drops the zeros: the canonical form of a Z-set.
 */
import type { Row } from '../types/datum.js';
import { rowKeysEqual } from '../types/row-key.js';
import { rowHash } from './row-hash.js';

export type Change = [row: Row, diff: number];

/**
 * Sums equal rows and drops zero diffs. Order of the result follows first appearance. The
 * result may share Change arrays with the input (never mutate either); a batch that was
 * already consolidated is returned as it is.
 *
 * Rows are grouped by `rowHash` in an open hash table of indices (typed arrays, chained per
 * bucket) and confirmed equal with `rowKeysEqual`, so no key string is built per row.
 */
export function consolidate(changes: Change[]): Change[] {
  const n = changes.length;
  if (n <= 1) return n === 1 && changes[0]![1] === 0 ? [] : changes;
  if (n <= SMALL) return consolidateSmall(changes);
  let size = 16;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  const heads = new Int32Array(size).fill(-1);
  /** Per distinct row (by first appearance): its hash, the next in its bucket, its summed diff, its first index. */
  const hashes = new Int32Array(n);
  const next = new Int32Array(n);
  const sums = new Float64Array(n);
  const first = new Int32Array(n);
  let distinct = 0;
  let merged = false;
  for (let i = 0; i < n; i++) {
    const c = changes[i]!;
    const row = c[0];
    const h = rowHash(row);
    const b = h & mask;
    let j = heads[b]!;
    while (j !== -1 && !(hashes[j] === h && rowKeysEqual(changes[first[j]!]![0], row))) j = next[j]!;
    if (j === -1) {
      hashes[distinct] = h;
      next[distinct] = heads[b]!;
      heads[b] = distinct;
      sums[distinct] = c[1];
      first[distinct] = i;
      distinct++;
    } else {
      sums[j] += c[1];
      merged = true;
    }
  }
  if (!merged) {
    let zeros = false;
    for (let i = 0; i < n && !zeros; i++) zeros = changes[i]![1] === 0;
    if (!zeros) return changes;
  }
  const out: Change[] = [];
  for (let j = 0; j < distinct; j++) {
    const sum = sums[j]!;
    if (sum === 0) continue;
    const c = changes[first[j]!]!;
    out.push(c[1] === sum ? c : [c[0], sum]); // a new Change: inputs are never mutated
  }
  return out;
}

/** Batches this small are consolidated by comparing hashes pairwise (no hash table to allocate). */
const SMALL = 8;

function consolidateSmall(changes: Change[]): Change[] {
  const n = changes.length;
  const hashes: number[] = new Array(n);
  /** Per change, the index of the first equal row (itself when it is the first). */
  const firstOf: number[] = new Array(n);
  let merged = false;
  let zeros = false;
  for (let i = 0; i < n; i++) {
    const row = changes[i]![0];
    const h = rowHash(row);
    hashes[i] = h;
    firstOf[i] = i;
    if (changes[i]![1] === 0) zeros = true;
    for (let j = 0; j < i; j++) {
      if (firstOf[j] === j && hashes[j] === h && rowKeysEqual(changes[j]![0], row)) {
        firstOf[i] = j;
        merged = true;
        break;
      }
    }
  }
  if (!merged && !zeros) return changes;
  const sums: number[] = new Array(n).fill(0);
  for (let i = 0; i < n; i++) sums[firstOf[i]!] += changes[i]![1];
  const out: Change[] = [];
  for (let i = 0; i < n; i++) {
    if (firstOf[i] !== i || sums[i] === 0) continue;
    const c = changes[i]!;
    out.push(c[1] === sums[i] ? c : [c[0], sums[i]!]);
  }
  return out;
}

export function negate(changes: Change[]): Change[] {
  return changes.map(([row, diff]) => [row, -diff]);
}
