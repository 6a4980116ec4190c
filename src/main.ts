/**
 * weir's command line: `weir serve [--host] [--port] [--data-dir] [--log-level]` and
 * `weir slt <files or folders> [--url postgres://…] [--complete]` (the sqllogictest runner) and
 * `weir bench nexmark [--query q5] [--events n] [--json] …` (the Nexmark benchmark; it lives in
 * bench/nexmark.ts, outside src/ and its layers, and runs in a child process through tsx, so
 * it needs the source tree with its development dependencies).
 *
 * Architecture in one line (docs/architecture.md has the page): SQL text → parse → bind →
 * logical plan → optimize → dataflow plan → render → operators run tick by tick → LevelDB,
 * served over the Postgres wire protocol.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { pino } from 'pino';
import { Weir } from './adapter/weir.js';
import { startServer } from './pgwire/server.js';
import { VERSION } from './adapter/settings.js';
import { runSlt } from './slt/run-slt.js';
import { SERVER_NODE_FLAGS } from './util/node-flags.js';

export async function serve(opts: { host: string; port: string; dataDir: string; logLevel: string; password?: string[] }): Promise<void> {
  const logger = pino({ level: opts.logLevel, base: { service: 'weir' } });
  const passwords = new Map<string, string>();
  for (const p of opts.password ?? []) {
    const i = p.indexOf(':');
    if (i <= 0) throw new Error(`--password expects user:password, got "${p}"`);
    passwords.set(p.slice(0, i), p.slice(i + 1));
  }
  const weir = await Weir.open({ dataDir: opts.dataDir, logger, passwords });
  const server = await startServer({ host: opts.host, port: Number(opts.port), sessions: weir, logger });
  logger.info({ host: opts.host, port: server.port, dataDir: opts.dataDir }, 'weir is ready');
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await server.close();
    await weir.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** Runs bench/<name>.ts of the source tree with tsx, passing `args` on; resolves to its exit code. */
export function bench(name: string, args: string[]): Promise<number> {
  const script = fileURLToPath(new URL(`../bench/${name}.ts`, import.meta.url));
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(script)) {
    return Promise.reject(new Error(`unknown benchmark "${name}" (known: nexmark)`));
  }
  let loader: string;
  try {
    loader = import.meta.resolve('tsx');
  } catch {
    return Promise.reject(new Error('weir bench needs the development dependencies (tsx): run npm install in the source tree'));
  }
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', loader, script, ...args], { stdio: 'inherit' });
    child.once('error', rej);
    child.once('exit', (code, signal) => res(code ?? (signal ? 1 : 0)));
  });
}

export function main(argv: string[]): void {
  const program = new Command();
  program.name('weir').description('a streaming SQL database that speaks the Postgres protocol').version(VERSION);
  program
    .command('serve')
    .description('start the server')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '6875')
    .option('--data-dir <dir>', 'LevelDB data directory', 'weir-data')
    .option('--log-level <level>', 'trace, debug, info, warn, error', 'info')
    .option('--password <user:password...>', 'require SCRAM-SHA-256 for these users')
    .action(async (opts) => {
      try {
        await serve(opts);
      } catch (e) {
        const err = e as Error & { detail?: string; hint?: string };
        console.error(`weir: ${err.message}`);
        if (err.detail) console.error(`DETAIL: ${err.detail}`);
        if (err.hint) console.error(`HINT: ${err.hint}`);
        process.exit(1);
      }
    });
  program
    .command('slt')
    .description('run sqllogictest files against an in-process weir (each file in a fresh database) or a server')
    .argument('<paths...>', 'test files (.test, .slt, .slt.part), folders, or file:line for one record')
    .option('--url <url>', 'run against a server (postgres://…) instead of an in-process weir')
    .option('--complete', 'write a copy of each file with the results weir gives (<name>.completed.<ext>)')
    .option('--complete-dir <dir>', 'where --complete writes its copies (default: beside each file)')
    .option('--allow-system', 'run "system ok" commands instead of skipping them')
    .action(async (paths: string[], opts: { url?: string; complete?: boolean; completeDir?: string; allowSystem?: boolean }) => {
      try {
        const summary = await runSlt(paths, opts);
        process.exitCode = summary.failed > 0 ? 1 : 0;
      } catch (e) {
        console.error(`weir: ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });
  program
    .command('bench')
    .description('run a benchmark: `weir bench nexmark --query q5 --events 10000000 [--json]` (`weir bench nexmark --help` lists its options)')
    .argument('<name>', 'the benchmark: nexmark')
    .argument('[options...]', "the benchmark's own options")
    .helpOption(false)
    .allowUnknownOption()
    .action(async (name: string) => {
      // The benchmark parses its own options: pass on everything after `bench <name>` untouched.
      const at = argv.indexOf(name, argv.indexOf('bench') + 1);
      try {
        process.exitCode = await bench(name, argv.slice(at + 1));
      } catch (e) {
        console.error(`weir: ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });
  program.parse(argv);
}
