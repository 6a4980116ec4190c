#!/usr/bin/env node
// Waits until a Kafka broker answers a Metadata request that lists at least one broker.
// Usage: node scripts/kafka/ready.mjs HOST:PORT [--timeout-ms N] [--pid PID]
// Exits 0 when it does, 1 when the time runs out or the process PID has exited.
// Dependency-free on purpose (scripts/kafka.sh runs it before or without node_modules): the
// request is Metadata v4 (Kafka 4 removed v0-v3) with a v1 header, written by hand.
import { connect } from 'node:net';

const args = process.argv.slice(2);
const [host, portText] = (args[0] ?? '127.0.0.1:9092').split(':');
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const timeoutMs = opt('--timeout-ms', 60_000);
const pid = opt('--pid', 0);

function metadataRequest() {
  const clientId = Buffer.from('weir-ready');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(3, o); // api key: Metadata
  o = body.writeInt16BE(4, o); // api version
  o = body.writeInt32BE(1, o); // correlation id
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt32BE(-1, o); // topics: null = all
  body.writeInt8(0, o); // allow_auto_topic_creation
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** Resolves with the number of brokers the Metadata response lists; rejects on any failure. */
function brokerCount() {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(portText) });
    let buf = Buffer.alloc(0);
    const fail = (e) => {
      socket.destroy();
      reject(e);
    };
    socket.setTimeout(2000, () => fail(new Error('timeout')));
    socket.on('error', fail);
    socket.on('connect', () => socket.write(metadataRequest()));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
      socket.destroy();
      // size, correlation id, throttle_time_ms, then the brokers array's length.
      if (buf.readInt32BE(4) !== 1) return reject(new Error('bad correlation id'));
      resolve(buf.readInt32BE(12));
    });
  });
}

const alive = () => {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const deadline = Date.now() + timeoutMs;
for (;;) {
  try {
    if ((await brokerCount()) > 0) process.exit(0);
  } catch {
    // not yet
  }
  if (!alive()) {
    console.error(`the broker process ${pid} has exited`);
    process.exit(1);
  }
  if (Date.now() > deadline) {
    console.error(`no broker answered at ${host}:${portText} within ${timeoutMs} ms`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 150));
}
