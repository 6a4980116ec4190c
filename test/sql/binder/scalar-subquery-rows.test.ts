// A scalar subquery that returns more than one row raises 21000, as in Postgres. In a
// materialized view the error is data: it sits in the view's error stream (a SELECT on the
// view fails with it) until the extra rows are gone.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../../harness/in-process.js';

let w: InProcess;
beforeEach(async () => {
  w = await inProcess();
  await w.run('CREATE TABLE a (id int PRIMARY KEY, k int); CREATE TABLE b (id int PRIMARY KEY, k int, w int)');
});
afterEach(async () => {
  await w.close();
});

const err21000 = expect.objectContaining({ code: '21000', message: 'more than one row returned by a subquery used as an expression' });

describe('scalar subquery returning several rows', () => {
  test('correlated: the view holds 21000 while a key has two rows, and recovers when one goes', async () => {
    await w.run('INSERT INTO a VALUES (1, 10), (2, 20), (3, NULL); INSERT INTO b VALUES (1, 10, 100), (2, 20, 200)');
    await w.run('CREATE MATERIALIZED VIEW mv AS SELECT id, (SELECT w FROM b WHERE b.k = a.k) AS bw FROM a');
    expect(await w.rows('SELECT * FROM mv ORDER BY id')).toEqual([[1, 100], [2, 200], [3, null]]);
    await w.run('INSERT INTO b VALUES (3, 10, 101)');
    await expect(w.rows('SELECT * FROM mv')).rejects.toThrow(err21000);
    await w.run('DELETE FROM b WHERE id = 1');
    expect(await w.rows('SELECT * FROM mv ORDER BY id')).toEqual([[1, 101], [2, 200], [3, null]]);
  });

  test('a duplicate among NULL correlation keys counts too (the keys compare null-safely)', async () => {
    await w.run('INSERT INTO a VALUES (1, NULL); INSERT INTO b VALUES (1, NULL, 5)');
    await w.run('CREATE MATERIALIZED VIEW mv AS SELECT id, (SELECT w FROM b WHERE b.k IS NOT DISTINCT FROM a.k) AS bw FROM a');
    expect(await w.rows('SELECT * FROM mv')).toEqual([[1, 5]]);
    await w.run('INSERT INTO b VALUES (2, NULL, 6)');
    await expect(w.rows('SELECT * FROM mv')).rejects.toThrow(err21000);
    await w.run('UPDATE b SET k = 7 WHERE id = 2');
    expect(await w.rows('SELECT * FROM mv')).toEqual([[1, 5]]);
  });

  test('uncorrelated: two rows raise 21000 in a view and in a one-shot SELECT', async () => {
    await w.run('INSERT INTO a VALUES (1, 10); INSERT INTO b VALUES (1, 10, 100)');
    await w.run('CREATE MATERIALIZED VIEW mv AS SELECT id, (SELECT w FROM b) AS bw FROM a');
    expect(await w.rows('SELECT * FROM mv')).toEqual([[1, 100]]);
    await w.run('INSERT INTO b VALUES (2, 20, 200)');
    await expect(w.rows('SELECT * FROM mv')).rejects.toThrow(err21000);
    await expect(w.rows('SELECT id, (SELECT w FROM b) FROM a')).rejects.toThrow(err21000);
    await w.run('DELETE FROM b WHERE id = 2');
    expect(await w.rows('SELECT * FROM mv')).toEqual([[1, 100]]);
  });

  test('one row per key is fine; an aggregate or LIMIT 1 needs no check', async () => {
    await w.run('INSERT INTO a VALUES (1, 10); INSERT INTO b VALUES (1, 10, 100), (2, 10, 101)');
    expect(await w.rows('SELECT id, (SELECT max(w) FROM b WHERE b.k = a.k), (SELECT w FROM b WHERE b.k = a.k ORDER BY w LIMIT 1) FROM a')).toEqual([[1, 101, 100]]);
  });
});
