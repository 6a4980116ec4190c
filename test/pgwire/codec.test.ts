/**
 * MessageReader framing (startup packets, then typed messages, across any chunking),
 * BodyReader bounds, and MessageWriter output.
 */
import { describe, expect, it } from 'vitest';
import { BodyReader, FatalProtocolError, frameBody, MessageReader, type Frame } from '../../src/pgwire/codec.js';
import { MessageWriter } from '../../src/pgwire/message-writer.js';
import { bindParamBytes, decodeFrontend } from '../../src/pgwire/messages/frontend.js';
import { m, startupPacket } from './raw-client.js';

const bodyOf = (f: Frame): Buffer => (f.kind === 'startup' ? f.body : frameBody(f));

function drain(r: MessageReader): Frame[] {
  const out: Frame[] = [];
  for (let f = r.next(); f !== null; f = r.next()) {
    out.push(f);
    if (f.kind === 'startup') r.startTyped();
  }
  return out;
}

describe('MessageReader', () => {
  const stream = Buffer.concat([startupPacket(), m.query('select 1'), m.sync(), m.parse('s', 'select $1', [23])]);

  it('frames a startup packet then typed messages', () => {
    const r = new MessageReader();
    r.push(stream);
    const frames = drain(r);
    expect(frames.map((f) => (f.kind === 'startup' ? `startup:${f.code}` : String.fromCharCode(f.type)))).toEqual(['startup:196608', 'Q', 'S', 'P']);
    expect(bodyOf(frames[1]!).toString()).toBe('select 1\0');
    expect(r.buffered).toBe(0);
  });

  it('gives the same frames for every chunking of the stream', () => {
    const whole = new MessageReader();
    whole.push(stream);
    const expected = drain(whole).map((f) => bodyOf(f).toString('hex'));
    for (const size of [1, 2, 3, 5, 7, 13, 64]) {
      const r = new MessageReader();
      const got: string[] = [];
      for (let i = 0; i < stream.length; i += size) {
        r.push(stream.subarray(i, i + size));
        got.push(...drain(r).map((f) => bodyOf(f).toString('hex')));
      }
      expect(got).toEqual(expected);
    }
  });

  it('waits for the rest of a partial message', () => {
    const r = new MessageReader();
    r.startTyped();
    const q = m.query('select 1');
    r.push(q.subarray(0, 4));
    expect(r.next()).toBeNull();
    r.push(q.subarray(4, 9));
    expect(r.next()).toBeNull();
    r.push(q.subarray(9));
    expect(r.next()).toMatchObject({ kind: 'message', type: 0x51 });
  });

  it('rejects bad lengths', () => {
    const typed = (bytes: number[], max?: number) => {
      const r = new MessageReader(max);
      r.startTyped();
      r.push(Buffer.from(bytes));
      return () => r.next();
    };
    expect(typed([0x51, 0, 0, 0, 3])).toThrow(FatalProtocolError);
    expect(typed([0x51, 0xff, 0xff, 0xff, 0xff])).toThrow('invalid message length -1');
    expect(typed([0x51, 0x40, 0, 0, 1])).toThrow('exceeds the limit');
    expect(typed([0x51, 0, 0, 1, 0], 100)).toThrow('message of 256 bytes exceeds the limit of 100 bytes');
    const startup = new MessageReader();
    startup.push(Buffer.from([0, 0, 0x27, 0x11]));
    expect(() => startup.next()).toThrow('invalid length of startup packet');
  });
});

