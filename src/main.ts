/**
 * weir's command line: `weir serve [--host] [--port] [--data-dir] [--log-level]` and
 * `weir slt <files or folders> [--url postgres://…] [--complete]` (the sqllogictest runner).
 *
 * Architecture in one line (docs/architecture.md has the page): SQL text → parse → bind →
 * logical plan → optimize → dataflow plan → render → operators run tick by tick → LevelDB,
 * served over the Postgres wire protocol.
 */
import { Command } from 'commander';
import { pino } from 'pino';
import { Weir } from './adapter/weir.js';
import { startServer } from './pgwire/server.js';
import { VERSION } from './adapter/settings.js';
import { runSlt } from './slt/run-slt.js';

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
        console.error(`weir: ${(e as Error).message}`);
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
  program.parse(argv);
}
