/**
 * protocol: one client connection's state machine.
 *
 *   startup ──SSLRequest/GSSENCRequest──▶ 'N', startup
 *   startup ──CancelRequest──▶ cancel the target session, close
 *   startup ──StartupMessage 3.0──▶ sasl-initial (password configured) | ready (trust)
 *   sasl-initial ──SASLInitialResponse──▶ sasl-final ──SASLResponse──▶ ready | FATAL 28P01
 *   ready: Query | Parse Bind Describe Execute Close | Sync | Flush | Terminate
 *   any state ──bad frame / unknown type──▶ FATAL 08P01, close
 *
 * The startup phases (startup, sasl-initial, sasl-final) are handled by `Startup` (startup.ts),
 * which hands the opened session back (`#opened`); this file owns the ready state.
 *
 * Messages are handled one at a time, in order (a message arriving while a statement runs
 * waits), so calls on the Session never overlap. Output is buffered in one MessageWriter and
 * written at ReadyForQuery, Flush, authentication steps, and whenever it passes FLUSH_BYTES.
 *
 * Pipelining: at a Sync whose batch committed a tick, the ReadyForQuery waits until the tick is
 * written (durable), but the connection goes on handling the client's next messages; their
 * output queues behind that ReadyForQuery (`#held`), so the client sees everything in order.
 * At most one such tick per connection is unacknowledged: the next Sync waits for it first.
 * After an error in an extended-query message every message up to Sync is skipped. Nothing is
 * thrown out of the socket handlers: every failure ends in an ErrorResponse or a closed socket.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Session, SessionFactory } from '../adapter/session-api.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { FatalProtocolError, MessageReader, type Frame } from './codec.js';
import { MessageWriter } from './message-writer.js';
import { errorFields, FLUSH_BYTES, sendError, statusByte, toSqlError, type QueryContext } from './context.js';
import { ExtendedQuery } from './extended-query.js';
import { Frontend } from './message-codes.js';
import * as msg from './messages/backend.js';
import { decodeFrontend, type FrontendMessage } from './messages/frontend.js';
import { runSimpleQuery } from './simple-query.js';
import { Startup, type Phase } from './startup.js';

export interface ConnectionOptions {
  sessions: SessionFactory;
  /** Already carries the connection id and remote address. */
  logger: Logger;
  maxMessageSize: number;
}

/** Pause reading while this much input waits behind a running statement. */
const MAX_PENDING_INPUT = 1024 * 1024;

export class Connection {
  readonly #socket: Socket;
  readonly #log: Logger;
  readonly #reader: MessageReader;
  readonly #w = new MessageWriter();
  #phase: Phase = 'startup';
  #running = false;
  /** The startup packet and authentication (startup.ts). */
  readonly #startup: Startup;
  #session: Session | undefined;
  #extended: ExtendedQuery | undefined;
  #ctx: QueryContext | undefined;
  #skipTillSync = false;
  /** Output written after a tick becomes durable: later output chains behind it. Undefined when nothing is held. */
  #held: Promise<void> | undefined;
  /** A statement waiting for the client's next message (COPY FROM STDIN). */
  #wakeReader: (() => void) | undefined;
  readonly #closeListeners = new Set<() => void>();

  constructor(socket: Socket, opts: ConnectionOptions) {
    this.#socket = socket;
    this.#log = opts.logger;
    this.#reader = new MessageReader(opts.maxMessageSize);
    this.#startup = new Startup({
      w: this.#w,
      log: this.#log,
      sessions: opts.sessions,
      phase: () => this.#phase,
      enter: (phase) => (this.#phase = phase),
      startTyped: () => this.#reader.startTyped(),
      flush: () => this.#flush(),
      close: () => this.#close(),
      opened: (session) => this.#opened(session),
    });
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.#log.debug({ err }, 'socket error'));
    socket.on('close', () => void this.#shutdown());
  }

