/**
 * SCRAM-SHA-256 authentication: node-postgres, postgres.js and psql log in with the configured
 * password, a wrong one gets FATAL 28P01, and a user with no password configured gets trust.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/pgwire/server.js';
import type { FakeSessionFactory } from '../harness/fake-session.js';
import { errorFields, message, RawClient, startFakeServer, startupPacket, types } from './raw-client.js';

const run = promisify(execFile);
let server: RunningServer;
let sessions: FakeSessionFactory;

beforeAll(async () => {
  ({ server, sessions } = await startFakeServer());
  sessions.passwords.set('alice', 'sécret pass');
});
afterAll(async () => {
  await server.close();
});

function client(user: string, password?: string): pg.Client {
  return new pg.Client({ host: '127.0.0.1', port: server.port, user, database: 'weir', ...(password !== undefined ? { password } : {}) });
}

describe('SCRAM-SHA-256', () => {
  it('node-postgres logs in with the right password', async () => {
    const c = client('alice', 'sécret pass');
    await c.connect();
    expect((await c.query('select 1')).rows).toEqual([{ '?column?': 1 }]);
    await c.end();
  });

  it('a wrong password is refused with 28P01', async () => {
    const c = client('alice', 'wrong');
    const err = await c.connect().catch((e: pg.DatabaseError) => e);
    expect(err).toMatchObject({ code: '28P01', message: 'password authentication failed for user "alice"', severity: 'FATAL' });
    await c.end().catch(() => undefined);
  });

  it('a user without a configured password gets trust auth', async () => {
    const c = client('bob');
    await c.connect();
    expect((await c.query('select 1')).rowCount).toBe(1);
    await c.end();
  });

  it('postgres.js logs in with the right password', async () => {
    const sql = postgres({ host: '127.0.0.1', port: server.port, user: 'alice', pass: 'sécret pass', database: 'weir', fetch_types: false, max: 1 });
    try {
      expect(await sql.unsafe('select 1')).toEqual([{ '?column?': 1 }]);
    } finally {
      await sql.end();
    }
  });

  it('psql logs in with PGPASSWORD', async () => {
    const env = { ...process.env, PGPASSWORD: 'sécret pass', PGCONNECT_TIMEOUT: '5' };
    const { stdout } = await run('psql', ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'alice', '-At', 'weir', '-c', 'select 1'], { env, timeout: 10_000 });
    expect(stdout.trim()).toBe('1');
  });

  it('psql with a wrong password reports the failure', async () => {
    const env = { ...process.env, PGPASSWORD: 'nope', PGCONNECT_TIMEOUT: '5' };
    const err = await run('psql', ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'alice', '-At', 'weir', '-c', 'select 1'], { env, timeout: 10_000 }).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect((err as { stderr: string }).stderr).toContain('password authentication failed for user "alice"');
  });

  it('offers SCRAM-SHA-256 and refuses another mechanism with FATAL 08P01', async () => {
    const c = await RawClient.connect(server.port);
    c.send(startupPacket({ user: 'alice' }));
    const offer = await c.readUntil('R');
    expect(offer[0]!.body.readInt32BE(0)).toBe(10);
    expect(offer[0]!.body.subarray(4).toString('utf8')).toBe('SCRAM-SHA-256\0\0');
    c.send(message('p', Buffer.from('PLAIN\0'), Buffer.from([0, 0, 0, 0])));
    const msgs = await c.untilClosed();
    expect(types(msgs)).toBe('E');
    expect(errorFields(msgs[0]!.body)).toMatchObject({ S: 'FATAL', C: '08P01' });
  });

  it('a malformed client-first message is a protocol violation', async () => {
    const c = await RawClient.connect(server.port);
    c.send(startupPacket({ user: 'alice' }));
    await c.readUntil('R');
    const data = Buffer.from('garbage');
    const len = Buffer.alloc(4);
    len.writeInt32BE(data.length);
    c.send(message('p', Buffer.from('SCRAM-SHA-256\0'), len, data));
    const msgs = await c.untilClosed();
    expect(errorFields(msgs[0]!.body)).toMatchObject({ S: 'FATAL', C: '08P01', M: 'malformed SCRAM message' });
  });
});
