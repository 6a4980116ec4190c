// Real psql as a child process, fed a script on standard input. Asynchronous on purpose: the
// server under test runs in this process, and a synchronous exec would block its event loop.
import { execFile } from 'node:child_process';

export interface PsqlRun {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * Runs `script` through `psql -X` against 127.0.0.1:`port` as weir/weir, with `flags` after the
 * connection options (e.g. `-q`, `-v ON_ERROR_STOP=1`); never throws on SQL errors (the exit code
 * says). ON_ERROR_STOP is 0 unless `flags` sets it.
 */
export function runPsql(port: number, script: string, flags: string[] = [], timeoutMs = 30_000): Promise<PsqlRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'psql',
      ['-h', '127.0.0.1', '-p', String(port), '-U', 'weir', 'weir', '-X', '-v', 'ON_ERROR_STOP=0', ...flags],
      { env: { ...process.env, PGCONNECT_TIMEOUT: '5', PAGER: '' }, timeout: timeoutMs },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ stdout, stderr, code: err ? (err.code as number) : 0 });
      },
    );
    child.stdin!.end(script);
  });
}
