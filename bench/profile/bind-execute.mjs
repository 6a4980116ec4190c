// The pgwire side of a batch of single-row INSERTs, in process: a Connection (the built
// src/pgwire/protocol.ts of one or more checkouts) over a fake socket, with a stub Session whose
// execute gives "INSERT 0 1" at once, fed batches of 1000 Bind/Execute pairs + Sync in 64 KiB
// chunks as bench/e2e/maintenance.ts sends them. It prints the CPU microseconds per pair
// (framing, decoding, binding, replies), median of 7 alternating runs; CPU time rather than
// wall time, so that other processes on the machine disturb it less. Each checkout must be built.
//
//   node bench/profile/bind-execute.mjs /path/to/other/checkout .
//   ASYNC=1 node bench/profile/bind-execute.mjs .     # the stub's execute returns a Promise
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';

const roots = process.argv.slice(2).map((r) => resolve(r));
const ASYNC = Boolean(process.env.ASYNC);
const INT4 = { kind: 'int4' };
const BATCHES = 300;

const session = {
  parameterStatus: new Map([['server_version', '16']]),
  processId: 1,
  secretKey: 2,
  splitStatements: (s) => [s],
  prepare: async (sql) => ({ sql, paramTypes: [INT4, INT4, INT4], columns: null }),
  execute(_stmt, params) {
    if (typeof params[0] !== 'number') throw new Error('parameter not bound as int4');
    const r = { kind: 'command', commandTag: 'INSERT 0 1' };
    return ASYNC ? Promise.resolve(r) : r;
  },
  endBatch: async () => ({}),
  transactionStatus: () => 'idle',
  markFailed() {},
  takeNotices: () => [],
  takeParameterChanges: () => [],
  cancel() {},
  close: async () => {},
};
const sessions = { open: async () => session, passwordFor: () => undefined, findForCancel: () => undefined };

/** Counts the ReadyForQuery messages written to it; any ErrorResponse ends the benchmark. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  readies = 0;
  onReady = () => {};
  write(b) {
    for (let i = 0; i < b.length; i += b.readInt32BE(i + 1) + 1) {
      if (b[i] === 0x45) throw new Error(`error from the server: ${b.toString('utf8', i + 5, i + 1 + b.readInt32BE(i + 1))}`);
      if (b[i] === 0x5a) {
        this.readies++;
        this.onReady();
      }
    }
    return true;
  }
  pause() {}
  resume() {}
  end() {}
  setNoDelay() {}
}

function message(type, ...parts) {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const cstr = (s) => Buffer.from(`${s}\0`);
const int16 = (v) => Buffer.from([v >> 8, v & 0xff]);
function param(v) {
  const d = Buffer.from(v);
  const l = Buffer.alloc(4);
  l.writeInt32BE(d.length);
  return Buffer.concat([l, d]);
}
/** One batch of the maintenance benchmark, cut into 64 KiB chunks as a socket delivers it. */
function batch(start) {
  const parts = [];
  for (let id = start; id < start + 1000; id++) {
    parts.push(message('B', cstr(''), cstr('ins'), int16(0), int16(3), param(String(id)), param(String(id % 10000)), param(String(id % 97)), int16(0)));
    parts.push(message('E', cstr(''), Buffer.alloc(4)));
  }
  parts.push(message('S'));
  const all = Buffer.concat(parts);
  const chunks = [];
  for (let i = 0; i < all.length; i += 65536) chunks.push(all.subarray(i, i + 65536));
  return chunks;
}
const batches = Array.from({ length: 20 }, (_, b) => batch(b * 1000));

async function connection(root) {
  const { Connection } = await import(`${root}/dist/pgwire/protocol.js`);
  const { default: pino } = await import('pino');
  const socket = new FakeSocket();
  new Connection(socket, { sessions, logger: pino({ level: 'warn' }), maxMessageSize: 1 << 26 });
  const send = (chunks) =>
    new Promise((done) => {
      const want = socket.readies + 1;
      socket.onReady = () => socket.readies >= want && done();
      for (const c of chunks) socket.emit('data', c);
    });
  const params = Buffer.concat([cstr('user'), cstr('weir'), Buffer.from([0])]);
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(params.length + 8);
  startup.writeInt32BE(196608, 4);
  await send([Buffer.concat([startup, params])]);
  await send([Buffer.concat([message('P', cstr('ins'), cstr('INSERT INTO t VALUES ($1, $2, $3)'), int16(0)), message('S')])]);
  return async (n) => {
    for (let b = 0; b < n; b++) await send(batches[b % batches.length]);
  };
}

const runs = await Promise.all(roots.map(async (root) => ({ root, run: await connection(root), times: [] })));
for (const r of runs) await r.run(100); // warm-up
for (let rep = 0; rep < 7; rep++) {
  for (const r of runs) {
    const c0 = process.cpuUsage();
    await r.run(BATCHES);
    const c = process.cpuUsage(c0);
    r.times.push((c.user + c.system) / (BATCHES * 1000));
  }
}
for (const { root, times } of runs) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${root} CPU µs per Bind+Execute pair${ASYNC ? ' (async execute)' : ''}, median ${sorted[3].toFixed(3)} runs ${sorted.map((t) => t.toFixed(3)).join(' ')}`);
}
