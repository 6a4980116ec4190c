// An in-process weir server on a free port, over a temp data directory (or a given one),
// for end-to-end tests with real drivers.
import { tempDataDir } from './temp-dirs.js';
import { pino } from 'pino';
import { Weir } from '../../src/adapter/weir.js';
import { startServer } from '../../src/pgwire/server.js';

export interface TestServer {
  weir: Weir;
  port: number;
  dataDir: string;
  url: string;
  close(): Promise<void>;
}

export { tempDataDir };

export async function startTestServer(opts: { dataDir?: string; passwords?: Map<string, string> } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const logger = pino({ level: process.env.WEIR_TEST_LOG ?? 'silent' });
  const weir = await Weir.open({ dataDir, logger, passwords: opts.passwords });
  const server = await startServer({ host: '127.0.0.1', port: 0, sessions: weir, logger });
  return {
    weir,
    port: server.port,
    dataDir,
    url: `postgres://weir@127.0.0.1:${server.port}/weir`,
    async close() {
      await server.close();
      await weir.close();
    },
  };
}
