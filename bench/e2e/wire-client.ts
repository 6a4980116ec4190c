/**
 * A minimal Postgres wire-protocol client for benchmarks: it pipelines many Bind/Execute
 * pairs before one Sync, as JDBC's executeBatch does, which node-postgres cannot. Text
 * parameters only; results are counted, not decoded.
 */
import { connect, type Socket } from 'node:net';

function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

function msg(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export class WireClient {
  #socket: Socket;
  #buf: Buffer = Buffer.alloc(0);
  #waiters: { type: string; resolve: (m: { type: string; body: Buffer }) => void }[] = [];
  errors: string[] = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (d: Buffer) => this.#onData(d));
  }

  static async connect(port: number): Promise<WireClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((res, rej) => socket.once('connect', res).once('error', rej));
    socket.setNoDelay(true);
    const c = new WireClient(socket);
    const params = Buffer.concat([cstr('user'), cstr('weir'), cstr('database'), cstr('weir'), Buffer.from([0])]);
    const head = Buffer.alloc(8);
    head.writeInt32BE(params.length + 8, 0);
    head.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([head, params]));
    await c.#until('Z');
    return c;
  }

  #onData(d: Buffer): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, d]) : d;
    while (this.#buf.length >= 5) {
      const len = this.#buf.readInt32BE(1);
      if (this.#buf.length < len + 1) break;
      const type = String.fromCharCode(this.#buf[0]!);
      const body = this.#buf.subarray(5, len + 1);
      this.#buf = this.#buf.subarray(len + 1);
      if (type === 'E') this.errors.push(body.toString('utf8').replace(/\0/g, ' '));
      const w = this.#waiters[0];
      if (w && w.type === type) {
        this.#waiters.shift();
        w.resolve({ type, body });
      }
    }
  }

  #until(type: string): Promise<{ type: string; body: Buffer }> {
    return new Promise((resolve) => this.#waiters.push({ type, resolve }));
  }

  /** Simple query; resolves at ReadyForQuery. */
  async query(sql: string): Promise<void> {
    this.#socket.write(msg('Q', cstr(sql)));
    await this.#until('Z');
  }

  async prepare(name: string, sql: string, paramOids: number[]): Promise<void> {
    const oids = Buffer.alloc(2 + 4 * paramOids.length);
    oids.writeInt16BE(paramOids.length, 0);
    paramOids.forEach((o, i) => oids.writeInt32BE(o, 2 + 4 * i));
    this.#socket.write(Buffer.concat([msg('P', Buffer.concat([cstr(name), cstr(sql), oids])), msg('S', Buffer.alloc(0))]));
    await this.#until('Z');
  }

  /** Executes a prepared statement once per parameter row, then one Sync: one batch. */
  async executeBatch(name: string, rows: (string | null)[][]): Promise<void> {
    const parts: Buffer[] = [];
    const stmt = cstr(name);
    const execute = msg('E', Buffer.concat([cstr(''), Buffer.alloc(4)]));
    for (const row of rows) {
      const vals: Buffer[] = [Buffer.from([0, 0]), Buffer.alloc(2)];
      vals[1]!.writeInt16BE(row.length, 0);
      for (const v of row) {
        if (v === null) {
          const b = Buffer.alloc(4);
          b.writeInt32BE(-1, 0);
          vals.push(b);
        } else {
          const data = Buffer.from(v, 'utf8');
          const b = Buffer.alloc(4);
          b.writeInt32BE(data.length, 0);
          vals.push(b, data);
        }
      }
      vals.push(Buffer.from([0, 0]));
      parts.push(msg('B', Buffer.concat([cstr(''), stmt, ...vals])), execute);
    }
    parts.push(msg('S', Buffer.alloc(0)));
    this.#socket.write(Buffer.concat(parts));
    await this.#until('Z');
  }

  close(): void {
    this.#socket.end(msg('X', Buffer.alloc(0)));
  }
}
