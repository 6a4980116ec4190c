/**
 * ScramServer against node-postgres's SCRAM client (pg/lib/crypto/sasl.js): the right password
 * passes and the client verifies the server signature; wrong passwords and malformed messages fail.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ScramServer } from '../../src/pgwire/scram.js';

interface SaslSession {
  mechanism: string;
  response: string;
  message: string;
}
const require = createRequire(import.meta.url);
const sasl = require('pg/lib/crypto/sasl.js') as {
  startSession(mechanisms: string[]): SaslSession;
  continueSession(session: SaslSession, password: string, serverData: string): Promise<void>;
  finalizeSession(session: SaslSession, serverData: string): void;
};

async function exchange(serverPassword: string, clientPassword: string): Promise<{ ok: boolean; finalChecked: boolean }> {
  const server = new ScramServer(serverPassword);
  const session = sasl.startSession(['SCRAM-SHA-256']);
  const serverFirst = await server.first(session.response);
  await sasl.continueSession(session, clientPassword, serverFirst);
  const serverFinal = server.final(session.response);
  if (serverFinal === null) return { ok: false, finalChecked: false };
  sasl.finalizeSession(session, serverFinal); // throws when the server signature is wrong
  return { ok: true, finalChecked: true };
}

describe('ScramServer', () => {
  it('accepts the right password and proves itself to the client', async () => {
    expect(await exchange('pencil', 'pencil')).toEqual({ ok: true, finalChecked: true });
  });

  it('refuses a wrong password', async () => {
    expect(await exchange('pencil', 'pen')).toEqual({ ok: false, finalChecked: false });
  });

  it('refuses a nonce that is not its own', async () => {
    const server = new ScramServer('pencil');
    await server.first('n,,n=,r=abc');
    expect(() => server.final('c=biws,r=abcXYZ,p=' + Buffer.alloc(32).toString('base64'))).toThrow('malformed SCRAM message');
  });

  it('refuses channel binding it did not offer, and an authorization identity', async () => {
    await expect(new ScramServer('x').first('p=tls-server-end-point,,n=,r=abc')).rejects.toThrow('malformed SCRAM message');
    await expect(new ScramServer('x').first('n,a=admin,n=,r=abc')).rejects.toThrow('malformed SCRAM message');
    await expect(new ScramServer('x').first('n,,n=')).rejects.toThrow('malformed SCRAM message');
  });

  it('accepts the "y" flag (client supports binding, server offered none)', async () => {
    const server = new ScramServer('pencil');
    const first = await server.first('y,,n=,r=abc');
    expect(first).toMatch(/^r=abc[A-Za-z0-9+/=]+,s=[A-Za-z0-9+/=]+,i=4096$/);
  });
});
