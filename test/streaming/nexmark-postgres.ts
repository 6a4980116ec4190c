// The Postgres side of the Nexmark query tests (nexmark-queries.test.ts): the events a weir
// source generated, loaded into PGlite as plain tables, and the streaming spellings of the
// queries turned into plain Postgres SQL:
// - TUMBLE / HOP in FROM (RisingWave's `TUMBLE(bid, date_time, size)` and Flink's
//   `TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), size))`) → a subquery over date_bin (a
//   tumbling window) or generate_series (the hopping windows a row is in), as the window
//   oracle (test/oracle/window-oracle.test.ts) does;
// - Flink's `backtick` identifiers → the same name unquoted (weir folds them the same way);
// - RisingWave's approx_percentile → percentile_disc (weir computes it exactly);
// - Flink's functions DATE_FORMAT, HOUR, SPLIT_INDEX and REGEXP_EXTRACT → SQL functions of the
//   same names created in PGlite (`FLINK_FUNCTIONS`), written from Flink's documentation.
import type { PGlite } from '@electric-sql/pglite';
import type { StatementResult } from '../../src/adapter/session-api.js';
import type { Row } from '../../src/types/datum.js';
import { typeName } from '../../src/types/sql-type.js';
import { formatDatum } from '../../src/types/text-format.js';
import type { InProcess } from '../harness/in-process.js';

const EPOCH = "timestamp '1970-01-01 00:00:00'";

/** A weir relation's rows (weir's `SELECT * FROM name`) copied into a new PGlite table of the same name. */
export async function copyToPostgres(pg: PGlite, db: InProcess, name: string): Promise<number> {
  const r = await db.run(`SELECT * FROM ${name}`);
  if (r.kind !== 'rows') throw new Error(`expected rows from ${name}`);
  const cols = r.columns.map((c) => `"${c.name}" ${typeName(c.type)}`);
  await pg.exec(`CREATE TABLE "${name}" (${cols.join(', ')})`);
  const chunk = 2000;
  for (let i = 0; i < r.rows.length; i += chunk) {
    const objects = r.rows.slice(i, i + chunk).map((row) =>
      Object.fromEntries(row.map((d, j) => [r.columns[j]!.name, d === null ? null : formatDatum(d, r.columns[j]!.type)])),
    );
    await pg.query(`INSERT INTO "${name}" SELECT * FROM json_populate_recordset(NULL::"${name}", $1)`, [JSON.stringify(objects)]);
  }
  return r.rows.length;
}

/** A result's rows as sorted JSON text lines (booleans as Postgres's ::text spells them). */
export function weirRows(result: StatementResult, columns?: number[]): string[] {
  if (result.kind !== 'rows') throw new Error('expected rows');
  const types = result.columns.map((c) => c.type);
  const text = (d: Row[number], i: number) =>
    d === null ? null : types[i]!.kind === 'bool' ? (d ? 'true' : 'false') : formatDatum(d, types[i]!);
  const pick = columns ?? types.map((_, i) => i);
  return result.rows.map((r: Row) => JSON.stringify(pick.map((i) => text(r[i]!, i)))).sort();
}

/** A Postgres query's rows as sorted JSON text lines, each column cast to text. */
export async function postgresRows(pg: PGlite, sql: string, width: number, columns?: number[]): Promise<string[]> {
  const cols = Array.from({ length: width }, (_, i) => `c${i}`);
  const pick = (columns ?? cols.map((_, i) => i)).map((i) => cols[i]!);
  const res = await pg.query<Record<string, string | null>>(
    `SELECT ${pick.map((c) => `${c}::text`).join(', ')} FROM (${sql}) q(${cols.join(', ')})`,
    [],
    { rowMode: 'object' },
  );
  return res.rows.map((r) => JSON.stringify(pick.map((c) => r[c] ?? null))).sort();
}

const INTERVAL = String.raw`INTERVAL\s+'[^']*'\s*\w*`;

