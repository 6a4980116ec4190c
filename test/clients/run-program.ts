// Runs a client test program (Python, Java, Go) as an async child process — a synchronous
// exec would block the in-process server it talks to — and returns its output and exit code.
import { execFile } from 'node:child_process';

export interface ProgramRun {
  stdout: string;
  stderr: string;
  /** stdout then stderr. */
  output: string;
  code: number;
}

export function runProgram(
  file: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout: number },
): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...opts, env: { ...process.env, ...opts.env } }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ stdout, stderr, output: stdout + stderr, code: err ? (err.code as number) : 0 });
    });
  });
}
