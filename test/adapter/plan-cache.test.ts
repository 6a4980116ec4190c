// A simple query's SELECT is planned once per text (adapter/plan-cache.ts): what it answers
// must be what planning it again would answer: fresh data, a fresh now(), the session's
// settings, and the catalog as it is now.
import { describe, expect, test } from 'vitest';
import { inProcess } from '../harness/in-process.js';
import { PlanCache } from '../../src/adapter/plan-cache.js';
import { parseStatement, initParser } from '../../src/sql/parser/parse.js';
import type { Planned } from '../../src/adapter/statements/planned.js';

const planned = (paramTypes: number): Planned => ({ paramTypes: Array.from({ length: paramTypes }, () => ({ kind: 'int4' })), columns: null, execute: () => ({ kind: 'empty' }) }) as Planned;

describe('plan cache', () => {
  test('the same text answers with the current data, now() and settings', async () => {
    const db = await inProcess();
    await db.run('CREATE TABLE t (a int PRIMARY KEY, b text); CREATE MATERIALIZED VIEW n AS SELECT count(*) AS c FROM t');
    const count = 'SELECT c FROM n';
    expect(await db.rows(count)).toEqual([[0n]]);
    await db.run("INSERT INTO t VALUES (1, 'x')");
    expect(await db.rows(count)).toEqual([[1n]]);
    // A fresh clock each time (each simple query is a transaction of its own).
    const now = 'SELECT now()::text';
    const n1 = (await db.rows(now))[0]![0];
    await new Promise((r) => setTimeout(r, 5));
    expect((await db.rows(now))[0]![0]).not.toEqual(n1);
    // The session's settings: a SET between two runs of the same text shows (and outdates the plan).
    const app = "SELECT current_setting('application_name')";
    expect(await db.rows(app)).toEqual([['']]);
    await db.run("SET application_name = 'dashboard'");
    expect(await db.rows(app)).toEqual([['dashboard']]);
    await db.close();
  });

  test('DDL between two runs of the same text: the text is planned against the new catalog', async () => {
    const db = await inProcess();
    await db.run("CREATE TABLE t (a int PRIMARY KEY, b text); INSERT INTO t VALUES (1, 'x')");
    const q = 'SELECT * FROM t';
    expect(await db.rows(q)).toEqual([[1, 'x']]);
    await db.run('DROP TABLE t');
    await expect(db.rows(q)).rejects.toMatchObject({ code: '42P01' });
    await db.run("CREATE TABLE t (a int PRIMARY KEY, b text, c bool); INSERT INTO t VALUES (2, 'y', true)");
    expect(await db.rows(q)).toEqual([[2, 'y', true]]);
    await db.close();
  });

  test('keeps SELECTs without parameters only, and at most 64, the least recently used going first', async () => {
    await initParser();
    const cache = new PlanCache();
    const entry = (sql: string, params = 0) => ({ parsed: parseStatement(sql), planned: planned(params), catalogVersion: 1, settingsVersion: 0 });
    cache.offer('INSERT INTO t VALUES (1)', entry('INSERT INTO t VALUES (1)'));
    cache.offer('SELECT $1::int', entry('SELECT $1::int', 1));
    expect(cache.size).toBe(0);
    for (let i = 0; i < 65; i++) {
      cache.offer(`SELECT ${i}`, entry(`SELECT ${i}`));
      if (i === 63) expect(cache.get('SELECT 0', 1, 0)).toBeDefined(); // used: now the most recent
    }
    expect(cache.size).toBe(64);
    expect(cache.get('SELECT 0', 1, 0)).toBeDefined();
    expect(cache.get('SELECT 1', 1, 0)).toBeUndefined(); // the least recently used, gone
    expect(cache.get('SELECT 2', 2, 0)).toBeUndefined(); // the catalog changed
    expect(cache.get('SELECT 3', 1, 1)).toBeUndefined(); // a setting changed
    expect(cache.size).toBe(62); // the two outdated ones dropped
  });
});
