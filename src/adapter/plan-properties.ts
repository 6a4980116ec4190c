/**
 * Properties of a plan that follow from the catalog items it reads, each found by walking the
 * lowered plan (plan/physical/) with an answer per input, an input view answering through its
 * own plan:
 * - append-only: the plan only ever inserts (a FORMAT PLAIN sink needs it; processing-time
 *   windows need it of their input); a table or source is so when declared append-only, a
 *   materialized view when it emits on window close or its plan is append-only;
 * - watermark columns: the output columns that carry a watermark, from the inputs' WATERMARK
 *   declarations.
 *
 * Stateless: recomputed from the catalog on each call (planning, DDL and dataflow builds, never
 * per tick).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { appendOnly } from '../plan/physical/append-only.js';
import { lowerPlan } from '../plan/lower/lower-plan.js';
import { watermarkColumns } from '../plan/physical/watermark-columns.js';
import { planViewDataflow } from './view-plan.js';

/** Whether a plan only ever inserts. */
export function appendOnlyPlan(catalog: Catalog, plan: LogicalPlan): boolean {
  return appendOnly(lowerPlan(plan).root, (id) => appendOnlyInput(catalog, id));
}

/** Whether a catalog item, read as an input, only ever inserts. */
export function appendOnlyInput(catalog: Catalog, id: string): boolean {
  const item = catalog.get(id);
  if (!item || item.kind === 'index' || item.kind === 'sink') return false;
  if (item.kind === 'materialized-view') return item.emitOnWindowClose === true || appendOnlyPlan(catalog, planViewDataflow(item, catalog));
  return item.appendOnly === true;
}

/** The columns of a plan's output that carry a watermark (physical/watermark-columns.ts). */
export function watermarkColumnsOfPlan(catalog: Catalog, plan: LogicalPlan): Set<number> {
  const memo = new Map<string, ReadonlySet<number>>();
  const of = (id: string): ReadonlySet<number> => {
    let s = memo.get(id);
    if (s) return s;
    const item = catalog.get(id);
    s = new Set<number>();
    if (item && item.kind !== 'index' && item.kind !== 'sink') {
      if (item.stream?.watermark) s = new Set([item.stream.watermark.column]);
      else if (item.kind === 'materialized-view') s = watermarkColumns(lowerPlan(planViewDataflow(item, catalog)).root, of);
    }
    memo.set(id, s);
    return s;
  };
  return watermarkColumns(lowerPlan(plan).root, of);
}
