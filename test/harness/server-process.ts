// weir as a child process (the built CLI, `node bin/weir.js serve`), for crash tests that
// kill it with SIGKILL. `npm test` builds dist/ before running the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/util/node-flags.js';

const root = resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServerProcess(dataDir: string): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, resolve(root, 'bin/weir.js'), 'serve', '--port', String(port), '--data-dir', dataDir, '--log-level', 'info'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`weir did not start:\n${output}`)), 20_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes('weir is ready')) {
        clearTimeout(timer);
        res();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`weir exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    child,
    port,
    url: `postgres://weir@127.0.0.1:${port}/weir`,
    kill(signal = 'SIGKILL') {
      return new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill(signal);
      });
    },
  };
}
