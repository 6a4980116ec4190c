/**
 * Gathers the inputs of a one-shot plan: the contents of every table and materialized view
 * it reads, from one snapshot, plus the open transaction's own pending table changes. A
 * (The batch's implicit writes are committed before any statement that is not a write runs,
 * so only writes see them.) A materialized view whose error collection is not empty makes the read fail with that error,
 * as in Materialize.
 */
import { consolidate, type Change } from '../../dataflow/zset.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { collectGetIds } from '../../plan/plan-visit.js';
import type { KvReader } from '../../storage/kv-store.js';
import { firstViewError } from '../collections.js';
import type { SessionContext } from './planned.js';

export async function readInputs(ctx: SessionContext, plan: LogicalPlan, reader: KvReader): Promise<Map<string, Change[]>> {
  const inputs = new Map<string, Change[]>();
  for (const id of collectGetIds(plan)) {
    const item = ctx.coord.catalog.get(id);
    if (item?.kind === 'materialized-view') {
      const err = await firstViewError(reader, id);
      if (err) throw err;
    }
    let changes = await ctx.coord.readCollection(reader, id);
    const pending = ctx.tx.pending.get(id) ?? ctx.tx.implicit.get(id);
    if (pending && pending.length > 0) changes = consolidate([...changes, ...pending]);
    inputs.set(id, changes);
  }
  return inputs;
}

/** Runs a one-shot plan over a fresh snapshot (or the given reader) and returns its rows as changes. */
export async function runQuery(ctx: SessionContext, plan: LogicalPlan, reader?: KvReader): Promise<Change[]> {
  if (reader) return ctx.coord.runOneShot(plan, await readInputs(ctx, plan, reader));
  const snap = ctx.coord.snapshot();
  try {
    return await ctx.coord.runOneShot(plan, await readInputs(ctx, plan, snap));
  } finally {
    await snap.release();
  }
}
