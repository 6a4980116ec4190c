/**
 * Text-format int2 / int4 parameters of Bind, as node-postgres sends them: the plain ones
 * (digits with an optional minus) are read straight from the bytes, everything else by the
 * text parser. Both must give what Postgres gives: the value, or 22P02 / 22003.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';

let server: TestServer;
let client: pg.Client;

beforeAll(async () => {
  server = await startTestServer();
  client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'weir', database: 'weir' });
  await client.connect();
  await client.query('CREATE TABLE p (id int PRIMARY KEY, s smallint)');
});
afterAll(async () => {
  await client.end();
  await server.close();
});

describe('integer parameters in text format', () => {
  it('stores plain, signed, zero-padded, negative-zero and spaced values as Postgres reads them', async () => {
    const ins = { name: 'ins', text: 'INSERT INTO p VALUES ($1, $2)' };
    const cases: [string, string][] = [
      ['1', '7'],
      ['-2', '-32768'],
      ['000000003', '32767'],
      ['-0', '-0'],
      [' 4 ', '+5'],
      ['2147483647', '0012'],
      ['-2147483648', '1_000'],
    ];
    for (const [id, s] of cases) await client.query({ ...ins, values: [id, s] });
    const rows = (await client.query('SELECT id, s FROM p ORDER BY id')).rows;
    expect(rows).toEqual([
      { id: -2147483648, s: 1000 },
      { id: -2, s: -32768 },
      { id: 0, s: 0 },
      { id: 1, s: 7 },
      { id: 3, s: 32767 },
      { id: 4, s: 5 },
      { id: 2147483647, s: 12 },
    ]);
  });

  it('rejects what is not an integer or out of range, with the SQLSTATE Postgres uses', async () => {
    const ins = { name: 'ins2', text: 'INSERT INTO p VALUES ($1, $2)' };
    await expect(client.query({ ...ins, values: ['12a', '1'] })).rejects.toMatchObject({ code: '22P02' });
    await expect(client.query({ ...ins, values: ['-', '1'] })).rejects.toMatchObject({ code: '22P02' });
    await expect(client.query({ ...ins, values: ['', '1'] })).rejects.toMatchObject({ code: '22P02' });
    await expect(client.query({ ...ins, values: ['2147483648', '1'] })).rejects.toMatchObject({ code: '22003' });
    await expect(client.query({ ...ins, values: ['10', '32768'] })).rejects.toMatchObject({ code: '22003' });
    await expect(client.query({ ...ins, values: ['11', '-999999999'] })).rejects.toMatchObject({ code: '22003' });
    expect((await client.query('SELECT count(*)::int AS n FROM p WHERE id IN (10, 11)')).rows).toEqual([{ n: 0 }]);
  });
});
