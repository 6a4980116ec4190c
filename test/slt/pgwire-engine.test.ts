// The runner over pgwire (`weir slt --url`): the same files pass, each file gets its own
// connection, and what a file created is dropped when it ends, so the next file can create
// the same names.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runSlt } from '../../src/slt/run-slt.js';
import { startTestServer, type TestServer } from '../harness/weir-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const FILE = `statement ok
create table t (a int)

statement ok
create materialized view mv as select count(*) as n from t

statement count 2
insert into t values (1), (2)

query I
select n from mv
----
2

statement error relation "nope" does not exist
select * from nope
`;

describe('PgwireEngine', () => {
  test('two files creating the same objects both pass: each file cleans up after itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-slt-pg-'));
    writeFileSync(join(dir, 'a.slt'), FILE);
    writeFileSync(join(dir, 'b.slt'), FILE);
    const lines: string[] = [];
    const summary = await runSlt([dir], { url: server.url, print: (l) => lines.push(l) });
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(lines.at(-1)).toBe('10 passed, 0 failed');
    expect(summary.failed).toBe(0);
  });
});
