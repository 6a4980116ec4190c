/**
 * Real clients other than node-postgres: postgres.js (extended protocol, named statements,
 * the array-type probe at connect, query cancel) and psql (simple protocol, error display).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/pgwire/server.js';
import { startFakeServer } from './raw-client.js';

const run = promisify(execFile);
let server: RunningServer;

beforeAll(async () => {
  ({ server } = await startFakeServer());
});
afterAll(async () => {
  await server.close();
});

function connect(opts: postgres.Options<{}> = {}): postgres.Sql {
  return postgres({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir', max: 1, ...opts });
}

describe('postgres.js', () => {
  it('connects (probing array types) and runs a parameterized query', async () => {
    const sql = connect();
    try {
      expect(await sql`select ${41}::int4 + 1`).toEqual([{ '?column?': 42 }]);
      expect(await sql`select 1`).toEqual([{ '?column?': 1 }]);
    } finally {
      await sql.end();
    }
  });

  it('reuses its prepared statements', async () => {
    const sql = connect({ fetch_types: false });
    try {
      for (const v of [1, 2, 3]) expect(await sql`select ${v}::int4 + 1`).toEqual([{ '?column?': v + 1 }]);
    } finally {
      await sql.end();
    }
  });

  it('reports errors with their SQLSTATE and keeps the connection', async () => {
    const sql = connect({ fetch_types: false });
    try {
      await expect(sql`select 1/0`).rejects.toMatchObject({ code: '22012', message: 'division by zero' });
      await expect(sql`select nosuchcolumn`).rejects.toMatchObject({ code: '42703', position: '8' });
      expect(await sql`select 1`).toEqual([{ '?column?': 1 }]);
    } finally {
      await sql.end();
    }
  });

  it('runs a transaction', async () => {
    const sql = connect({ fetch_types: false });
    try {
      const r = await sql.begin(async (tx) => tx`select generate_series(1, 3)`);
      expect(r.map((x) => x.generate_series)).toEqual([1, 2, 3]);
    } finally {
      await sql.end();
    }
  });

  it('cancels a running query', async () => {
    const sql = connect({ fetch_types: false });
    try {
      const q = sql`select pg_sleep(30)`;
      const result = q.then(
        () => 'finished',
        (e: { code: string }) => e.code,
      );
      await new Promise((r) => setTimeout(r, 100));
      q.cancel();
      expect(await result).toBe('57014');
      expect(await sql`select 1`).toEqual([{ '?column?': 1 }]);
    } finally {
      await sql.end();
    }
  });

  it('runs a simple-protocol query', async () => {
    const sql = connect({ fetch_types: false });
    try {
      expect(await sql.unsafe('select 1').simple()).toEqual([{ '?column?': 1 }]);
    } finally {
      await sql.end();
    }
  });
});

describe('psql', () => {
  const env = { ...process.env, PGCONNECT_TIMEOUT: '5', PGPASSWORD: '' };
  const psql = (...args: string[]) =>
    run('psql', ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'weir', '-X', 'weir', ...args], { env, timeout: 10_000 });

  it('select 1', async () => {
    const { stdout } = await psql('-c', 'select 1');
    expect(stdout).toBe(' ?column? \n----------\n        1\n(1 row)\n\n');
  });

  it('several statements in one -c', async () => {
    const { stdout } = await psql('-At', '-c', 'select 1; select generate_series(1, 2)');
    expect(stdout).toBe('1\n1\n2\n');
  });

  it('shows an error with its position', async () => {
    const err = (await psql('-c', 'select nosuchcolumn').catch((e: unknown) => e)) as { stderr: string; code: number };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('ERROR:  column "nosuchcolumn" does not exist');
    expect(err.stderr).toContain('LINE 1: select nosuchcolumn');
    expect(err.stderr).toContain('HINT:  Check the spelling.');
  });

  it('reads a script with a transaction from stdin', async () => {
    const child = execFile('psql', ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'weir', '-X', '-At', 'weir'], { env, timeout: 10_000 });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin!.end('begin;\nselect 1;\ncommit;\n');
    await new Promise((r) => child.on('close', r));
    expect(out).toBe('BEGIN\n1\nCOMMIT\n');
  });
});