describe('BodyReader', () => {
  it('reads fields and checks the end', () => {
    const r = new BodyReader(Buffer.from([0, 1, 0, 0, 0, 2, 0x61, 0x62, 0, 7]));
    expect(r.int16()).toBe(1);
    expect(r.int32()).toBe(2);
    expect(r.cstring()).toBe('ab');
    expect(() => r.end()).toThrow('invalid message format');
    expect(r.int8()).toBe(7);
    r.end();
    expect(() => r.int8()).toThrow('insufficient data left in message');
  });

  it('refuses an unterminated string and a negative byte count', () => {
    expect(() => new BodyReader(Buffer.from('abc')).cstring()).toThrow('invalid string in message');
    expect(() => new BodyReader(Buffer.alloc(4)).bytes(-2)).toThrow('invalid length in message');
  });

  it('reads short, long and non-ASCII strings alike', () => {
    const long = 'x'.repeat(100);
    const r = new BodyReader(Buffer.from(`ins\0\0héllo\0${long}\0${'a'.repeat(31)}é\0`));
    expect([r.cstring(), r.cstring(), r.cstring(), r.cstring(), r.cstring()]).toEqual(['ins', '', 'héllo', long, `${'a'.repeat(31)}é`]);
    r.end();
  });

  it('never reads past the end of its range, though the buffer goes on', () => {
    // The body is bytes [2, 5) of the chunk: "abc", whose terminator lies outside it.
    const chunk = Buffer.from('..abc\0more');
    expect(() => new BodyReader(chunk, 2, 5).cstring()).toThrow('invalid string in message');
    expect(() => new BodyReader(chunk, 2, 5).bytes(4)).toThrow('insufficient data left in message');
    const r = new BodyReader(chunk, 2, 6);
    expect(r.remaining).toBe(4);
    expect(r.cstring()).toBe('abc');
    r.end();
  });
});

describe('Bind decoding', () => {
  it('gives each parameter as a range of the received bytes, NULL as none', () => {
    const bind = m.bind('p', 's', [Buffer.from('42'), null, Buffer.from('')]);
    const chunk = Buffer.concat([m.sync(), bind, m.sync()]); // the Bind sits inside a larger chunk
    const msg = decodeFrontend(bind[0]!, chunk, 5 + 5, 5 + bind.length);
    if (msg.kind !== 'Bind') throw new Error(msg.kind);
    expect([msg.portal, msg.statement]).toEqual(['p', 's']);
    expect([0, 1, 2].map((i) => bindParamBytes(msg, i)?.toString() ?? null)).toEqual(['42', null, '']);
  });

  it('refuses a parameter longer than the message', () => {
    const bind = m.bind('', 's', [Buffer.from('42')]);
    bind.writeInt32BE(100, bind.length - 2 - 2 - 4); // the parameter's length: 100 where 4 bytes follow
    expect(() => decodeFrontend(bind[0]!, Buffer.concat([bind, m.sync()]), 5, bind.length)).toThrow(FatalProtocolError);
  });
});

describe('MessageWriter', () => {
  it('writes messages with their lengths, one buffer per flush', () => {
    const w = new MessageWriter();
    w.begin(0x5a).int8(0x49).end();
    w.begin(0x43).cstring('SELECT 1').end();
    w.empty(0x31);
    const out = w.flush();
    expect(out.toString('hex')).toBe('5a0000000549' + '430000000d' + Buffer.from('SELECT 1\0').toString('hex') + '3100000004');
    expect(w.length).toBe(0);
    expect(w.flush().length).toBe(0);
  });

  it('grows past its initial capacity and keeps multi-byte strings intact', () => {
    const w = new MessageWriter();
    const big = 'é'.repeat(40_000);
    w.begin(0x44).int16(1).lengthPrefixedString(big).end();
    const out = w.flush();
    expect(out.readInt32BE(1)).toBe(out.length - 1);
    expect(out.readInt32BE(7)).toBe(80_000);
    expect(out.toString('utf8', 11)).toBe(big);
  });

  it('writes ASCII and non-ASCII strings as UTF-8', () => {
    const w = new MessageWriter();
    for (const s of ['INSERT 0 1', 'héllo', '', 'x'.repeat(40), `${'é'.repeat(40)}`, 'a😀b']) w.cstring(s);
    expect(w.flush().toString('utf8')).toBe(['INSERT 0 1', 'héllo', '', 'x'.repeat(40), 'é'.repeat(40), 'a😀b', ''].join('\0'));
  });

  it('a flushed buffer is not changed by later writes', () => {
    const w = new MessageWriter();
    w.begin(0x43).cstring('a').end();
    const first = w.flush();
    const copy = Buffer.from(first);
    w.begin(0x43).cstring('b').end();
    w.flush();
    expect(first).toEqual(copy);
  });
});
