/**
 * Bad input ends that connection only: a FATAL ErrorResponse 08P01 where the protocol allows
 * one, the socket closed, and the server keeps serving everyone else.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/pgwire/server.js';
import type { FakeSessionFactory } from '../harness/fake-session.js';
import { errorFields, m, message, RawClient, startFakeServer, types } from './raw-client.js';

let server: RunningServer;
let sessions: FakeSessionFactory;

beforeAll(async () => {
  ({ server, sessions } = await startFakeServer({ maxMessageSize: 4096 }));
});
afterAll(async () => {
  await server.close();
});

async function stillServes(): Promise<void> {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir' });
  await c.connect();
  expect((await c.query('select 1')).rows).toEqual([{ '?column?': 1 }]);
  await c.end();
}

function header(type: string, len: number): Buffer {
  const b = Buffer.alloc(5);
  b.write(type, 0, 'latin1');
  b.writeInt32BE(len, 1);
  return b;
}

async function expectFatal(bytes: Buffer, message: string | RegExp, opts: { afterStartup?: boolean } = {}): Promise<void> {
  const c = opts.afterStartup === false ? await RawClient.connect(server.port) : await RawClient.ready(server.port);
  c.send(bytes);
  const msgs = await c.untilClosed();
  expect(types(msgs)).toBe('E');
  const f = errorFields(msgs[0]!.body);
  expect(f.S).toBe('FATAL');
  expect(f.C).toBe('08P01');
  expect(f.M).toMatch(message);
  await stillServes();
}

describe('malformed messages', () => {
  it('a message length below 4 (truncated length)', async () => {
    await expectFatal(header('Q', 2), 'invalid message length 2');
  });

  it('a negative message length', async () => {
    await expectFatal(header('Q', -1), 'invalid message length -1');
  });

  it('a message declared larger than 1 GiB', async () => {
    await expectFatal(header('Q', 0x7fffffff), /exceeds the limit/);
  });

  it('a message over the configured limit', async () => {
    await expectFatal(m.query('select ' + 'x'.repeat(5000)), 'message of 5012 bytes exceeds the limit of 4096 bytes');
  });

  it('garbage after startup: an unknown message type', async () => {
    await expectFatal(Buffer.from([0x01, 0, 0, 0, 4]), 'invalid frontend message type 1');
  });

  it('a body shorter than its fields (Bind with a missing parameter)', async () => {
    const bind = message('B', Buffer.from('\0\0'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 10]), Buffer.from('abc'));
    await expectFatal(bind, 'insufficient data left in message');
  });

  it('a body with bytes left over', async () => {
    await expectFatal(message('S', Buffer.from('extra')), 'invalid message format');
  });

  it('a string without its terminator', async () => {
    await expectFatal(message('Q', Buffer.from('select 1')), 'invalid string in message');
  });

  it('a bad startup packet length', async () => {
    await expectFatal(Buffer.from([0, 0, 0, 3, 1, 2, 3, 4]), 'invalid length of startup packet', { afterStartup: false });
  });

  it('a typed message instead of a startup packet', async () => {
    await expectFatal(m.query('select 1'), 'invalid length of startup packet', { afterStartup: false });
  });

  it('a connection that drops in the middle of a message', async () => {
    const c = await RawClient.ready(server.port);
    const session = sessions.sessions.at(-1)!;
    c.send(m.query('select 1').subarray(0, 7));
    c.end();
    await new Promise((r) => setTimeout(r, 50));
    expect(session.closed).toBe(true);
    await stillServes();
  });

  it('a message split into single bytes is still read', async () => {
    const c = await RawClient.ready(server.port);
    const bytes = m.query('select 1');
    for (const b of bytes) {
      c.send(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    expect(types(await c.readUntil('Z'))).toBe('TDCZ');
    c.end();
  });
});