function windowSubquery(kind: string, table: string, col: string, a: string, b: string | undefined, alias: string): string {
  if (kind.toUpperCase() === 'TUMBLE') {
    const ws = `date_bin(${a}, w.${col}, ${EPOCH})`;
    return `(SELECT w.*, ${ws} AS window_start, ${ws} + ${a} AS window_end FROM ${table} w) AS ${alias}`;
  }
  // HOP(table, col, slide, size): every window [ws, ws + size) with ws a multiple of slide holding the row.
  const [slide, size] = [a, b!];
  return `(SELECT w.*, ws AS window_start, ws + ${size} AS window_end FROM ${table} w,
    generate_series(date_bin(${slide}, w.${col}, ${EPOCH}) - ${size} + ${slide}, w.${col}, ${slide}) AS g(ws)) AS ${alias}`;
}

/** TUMBLE / HOP in FROM, in RisingWave's and Flink's spellings, → plain Postgres subqueries. */
export function plainWindows(sql: string): string {
  const flink = new RegExp(
    String.raw`TABLE\s*\(\s*(TUMBLE|HOP)\s*\(\s*TABLE\s+(\w+)\s*,\s*DESCRIPTOR\s*\(\s*("?\w+"?)\s*\)\s*,\s*(${INTERVAL})\s*(?:,\s*(${INTERVAL})\s*)?\)\s*\)`,
    'gi',
  );
  const rw = new RegExp(String.raw`\b(TUMBLE|HOP)\s*\(\s*(\w+)\s*,\s*(\w+)\s*,\s*(${INTERVAL})\s*(?:,\s*(${INTERVAL})\s*)?\)(\s+as\s+(\w+))?`, 'gi');
  return sql
    .replace(flink, (_m, kind: string, table: string, col: string, a: string, b: string | undefined) => windowSubquery(kind, table, col, a, b, table))
    .replace(rw, (_m, kind: string, table: string, col: string, a: string, b: string | undefined, _as, alias: string | undefined) =>
      windowSubquery(kind, table, col, a, b, alias ?? table),
    );
}

/** RisingWave's approx_percentile(p, error) WITHIN GROUP (…) as Postgres's exact percentile_disc(p), a float8. */
export function exactPercentiles(sql: string): string {
  return sql.replace(/approx_percentile\s*\(\s*([0-9.]+)\s*,\s*[0-9.]+\s*\)\s*within\s+group\s*\(([^)]*)\)/gi, '(percentile_disc($1) within group ($2))::float8');
}

/** Flink's `backtick` identifiers as unquoted ones (a name in backticks folds like any other). */
export function unquoteBackticks(sql: string): string {
  return sql.replace(/`([^`]*)`/g, (_m, name: string) => `"${name.toLowerCase()}"`);
}

/** Flink's scalar functions the queries use, as Postgres SQL functions (Flink's documented behaviour). */
export const FLINK_FUNCTIONS = `
CREATE FUNCTION date_format(ts timestamp, fmt text) RETURNS text LANGUAGE SQL IMMUTABLE AS
  $$ SELECT to_char(ts, replace(replace(replace(replace(fmt, 'yyyy', 'YYYY'), 'dd', 'DD'), 'HH', 'HH24'), 'mm', 'MI')) $$;
CREATE FUNCTION hour(ts timestamp) RETURNS bigint LANGUAGE SQL IMMUTABLE AS $$ SELECT extract(hour FROM ts)::bigint $$;
CREATE FUNCTION split_index(s text, sep text, i int) RETURNS text LANGUAGE SQL IMMUTABLE AS
  $$ SELECT CASE WHEN i >= 0 THEN (string_to_array(s, sep))[i + 1] END $$;
CREATE FUNCTION regexp_extract(s text, re text, i int) RETURNS text LANGUAGE SQL IMMUTABLE AS
  $$ SELECT (regexp_match(s, re))[i] $$;
`;
