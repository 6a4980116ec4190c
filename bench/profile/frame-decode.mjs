// Frames and decodes Bind+Execute pairs, as bench/e2e/maintenance.ts sends them, with the
// built pgwire codec of one or more checkouts (alternating, 7 repetitions), and prints the
// median nanoseconds per pair. Each checkout must be built.
//
//   node bench/profile/frame-decode.mjs /path/to/other/checkout .
import { resolve } from 'node:path';
const roots = process.argv.slice(2).map((r) => resolve(r));
function bindMsg(id) {
  const ps = [String(id), String(id % 10000), String(id % 97)].map((s) => Buffer.from(s));
  const parts = [Buffer.from([0]), Buffer.from('ins\0'), Buffer.from([0, 0]), Buffer.from([0, 3])];
  for (const p of ps) { const l = Buffer.alloc(4); l.writeInt32BE(p.length); parts.push(l, p); }
  parts.push(Buffer.from([0, 0]));
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(5); h[0] = 0x42; h.writeInt32BE(body.length + 4, 1);
  const ex = Buffer.from([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
  return Buffer.concat([h, body, ex]);
}
const chunk = Buffer.concat(Array.from({ length: 1000 }, (_, i) => bindMsg(i)));
const mods = await Promise.all(roots.map(async (r) => ({ r, codec: await import(`${r}/dist/pgwire/codec.js`), fe: await import(`${r}/dist/pgwire/messages/frontend.js`) })));
const res = new Map(roots.map((r) => [r, []]));
for (let rep = 0; rep < 7; rep++) for (const { r, codec, fe } of mods) {
  const t0 = performance.now();
  let n = 0;
  for (let b = 0; b < 300; b++) {
    const rd = new codec.MessageReader(); rd.startTyped();
    for (let k = 0; k < chunk.length; k += 16384) rd.push(chunk.subarray(k, k + 16384));
    for (let f; (f = rd.next()) !== null;) {
      // A frame is a body Buffer in older checkouts, a range of the chunk in newer ones.
      if (f.body !== undefined) fe.decodeFrontend(f.type, f.body);
      else fe.decodeFrontend(f.type, f.buf, f.start, f.end);
      n++;
    }
  }
  res.get(r).push((performance.now() - t0) * 1e6 / (n / 2));
}
for (const [r, v] of res) { v.sort((a, b) => a - b); console.log(r, 'ns per Bind+Execute pair, median', v[3].toFixed(0), 'runs', v.map((x) => x.toFixed(0)).join(' ')); }
