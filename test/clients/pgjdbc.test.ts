// pgjdbc (Java) against weir: runs test/clients/pgjdbc/WeirJdbc.java, a single-file program
// started with Java 17's source launcher, against an in-process server. The program prints one
// line per check ("ok", "FAIL", or "EXPECTED-FAIL" for a known gap that does not fail the run)
// and exits 1 if any check failed; its output is printed when it does. pgjdbc uses the extended
// protocol throughout, switches to named server-side statements from a PreparedStatement's 5th
// execution, batches, and reads DatabaseMetaData from pg_catalog.
// The program runs as an async child process: a synchronous exec would block the server.
// .ci/run fetches the driver jar (org.postgresql:postgresql 42.7.14, Maven Central) into
// test/clients/pgjdbc/lib before npm test.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { recordChecks } from './matrix.js';
import { runProgram } from './run-program.js';

const DIR = fileURLToPath(new URL('./pgjdbc/', import.meta.url));
const JAR = 'lib/postgresql-42.7.14.jar';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});



describe('pgjdbc', () => {
  test('every check in WeirJdbc.java passes', async () => {
    const r = await runProgram('java', ['-cp', JAR, 'WeirJdbc.java'], {
      cwd: DIR,
      env: { WEIR_JDBC_URL: `jdbc:postgresql://127.0.0.1:${server.port}/weir?user=weir` },
      timeout: 90_000,
    });
    recordChecks('pgjdbc', 'test/clients/pgjdbc.test.ts', r.output, r.code);
    expect(r.code, `WeirJdbc.java exited ${r.code}:\n${r.output}`).toBe(0);
    expect(r.output).toMatch(/^ok - connect; application_name set by the driver$/m);
    expect(r.output).toMatch(/^ok - PreparedStatement INSERT x10/m);
    expect(r.output).toMatch(/^\d+ passed, 0 failed/m);
  }, 100_000);
});
