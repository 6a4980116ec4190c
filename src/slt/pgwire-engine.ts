/**
 * The pgwire engine: a running server (weir, or Postgres for `pg_compat` checks) over the
 * Postgres protocol, through node-postgres. Each file gets its own connection, so its settings
 * do not leak; a fresh database per file is not possible over one URL, so the engine records
 * every object the file creates and drops them (reverse order, `IF EXISTS … CASCADE`) when the
 * file ends. Objects created inside `include`d files are tracked the same way.
 *
 * node-postgres is a development dependency of weir: `weir slt --url` needs it installed.
 */
import type { Client } from 'pg';
import { tagRowCount, type Engine, type EngineResult } from './engine.js';

const CREATED = /^\s*create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?(materialized\s+view|view|table|index|source|sink|sequence|schema)\s+(?:if\s+not\s+exists\s+)?("[^"]+"|[^\s(]+)/i;

export class PgwireEngine implements Engine {
  readonly names = ['weir', 'postgresql'] as const;
  readonly synchronous = false;
  #created: { kind: string; name: string }[] = [];

  private constructor(readonly client: Client) {}

  static async connect(url: string): Promise<PgwireEngine> {
    let pg: (typeof import('pg'))['default'];
    try {
      pg = (await import('pg')).default;
    } catch {
      throw new Error('weir slt --url needs the "pg" package (node-postgres): npm install pg');
    }
    const client = new pg.Client({
      connectionString: url,
      // Every value as the server's text output; the runner renders it.
      types: { getTypeParser: () => (v: string) => v },
    });
    await client.connect();
    client.on('error', () => {});
    return new PgwireEngine(client);
  }

  async run(sql: string): Promise<EngineResult> {
    const res = await this.client.query({ text: sql, rowMode: 'array' });
    const last = Array.isArray(res) ? res[res.length - 1] : res;
    for (const stmt of sql.split(';')) {
      const m = CREATED.exec(stmt);
      if (m) this.#created.push({ kind: m[1]!.replace(/\s+/g, ' ').toUpperCase(), name: m[2]! });
    }
    if (!last) return { kind: 'command', tag: '' };
    if (last.fields.length > 0) {
      return { kind: 'rows', columns: last.fields.map((f: { name: string }) => f.name), rows: (last.rows as (string | null)[][]).map((r) => [...r]) };
    }
    const tag = [last.command, last.command === 'INSERT' ? '0' : undefined, last.rowCount ?? undefined].filter((x) => x !== undefined).join(' ');
    const rowCount = tagRowCount(tag);
    return { kind: 'command', tag, ...(rowCount !== undefined ? { rowCount } : {}) };
  }

  async close(): Promise<void> {
    for (const { kind, name } of this.#created.reverse()) {
      try {
        await this.client.query(`DROP ${kind} IF EXISTS ${name} CASCADE`);
      } catch {
        // Already gone with an earlier CASCADE, or not droppable: nothing left to do.
      }
    }
    await this.client.end();
  }
}
