/**
 * raw-client: a byte-level Postgres client for protocol tests: builders for frontend messages
 * and a reader that collects backend messages as { type, body }.
 */
import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { startServer, type RunningServer } from '../../src/pgwire/server.js';
import { FakeSessionFactory } from '../harness/fake-session.js';

export interface BackendMessage {
  type: string;
  body: Buffer;
}

export async function startFakeServer(opts: { maxMessageSize?: number } = {}): Promise<{ server: RunningServer; sessions: FakeSessionFactory }> {
  const sessions = new FakeSessionFactory();
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    sessions,
    logger: pino({ level: 'silent' }),
    ...(opts.maxMessageSize !== undefined ? { maxMessageSize: opts.maxMessageSize } : {}),
  });
  return { server, sessions };
}

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}

function int16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
}

function cstr(s: string): Buffer {
  return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
}

/** A typed frontend message. */
export function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type, 'latin1'), int32(body.length + 4), body]);
}

export function startupPacket(params: { [k: string]: string } = { user: 'weir', database: 'weir' }, code = 196608): Buffer {
  const body = Buffer.concat([int32(code), ...Object.entries(params).flatMap(([k, v]) => [cstr(k), cstr(v)]), Buffer.from([0])]);
  return Buffer.concat([int32(body.length + 4), body]);
}

export function cancelRequest(processId: number, secretKey: number): Buffer {
  return Buffer.concat([int32(16), int32(80877102), int32(processId), int32(secretKey)]);
}

export const m = {
  query: (sql: string) => message('Q', cstr(sql)),
  parse: (name: string, sql: string, oids: number[] = []) => message('P', cstr(name), cstr(sql), int16(oids.length), ...oids.map(int32)),
  bind: (portal: string, stmt: string, params: (Buffer | null)[] = [], paramFormats: number[] = [], resultFormats: number[] = []) =>
    message(
      'B',
      cstr(portal),
      cstr(stmt),
      int16(paramFormats.length),
      ...paramFormats.map(int16),
      int16(params.length),
      ...params.flatMap((p) => (p === null ? [int32(-1)] : [int32(p.length), p])),
      int16(resultFormats.length),
      ...resultFormats.map(int16),
    ),
  describe: (target: 'S' | 'P', name: string) => message('D', Buffer.from(target), cstr(name)),
  execute: (portal: string, maxRows = 0) => message('E', cstr(portal), int32(maxRows)),
  close: (target: 'S' | 'P', name: string) => message('C', Buffer.from(target), cstr(name)),
  sync: () => message('S'),
  flush: () => message('H'),
  terminate: () => message('X'),
};

export class RawClient {
  readonly messages: BackendMessage[] = [];
  #buf = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  closed = false;
  /** Raw bytes seen before typed parsing is meaningful (the 'N' answer to SSLRequest). */
  expectRawByte = false;
  rawBytes: number[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, chunk]);
      this.#parse();
      this.#wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Connects and completes a trust startup (up to the first ReadyForQuery). */
  static async ready(port: number): Promise<RawClient> {
    const c = await RawClient.connect(port);
    c.send(startupPacket());
    await c.readUntil('Z');
    return c;
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  #parse(): void {
    for (;;) {
      if (this.expectRawByte && this.#buf.length >= 1) {
        this.rawBytes.push(this.#buf[0]!);
        this.#buf = this.#buf.subarray(1);
        this.expectRawByte = false;
        continue;
      }
      if (this.#buf.length < 5) return;
      const len = this.#buf.readInt32BE(1);
      if (this.#buf.length < len + 1) return;
      this.messages.push({ type: String.fromCharCode(this.#buf[0]!), body: this.#buf.subarray(5, len + 1) });
      this.#buf = this.#buf.subarray(len + 1);
    }
  }

  send(b: Buffer): void {
    this.socket.write(b);
  }

  /** Waits for a message of the given type; returns (and removes) every message up to and including it. */
  async readUntil(type: string, timeoutMs = 5000): Promise<BackendMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((x) => x.type === type);
      if (i >= 0) return this.messages.splice(0, i + 1);
      if (this.closed) throw new Error(`connection closed before '${type}'; got ${this.messages.map((x) => x.type).join('')}`);
      if (Date.now() > deadline) throw new Error(`timeout waiting for '${type}'; got ${this.messages.map((x) => x.type).join('')}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Waits until the server closes the connection; returns the messages received. */
  async untilClosed(timeoutMs = 5000): Promise<BackendMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('timeout waiting for the server to close');
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.messages.splice(0);
  }

  end(): void {
    this.socket.destroy();
  }
}

/** The fields of an ErrorResponse/NoticeResponse body by their type letter. */
export function errorFields(body: Buffer): { [field: string]: string } {
  const out: { [field: string]: string } = {};
  let pos = 0;
  while (pos < body.length && body[pos] !== 0) {
    const f = String.fromCharCode(body[pos]!);
    const end = body.indexOf(0, pos + 1);
    out[f] = body.toString('utf8', pos + 1, end);
    pos = end + 1;
  }
  return out;
}

/** DataRow body → its column values as strings (text format) or null. */
export function dataRowValues(body: Buffer): (string | null)[] {
  const n = body.readInt16BE(0);
  let pos = 2;
  const out: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const len = body.readInt32BE(pos);
    pos += 4;
    if (len === -1) out.push(null);
    else {
      out.push(body.toString('utf8', pos, pos + len));
      pos += len;
    }
  }
  return out;
}

export function types(msgs: BackendMessage[]): string {
  return msgs.map((x) => x.type).join('');
}
