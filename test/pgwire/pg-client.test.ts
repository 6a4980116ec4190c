/**
 * node-postgres (`pg`) against the server with a fake session: simple and extended queries,
 * parameters, binary results, errors, transactions, notices and ParameterStatus after SET.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/pgwire/server.js';
import type { FakeSessionFactory } from '../harness/fake-session.js';
import { startFakeServer } from './raw-client.js';

let server: RunningServer;
let sessions: FakeSessionFactory;

beforeAll(async () => {
  ({ server, sessions } = await startFakeServer());
});
afterAll(async () => {
  await server.close();
});

async function withClient<R>(fn: (c: pg.Client) => Promise<R>, config: pg.ClientConfig = {}): Promise<R> {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir', ...config });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('pg simple query', () => {
  it('select 1 returns one int4 row', async () => {
    const r = await withClient((c) => c.query('select 1'));
    expect(r.rows).toEqual([{ '?column?': 1 }]);
    expect(r.fields[0]!.dataTypeID).toBe(23);
    expect(r.command).toBe('SELECT');
    expect(r.rowCount).toBe(1);
  });

  it('runs each statement of a multi-statement string', async () => {
    const r = (await withClient((c) => c.query('select 1; select generate_series(1, 3)'))) as unknown as pg.QueryResult[];
    expect(r).toHaveLength(2);
    expect(r[1]!.rows.map((x) => x.generate_series)).toEqual([1, 2, 3]);
  });

  it('reports an error with SQLSTATE, position and hint, and the connection stays usable', async () => {
    await withClient(async (c) => {
      const err = await c.query('select nosuchcolumn').catch((e: pg.DatabaseError) => e);
      expect(err).toBeInstanceOf(Error);
      const e = err as pg.DatabaseError;
      expect(e.code).toBe('42703');
      expect(e.message).toBe('column "nosuchcolumn" does not exist');
      expect(e.position).toBe('8');
      expect(e.hint).toBe('Check the spelling.');
      expect(e.severity).toBe('ERROR');
      expect((await c.query('select 1')).rows).toEqual([{ '?column?': 1 }]);
    });
  });

  it('stops the rest of the string at the first error', async () => {
    await withClient(async (c) => {
      await expect(c.query('insert; select 1/0; set x = 1')).rejects.toThrow('division by zero');
      const session = sessions.sessions.at(-1)!;
      expect(session.log).toEqual(['insert', 'select 1/0']);
    });
  });

  it('an empty query string gives an empty result', async () => {
    const r = await withClient((c) => c.query(''));
    expect(r.rows).toEqual([]);
  });

  it('tracks transaction status: a failed transaction refuses statements until rollback', async () => {
    await withClient(async (c) => {
      await c.query('begin');
      await expect(c.query('select 1/0')).rejects.toThrow('division by zero');
      await expect(c.query('select 1')).rejects.toMatchObject({ code: '25P02' });
      const r = await c.query('commit');
      expect(r.command).toBe('ROLLBACK');
      expect((await c.query('select 1')).rowCount).toBe(1);
    });
  });

  it('delivers notices before the result', async () => {
    await withClient(async (c) => {
      const notices: { severity?: string | undefined; message?: string | undefined; detail?: string | undefined }[] = [];
      c.on('notice', (n) => notices.push(n));
      const r = await c.query('notice');
      expect(r.command).toBe('DO');
      expect(notices.map((n) => [n.severity, n.message, n.detail])).toEqual([['NOTICE', 'hello from notice', 'Some detail.']]);
    });
  });

  it('reports ParameterStatus after SET', async () => {
    await withClient(async (c) => {
      const seen: [string, string][] = [];
      // pg emits each ParameterStatus message on its connection.
      (c as unknown as { connection: NodeJS.EventEmitter }).connection.on('parameterStatus', (m: { parameterName: string; parameterValue: string }) =>
        seen.push([m.parameterName, m.parameterValue]),
      );
      await c.query('set datestyle to iso');
      expect(seen).toEqual([['datestyle', 'iso']]);
    });
  });

  it('streams a large result', async () => {
    const r = await withClient((c) => c.query('select generate_series(1, 50000)'));
    expect(r.rowCount).toBe(50000);
    expect(r.rows[49999]).toEqual({ generate_series: 50000 });
  });
});

describe('pg extended query', () => {
  it('binds a text parameter', async () => {
    const r = await withClient((c) => c.query('select $1::int4 + 1', [41]));
    expect(r.rows).toEqual([{ '?column?': 42 }]);
  });

  it('binds a null parameter', async () => {
    const r = await withClient((c) => c.query('select $1::int4 + 1', [null]));
    expect(r.rows).toEqual([{ '?column?': null }]);
  });

  it('reuses a named prepared statement', async () => {
    await withClient(async (c) => {
      for (const v of [1, 2, 3]) {
        const r = await c.query({ name: 'plus', text: 'select $1::int4 + 1', values: [v] });
        expect(r.rows[0]['?column?']).toBe(v + 1);
      }
      const session = sessions.sessions.at(-1)!;
      expect(session.log.filter((s) => s === 'select $1::int4 + 1')).toHaveLength(1);
    });
  });

  it('sends a Buffer parameter in binary (bytea)', async () => {
    const r = await withClient((c) => c.query('select $1::bytea as v', [Buffer.from([0, 1, 2, 255])]));
    expect(r.fields[0]!.dataTypeID).toBe(17);
    expect(r.rows[0].v).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('returns binary results when asked (binary: true)', async () => {
    // pg asks for binary results in Bind, but its parser decodes every DataRow field as a
    // UTF-8 string first, so only values whose binary bytes are valid UTF-8 survive the trip;
    // the other types are checked byte by byte in raw-protocol.test.ts.
    await withClient(
      async (c) => {
        const r = await c.query('select $1::int4 + 1', [41]);
        expect(r.fields[0]!.format).toBe('binary');
        expect(r.rows).toEqual([{ '?column?': 42 }]);
        const t = await c.query('select $1::text as v', ['héllo']);
        expect(t.fields[0]!.format).toBe('binary');
        expect(t.rows).toEqual([{ v: 'héllo' }]);
        const b = await c.query('select $1::bool as v', [true]);
        expect(b.rows).toEqual([{ v: true }]);
      },
      // `binary` is a real pg option (lib/defaults.js) missing from @types/pg.
      { binary: true } as pg.ClientConfig,
    );
  });

  it('describes typmods in RowDescription', async () => {
    const r = await withClient((c) => c.query('select types'));
    const byName = Object.fromEntries(r.fields.map((f) => [f.name, f]));
    expect(byName.n!.dataTypeModifier).toBe(((10 << 16) | 2) + 4);
    expect(byName.vc!.dataTypeModifier).toBe(14);
    expect(byName.i4!.dataTypeSize).toBe(4);
    expect(byName.ai!.dataTypeID).toBe(1007);
  });

  it('reports an execute error and recovers at Sync', async () => {
    await withClient(async (c) => {
      await expect(c.query({ text: 'select 1/0', values: [] })).rejects.toMatchObject({ code: '22012' });
      await expect(c.query('select $1::int4 + 1', ['x'])).rejects.toBeDefined();
      expect((await c.query('select $1::int4 + 1', [1])).rows[0]['?column?']).toBe(2);
    });
  });

  it('reports a prepare error with its position', async () => {
    await withClient(async (c) => {
      await expect(c.query('select nosuchcolumn', [])).rejects.toMatchObject({ code: '42703', position: '8' });
      expect((await c.query('select 1', [])).rows).toEqual([{ '?column?': 1 }]);
    });
  });
});
