// The rows of a query as the oracle tests compare them: each row a JSON array of the columns'
// Postgres text forms, sorted. Postgres's side casts each column to text (`c::text`); weir's
// side formats each datum the same way (bool::text is 'true'/'false', unlike Postgres's output
// 't'/'f').
import type { PGlite } from '@electric-sql/pglite';
import type { StatementResult } from '../../src/adapter/session-api.js';
import type { Row } from '../../src/types/datum.js';
import { formatDatum } from '../../src/types/text-format.js';

/** `query` run by Postgres (PGlite), its `width` columns as text. */
export async function postgresRows(db: PGlite, query: string, width: number): Promise<string[]> {
  const cols = Array.from({ length: width }, (_, i) => `c${i}`);
  const res = await db.query<Record<string, string | null>>(`SELECT ${cols.map((c) => `${c}::text`).join(', ')} FROM (${query}) q(${cols.join(', ')})`, [], { rowMode: 'object' });
  return res.rows.map((r) => JSON.stringify(cols.map((c) => r[c] ?? null))).sort();
}

/** A weir result's rows as text, and how many columns it has (for `postgresRows`). */
export function weirTextRows(result: StatementResult): { rows: string[]; width: number } {
  if (result.kind !== 'rows') throw new Error('expected rows');
  const types = result.columns.map((c) => c.type);
  const text = (d: Row[number], i: number) => (d === null ? null : types[i]!.kind === 'bool' ? (d ? 'true' : 'false') : formatDatum(d, types[i]!));
  const rows = result.rows.map((r: Row) => JSON.stringify(r.map(text))).sort();
  return { rows, width: types.length };
}
