import { test, expect } from 'vitest';
import { startTestServer } from '../harness/weir-server.js';
import { RawClient, m, types, errorFields, cancelRequest } from '../pgwire/raw-client.js';

test('try', async () => {
  const server = await startTestServer();
  const c = await RawClient.ready(server.port);
  c.send(m.query('CREATE TABLE t (a int); INSERT INTO t VALUES (1),(2)'));
  console.log(types(await c.readUntil('Z')));
  c.send(m.parse('', 'COPY t TO STDOUT'));
  c.send(m.bind('', ''));
  c.send(m.describe('P', ''));
  c.send(m.execute('', 1));
  c.send(m.sync());
  const r = await c.readUntil('Z');
  console.log(types(r), r.map((x) => x.body.toString()));
  c.send(m.query('SUBSCRIBE t'));
  const s = await c.readUntil('d');
  console.log(types(s), server.weir.coord.tickListenerCount);
  c.end();
  await new Promise((r) => setTimeout(r, 100));
  console.log('after close', server.weir.coord.tickListenerCount);
  const k = await RawClient.ready(server.port);
  k.send(m.query('SUBSCRIBE t'));
  await k.readUntil('d');
  const bk = (await (async () => 0)());
  await server.close();
});
