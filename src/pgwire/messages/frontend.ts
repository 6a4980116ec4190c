/**
 * Frontend messages: the client → server messages decoded from a frame body into a union on
 * `kind`. Decoding checks the whole body is consumed (Postgres's pq_getmsgend) and throws
 * FatalProtocolError on a malformed body or an unknown type byte.
 */
import { BodyReader, FatalProtocolError } from '../codec.js';
import { Frontend } from '../message-codes.js';

export type FormatCode = 0 | 1;

export type FrontendMessage =
  | { kind: 'Query'; sql: string }
  | { kind: 'Parse'; name: string; sql: string; paramOids: number[] }
  | {
      kind: 'Bind';
      portal: string;
      statement: string;
      paramFormats: FormatCode[];
      /**
       * Parameter i's bytes are `data[ranges[2i], ranges[2i] + ranges[2i+1])`; a length of -1
       * is SQL NULL. Ranges rather than Buffer views: a view costs an allocation, and a batch
       * of INSERTs binds a few parameters per row (bindParamBytes gives a view when needed).
       */
      data: Buffer;
      ranges: number[];
      resultFormats: FormatCode[];
    }
  | { kind: 'Describe'; target: 'S' | 'P'; name: string }
  | { kind: 'Execute'; portal: string; maxRows: number }
  | { kind: 'Close'; target: 'S' | 'P'; name: string }
  | { kind: 'Sync' }
  | { kind: 'Flush' }
  | { kind: 'Terminate' }
  /** PasswordMessage / SASLInitialResponse / SASLResponse: decoded further by the auth phase. */
  | { kind: 'Password'; body: Buffer }
  /** COPY FROM STDIN's data, its end, its abort (ignored outside COPY, as Postgres does). */
  | { kind: 'CopyData'; data: Buffer }
  | { kind: 'CopyDone' }
  | { kind: 'CopyFail'; message: string }
  /** Messages weir recognizes but does not support (FunctionCall). */
  | { kind: 'Unsupported'; type: number };

/** The number of parameters of a Bind. */
export function bindParamCount(m: Extract<FrontendMessage, { kind: 'Bind' }>): number {
  return m.ranges.length >> 1;
}

/** Parameter i of a Bind as a view of its bytes; null = SQL NULL. */
export function bindParamBytes(m: Extract<FrontendMessage, { kind: 'Bind' }>, i: number): Buffer | null {
  const start = m.ranges[2 * i]!;
  const len = m.ranges[2 * i + 1]!;
  return len === -1 ? null : m.data.subarray(start, start + len);
}

/** Decodes the message of the given type whose body is `buf[start, end)`. */
export function decodeFrontend(type: number, buf: Buffer, start = 0, end = buf.length): FrontendMessage {
  const r = new BodyReader(buf, start, end);
  let msg: FrontendMessage;
  switch (type) {
    case Frontend.Query:
      msg = { kind: 'Query', sql: r.cstring() };
      break;
    case Frontend.Parse: {
      const name = r.cstring();
      const sql = r.cstring();
      const n = r.int16();
      if (n < 0) throw new FatalProtocolError('invalid number of parameter types');
      const paramOids: number[] = [];
      for (let i = 0; i < n; i++) paramOids.push(r.int32() >>> 0);
      msg = { kind: 'Parse', name, sql, paramOids };
      break;
    }
    case Frontend.Bind: {
      const portal = r.cstring();
      const statement = r.cstring();
      const paramFormats = readFormats(r);
      const n = r.int16();
      if (n < 0) throw new FatalProtocolError('invalid number of parameters');
      const ranges = new Array<number>(2 * n); // sized once: a [] grown by push reserves 17 slots
      for (let i = 0; i < n; i++) {
        const len = r.int32();
        ranges[2 * i] = r.position;
        ranges[2 * i + 1] = len;
        if (len !== -1) r.skip(len);
      }
      const resultFormats = readFormats(r);
      msg = { kind: 'Bind', portal, statement, paramFormats, data: buf, ranges, resultFormats };
      break;
    }
    case Frontend.Describe:
    case Frontend.Close: {
      const t = r.int8();
      if (t !== 0x53 && t !== 0x50) {
        throw new FatalProtocolError(`invalid ${type === Frontend.Describe ? 'DESCRIBE' : 'CLOSE'} message subtype ${t}`);
      }
      const target = t === 0x53 ? 'S' : 'P';
      msg = { kind: type === Frontend.Describe ? 'Describe' : 'Close', target, name: r.cstring() };
      break;
    }
    case Frontend.Execute:
      msg = { kind: 'Execute', portal: r.cstring(), maxRows: r.int32() };
      break;
    case Frontend.Sync:
      msg = { kind: 'Sync' };
      break;
    case Frontend.Flush:
      msg = { kind: 'Flush' };
      break;
    case Frontend.Terminate:
      msg = { kind: 'Terminate' };
      break;
    case Frontend.Password:
      return { kind: 'Password', body: buf.subarray(start, end) };
    case Frontend.CopyData:
      return { kind: 'CopyData', data: buf.subarray(start, end) };
    case Frontend.CopyDone:
      msg = { kind: 'CopyDone' };
      break;
    case Frontend.CopyFail:
      msg = { kind: 'CopyFail', message: r.cstring() };
      break;
    case Frontend.FunctionCall:
      return { kind: 'Unsupported', type };
    default:
      throw new FatalProtocolError(`invalid frontend message type ${type}`);
  }
  r.end();
  return msg;
}

/** The format list of a message with none (most Binds): shared, never changed by its readers. */
const NO_FORMATS: FormatCode[] = [];

function readFormats(r: BodyReader): FormatCode[] {
  const n = r.int16();
  if (n < 0) throw new FatalProtocolError('invalid number of format codes');
  if (n === 0) return NO_FORMATS;
  const out: FormatCode[] = [];
  for (let i = 0; i < n; i++) {
    const f = r.int16();
    if (f !== 0 && f !== 1) throw new FatalProtocolError(`unsupported format code: ${f}`);
    out.push(f);
  }
  return out;
}

/** The startup packet body (after the protocol code): name/value pairs ending in an empty name. */
export function decodeStartupParams(body: Buffer): Map<string, string> {
  const r = new BodyReader(body);
  const params = new Map<string, string>();
  for (;;) {
    if (r.remaining === 0) throw new FatalProtocolError('invalid startup packet layout: expected terminator as last byte');
    const name = r.cstring();
    if (name === '') break;
    params.set(name, r.cstring());
  }
  r.end();
  return params;
}

/** CancelRequest body: process id and secret key. */
export function decodeCancelRequest(body: Buffer): { processId: number; secretKey: number } {
  const r = new BodyReader(body);
  const processId = r.int32();
  const secretKey = r.int32();
  r.end();
  return { processId, secretKey };
}

/** SASLInitialResponse: mechanism name, int32 length (-1 = none), initial client response. */
export function decodeSaslInitial(body: Buffer): { mechanism: string; data: Buffer } {
  const r = new BodyReader(body);
  const mechanism = r.cstring();
  const len = r.int32();
  const data = len === -1 ? Buffer.alloc(0) : r.bytes(len);
  r.end();
  return { mechanism, data };
}
