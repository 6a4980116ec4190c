// psycopg 3 (Python) against weir: runs test/clients/psycopg/test_weir.py against an
// in-process server. The script prints one line per check and exits non-zero if any fails;
// its output is printed when it does. psycopg binds parameters server-side, so this covers
// the extended protocol, binary results and prepared statements as a Python app uses them.
// The script runs as an async child process: a synchronous exec would block the server.
// .ci/run installs psycopg (pip install 'psycopg[binary]') before npm test.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { recordChecks } from './matrix.js';

const SCRIPT = fileURLToPath(new URL('./psycopg/test_weir.py', import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Run {
  output: string;
  code: number;
}

function runScript(url: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [SCRIPT],
      { env: { ...process.env, WEIR_URL: url, PYTHONUNBUFFERED: '1' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ output: stdout + stderr, code: err ? (err.code as number) : 0 });
      },
    );
  });
}

describe('psycopg 3', () => {
  test('every check in test_weir.py passes', async () => {
    const r = await runScript(server.url);
    recordChecks('psycopg 3', 'test/clients/psycopg.test.ts', r.output, r.code);
    expect(r.code, `test_weir.py exited ${r.code}:\n${r.output}`).toBe(0);
    expect(r.output).toMatch(/^ok - connect and server info$/m);
    expect(r.output).toMatch(/checks passed/);
  }, 70_000);
});
