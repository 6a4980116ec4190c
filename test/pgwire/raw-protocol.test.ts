/**
 * The protocol byte by byte: startup variants, row-limited portals, Describe, Close, the
 * unnamed statement/portal, skipping to Sync after an error, binary parameters and results,
 * and CancelRequest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBinary, encodeBinary } from '../../src/types/binary-format.js';
import { T } from '../../src/types/sql-type.js';
import type { RunningServer } from '../../src/pgwire/server.js';
import type { FakeSessionFactory } from '../harness/fake-session.js';
import { cancelRequest, dataRowValues, errorFields, m, RawClient, startFakeServer, startupPacket, types } from './raw-client.js';

let server: RunningServer;
let sessions: FakeSessionFactory;

beforeAll(async () => {
  ({ server, sessions } = await startFakeServer());
});
afterAll(async () => {
  await server.close();
});

describe('startup', () => {
  it('answers SSLRequest with N, then accepts the startup packet', async () => {
    const c = await RawClient.connect(server.port);
    c.expectRawByte = true;
    c.send(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])); // SSLRequest
    await new Promise((r) => setTimeout(r, 50));
    expect(c.rawBytes).toEqual([0x4e]);
    c.send(startupPacket());
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toMatch(/^RS+KZ$/);
    const params = msgs.filter((x) => x.type === 'S').map((x) => x.body.toString('utf8').split('\0')[0]);
    expect(params).toContain('server_version');
    expect(msgs.at(-1)!.body.toString()).toBe('I');
    c.end();
  });

  it('answers GSSENCRequest with N', async () => {
    const c = await RawClient.connect(server.port);
    c.expectRawByte = true;
    c.send(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30]));
    c.send(startupPacket());
    await c.readUntil('Z');
    expect(c.rawBytes).toEqual([0x4e]);
    c.end();
  });

  it('negotiates protocol 3.2 down to 3.0 and reports _pq_ options it ignored', async () => {
    const c = await RawClient.connect(server.port);
    c.send(startupPacket({ user: 'weir', '_pq_.compression': 'on' }, (3 << 16) | 2));
    const msgs = await c.readUntil('Z');
    expect(msgs[0]!.type).toBe('v');
    expect(msgs[0]!.body.readInt32BE(0)).toBe(196608);
    expect(msgs[0]!.body.readInt32BE(4)).toBe(1);
    c.end();
  });

  it('refuses protocol 2 with FATAL 0A000', async () => {
    const c = await RawClient.connect(server.port);
    c.send(startupPacket({ user: 'weir' }, 2 << 16));
    const msgs = await c.untilClosed();
    expect(errorFields(msgs[0]!.body)).toMatchObject({ S: 'FATAL', C: '0A000' });
  });

  it('reports a refused session open as FATAL with its SQLSTATE', async () => {
    const c = await RawClient.connect(server.port);
    c.send(startupPacket({ user: 'weir', database: 'nosuchdb' }));
    const msgs = await c.untilClosed();
    expect(types(msgs)).toBe('RE');
    expect(errorFields(msgs[1]!.body)).toMatchObject({ S: 'FATAL', C: '3D000' });
  });

  it('requires a user name', async () => {
    const c = await RawClient.connect(server.port);
    c.send(startupPacket({ database: 'weir' }));
    const msgs = await c.untilClosed();
    expect(errorFields(msgs[0]!.body)).toMatchObject({ C: '28000', M: 'no PostgreSQL user name specified in startup packet' });
  });
});

describe('extended query', () => {
  it('pages a portal with a row limit: PortalSuspended, then the rest', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.parse('', 'select generate_series(1, 5)'), m.bind('', ''), m.execute('', 2), m.execute('', 2), m.execute('', 2), m.sync()]));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('12DDsDDsDCZ');
    expect(msgs.filter((x) => x.type === 'D').map((x) => dataRowValues(x.body)[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(msgs.find((x) => x.type === 'C')!.body.toString('utf8')).toBe('SELECT 1\0');
    c.end();
  });

  it('keeps a suspended portal across Flush and continues it', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.parse('s1', 'select generate_series(1, 3)'), m.bind('p1', 's1'), m.execute('p1', 1), m.flush()]));
    expect(types(await c.readUntil('s'))).toBe('12Ds');
    c.send(Buffer.concat([m.execute('p1', 0), m.sync()]));
    const rest = await c.readUntil('Z');
    expect(types(rest)).toBe('DDCZ');
    expect(rest[2]!.body.toString('utf8')).toBe('SELECT 2\0');
    c.end();
  });

  it('describes a statement (ParameterDescription + RowDescription) and a portal', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.parse('q', 'select $1::int4 + 1'), m.describe('S', 'q'), m.parse('n', 'insert'), m.describe('S', 'n'), m.sync()]));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('1tT1tnZ');
    expect(msgs[1]!.body.readInt16BE(0)).toBe(1);
    expect(msgs[1]!.body.readUInt32BE(2)).toBe(23);
    const p = Buffer.from('42');
    c.send(Buffer.concat([m.bind('', 'q', [p], [], [1]), m.describe('P', ''), m.execute(''), m.sync()]));
    const run = await c.readUntil('Z');
    expect(types(run)).toBe('2TDCZ');
    // RowDescription of the portal carries the binary result format.
    const rd = run[1]!.body;
    expect(rd.readInt16BE(rd.length - 2)).toBe(1);
    const value = run[2]!.body.subarray(6);
    expect(decodeBinary(value, T.int4)).toBe(43);
    c.end();
  });

  it('decodes binary parameters and encodes binary results', async () => {
    const c = await RawClient.ready(server.port);
    const cases: [string, Parameters<typeof encodeBinary>[1], Parameters<typeof encodeBinary>[0]][] = [
      ['int8', T.int8, -9007199254740993n],
      ['float8', T.float8, -0.25],
      ['date', T.date, 19725],
      ['timestamptz', T.timestamptz, 1_700_000_000_123_456],
      ['uuid', T.uuid, '0123abcd-0000-4000-8000-00000000ffff'],
    ];
    for (const [name, t, v] of cases) {
      c.send(Buffer.concat([m.parse('', `select $1::${name} as v`), m.bind('', '', [Buffer.from(encodeBinary(v, t))], [1], [1]), m.execute(''), m.sync()]));
      const msgs = await c.readUntil('Z');
      expect(types(msgs)).toBe('12DCZ');
      expect(decodeBinary(msgs[2]!.body.subarray(6), t)).toEqual(v);
    }
    c.end();
  });

  it('replaces the unnamed statement and portal; refuses a duplicate named statement', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.parse('', 'select 1'), m.parse('', 'select generate_series(1, 2)'), m.bind('', ''), m.execute(''), m.sync()]));
    expect(types(await c.readUntil('Z'))).toBe('112DDCZ');
    c.send(Buffer.concat([m.parse('dup', 'select 1'), m.parse('dup', 'select 1'), m.sync()]));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('1EZ');
    expect(errorFields(msgs[1]!.body).C).toBe('42P05');
    c.send(Buffer.concat([m.close('S', 'dup'), m.parse('dup', 'select 1'), m.close('P', 'nosuchportal'), m.sync()]));
    expect(types(await c.readUntil('Z'))).toBe('313Z');
    c.end();
  });

  it('skips every message after an error until Sync', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.parse('', 'select 1/0'), m.bind('', ''), m.execute(''), m.parse('', 'select 1'), m.bind('', ''), m.execute(''), m.sync()]));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('12EZ');
    expect(errorFields(msgs[2]!.body)).toMatchObject({ S: 'ERROR', C: '22012', M: 'division by zero' });
    c.send(Buffer.concat([m.parse('', 'select 1'), m.bind('', ''), m.execute(''), m.sync()]));
    expect(types(await c.readUntil('Z'))).toBe('12DCZ');
    c.end();
  });

  it('reports a missing statement or portal, and a wrong parameter count', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.bind('', 'nope'), m.sync()]));
    expect(errorFields((await c.readUntil('Z'))[0]!.body).C).toBe('26000');
    c.send(Buffer.concat([m.execute('nope'), m.sync()]));
    expect(errorFields((await c.readUntil('Z'))[0]!.body).C).toBe('34000');
    c.send(Buffer.concat([m.parse('', 'select $1::int4 + 1'), m.bind('', '', []), m.sync()]));
    const msgs = await c.readUntil('Z');
    expect(errorFields(msgs[1]!.body)).toMatchObject({
      C: '08P01',
      M: 'bind message supplies 0 parameters, but prepared statement "" requires 1',
    });
    c.end();
  });

  it('an empty Parse gives NoData and EmptyQueryResponse', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.parse('', ''), m.bind('', ''), m.describe('P', ''), m.execute(''), m.sync()]));
    expect(types(await c.readUntil('Z'))).toBe('12nIZ');
    c.end();
  });

  it('drops portals at Sync outside a transaction block, keeps them inside one', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.parse('s', 'select generate_series(1, 3)'), m.bind('p', 's'), m.execute('p', 1), m.sync()]));
    expect(types(await c.readUntil('Z'))).toBe('12DsZ');
    c.send(Buffer.concat([m.execute('p', 1), m.sync()]));
    expect(errorFields((await c.readUntil('Z'))[0]!.body).C).toBe('34000');
    c.send(m.query('begin'));
    const begun = await c.readUntil('Z');
    expect(begun.at(-1)!.body.toString()).toBe('T');
    c.send(Buffer.concat([m.bind('p', 's'), m.execute('p', 1), m.sync()]));
    expect(types(await c.readUntil('Z'))).toBe('2DsZ');
    c.send(Buffer.concat([m.execute('p', 1), m.sync()]));
    const next = await c.readUntil('Z');
    expect(dataRowValues(next[0]!.body)).toEqual(['2']);
    expect(next.at(-1)!.body.toString()).toBe('T');
    c.end();
  });
});

describe('simple query over raw bytes', () => {
  it('sends RowDescription, DataRow, CommandComplete per statement and a failed-transaction status', async () => {
    const c = await RawClient.ready(server.port);
    c.send(m.query('begin; select 1; select 1/0; select 1'));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('CTDCEZ');
    expect(msgs.at(-1)!.body.toString()).toBe('E');
    c.send(m.query('rollback'));
    const rb = await c.readUntil('Z');
    expect(rb[0]!.body.toString('utf8')).toBe('ROLLBACK\0');
    expect(rb.at(-1)!.body.toString()).toBe('I');
    c.send(m.query(''));
    expect(types(await c.readUntil('Z'))).toBe('IZ');
    c.end();
  });

  it('counts an error position from the start of the whole query string', async () => {
    const c = await RawClient.ready(server.port);
    c.send(m.query('select 1;\n  select nosuchcolumn'));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('TDCEZ');
    expect(errorFields(msgs[3]!.body)).toMatchObject({ C: '42703', P: String(12 + 8) });
    c.end();
  });

  it('sends ParameterStatus after SET', async () => {
    const c = await RawClient.ready(server.port);
    c.send(m.query("set timezone to 'utc'"));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('CSZ');
    expect(msgs[1]!.body.toString('utf8')).toBe('timezone\0utc\0');
    c.end();
  });
});

describe('CancelRequest', () => {
  it('cancels the running statement of the session with that key, and closes the cancel connection', async () => {
    const c = await RawClient.connect(server.port);
    c.send(startupPacket());
    const startup = await c.readUntil('Z');
    const key = startup.find((x) => x.type === 'K')!.body;
    c.send(m.query('select pg_sleep(30)'));
    await new Promise((r) => setTimeout(r, 100));
    const canceller = await RawClient.connect(server.port);
    canceller.send(cancelRequest(key.readInt32BE(0), key.readInt32BE(4)));
    expect(await canceller.untilClosed()).toEqual([]);
    const msgs = await c.readUntil('Z', 2000);
    expect(errorFields(msgs[0]!.body)).toMatchObject({ C: '57014', M: 'canceling statement due to user request' });
    c.send(m.query('select 1'));
    expect(types(await c.readUntil('Z'))).toBe('TDCZ');
    c.end();
  });

  it('ignores a CancelRequest with a wrong key', async () => {
    const c = await RawClient.ready(server.port);
    const canceller = await RawClient.connect(server.port);
    canceller.send(cancelRequest(1, 2));
    expect(await canceller.untilClosed()).toEqual([]);
    c.send(m.query('select 1'));
    expect(types(await c.readUntil('Z'))).toBe('TDCZ');
    c.end();
  });
});

describe('sessions', () => {
  it('closes the session when the client terminates', async () => {
    const c = await RawClient.ready(server.port);
    const session = sessions.sessions.at(-1)!;
    c.send(m.terminate());
    await c.untilClosed();
    await new Promise((r) => setTimeout(r, 20));
    expect(session.closed).toBe(true);
  });

  it('closes the session when the socket drops', async () => {
    const c = await RawClient.ready(server.port);
    const session = sessions.sessions.at(-1)!;
    c.end();
    await new Promise((r) => setTimeout(r, 50));
    expect(session.closed).toBe(true);
  });
});
