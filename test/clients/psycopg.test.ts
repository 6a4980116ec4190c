// psycopg 3 (Python) against weir: runs test/clients/psycopg/test_weir.py against an
// in-process server. The script prints one line per check and exits non-zero if any fails;
// its output is printed when it does. psycopg binds parameters server-side, so this covers
// the extended protocol, binary results and prepared statements as a Python app uses them.
// The script runs as an async child process: a synchronous exec would block the server.
// .ci/run installs psycopg (pip install 'psycopg[binary]') before npm test.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { recordChecks } from './matrix.js';
import { runProgram } from './run-program.js';

const SCRIPT = fileURLToPath(new URL('./psycopg/test_weir.py', import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});



describe('psycopg 3', () => {
  test('every check in test_weir.py passes', async () => {
    const r = await runProgram('python3', [SCRIPT], { env: { WEIR_URL: server.url, PYTHONUNBUFFERED: '1' }, timeout: 60_000 });
    recordChecks('psycopg 3', 'test/clients/psycopg.test.ts', r.output, r.code);
    expect(r.code, `test_weir.py exited ${r.code}:\n${r.output}`).toBe(0);
    expect(r.output).toMatch(/^ok - connect and server info$/m);
    expect(r.output).toMatch(/checks passed/);
  }, 70_000);
});
