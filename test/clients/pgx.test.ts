// The Go pgx v5 client against weir (issue 5, "client matrix as tests"). The checks live in
// test/clients/pgx/main.go: extended protocol with server-inferred parameter types, binary
// results for every type pgx knows, batches, transactions and SQLSTATEs. This wrapper builds
// that program once (go build can take a while on a cold cache), then runs it as a child
// process against an in-process server; the child must run asynchronously, since a
// synchronous exec would block the server's event loop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { recordChecks } from './matrix.js';
import { runProgram } from './run-program.js';

const moduleDir = fileURLToPath(new URL('./pgx', import.meta.url));
const binDir = mkdtempSync(join(tmpdir(), 'weir-pgx-'));
const binary = join(binDir, 'pgxcheck');



let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const build = await runProgram('go', ['build', '-o', binary, '.'], { cwd: moduleDir, timeout: 120_000 });
  if (build.code !== 0) throw new Error(`go build failed:\n${build.stdout}${build.stderr}`);
}, 130_000);
afterAll(async () => {
  await server?.close();
  rmSync(binDir, { recursive: true, force: true });
});

describe('Go pgx v5', () => {
  test('passes every check in test/clients/pgx/main.go', async () => {
    const r = await runProgram(binary, [], { env: { WEIR_URL: server.url }, timeout: 60_000 });
    recordChecks('pgx v5', 'test/clients/pgx.test.ts', r.stdout + r.stderr, r.code);
    expect(r.code, `pgx checks failed:\n${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/all checks passed/);
  });
});
