/**
 * Benchmarks run weir as users do: the built CLI (`node bin/weir.js serve`) in a child
 * process on its own data directory, so the server has one core and the client the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/util/node-flags.js';

const root = resolve(import.meta.dirname, '../..');

export interface BenchServer {
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Server CPU time used so far, in ms (from /proc). */
  cpuMs(): number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'weir-bench-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts the built server of the checkout at `buildRoot` (default: this one, or WEIR_ROOT),
 * so that an A/B run can start two builds side by side.
 */
export async function startServer(dataDir: string, buildRoot = process.env.WEIR_ROOT ?? root): Promise<BenchServer & { startMs: number }> {
  const port = await freePort();
  const started = performance.now();
  // WEIR_NODE_FLAGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
  const flags = [...SERVER_NODE_FLAGS, ...(process.env.WEIR_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  const args = [...flags, join(buildRoot, 'bin/weir.js'), 'serve', '--port', String(port), '--data-dir', dataDir, '--log-level', 'info'];
  // SERVER_CPUS: pin the server (every thread: main, LevelDB's, GC's) to these CPUs, e.g. "0"
  // for "on one core"; the benchmark client then runs on the others.
  const serverCpus = process.env.SERVER_CPUS;
  const child = spawn(serverCpus ? 'taskset' : process.execPath, serverCpus ? ['-c', serverCpus, process.execPath, ...args] : args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('weir is ready')) res();
    });
    child.once('exit', (code) => rej(new Error(`weir exited (${code}): ${out}`)));
  });
  child.stdout!.resume();
  const { readFileSync } = await import('node:fs');
  return {
    port,
    dataDir,
    child,
    startMs: performance.now() - started,
    cpuMs() {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
    },
    stop(signal = 'SIGTERM') {
      return new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill(signal);
      });
    },
  };
}

export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export function progress(msg: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}
