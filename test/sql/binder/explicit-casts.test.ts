// Explicit casts (CAST(x AS t), x::t) truncate to varchar(n) / char(n); an assignment to such a
// column raises 22001, as Postgres does.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../../harness/in-process.js';

let w: InProcess;
beforeAll(async () => {
  w = await inProcess();
  await w.run("CREATE TABLE t (id int PRIMARY KEY, s text, v varchar(3)); INSERT INTO t VALUES (1, 'abcdef', 'abc')");
});
afterAll(async () => {
  await w.close();
});

const tooLong = expect.objectContaining({ code: '22001', message: 'value too long for type character varying(3)' });

describe('explicit casts to a length-limited string type', () => {
  test("'abcdef'::varchar(3), CAST(… AS varchar(3)) and a column cast give 'abc'", async () => {
    expect(await w.rows("SELECT 'abcdef'::varchar(3), CAST('abcdef' AS varchar(3)), s::varchar(3), s::char(2) FROM t")).toEqual([['abc', 'abc', 'abc', 'ab']]);
  });

  test('a materialized view applies the explicit cast to every row', async () => {
    await w.run('CREATE MATERIALIZED VIEW short AS SELECT id, s::varchar(3) AS s3 FROM t');
    await w.run("INSERT INTO t VALUES (2, 'xyzzy', 'xyz')");
    expect(await w.rows('SELECT * FROM short ORDER BY id')).toEqual([[1, 'abc'], [2, 'xyz']]);
  });

  test('an assignment to a varchar(3) column raises 22001 (INSERT VALUES, INSERT SELECT, UPDATE)', async () => {
    await expect(w.run("INSERT INTO t VALUES (3, 'x', 'abcdef')")).rejects.toThrow(tooLong);
    await expect(w.run('INSERT INTO t SELECT 4, s, s FROM t WHERE id = 1')).rejects.toThrow(tooLong);
    await expect(w.run('UPDATE t SET v = s WHERE id = 1')).rejects.toThrow(tooLong);
    await w.run("INSERT INTO t VALUES (5, 'x', 'abc   ')"); // trailing spaces are cut, as in Postgres
    expect(await w.rows('SELECT v, length(v) FROM t WHERE id = 5')).toEqual([['abc', 3]]);
  });
});
