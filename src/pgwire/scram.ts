/**
 * scram: the server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as Postgres speaks it over SASL,
 * without channel binding. The user name in the SCRAM messages is ignored (Postgres uses the
 * startup packet's user). The stored password is plain text, so each exchange derives its keys
 * from a fresh random salt.
 *
 *   client-first  "n,,n=,r=<cnonce>"
 *   server-first  "r=<cnonce><snonce>,s=<salt b64>,i=4096"
 *   client-final  "c=biws,r=<cnonce><snonce>,p=<proof b64>"
 *   server-final  "v=<server signature b64>"
 */
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { SqlError, SqlState } from '../types/sql-error.js';

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
const ITERATIONS = 4096;

function malformed(detail: string): SqlError {
  return new SqlError(SqlState.protocolViolation, 'malformed SCRAM message', { detail });
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Parses "a=1,b=2" attributes in order. */
function attributes(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) throw malformed(`Attribute expected, but found "${part}".`);
    m.set(part[0]!, part.slice(2));
  }
  return m;
}

export class ScramServer {
  readonly #password: string;
  #clientFirstBare = '';
  #serverFirst = '';
  #nonce = '';
  #gs2Header = '';
  #saltedPassword: Buffer = Buffer.alloc(0);

  constructor(password: string) {
    this.#password = password.normalize('NFKC');
  }

  /** Takes the client-first message, returns the server-first message. */
  async first(clientFirst: string): Promise<string> {
    // gs2-header: cbind flag, optional authzid, then the bare message.
    const m = /^([npy])(?:=[^,]*)?,([^,]*),(.*)$/s.exec(clientFirst);
    if (!m) throw malformed('Unexpected channel-binding flag.');
    if (m[1] === 'p') throw malformed('The client requires SCRAM channel binding, which is not supported.');
    if (m[2] !== '') throw malformed('Client uses authorization identity, but it is not supported.');
    this.#gs2Header = clientFirst.slice(0, clientFirst.length - m[3]!.length);
    this.#clientFirstBare = m[3]!;
    const attrs = attributes(this.#clientFirstBare);
    const clientNonce = attrs.get('r');
    if (!clientNonce) throw malformed('Could not parse the client nonce.');
    this.#nonce = clientNonce + randomBytes(18).toString('base64');
    const salt = randomBytes(16);
    this.#saltedPassword = await new Promise<Buffer>((resolve, reject) =>
      pbkdf2(this.#password, salt, ITERATIONS, 32, 'sha256', (err, key) => (err ? reject(err) : resolve(key))),
    );
    this.#serverFirst = `r=${this.#nonce},s=${salt.toString('base64')},i=${ITERATIONS}`;
    return this.#serverFirst;
  }

  /** Takes the client-final message; returns the server-final message, or null when the proof is wrong. */
  final(clientFinal: string): string | null {
    const pIdx = clientFinal.lastIndexOf(',p=');
    if (pIdx < 0) throw malformed('Could not find the client proof.');
    const withoutProof = clientFinal.slice(0, pIdx);
    const attrs = attributes(withoutProof);
    if (attrs.get('c') !== Buffer.from(this.#gs2Header).toString('base64')) {
      throw malformed('SCRAM channel binding check failed.');
    }
    if (attrs.get('r') !== this.#nonce) throw malformed('Nonce does not match.');
    const proof = Buffer.from(clientFinal.slice(pIdx + 3), 'base64');
    if (proof.length !== 32) throw malformed('Invalid client proof length.');

    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const clientKey = hmac(this.#saltedPassword, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();
    const clientSignature = hmac(storedKey, authMessage);
    const recovered = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) recovered[i] = proof[i]! ^ clientSignature[i]!;
    const check = createHash('sha256').update(recovered).digest();
    if (!timingSafeEqual(check, storedKey)) return null;
    const serverKey = hmac(this.#saltedPassword, 'Server Key');
    return `v=${hmac(serverKey, authMessage).toString('base64')}`;
  }
}
