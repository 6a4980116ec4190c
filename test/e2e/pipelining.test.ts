// Pipelined extended-query batches against a real weir: a client sends several batches (each
// Bind/Execute… Sync, one tick) without waiting for ReadyForQuery. weir handles the next batch
// while the previous tick is still being written, but answers in order: every batch's
// responses, then its ReadyForQuery once its tick is durable; a statement after a write in the
// same pipeline sees it; a batch that fails at its commit fails alone.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { dataRowValues, errorFields, m, RawClient, types } from '../pgwire/raw-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const int = (v: number): Buffer => Buffer.from(String(v));

/** One batch of single-row INSERTs through prepared statement `ins`. */
function batch(ids: number[]): Buffer {
  return Buffer.concat([...ids.flatMap((id) => [m.bind('', 'ins', [int(id), int(id % 3)]), m.execute('')]), m.sync()]);
}

describe('pipelined batches', () => {
  test('answer in order, each ReadyForQuery after its tick, and later statements see earlier ticks', async () => {
    const c = await RawClient.ready(server.port);
    c.send(Buffer.concat([m.query('CREATE TABLE p (id int PRIMARY KEY, g int); CREATE MATERIALIZED VIEW pv AS SELECT g, count(*) AS n FROM p GROUP BY g')]));
    await c.readUntil('Z');
    c.send(Buffer.concat([m.parse('ins', 'INSERT INTO p VALUES ($1, $2)'), m.sync()]));
    await c.readUntil('Z');

    const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 50 }, (_, i) => b * 50 + i));
    c.send(Buffer.concat([...batches.map(batch), m.query('SELECT count(*) FROM p; SELECT sum(n) FROM pv')]));
    for (let b = 0; b < batches.length; b++) {
      const msgs = await c.readUntil('Z');
      expect(types(msgs)).toBe('2C'.repeat(50) + 'Z');
      expect(msgs.at(-1)!.body.toString()).toBe('I');
    }
    const result = await c.readUntil('Z');
    expect(types(result)).toBe('TDCTDCZ');
    expect(result.filter((x) => x.type === 'D').map((x) => dataRowValues(x.body)[0])).toEqual(['1000', '1000']);
    c.end();
  });

  test('a batch that fails at its commit (a duplicate key) fails alone; the batches around it commit', async () => {
    const c = await RawClient.ready(server.port);
    c.send(m.query('CREATE TABLE q (id int PRIMARY KEY, g int)'));
    await c.readUntil('Z');
    c.send(Buffer.concat([m.parse('ins', 'INSERT INTO q VALUES ($1, $2)'), m.sync()]));
    await c.readUntil('Z');

    c.send(Buffer.concat([batch([1, 2, 3]), batch([4, 2, 5]), batch([6, 7]), m.query('SELECT id FROM q ORDER BY id')]));
    expect(types(await c.readUntil('Z'))).toBe('2C2C2CZ');
    const failed = await c.readUntil('Z');
    expect(types(failed)).toBe('2C2C2CEZ');
    expect(errorFields(failed.find((x) => x.type === 'E')!.body).C).toBe('23505');
    expect(types(await c.readUntil('Z'))).toBe('2C2CZ');
    const rows = await c.readUntil('Z');
    expect(rows.filter((x) => x.type === 'D').map((x) => dataRowValues(x.body)[0])).toEqual(['1', '2', '3', '6', '7']);
    c.end();
  });

  test('an error inside a batch (a key repeated in it, a bad parameter) answers that Execute or Bind, skips the rest, commits nothing of it', async () => {
    const c = await RawClient.ready(server.port);
    c.send(m.query('CREATE TABLE e (id int PRIMARY KEY, g int)'));
    await c.readUntil('Z');
    c.send(Buffer.concat([m.parse('ins', 'INSERT INTO e VALUES ($1, $2)'), m.sync()]));
    await c.readUntil('Z');

    const bad = Buffer.concat([m.bind('', 'ins', [int(21), Buffer.from('x1')]), m.execute(''), ...[22, 23].flatMap((id) => [m.bind('', 'ins', [int(id), int(0)]), m.execute('')]), m.sync()]);
    c.send(Buffer.concat([batch([10, 11, 10, 12]), bad, batch([30, 31])]));
    const repeated = await c.readUntil('Z');
    expect(types(repeated)).toBe('2C2C2EZ'); // the third Bind succeeds, its Execute fails
    expect(errorFields(repeated.find((x) => x.type === 'E')!.body).C).toBe('23505');
    const badParam = await c.readUntil('Z');
    expect(types(badParam)).toBe('EZ');
    expect(errorFields(badParam[0]!.body)).toMatchObject({ C: '22P02', M: 'invalid input syntax for type integer: "x1"' });
    expect(types(await c.readUntil('Z'))).toBe('2C2CZ');
    c.send(m.query('SELECT id FROM e ORDER BY id'));
    const rows = await c.readUntil('Z');
    expect(rows.filter((x) => x.type === 'D').map((x) => dataRowValues(x.body)[0])).toEqual(['30', '31']);
    c.end();
  });

  test('a SELECT between INSERTs of one batch sees the rows before it, in order', async () => {
    const c = await RawClient.ready(server.port);
    c.send(m.query('CREATE TABLE s (id int PRIMARY KEY, g int)'));
    await c.readUntil('Z');
    c.send(Buffer.concat([m.parse('ins', 'INSERT INTO s VALUES ($1, $2)'), m.parse('cnt', 'SELECT count(*) FROM s'), m.sync()]));
    await c.readUntil('Z');
    const insert = (id: number): Buffer[] => [m.bind('', 'ins', [int(id), int(0)]), m.execute('')];
    const count = [m.bind('', 'cnt'), m.execute('')];
    c.send(Buffer.concat([...insert(1), ...insert(2), ...count, ...insert(3), ...count, m.sync()]));
    const msgs = await c.readUntil('Z');
    expect(types(msgs)).toBe('2C2C2DC2C2DCZ');
    expect(msgs.filter((x) => x.type === 'D').map((x) => dataRowValues(x.body)[0])).toEqual(['2', '3']);
    c.end();
  });

  test('a client that pipelines and then terminates still has every batch committed', async () => {
    const c = await RawClient.ready(server.port);
    c.send(m.query('CREATE TABLE r (id int PRIMARY KEY, g int)'));
    await c.readUntil('Z');
    c.send(Buffer.concat([m.parse('ins', 'INSERT INTO r VALUES ($1, $2)'), m.sync()]));
    await c.readUntil('Z');
    c.send(Buffer.concat([batch([1, 2]), batch([3]), m.terminate()]));
    await c.untilClosed();
    const reader = await RawClient.ready(server.port);
    reader.send(m.query('SELECT count(*) FROM r'));
    const rows = await reader.readUntil('Z');
    expect(rows.filter((x) => x.type === 'D').map((x) => dataRowValues(x.body)[0])).toEqual(['3']);
    reader.end();
  });
});
