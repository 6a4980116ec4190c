// One oracle run of views over a table, the same for every view-oracle test: a fresh table in
// Postgres (PGlite) and in weir; half the views exist from the start and the other half are
// created after two ticks (so they hydrate from existing rows); with `restart`, weir runs on a
// data directory and is closed and reopened half-way. Each tick's statements run on both, then
// `check` compares after every tick from the third on.
import type { PGlite } from '@electric-sql/pglite';
import { inProcess, type InProcess } from './in-process.js';
import { tempDataDir } from './temp-dirs.js';

export interface OracleRun {
  pglite: PGlite;
  /** The CREATE TABLE statement of table `t`, run on both (after dropping any `t` in Postgres). */
  table: string;
  /** [name, query, …] of each materialized view. */
  views: readonly (readonly [string, string, ...unknown[]])[];
  /** The ticks: each a list of statements (a transaction is BEGIN … COMMIT). */
  ticks: readonly (readonly string[])[];
  restart: boolean;
  check(w: InProcess, context: string): Promise<void>;
  /** After the last tick, before weir closes. */
  atEnd?(w: InProcess): Promise<void>;
}

export async function runOracleTicks(run: OracleRun): Promise<void> {
  const { pglite, table, views, ticks, restart } = run;
  await pglite.exec('DROP TABLE IF EXISTS t');
  await pglite.exec(table);
  const dir = restart ? tempDataDir() : undefined;
  let w = await inProcess(dir);
  try {
    await w.run(table);
    const create = async (i: number) => {
      const [name, view] = views[i]!;
      await w.run(`CREATE MATERIALIZED VIEW ${name} AS ${view}`);
    };
    for (let i = 0; i < views.length; i += 2) await create(i);
    for (let i = 0; i < ticks.length; i++) {
      if (i === 2) for (let v = 1; v < views.length; v += 2) await create(v);
      if (restart && i === Math.floor(ticks.length / 2)) {
        await w.close();
        w = await inProcess(dir);
      }
      for (const s of ticks[i]!) {
        await pglite.exec(s);
        await w.run(s);
      }
      if (i >= 2) await run.check(w, `tick ${i}: ${ticks[i]!.join('; ')}`);
    }
    await run.atEnd?.(w);
  } finally {
    await w.close();
  }
}
