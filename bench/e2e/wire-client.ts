/**
 * A minimal Postgres wire-protocol client for benchmarks: it pipelines many Bind/Execute
 * pairs before one Sync, as JDBC's executeBatch does, which node-postgres cannot. Text
 * parameters only; results are counted, not decoded, and every ErrorResponse is kept.
 *
 * It must never be what limits the server it measures, so:
 * - a batch is encoded straight into one Buffer by pgwire's MessageWriter (one Bind + one
 *   Execute per row, one Sync), with no Buffer per field and no concatenation;
 * - replies are parsed where they arrive: only the unfinished tail of a chunk (at most one
 *   partial message) is carried over to the next one, so parsing is linear in the bytes read.
 */
import { connect, type Socket } from 'node:net';
import { MessageWriter } from '../../src/pgwire/message-writer.js';

/** Frontend messages share the backend's framing (type byte, int32 length): weir's own writer builds them. */
const T = (type: string): number => type.charCodeAt(0);

export class WireClient {
  #socket: Socket;
  /** Received bytes not yet parsed: the unfinished tail of the last chunk. */
  #pending: Buffer | null = null;
  #waiters: { type: number; resolve: (m: { type: string; body: Buffer }) => void }[] = [];
  readonly #enc = new MessageWriter();
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
    const enc = new MessageWriter();
    // The startup packet has no type byte: int32 length, int32 protocol 3.0, name/value pairs, NUL.
    enc.int32(0).int32(196608).cstring('user').cstring('weir').cstring('database').cstring('weir').cstring('');
    const packet = enc.flush();
    packet.writeInt32BE(packet.length, 0);
    socket.write(packet);
    await c.#until('Z');
    return c;
  }

  #onData(d: Buffer): void {
    let buf = d;
    if (this.#pending !== null) {
      buf = Buffer.concat([this.#pending, d]);
      this.#pending = null;
    }
    let pos = 0;
    while (buf.length - pos >= 5) {
      const len = buf.readInt32BE(pos + 1);
      if (buf.length - pos < len + 1) break;
      const type = buf[pos]!;
      if (type === 0x45) this.errors.push(buf.toString('utf8', pos + 5, pos + 1 + len).replace(/\0/g, ' ')); // 'E'
      const w = this.#waiters[0];
      if (w !== undefined && w.type === type) {
        this.#waiters.shift();
        w.resolve({ type: String.fromCharCode(type), body: buf.subarray(pos + 5, pos + 1 + len) });
      }
      pos += len + 1;
    }
    if (pos < buf.length) this.#pending = buf.subarray(pos);
  }

  #until(type: string): Promise<{ type: string; body: Buffer }> {
    return new Promise((resolve) => this.#waiters.push({ type: type.charCodeAt(0), resolve }));
  }

  /** Simple query; resolves at ReadyForQuery. */
  async query(sql: string): Promise<void> {
    this.#socket.write(this.#enc.begin(T('Q')).cstring(sql).end().flush());
    await this.#until('Z');
  }

  async prepare(name: string, sql: string, paramOids: number[]): Promise<void> {
    const enc = this.#enc.begin(T('P')).cstring(name).cstring(sql).int16(paramOids.length);
    for (const oid of paramOids) enc.int32(oid);
    enc.end().begin(T('S')).end();
    this.#socket.write(enc.flush());
    await this.#until('Z');
  }

  /** Executes a prepared statement once per parameter row (Bind + Execute each), then one Sync: one batch. */
  async executeBatch(name: string, rows: (string | null)[][]): Promise<void> {
    const enc = this.#enc;
    for (const row of rows) {
      // Bind: unnamed portal, the statement, no parameter formats (all text), the values, no result formats.
      enc.begin(T('B')).cstring('').cstring(name).int16(0).int16(row.length);
      for (const v of row) {
        if (v === null) enc.int32(-1);
        else enc.lengthPrefixedString(v);
      }
      enc.int16(0).end();
      // Execute: the unnamed portal, no row limit.
      enc.begin(T('E')).cstring('').int32(0).end();
    }
    enc.begin(T('S')).end();
    const done = this.#until('Z');
    this.#socket.write(enc.flush());
    await done;
  }

  close(): void {
    this.#socket.end(this.#enc.begin(T('X')).end().flush());
  }
}
