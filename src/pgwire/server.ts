/**
 * server: the TCP listener. Each accepted socket gets a Connection (protocol.ts) and a child
 * logger carrying its connection id and remote address. A failing connection never affects
 * the others; close() stops listening, ends every open connection and resolves when the
 * listener is closed.
 */
import { createServer, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { SessionFactory } from '../adapter/session-api.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from './codec.js';
import { Connection } from './protocol.js';

export interface ServerOptions {
  host: string;
  /** 0 = any free port (see the returned port). */
  port: number;
  sessions: SessionFactory;
  logger: Logger;
  /** Largest message a client may send, in bytes (default 64 MiB, never above 1 GiB). */
  maxMessageSize?: number;
}

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.logger.child({ component: 'pgwire' });
  const sockets = new Set<Socket>();
  let nextId = 1;
  const server = createServer((socket) => {
    const id = nextId++;
    const connLog = log.child({ conn: id, remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}` });
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    try {
      new Connection(socket, { sessions: opts.sessions, logger: connLog, maxMessageSize: opts.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE });
      connLog.debug('connection accepted');
    } catch (err) {
      connLog.error({ err }, 'connection setup failed');
      socket.destroy();
    }
  });
  server.on('error', (err) => log.error({ err }, 'server error'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : opts.port;
  log.info({ host: opts.host, port }, 'listening');

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
