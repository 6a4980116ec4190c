/**
 * message-writer: builds backend messages into one growing buffer; `flush()` hands back all the
 * messages written since the last flush as one Buffer (one socket write).
 */
const INITIAL_CAPACITY = 16 * 1024;
/** Longest string cstring() copies char by char before it asks Buffer's UTF-8 encoder. */
const SHORT_STRING = 32;

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

  /**
   * A string and its NUL terminator. A short one (a command tag such as "INSERT 0 1", once per
   * Execute) is copied char by char while it is ASCII, which costs less than Buffer's native
   * UTF-8 encoder; the first non-ASCII char hands the whole string to the encoder.
   */
  cstring(s: string): this {
    const n = s.length;
    this.#ensure(n * 3 + 1);
    const buf = this.#buf;
    let at = this.#len;
    if (n <= SHORT_STRING) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === n) {
        buf[at + n] = 0;
        this.#len = at + n + 1;
        return this;
      }
    }
    at += buf.write(s, at, 'utf8');
    buf[at] = 0;
    this.#len = at + 1;
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
