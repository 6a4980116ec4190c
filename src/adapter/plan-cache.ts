/**
 * PlanCache: a session's simple-query SELECTs, planned once and kept by their text. A client
 * polling `SELECT n FROM counts` sends the same text again and again; parsing, binding and
 * optimizing it took more than half of the server's time per query (a profile of 17,000
 * SELECTs/s over one connection), the read itself a small part.
 *
 * An entry is used only while nothing it was planned against has changed: the catalog's
 * version (any DDL, by any session) and the session's settings' version (any SET or RESET), the
 * same rule a prepared statement follows for the catalog (the settings count their changes:
 * settings.ts `VersionedSettings`). Only SELECTs without parameters are
 * kept: their plans read everything else (the snapshot, the clock, the transaction) when they
 * run. At most CAPACITY entries, the least recently used going first.
 *
 * State: up to CAPACITY plans, per session (plans close over their session).
 */
import type { ParsedStatement } from '../sql/parser/parse.js';
import type { Planned } from './statements/planned.js';

const CAPACITY = 64;

export interface CachedPlan {
  parsed: ParsedStatement;
  planned: Planned;
  catalogVersion: number;
  settingsVersion: number;
}

export class PlanCache {
  readonly #entries = new Map<string, CachedPlan>();

  /** The plan of `sql` if it is still good for these versions (an outdated one is dropped). */
  get(sql: string, catalogVersion: number, settingsVersion: number): CachedPlan | undefined {
    const e = this.#entries.get(sql);
    if (e === undefined) return undefined;
    this.#entries.delete(sql);
    if (e.catalogVersion !== catalogVersion || e.settingsVersion !== settingsVersion) return undefined;
    this.#entries.set(sql, e); // most recently used last
    return e;
  }

  /** Keeps `plan` when it is a SELECT without parameters. */
  offer(sql: string, plan: CachedPlan): void {
    const p = plan.parsed;
    if (p.kind !== 'pg' || p.emitOnWindowClose === true || !('SelectStmt' in (p.ast as object))) return;
    if (plan.planned.paramTypes.length > 0) return;
    this.#entries.delete(sql);
    this.#entries.set(sql, plan);
    if (this.#entries.size > CAPACITY) this.#entries.delete(this.#entries.keys().next().value!);
  }

  get size(): number {
    return this.#entries.size;
  }
}
