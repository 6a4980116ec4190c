// Flink's filesystem table as a bounded source: the CSV file is read once, at CREATE TABLE, and
// its rows become the table's stored contents; a missing file or a bad line is a clear error.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../../harness/in-process.js';
import { tempDataDir } from '../../harness/temp-dirs.js';

let db: InProcess | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('filesystem source table', () => {
  test("Flink's legacy keys with a file:// URL (Nexmark q13's side_input)", async () => {
    const dir = tempDataDir();
    const lines = Array.from({ length: 10_000 }, (_, i) => `${i},${i}`);
    writeFileSync(join(dir, 'side_input.txt'), `${lines.join('\n')}\n`);
    db = await inProcess();
    await db.run(`CREATE TABLE side_input (
      key BIGINT,
      \`value\` VARCHAR
    ) WITH (
      'connector.type' = 'filesystem',
      'connector.path' = 'file://${dir}/side_input.txt',
      'format.type' = 'csv'
    )`);
    expect(await db.rows('SELECT count(*), min(key), max(key), count(DISTINCT value) FROM side_input')).toEqual([[10_000n, 0n, 9_999n, 10_000n]]);
    expect(await db.rows('SELECT key, value FROM side_input WHERE key = 42')).toEqual([[42n, '42']]);
  });

  test('the new keys, a plain path, quoting, NULLs and a delimiter; then it is an ordinary table', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'people.csv');
    writeFileSync(file, '1|Ann|2024-01-02 03:04:05\r\n2|"Bob ""the"" | builder\nsecond line"|\n\n3||2024-05-06 00:00:00');
    db = await inProcess();
    await db.run(`CREATE TABLE people (id int PRIMARY KEY, name text, seen timestamp) WITH (
      'connector' = 'filesystem', 'path' = '${file}', 'format' = 'csv', 'csv.field-delimiter' = '|')`);
    expect(await db.rows('SELECT id, name, seen IS NULL FROM people ORDER BY id')).toEqual([
      [1, 'Ann', false],
      [2, 'Bob "the" | builder\nsecond line', true],
      [3, null, false],
    ]);
    await db.run("INSERT INTO people VALUES (4, 'Dan', NULL)");
    await db.run('DELETE FROM people WHERE id = 1');
    expect(await db.rows('SELECT id FROM people ORDER BY id')).toEqual([[2], [3], [4]]);
    await expect(db.run("INSERT INTO people VALUES (2, 'again', NULL)")).rejects.toMatchObject({ code: '23505' });
  });

  test('the rows are stored: a restart does not need the file', async () => {
    const dataDir = tempDataDir();
    const file = join(tempDataDir(), 'side.csv');
    writeFileSync(file, '1,one\n2,two\n');
    db = await inProcess(dataDir);
    await db.run(`CREATE TABLE side (key bigint, value varchar) WITH ('connector' = 'filesystem', 'path' = '${pathToFileURL(file).href}', 'format' = 'csv')`);
    await db.close();
    rmSync(file);
    db = await inProcess(dataDir);
    expect(await db.rows('SELECT key, value FROM side ORDER BY key')).toEqual([[1n, 'one'], [2n, 'two']]);
  });

  test('a missing file, a bad line and bad options are errors, and nothing is created', async () => {
    const dir = tempDataDir();
    db = await inProcess();
    const create = (path: string, extra = '') =>
      db!.run(`CREATE TABLE side (key bigint, value varchar) WITH ('connector.type' = 'filesystem', 'connector.path' = '${path}', 'format.type' = 'csv'${extra})`);
    await expect(create(`file://${dir}/nothing.txt`)).rejects.toMatchObject({ code: '58P01', message: expect.stringContaining('nothing.txt') });
    await expect(create('file://${FLINK_HOME}/data/side_input.txt')).rejects.toMatchObject({ code: '58P01', hint: expect.stringMatching(/placeholder/) });
    await expect(db.run(`CREATE TABLE side (key bigint) WITH ('connector' = 'filesystem', 'path' = '${dir}/none.csv', 'format' = 'csv')`)).rejects.toMatchObject({
      code: '58P01',
      hint: expect.stringMatching(/For a sink table, end the path with '\/'/),
    });
    await expect(create(dir)).rejects.toMatchObject({ code: '58P01', message: expect.stringContaining('is not a file') });
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '1,one\n2,two\nthree,3\n4,four\n');
    await expect(create(bad)).rejects.toMatchObject({ code: '22P02', message: expect.stringMatching(/line 3 of .*bad\.txt.*invalid input syntax for type bigint: "three"/) });
    writeFileSync(bad, '1,one\n2,two,extra\n');
    await expect(create(bad)).rejects.toMatchObject({ code: '22P02', message: expect.stringMatching(/line 2 .*expected 2 fields, got 3/) });
    await expect(create(bad, ", 'format.kind' = 'x'")).rejects.toMatchObject({ code: '22023', message: expect.stringContaining('format.kind') });
    await expect(db.run(`CREATE TABLE side (key bigint) WITH ('connector' = 'filesystem', 'path' = '${bad}', 'format' = 'json')`)).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run(`CREATE TABLE side (key bigint) WITH ('connector' = 'filesystem', 'path' = 's3://bucket/x.csv', 'format' = 'csv')`)).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run(`CREATE TABLE side (key bigint) WITH ('connector.type' = 'kafka')`)).rejects.toMatchObject({ code: '0A000' });
    // Nothing was left behind by the failures.
    await expect(db.run('SELECT * FROM side')).rejects.toMatchObject({ code: '42P01' });
    const good = join(dir, 'good.txt');
    writeFileSync(good, '5,five\n');
    await create(good);
    expect(await db.rows('SELECT key, value FROM side')).toEqual([[5n, 'five']]);
  });
});
