/**
 * codec: bytes ↔ protocol frames.
 *
 * MessageReader frames the incoming byte stream. A connection starts in the startup phase,
 * where packets have no type byte (int32 length, int32 code, body); once the real startup
 * packet is accepted the caller switches it to typed messages (type byte, int32 length, body).
 * Chunks are kept as they arrive and joined once per frame, so a large message that arrives in
 * many chunks is copied once. A bad length throws FatalProtocolError: the connection cannot
 * find the next message boundary, so it must end.
 *
 * MessageWriter builds backend messages into one growing buffer; `flush()` hands back all the
 * messages written since the last flush as one Buffer (one socket write).
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

export type Frame =
  | { kind: 'startup'; code: number; body: Buffer }
  | { kind: 'message'; type: number; body: Buffer };

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
    const body = buf.subarray(this.#offset + 5, this.#offset + 1 + len);
    this.#consume(len + 1);
    return { kind: 'message', type, body };
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

/** Reads the fields of one message body, big-endian, as the protocol defines them. */
export class BodyReader {
  #pos = 0;
  constructor(readonly buf: Buffer) {}

  #need(n: number): void {
    if (this.#pos + n > this.buf.length) throw new FatalProtocolError('insufficient data left in message');
  }

  get remaining(): number {
    return this.buf.length - this.#pos;
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

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    if (this.buf[this.#pos] === 0) {
      this.#pos++; // the empty string (the unnamed statement or portal): no native call
      return '';
    }
    const end = this.buf.indexOf(0, this.#pos);
    if (end < 0) throw new FatalProtocolError('invalid string in message');
    const s = this.buf.toString('utf8', this.#pos, end);
    this.#pos = end + 1;
    return s;
  }

  bytes(n: number): Buffer {
    if (n < 0) throw new FatalProtocolError('invalid length in message');
    this.#need(n);
    const v = this.buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return v;
  }

  /** Postgres's pq_getmsgend: the message must be fully consumed. */
  end(): void {
    if (this.#pos !== this.buf.length) throw new FatalProtocolError('invalid message format');
  }
}

const INITIAL_CAPACITY = 16 * 1024;

/** Builds backend messages; one Buffer per flush. */
export class MessageWriter {
  #buf = Buffer.allocUnsafe(INITIAL_CAPACITY);
  #len = 0;
  #msgStart = -1;

  /** Bytes written since the last flush. */
  get length(): number {
    return this.#len;
  }

  #ensure(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < this.#len + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.#buf.copy(next, 0, 0, this.#len);
    this.#buf = next;
  }

  /** Starts a message of the given type; its length is filled in by end(). */
  begin(type: number): this {
    this.#ensure(5);
    this.#buf[this.#len] = type;
    this.#msgStart = this.#len + 1;
    this.#len += 5;
    return this;
  }

  int8(v: number): this {
    this.#ensure(1);
    this.#buf[this.#len++] = v;
    return this;
  }

  int16(v: number): this {
    this.#ensure(2);
    this.#buf.writeInt16BE(v, this.#len);
    this.#len += 2;
    return this;
  }

  int32(v: number): this {
    this.#ensure(4);
    this.#buf.writeInt32BE(v, this.#len);
    this.#len += 4;
    return this;
  }

  uint32(v: number): this {
    this.#ensure(4);
    this.#buf.writeUInt32BE(v, this.#len);
    this.#len += 4;
    return this;
  }

  /** A string and its NUL terminator. */
  cstring(s: string): this {
    this.#ensure(s.length * 3 + 1);
    this.#len += this.#buf.write(s, this.#len, 'utf8');
    this.#buf[this.#len++] = 0;
    return this;
  }

  /** A UTF-8 string prefixed by its int32 byte length (a DataRow column). */
  lengthPrefixedString(s: string): this {
    this.#ensure(s.length * 3 + 4);
    const n = this.#buf.write(s, this.#len + 4, 'utf8');
    this.#buf.writeInt32BE(n, this.#len);
    this.#len += 4 + n;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.#ensure(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
    return this;
  }

  /** Ends the current message: writes its length. */
  end(): this {
    this.#buf.writeInt32BE(this.#len - this.#msgStart, this.#msgStart);
    this.#msgStart = -1;
    return this;
  }

  /** A message with no body (ParseComplete, NoData, …). */
  empty(type: number): this {
    return this.begin(type).end();
  }

  /** Everything written since the last flush, as one Buffer the caller owns. */
  flush(): Buffer {
    const n = this.#len;
    this.#len = 0;
    if (n * 2 < this.#buf.length) return Buffer.from(this.#buf.subarray(0, n));
    const out = this.#buf.subarray(0, n);
    this.#buf = Buffer.allocUnsafe(INITIAL_CAPACITY);
    return out;
  }
}
