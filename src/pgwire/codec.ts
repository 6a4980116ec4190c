/**
 * codec: bytes → protocol frames, and the reading of their fields.
 *
 * MessageReader frames the incoming byte stream. A connection starts in the startup phase,
 * where packets have no type byte (int32 length, int32 code, body); once the real startup
 * packet is accepted the caller switches it to typed messages (type byte, int32 length, body).
 * Chunks are kept as they arrive and joined once per frame, so a large message that arrives in
 * many chunks is copied once. A bad length throws FatalProtocolError: the connection cannot
 * find the next message boundary, so it must end.
 *
 * A typed frame is a range of the received chunk, not a Buffer view of it: a view costs an
 * allocation, and a batch of INSERTs sends two messages per row. BodyReader reads a range.
 * (Building backend messages: message-writer.ts.)
 *
 * BodyReader reads the fields of one message body and throws FatalProtocolError on overrun.
 */
import { SqlError, SqlState } from '../types/sql-error.js';

/** A framing or message-format error: reported (when possible) and the connection closed. */
export class FatalProtocolError extends SqlError {
  constructor(message: string) {
    super(SqlState.protocolViolation, message);
    this.name = 'FatalProtocolError';
  }
}

/** Postgres's MAX_STARTUP_PACKET_LENGTH. */
export const MAX_STARTUP_PACKET = 10_000;
/** The hard ceiling of any message (Postgres's MaxAllocSize is 1 GiB). */
export const MAX_MESSAGE_HARD_LIMIT = 1 << 30;
export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;

/**
 * A typed message's body is `buf[start, end)`: a range of the received chunk rather than a
 * view of it, since a Buffer view costs an allocation per message (see frameBody).
 */
export type Frame =
  | { kind: 'startup'; code: number; body: Buffer }
  | { kind: 'message'; type: number; buf: Buffer; start: number; end: number };

/** A typed message's body as its own Buffer (a view, not a copy). */
export function frameBody(f: Extract<Frame, { kind: 'message' }>): Buffer {
  return f.buf.subarray(f.start, f.end);
}

export class MessageReader {
  #chunks: Buffer[] = [];
  /** Bytes of the first chunk already read (frames are views of the chunks, not copies). */
  #offset = 0;
  #total = 0;
  #typed = false;
  readonly #maxMessageSize: number;

  constructor(maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE) {
    this.#maxMessageSize = Math.min(maxMessageSize, MAX_MESSAGE_HARD_LIMIT);
  }

  /** Bytes received and not yet framed. */
  get buffered(): number {
    return this.#total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#total += chunk.length;
  }

  /** After the startup packet: every further message has a type byte. */
  startTyped(): void {
    this.#typed = true;
  }

  /** The next complete frame, or null when more bytes are needed. */
  next(): Frame | null {
    return this.#typed ? this.#nextTyped() : this.#nextStartup();
  }

  #nextStartup(): Frame | null {
    if (this.#total < 4) return null;
    this.#ensure(4);
    const len = this.#chunks[0]!.readInt32BE(this.#offset);
    if (len < 8 || len > MAX_STARTUP_PACKET) throw new FatalProtocolError('invalid length of startup packet');
    if (this.#total < len) return null;
    this.#ensure(len);
    const at = this.#offset;
    const packet = this.#chunks[0]!;
    const frame: Frame = { kind: 'startup', code: packet.readInt32BE(at + 4), body: packet.subarray(at + 8, at + len) };
    this.#consume(len);
    return frame;
  }

  #nextTyped(): Frame | null {
    if (this.#total < 5) return null;
    this.#ensure(5);
    let buf = this.#chunks[0]!;
    const type = buf[this.#offset]!;
    const len = buf.readInt32BE(this.#offset + 1);
    if (len < 4) throw new FatalProtocolError(`invalid message length ${len}`);
    if (len > this.#maxMessageSize) {
      throw new FatalProtocolError(`message of ${len} bytes exceeds the limit of ${this.#maxMessageSize} bytes`);
    }
    if (this.#total < len + 1) return null;
    this.#ensure(len + 1);
    buf = this.#chunks[0]!;
    const start = this.#offset + 5;
    this.#consume(len + 1);
    return { kind: 'message', type, buf, start, end: start + len - 4 };
  }

  /** Makes the first chunk hold at least n (<= total) unread bytes from #offset, joining chunks if needed. */
  #ensure(n: number): void {
    const first = this.#chunks[0]!;
    if (first.length - this.#offset >= n) return;
    let have = first.length - this.#offset;
    let k = 1;
    while (have < n) have += this.#chunks[k++]!.length;
    const parts = this.#chunks.slice(0, k);
    parts[0] = first.subarray(this.#offset);
    const joined = Buffer.concat(parts, have);
    this.#chunks.splice(0, k, joined);
    this.#offset = 0;
  }

  /** Marks n bytes of the first chunk (after #ensure(n)) read. */
  #consume(n: number): void {
    this.#offset += n;
    this.#total -= n;
    if (this.#offset === this.#chunks[0]!.length) {
      this.#chunks.shift();
      this.#offset = 0;
    }
  }
}

/** Longest string cstring() decodes in JS (statement and portal names, mostly) before it asks Buffer. */
const SHORT_STRING = 32;

/**
 * Reads the fields of one message body, `buf[start, end)`, big-endian, as the protocol defines
 * them. Nothing is read past `end`, though `buf` may go on (the next messages of the chunk).
 */
export class BodyReader {
  #pos: number;
  readonly #end: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.#pos = start;
    this.#end = end;
  }

  #need(n: number): void {
    if (this.#pos + n > this.#end) throw new FatalProtocolError('insufficient data left in message');
  }

  get remaining(): number {
    return this.#end - this.#pos;
  }

  /** Where the next field starts in `buf`. */
  get position(): number {
    return this.#pos;
  }

  /** Skips n bytes (a field read later by its offset); throws on overrun like bytes(). */
  skip(n: number): void {
    if (n < 0) throw new FatalProtocolError('invalid length in message');
    this.#need(n);
    this.#pos += n;
  }

  int8(): number {
    this.#need(1);
    return this.buf[this.#pos++]!;
  }

  int16(): number {
    this.#need(2);
    const v = this.buf.readInt16BE(this.#pos);
    this.#pos += 2;
    return v;
  }

  int32(): number {
    this.#need(4);
    const v = this.buf.readInt32BE(this.#pos);
    this.#pos += 4;
    return v;
  }

  /**
   * A NUL-terminated UTF-8 string. A short ASCII one (a statement or portal name: one per Bind)
   * is decoded here byte by byte, which costs less than Buffer's native call; anything else,
   * or a string not ended within SHORT_STRING bytes, is decoded by Buffer.
   */
  cstring(): string {
    const buf = this.buf;
    const from = this.#pos;
    const stop = Math.min(this.#end, from + SHORT_STRING);
    let s = '';
    for (let i = from; i < stop; i++) {
      const c = buf[i]!;
      if (c === 0) {
        this.#pos = i + 1;
        return s;
      }
      if (c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    const end = buf.indexOf(0, from);
    if (end < 0 || end >= this.#end) throw new FatalProtocolError('invalid string in message');
    this.#pos = end + 1;
    return buf.toString('utf8', from, end);
  }

  bytes(n: number): Buffer {
    const at = this.#pos;
    this.skip(n);
    return this.buf.subarray(at, at + n);
  }

  /** Postgres's pq_getmsgend: the message must be fully consumed. */
  end(): void {
    if (this.#pos !== this.#end) throw new FatalProtocolError('invalid message format');
  }
}
