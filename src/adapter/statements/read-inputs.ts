/**
 * Gathers the inputs of a one-shot plan: the contents of every table and materialized view
 * it reads, from one snapshot (or one read), plus the session's own gathered table writes
 * (its transaction's, or its batch's: see planned.ts `readsTablesOnly`). A materialized view
 * whose error collection is not empty makes the read fail with that error, as in
 * Materialize. Where the plan fixes the leading storage-key columns of a collection, only
 * that key range is read (key-lookup.ts). System relations (pg_catalog, information_schema)
 * are not stored: their rows are built now from the catalog (catalog/system/).
 */
import { consolidate, type Change } from '../../dataflow/zset.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { collectGetIds } from '../../plan/plan-visit.js';
import type { KvReader } from '../../storage/kv-store.js';
import { firstViewError } from '../collections.js';
import type { SessionContext } from './planned.js';
import type { Datum } from '../../types/datum.js';
import { findKeyLookups } from './key-lookup.js';
import { isSystemId, objectDefinition, relationNameByOid, systemRelation, systemRows, type StreamStats } from '../../catalog/system/index.js';
import type { SessionInfo } from '../../plan/functions/function-impl.js';

const sessionInfos = new WeakMap<SessionContext, SessionInfo>();

/**
 * weir_source_stats: the one system relation that reads the store (each stream's progress
 * record), so a query reading it with another collection needs a snapshot.
 */
export const SOURCE_STATS_ID = systemRelation('pg_catalog', 'weir_source_stats')!.id;

/**
 * The session as the catalog functions see it (current_user, pg_get_viewdef…): one object per
 * session, built once; the search path is read from the live settings when asked for.
 */
export function sessionInfo(ctx: SessionContext): SessionInfo {
  let info = sessionInfos.get(ctx);
  if (info) return info;
  const sys = { catalog: ctx.coord.catalog, user: ctx.user, database: ctx.database, settings: ctx.settings };
  info = {
    user: ctx.user,
    database: ctx.database,
    backendPid: ctx.processId,
    get searchPath() {
      return (ctx.settings.get('search_path') ?? 'public').split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
    },
    definition: (what, oid, column) => objectDefinition(sys, what, oid, column),
    relationName: (oid) => relationNameByOid(sys, oid),
    setting: (name) => [...ctx.settings].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1],
  };
  sessionInfos.set(ctx, info);
  return info;
}

export async function readInputs(
  ctx: SessionContext,
  plan: LogicalPlan,
  reader: KvReader,
  erroring: ReadonlySet<string> = ctx.coord.viewsWithErrors(),
  params: readonly Datum[] = [],
): Promise<Map<string, Change[]>> {
  const inputs = new Map<string, Change[]>();
  const lookups = findKeyLookups(plan, (id) => ctx.coord.storageKey(id), params);
  let stats: Map<string, StreamStats> | undefined;
  for (const id of collectGetIds(plan)) {
    ctx.checkCanceled();
    if (isSystemId(id)) {
      if (id === SOURCE_STATS_ID) stats ??= await streamStats(ctx, reader);
      const known = stats;
      const rows = systemRows(id, { catalog: ctx.coord.catalog, user: ctx.user, database: ctx.database, settings: ctx.settings, streamStats: (sid) => known?.get(sid), sinkStatus: (sid) => ctx.coord.sinkStatus(sid) });
      inputs.set(id, rows.map((r) => [r, 1]));
      continue;
    }
    const item = ctx.coord.catalog.get(id);
    if (item?.kind === 'materialized-view' && erroring.has(id)) {
      const err = await firstViewError(reader, id);
      if (err) throw err;
    }
    const lookup = lookups.get(id);
    let changes = lookup ? await ctx.coord.readKeyPrefix(reader, id, lookup) : await ctx.coord.readCollection(reader, id);
    const pending = ctx.tx.pending.changesFor(id) ?? ctx.tx.implicit.changesFor(id);
    if (pending && pending.length > 0) changes = consolidate([...changes, ...pending]);
    inputs.set(id, changes);
  }
  ctx.checkCanceled();
  return inputs;
}

/** Every source's and stream table's counters as of the tick `reader` reads (weir_source_stats). */
async function streamStats(ctx: SessionContext, reader: KvReader): Promise<Map<string, StreamStats>> {
  const out = new Map<string, StreamStats>();
  for (const item of ctx.coord.catalog.relations()) {
    const rt = item.stream ? ctx.coord.stream(item.id) : undefined;
    if (rt) out.set(item.id, await rt.stats(reader));
  }
  return out;
}

/** Runs a one-shot plan over a fresh snapshot (or the given reader) and returns its rows as changes. */
export async function runQuery(ctx: SessionContext, plan: LogicalPlan, reader?: KvReader): Promise<Change[]> {
  if (reader) return ctx.coord.runOneShot(plan, await readInputs(ctx, plan, reader), sessionInfo(ctx));
  const snap = ctx.coord.snapshot();
  const erroring = ctx.coord.viewsWithErrors();
  try {
    return await ctx.coord.runOneShot(plan, await readInputs(ctx, plan, snap, erroring), sessionInfo(ctx));
  } finally {
    await snap.release();
  }
}
