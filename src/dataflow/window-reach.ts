/**
 * Which rows of a partition a change can affect (operators/over-window.ts): a tick's changes
 * occupy the region [lo, hi) of the partition's new order (every row inserted, and the row
 * after every row removed); rows outside it kept their neighbours, so only those whose frame
 * or offset reaches into it can have new values. `Reach` says how far, from the calls:
 *
 *   ahead      rows after the region: lag's offset, a frame starting n PRECEDING (∞ from
 *              UNBOUNDED PRECEDING, and for row_number / rank / dense_rank, which count)
 *   back       rows before it: lead's offset, a frame ending n FOLLOWING (∞: UNBOUNDED FOLLOWING)
 *   peerAhead  a RANGE frame starting at the current row's peers, EXCLUDE GROUP / TIES: the
 *   peerBack   peer group at the region's end / start too
 *   whole      the partition: percent_rank, cume_dist, ntile (they read its size), RANGE and
 *              GROUPS offsets (they reach by value or by peer group, not by position)
 */
import { peerEnd, peerStart, type Bound, type EvalCall, type PartitionView } from './window-frame-eval.js';

const byValue = (b: Bound): boolean => (b.kind === 'preceding' || b.kind === 'following') && b.byValue === true;

export interface Reach {
  back: number;
  ahead: number;
  peerBack: boolean;
  peerAhead: boolean;
  whole: boolean;
}

/** How far a change's effect reaches, from the calls' functions and frames. */
export function reachOf(calls: readonly EvalCall[]): Reach {
  const r: Reach = { back: 0, ahead: 0, peerBack: false, peerAhead: false, whole: false };
  for (const c of calls) {
    switch (c.fn) {
      case 'percent_rank':
      case 'cume_dist':
      case 'ntile':
        r.whole = true;
        continue;
      case 'row_number':
      case 'rank':
      case 'dense_rank':
        r.ahead = Infinity;
        continue;
      case 'lag':
        r.ahead = Math.max(r.ahead, c.n);
        continue;
      case 'lead':
        r.back = Math.max(r.back, c.n);
        continue;
      default:
        break;
    }
    const { start, end, mode } = c.frame;
    // EXCLUDE GROUP / TIES: a change to a row's peers changes what its frame leaves out.
    if (c.frame.exclude === 'group' || c.frame.exclude === 'ties') r.peerBack = r.peerAhead = true;
    if (byValue(start) || byValue(end) || (mode === 'groups' && (start.kind === 'preceding' || start.kind === 'following' || end.kind === 'preceding' || end.kind === 'following'))) {
      // RANGE offsets reach by value, GROUPS offsets by peer groups, not by position: the whole partition.
      r.whole = true;
      continue;
    }
    // Row i's frame reaches back to its start: changes up to `preceding` rows before i matter.
    if (start.kind === 'unbounded_preceding') r.ahead = Infinity;
    else if (start.kind === 'preceding') r.ahead = Math.max(r.ahead, start.offset);
    else if (start.kind === 'current_row' && mode !== 'rows') r.peerAhead = true;
    else if (start.kind === 'following') r.ahead = Math.max(r.ahead, -start.offset);
    if (end.kind === 'unbounded_following') r.back = Infinity;
    else if (end.kind === 'following') r.back = Math.max(r.back, end.offset);
    else if (end.kind === 'current_row' && mode !== 'rows') r.peerBack = true;
  }
  return r;
}

/** The rows whose values a change in [lo, hi) can affect, as [from, to] (inclusive). */
export function affectedRows(view: PartitionView, r: Reach, lo: number, hi: number): [number, number] {
  const n = view.length;
  if (r.whole) return [0, n - 1];
  let from = lo - r.back;
  let to = hi - 1 + r.ahead;
  if (r.peerBack && lo > 0) from = Math.min(from, peerStart(view, Math.min(lo, n) - 1));
  if (r.peerAhead && hi > 0) to = Math.max(to, peerEnd(view, Math.min(hi, n) - 1));
  return [Math.max(0, from), Math.min(n - 1, to)];
}
