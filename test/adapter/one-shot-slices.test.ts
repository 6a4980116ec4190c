// A one-shot SELECT evaluated in slices of its inputs (src/adapter/statements/one-shot.ts) gives
// what one step over everything gives (WEIR_ONESHOT_WHOLE=1): the dataflow is incremental, so
// the sum of the steps' outputs is the whole result, including a Reduce's retracted partial
// rows and an error of a partial result that a later slice retracts. The inputs here are large
// enough (500 rows) for several slices.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';

let w: InProcess;
beforeAll(async () => {
  w = await inProcess();
  await w.run('CREATE TABLE t (id int PRIMARY KEY, g int, v int, s text)');
  await w.run('CREATE TABLE u (id int PRIMARY KEY, g int)');
  const rows = Array.from({ length: 500 }, (_, i) => `(${i}, ${(i * 7) % 13}, ${(i * 31) % 97}, 's${i % 17}')`);
  await w.run(`INSERT INTO t VALUES ${rows.join(', ')}`);
  await w.run(`INSERT INTO u VALUES ${Array.from({ length: 40 }, (_, i) => `(${i}, ${i % 13})`).join(', ')}`);
});
afterAll(async () => {
  await w.close();
});

async function both(sql: string): Promise<{ sliced: unknown; whole: unknown }> {
  const run = async (): Promise<unknown> => {
    try {
      return await w.rows(sql);
    } catch (e) {
      return { error: (e as { code?: string }).code };
    }
  };
  delete process.env.WEIR_ONESHOT_WHOLE;
  const sliced = await run();
  process.env.WEIR_ONESHOT_WHOLE = '1';
  try {
    return { sliced, whole: await run() };
  } finally {
    delete process.env.WEIR_ONESHOT_WHOLE;
  }
}

const QUERIES = [
  'SELECT g, count(*), sum(v), min(v), max(s) FROM t GROUP BY g ORDER BY g',
  "SELECT g, string_agg(s, ',' ORDER BY id), array_agg(v ORDER BY id) FROM t GROUP BY g ORDER BY g",
  'SELECT count(DISTINCT s), count(DISTINCT v) FROM t',
  'SELECT t.g, count(*) FROM t JOIN u ON t.g = u.g GROUP BY t.g ORDER BY t.g',
  'SELECT count(*) FROM t a, u b WHERE a.v > b.id',
  'SELECT u.id, count(t.id) FROM u LEFT JOIN t ON t.v = u.id GROUP BY u.id ORDER BY u.id',
  'SELECT id FROM t WHERE v NOT IN (SELECT id FROM u) ORDER BY id LIMIT 20',
  'SELECT id, (SELECT count(*) FROM u WHERE u.g = t.g) FROM t ORDER BY id LIMIT 20',
  'SELECT DISTINCT s FROM t ORDER BY s',
  'SELECT * FROM (SELECT id, v FROM t ORDER BY v DESC, id LIMIT 5) x ORDER BY id',
  'SELECT g FROM t EXCEPT SELECT g FROM u WHERE id < 5 ORDER BY 1',
  // count(*) is 16 after the first slice: a transient division by zero, retracted later.
  'SELECT 100 / (count(*) - 16) FROM t',
  // and one that stays: the whole result is the error.
  'SELECT 100 / (count(*) - 500) FROM t',
];

describe('sliced one-shot evaluation equals one step', () => {
  test.each(QUERIES)('%s', async (sql) => {
    const { sliced, whole } = await both(sql);
    expect(sliced).toEqual(whole);
  });

  test('the transient error is gone and the lasting one is reported', async () => {
    expect(await w.rows('SELECT 100 / (count(*) - 16) FROM t')).toEqual([[0n]]);
    await expect(w.rows('SELECT 100 / (count(*) - 500) FROM t')).rejects.toMatchObject({ code: '22012' });
  });
});
