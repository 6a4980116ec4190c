// SQL functions (CREATE FUNCTION … LANGUAGE SQL), inlined where they are called: in queries and
// in materialized views (maintained as the inlined expression), replayed at start, and
// dropped only with what calls them.
import { describe, expect, test } from 'vitest';
import { inProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';

const COUNT_CHAR = "CREATE FUNCTION count_char(s varchar, c varchar) RETURNS int LANGUAGE SQL AS $$SELECT LENGTH(s) - LENGTH(REPLACE(s, c, ''))$$";

describe('SQL functions', () => {
  test("Nexmark q14's count_char: in a query and in a maintained view, across a restart", async () => {
    const dir = tempDataDir();
    let db = await inProcess(dir);
    await db.run(COUNT_CHAR);
    expect(await db.rows("SELECT count_char('cacao', 'c'), count_char(NULL, 'c')")).toEqual([[2, null]]);
    await db.run('CREATE TABLE t (id int PRIMARY KEY, s text)');
    await db.run("CREATE MATERIALIZED VIEW v AS SELECT id, count_char(s, 'a') AS n FROM t");
    await db.run("INSERT INTO t VALUES (1, 'banana'), (2, 'xyz')");
    expect(await db.rows('SELECT * FROM v ORDER BY id')).toEqual([[1, 3], [2, 0]]);
    await db.close();
    db = await inProcess(dir);
    await db.run("UPDATE t SET s = 'aa' WHERE id = 2");
    expect(await db.rows('SELECT * FROM v ORDER BY id')).toEqual([[1, 3], [2, 2]]);
    await db.close();
  });

  test('RETURN bodies, nested functions, argument and result casts', async () => {
    const db = await inProcess();
    await db.run('CREATE FUNCTION twice(x numeric) RETURNS numeric RETURN x * 2');
    await db.run("CREATE FUNCTION label(x int) RETURNS text LANGUAGE sql AS 'SELECT ''#'' || twice(x)'");
    expect(await db.rows("SELECT label(21), twice(1.5), label('4')")).toEqual([['#42', expect.anything(), '#8']]);
    await db.close();
  });

  test('DROP FUNCTION restricts while a view calls it (directly or through another function); CASCADE drops it', async () => {
    const db = await inProcess();
    await db.run('CREATE FUNCTION inc(x int) RETURNS int RETURN x + 1');
    await db.run('CREATE FUNCTION inc2(x int) RETURNS int RETURN inc(inc(x))');
    await db.run('CREATE TABLE t (a int)');
    await db.run('CREATE VIEW v AS SELECT inc2(a) FROM t');
    await expect(db.run('DROP FUNCTION inc')).rejects.toMatchObject({ code: '2BP01' });
    await db.run('DROP FUNCTION inc CASCADE');
    await expect(db.run('SELECT * FROM v')).rejects.toMatchObject({ code: '42P01' });
    await db.run('DROP FUNCTION IF EXISTS inc');
    await expect(db.run('DROP FUNCTION inc')).rejects.toMatchObject({ code: '42883' });
    await db.close();
  });

  test('what cannot be inlined is refused at CREATE', async () => {
    const db = await inProcess();
    await expect(db.run("CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql AS 'begin return x; end'")).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run('CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$SELECT $1$$')).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run('CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$SELECT x FROM t$$')).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run('CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$SELECT y$$')).rejects.toMatchObject({ code: '42703' });
    await expect(db.run('CREATE FUNCTION lower(x text) RETURNS text RETURN x')).rejects.toMatchObject({ code: '42723' });
    await db.run('CREATE FUNCTION f(x int) RETURNS int RETURN x');
    await expect(db.run('CREATE FUNCTION f(x int) RETURNS int RETURN x')).rejects.toMatchObject({ code: '42723' });
    await db.close();
  });
});
