// psql, the way a user drives it: the README's first session typed as written, errors as
// psql prints them (with SQLSTATEs under VERBOSITY verbose), and several statements on one
// line. psql runs as a child process against an in-process server (so it must be run
// asynchronously: a synchronous exec would block the server's event loop).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { runPsql, type PsqlRun } from '../harness/psql.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Runs `script` through psql's standard input (as `psql -f -`); never throws on SQL errors. */
function psql(script: string, extra: string[] = []): Promise<PsqlRun> {
  return runPsql(server.port, script, ['-q', ...extra], 20_000);
}

// The session of README.md, line by line as a user types it at the `weir=>` prompt.
const README_SESSION = `
CREATE TABLE customers (name text PRIMARY KEY, country text);
CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(10,2), placed_at timestamp);
CREATE MATERIALIZED VIEW revenue AS
         SELECT c.country, count(*) AS orders, sum(o.amount) AS total
         FROM orders o JOIN customers c ON o.customer = c.name GROUP BY c.country;
INSERT INTO customers VALUES ('ann','NL'),('bo','SE');
INSERT INTO orders VALUES (1,'ann',10.50,now()),(2,'bo',3,now());
UPDATE orders SET amount = 20 WHERE id = 2; DELETE FROM customers WHERE name = 'ann';
SELECT * FROM revenue ORDER BY country;     -- always current, read from LevelDB
EXPLAIN SELECT * FROM revenue;              -- the plan, readable
`;

describe('psql', () => {
  test("the README's first session, exactly as written", async () => {
    const r = await psql(README_SESSION);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [select, explain] = r.stdout.split(/\n\n/);
    // The README shows this output verbatim (psql pads the header with a trailing space).
    expect(select!.split('\n').map((l) => l.trimEnd())).toEqual([
      ' country | orders | total',
      '---------+--------+-------',
      ' SE      |      1 | 20.00',
      '(1 row)',
    ]);
    // EXPLAIN prints a plan: a QUERY PLAN column naming the view, and no blank plan lines.
    const lines = explain!.split('\n').map((l) => l.trimEnd());
    expect(lines[0]!.trim()).toBe('QUERY PLAN');
    const body = lines.slice(2, lines.findIndex((l) => /^\(\d+ rows?\)$/.test(l)));
    expect(body.length).toBeGreaterThan(0);
    expect(body.join('\n')).toMatch(/revenue/);
    expect(body.every((l) => l.trim() !== ''), `blank line in the plan:\n${explain}`).toBe(true);
  });

  test('errors are printed with ERROR: and the SQLSTATE under VERBOSITY verbose, and psql carries on', async () => {
    const r = await psql(`\\set VERBOSITY verbose
CREATE TABLE e1 (id int PRIMARY KEY, v int NOT NULL);
SELECT * FROM no_such_table;
SELECT 1/0;
SELEC 1;
INSERT INTO e1 VALUES (1, NULL);
INSERT INTO e1 VALUES (1, 1);
INSERT INTO e1 VALUES (1, 2);
CREATE SEQUENCE s;
SELECT 'still here' AS alive;
`);
    expect(r.code).toBe(0);
    const errs = r.stderr.split('\n').filter((l) => /ERROR:/.test(l));
    expect(errs).toEqual([
      expect.stringMatching(/ERROR:  42P01: relation "no_such_table" does not exist$/),
      expect.stringMatching(/ERROR:  22012: division by zero$/),
      expect.stringMatching(/ERROR:  42601: syntax error at or near "SELEC"$/),
      expect.stringMatching(/ERROR:  23502: null value in column "v" of relation "e1" violates not-null constraint$/),
      expect.stringMatching(/ERROR:  23505: duplicate key value violates unique constraint "e1_pkey"$/),
      expect.stringMatching(/ERROR:  0A000: CREATE SEQUENCE is not supported$/),
    ]);
    // Positions become psql's LINE/caret display; details are printed too.
    expect(r.stderr).toMatch(/LINE 1: SELECT \* FROM no_such_table;\n {22}\^/);
    expect(r.stderr).toMatch(/DETAIL: {2}Failing row contains \(1, null\)\./);
    expect(r.stderr).toMatch(/DETAIL: {2}Key \(id\)=\(1\) already exists\./);
    expect(r.stdout).toMatch(/still here/);
  });

  test('ON_ERROR_STOP=1 stops at the first error with exit code 3', async () => {
    const r = await psql(`SELECT 'a' AS x;\nSELECT * FROM nope_stop;\nSELECT 'b' AS y;\n`, ['-v', 'ON_ERROR_STOP=1']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/ a\b/);
    expect(r.stdout).not.toMatch(/ b\b/);
  });

  test('several statements on one line, each with its own result', async () => {
    const r = await psql(`CREATE TABLE ml (a int); INSERT INTO ml VALUES (1), (2); SELECT count(*) AS n FROM ml; SELECT 'x' AS s;\n`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ n \n---\n 2\n\(1 row\)/);
    expect(r.stdout).toMatch(/ s \n---\n x\n\(1 row\)/);
  });

  test('psql -c sends one Query message: each result and the command tags come back', async () => {
    const r = await psql('', ['-c', "CREATE TABLE mc (a int); INSERT INTO mc VALUES (1),(2),(3); SELECT sum(a) AS s FROM mc"]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ s \n---\n 6\n\(1 row\)/);
  });

  test('psql -c: a syntax error anywhere in the string runs nothing (Postgres parses the whole string first)', async () => {
    const r = await psql('', ['-c', 'CREATE TABLE mc_syntax (a int); SELEC 1']);
    expect(r.stderr).toMatch(/syntax error at or near "SELEC"/);
    const check = await psql("SELECT * FROM mc_syntax;\n");
    expect(check.stderr).toMatch(/relation "mc_syntax" does not exist/);
  });

  test('psql -c: a failing statement rolls back the writes before it in the same string (one implicit transaction)', async () => {
    await psql('CREATE TABLE mc_tx (a int);\n');
    const r = await psql('', ['-c', 'INSERT INTO mc_tx VALUES (1); SELECT 1/0']);
    expect(r.stderr).toMatch(/division by zero/);
    const check = await psql('SELECT count(*) AS n FROM mc_tx;\n');
    expect(check.stdout).toMatch(/ n \n---\n 0\n/);
  });

  test('psql \\d lists relations and \\d <table> describes one (pg_catalog)', async () => {
    await psql('CREATE TABLE dt (id int PRIMARY KEY, name text);\n');
    const r = await psql('\\d\n\\d dt\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ public \| dt +\| table +\| weir/);
    expect(r.stdout).toMatch(/Table "public\.dt"/);
    expect(r.stdout).toMatch(/"dt_pkey" PRIMARY KEY, btree \(id\)/);
  });

  test('\\timing-free meta-commands that do not touch the catalog work: \\conninfo, \\echo, \\set', async () => {
    const r = await psql('\\echo hello\n\\set x 42\nSELECT :x AS answer;\n\\conninfo\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/hello/);
    expect(r.stdout).toMatch(/ answer \n--------\n +42\n/);
    expect(r.stdout).toMatch(/connected to database "weir" as user "weir"/);
  });
});
