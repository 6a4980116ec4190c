/**
 * Engine: what the runner needs of a database — run a SQL string (one or more statements, as a
 * simple query) and return the last statement's result as text values. Two implementations:
 * in-process-engine.ts (a fresh in-memory weir per file) and pgwire-engine.ts (a running server
 * over the Postgres protocol, via node-postgres).
 */
import type { TextValue } from './render-values.js';

export type EngineResult =
  | { kind: 'rows'; columns: string[]; rows: TextValue[][] }
  /** A statement without rows; `rowCount` when the command tag carries one (INSERT 0 3). */
  | { kind: 'command'; tag: string; rowCount?: number };

export interface Engine {
  /** Names that `skipif`/`onlyif` match (weir also answers to "postgresql"). */
  readonly names: readonly string[];
  /**
   * True when every statement's effects are visible as soon as it returns (in-process weir),
   * so `retry … backoff` need not wait between tries.
   */
  readonly synchronous: boolean;
  /** Runs `sql`; rejects with an Error whose message is the database's error message. */
  run(sql: string): Promise<EngineResult>;
  /** Frees the database: in-process, closes it; over pgwire, drops what the file created. */
  close(): Promise<void>;
}

/** The number in a command tag such as `INSERT 0 3` or `UPDATE 2`. */
export function tagRowCount(tag: string): number | undefined {
  const m = /^(?:INSERT \d+|UPDATE|DELETE|SELECT|COPY|MOVE|FETCH) (\d+)$/.exec(tag);
  return m ? Number(m[1]) : undefined;
}