  #onData(chunk: Buffer): void {
    if (this.#phase === 'closed') return;
    this.#reader.push(chunk);
    if (this.#running) {
      if (this.#reader.buffered > MAX_PENDING_INPUT) this.#socket.pause();
      this.#wakeReader?.();
      return;
    }
    void this.#run();
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      for (;;) {
        if (this.#phase === 'closed') return;
        const frame = this.#reader.next();
        if (frame === null) break;
        const pending = this.#handle(frame);
        if (pending !== undefined) await pending;
        if (this.#w.length >= FLUSH_BYTES) await this.#flush();
      }
      this.#socket.resume();
    } catch (e) {
      await this.#fatal(e);
    } finally {
      this.#running = false;
      if (this.#phase === 'closed') await this.#releaseSession();
    }
  }

  /**
   * Handles one message. Synchronous (undefined) when nothing had to wait: Bind, Describe,
   * Close and an Execute whose statement completed at once (a gathered INSERT), so a batch of
   * them costs no promise per message; otherwise the promise of the rest of the work. Both
   * ways, a statement's error becomes its ErrorResponse and the skip to Sync.
   */
  #handle(frame: Frame): Promise<void> | undefined {
    if (frame.kind === 'startup') return this.#startup.packet(frame.code, frame.body);
    const m = decodeFrontend(frame.type, frame.buf, frame.start, frame.end);
    if (this.#phase === 'sasl-initial' || this.#phase === 'sasl-final') {
      if (m.kind !== 'Password') throw new FatalProtocolError(`expected SASL response, got message type ${frame.type}`);
      return this.#startup.sasl(m.body);
    }
    if (m.kind === 'Terminate') return this.#close();
    if (m.kind === 'Sync') return this.#sync();
    if (this.#skipTillSync) return undefined;
    try {
      const pending = this.#dispatch(m);
      return pending === undefined ? undefined : pending.catch((e: unknown) => this.#failed(e));
    } catch (e) {
      this.#failed(e);
      return undefined;
    }
  }

  /** A ready-state message other than Sync and Terminate; throws (or rejects) on its error. */
  #dispatch(m: Exclude<FrontendMessage, { kind: 'Sync' | 'Terminate' }>): Promise<void> | undefined {
    const ext = this.#extended!;
    switch (m.kind) {
      case 'Bind':
        ext.bind(m);
        return undefined;
      case 'Execute': return ext.execute(m);
      case 'Describe':
        ext.describe(m);
        return undefined;
      case 'Close':
        ext.close(m);
        return undefined;
      case 'Parse': return ext.parse(m);
      case 'Query': return this.#simpleQuery(m.sql);
      case 'Flush': return this.#flush();
      case 'Password':
        throw new FatalProtocolError('unexpected password message');
      case 'CopyData':
      case 'CopyDone':
      case 'CopyFail':
        return undefined; // outside COPY (after a failed one): ignored, as Postgres does
      case 'Unsupported':
        if (m.type === Frontend.FunctionCall) throw new SqlError(SqlState.featureNotSupported, 'fastpath function calls are not supported');
        return undefined;
    }
  }

  /** A statement failed: its ErrorResponse, then every message is skipped until Sync. A fatal error goes on up. */
  #failed(e: unknown): void {
    if (e instanceof FatalProtocolError) throw e;
    sendError(this.#ctx!, toSqlError(e, this.#log));
    this.#skipTillSync = true;
  }

  async #sync(): Promise<void> {
    const ctx = this.#ctx!;
    const failed = this.#skipTillSync;
    this.#skipTillSync = false;
    if (this.#held) await this.#held; // at most one unacknowledged tick
    const durable = await this.#endBatch(failed);
    this.#extended!.sync();
    const status = statusByte(ctx.session);
    if (durable) return this.#holdUntil(durable, status);
    msg.readyForQuery(this.#w, status);
    return this.#flush();
  }

  async #simpleQuery(sql: string): Promise<void> {
    const ctx = this.#ctx!;
    const durable = await this.#endBatch(!(await runSimpleQuery(ctx, sql)));
    if (durable) await this.#sendWhenDurable(durable);
    msg.readyForQuery(this.#w, statusByte(ctx.session));
    return this.#flush();
  }

  /**
   * Commits (or discards) the batch's gathered writes; a failed commit is reported before
   * ReadyForQuery. Returns the committed tick's write when there was one.
   */
  async #endBatch(failed: boolean): Promise<Promise<void> | undefined> {
    const ctx = this.#ctx!;
    try {
      return (await ctx.session.endBatch(failed)).durable;
    } catch (e) {
      sendError(ctx, toSqlError(e, this.#log));
      return undefined;
    }
  }

  /** Waits for a tick's write; a failed one is reported (before the ReadyForQuery that follows). */
  async #sendWhenDurable(durable: Promise<void>): Promise<void> {
    try {
      await durable;
    } catch (e) {
      msg.errorResponse(this.#w, errorFields(toSqlError(e, this.#log)));
    }
  }

  /** Sends what is buffered now, then, once the tick is written, its ReadyForQuery (or the write's error first). */
  #holdUntil(durable: Promise<void>, status: number): void {
    const before = this.#w.flush();
    const after = new MessageWriter();
    this.#chain(async () => {
      this.#write(before);
      try {
        await durable;
      } catch (e) {
        msg.errorResponse(after, errorFields(toSqlError(e, this.#log)));
      }
      msg.readyForQuery(after, status);
      this.#write(after.flush());
    });
  }

  /** Runs `step` after everything held; `#held` goes back to undefined once the chain is empty. */
  #chain(step: () => Promise<void> | void): void {
    const held: Promise<void> = (this.#held ?? Promise.resolve()).then(step).catch((e: unknown) => this.#log.error({ err: e }, 'held output failed'));
    this.#held = held;
    void held.then(() => {
      if (this.#held === held) this.#held = undefined;
    });
  }

  #write(bytes: Buffer): void {
    if (bytes.length === 0 || this.#phase === 'closed' || this.#socket.destroyed) return;
    this.#socket.write(bytes);
  }

  /** Authenticated (startup.ts): keeps the session and enters ready; false if the connection closed meanwhile. */
  #opened(session: Session): boolean {
    this.#session = session;
    if (this.#phase === 'closed') return false; // the run loop releases it
    const ctx: QueryContext = {
      session,
      w: this.#w,
      log: this.#log,
      flush: () => this.#flush(),
      nextMessage: () => this.#nextMessage(),
      onClose: (listener) => {
        this.#closeListeners.add(listener);
        return () => this.#closeListeners.delete(listener);
      },
    };
    this.#ctx = ctx;
    this.#extended = new ExtendedQuery(ctx);
    this.#phase = 'ready';
    return true;
  }

  /** The next typed message, read while a statement runs (COPY FROM STDIN); null when closed. */
  async #nextMessage(): Promise<FrontendMessage | null> {
    for (;;) {
      if (this.#phase === 'closed') return null;
      const frame = this.#reader.next();
      if (frame !== null) {
        if (frame.kind === 'startup') throw new FatalProtocolError('unexpected startup packet');
        return decodeFrontend(frame.type, frame.buf, frame.start, frame.end);
      }
      this.#socket.resume();
      await new Promise<void>((resolve) => (this.#wakeReader = resolve));
      this.#wakeReader = undefined;
    }
  }

  /** Writes what is buffered; waits for 'drain' when the socket's buffer is full. */
  async #flush(): Promise<void> {
    if (this.#w.length === 0) return;
    if (this.#phase === 'closed' || this.#socket.destroyed) {
      this.#w.flush(); // nobody to send it to
      return;
    }
    if (this.#held) {
      const bytes = this.#w.flush();
      this.#chain(() => this.#write(bytes));
      return;
    }
    if (this.#socket.write(this.#w.flush())) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.#socket.off('drain', done);
        this.#socket.off('close', done);
        resolve();
      };
      this.#socket.on('drain', done);
      this.#socket.on('close', done);
    });
  }

  /** An error that ends the connection: FATAL ErrorResponse (when the socket still takes it), then close. */
  async #fatal(e: unknown): Promise<void> {
    const err = e instanceof SqlError ? e : toSqlError(e, this.#log);
    this.#log.warn({ code: err.code, message: err.message, phase: this.#phase }, 'closing connection');
    if (this.#phase !== 'closed' && !this.#socket.destroyed) {
      msg.errorResponse(this.#w, { severity: 'FATAL', code: err.code, message: err.message, detail: err.detail, hint: err.hint });
      await this.#flush();
    }
    await this.#close();
  }

  async #close(): Promise<void> {
    if (this.#held) await this.#held; // the last batch's ReadyForQuery first
    if (this.#phase !== 'closed') this.#socket.end();
    await this.#shutdown();
  }

  /** The socket is gone. The session is closed now, or by the run loop once its statement ends. */
  async #shutdown(): Promise<void> {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.#log.debug('connection closed');
    this.#wakeReader?.();
    for (const listener of [...this.#closeListeners]) listener();
    if (this.#running) this.#session?.disconnected?.();
    else await this.#releaseSession();
  }

  async #releaseSession(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (session) {
      try {
        await session.close();
      } catch (e) {
        this.#log.error({ err: e }, 'session close failed');
      }
    }
  }
}
