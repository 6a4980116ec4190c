// The primary-key check skips reading keys above a table's stored-key bound; duplicates are
// still found wherever they are, across batches, deletes, transactions and restarts.
import { afterEach, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';

let db: InProcess | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

async function duplicate(sql: string): Promise<string> {
  try {
    await db!.run(sql);
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  return 'no error';
}

describe('stored-key bounds', () => {
  test('duplicates below, at and above the bound are rejected; gaps and freed keys are accepted', async () => {
    db = await inProcess();
    await db.run('CREATE TABLE t (id int PRIMARY KEY, v text)');
    await db.run("INSERT INTO t VALUES (10, 'a'); INSERT INTO t VALUES (20, 'b'); INSERT INTO t VALUES (30, 'c')");
    expect(await duplicate("INSERT INTO t VALUES (20, 'x')")).toBe('23505');
    expect(await duplicate("INSERT INTO t VALUES (30, 'x')")).toBe('23505');
    expect(await duplicate("INSERT INTO t VALUES (40, 'd'); INSERT INTO t VALUES (10, 'x')")).toBe('23505');
    await db.run("INSERT INTO t VALUES (25, 'e'); INSERT INTO t VALUES (31, 'f')");
    await db.run('DELETE FROM t WHERE id = 31');
    await db.run("INSERT INTO t VALUES (31, 'g')");
    await db.run('UPDATE t SET id = 50 WHERE id = 10');
    expect(await duplicate("INSERT INTO t VALUES (50, 'x')")).toBe('23505');
    await db.run('BEGIN');
    await db.run("INSERT INTO t VALUES (60, 'h')");
    await db.run('COMMIT');
    expect(await duplicate("INSERT INTO t VALUES (60, 'x')")).toBe('23505');
    expect(await db.rows('SELECT id, v FROM t ORDER BY id')).toEqual([
      [20, 'b'], [25, 'e'], [30, 'c'], [31, 'g'], [50, 'a'], [60, 'h'],
    ]);
  });

  test('after a restart the bound is read from storage', async () => {
    const dir = tempDataDir();
    db = await inProcess(dir);
    await db.run('CREATE TABLE t (id int PRIMARY KEY)');
    await db.run('INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)');
    await db.close();
    db = await inProcess(dir);
    expect(await duplicate('INSERT INTO t VALUES (3)')).toBe('23505');
    expect(await duplicate('INSERT INTO t VALUES (1)')).toBe('23505');
    await db.run('INSERT INTO t VALUES (4)');
    expect(await db.rows('SELECT count(*) FROM t')).toEqual([[4n]]);
  });

  test('within one batch, keys equal as SQL values collide: -0 and 0, NaN and NaN, and text keys', async () => {
    db = await inProcess();
    await db.run('CREATE TABLE f (x float8 PRIMARY KEY, v int)');
    expect(await duplicate("INSERT INTO f VALUES (0, 1); INSERT INTO f VALUES ('-0', 2)")).toBe('23505');
    expect(await duplicate("INSERT INTO f VALUES ('NaN', 1); INSERT INTO f VALUES ('NaN', 2)")).toBe('23505');
    await db.run("INSERT INTO f VALUES (1, 1); INSERT INTO f VALUES ('1.0e0'::float8 + 1, 2); DELETE FROM f WHERE x = 1; INSERT INTO f VALUES (1, 3)");
    expect(await db.rows('SELECT x, v FROM f ORDER BY x')).toEqual([[1, 3], [2, 2]]);
    // NaN sorts above every number in keys: with NaN stored, smaller keys are read, and NaN again is found.
    await db.run("INSERT INTO f VALUES ('NaN', 4)");
    expect(await duplicate("INSERT INTO f VALUES ('NaN', 5)")).toBe('23505');
    expect(await duplicate("INSERT INTO f VALUES (2, 5)")).toBe('23505');
    await db.run("INSERT INTO f VALUES ('-Infinity', 6); INSERT INTO f VALUES ('Infinity', 7)");
    expect(await duplicate("INSERT INTO f VALUES ('-0', 5)")).toBe('no error');
    expect(await duplicate("INSERT INTO f VALUES (0, 5)")).toBe('23505');
    expect(await db.rows('SELECT v FROM f ORDER BY x')).toEqual([[6], [5], [3], [2], [7], [4]]);
    await db.run('CREATE TABLE b (k int8 PRIMARY KEY)');
    await db.run('INSERT INTO b VALUES (5); INSERT INTO b VALUES (7)');
    expect(await duplicate('INSERT INTO b VALUES (6); INSERT INTO b VALUES (5)')).toBe('23505');
    await db.run('CREATE TABLE s (k text PRIMARY KEY)');
    expect(await duplicate("INSERT INTO s VALUES ('1'); INSERT INTO s VALUES ('1')")).toBe('23505');
    await db.run("INSERT INTO s VALUES ('1'); INSERT INTO s VALUES ('01')");
    expect(await db.rows('SELECT k FROM s ORDER BY k')).toEqual([['01'], ['1']]);
  });
});
