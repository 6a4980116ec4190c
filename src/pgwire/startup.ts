/**
 * startup: a connection's way from its first packet to ready — the startup phases of the
 * state machine in protocol.ts.
 *
 *   startup ──SSLRequest/GSSENCRequest──▶ 'N', startup
 *   startup ──CancelRequest──▶ cancel the target session, close
 *   startup ──StartupMessage 3.x──▶ (NegotiateProtocolVersion if 3.x>0 or _pq_ options)
 *           ├─ no password for the user ─▶ AuthenticationOk, open the session ─▶ ready
 *           └─ password configured ─▶ AuthenticationSASL ─▶ sasl-initial
 *   sasl-initial ──SASLInitialResponse──▶ SASLContinue ─▶ sasl-final
 *   sasl-final ──SASLResponse──▶ proof ok: SASLFinal, AuthenticationOk ─▶ ready | FATAL 28P01
 *
 * Entering ready: ParameterStatus for each of `session.parameterStatus`, BackendKeyData,
 * ReadyForQuery. A refusal is thrown (a SqlError or FatalProtocolError); the Connection sends
 * it as a FATAL ErrorResponse and closes. State: the startup parameters and the SCRAM exchange
 * of one connection, kept for its life (a few hundred bytes).
 */
import type { Logger } from 'pino';
import type { Session, SessionFactory } from '../adapter/session-api.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { FatalProtocolError } from './codec.js';
import { statusByte } from './context.js';
import { StartupCode } from './message-codes.js';
import type { MessageWriter } from './message-writer.js';
import * as msg from './messages/backend.js';
import { decodeCancelRequest, decodeSaslInitial, decodeStartupParams } from './messages/frontend.js';
import { SCRAM_MECHANISM, ScramServer } from './scram.js';

/** The phases of a connection (protocol.ts); the first three are handled here. */
export type Phase = 'startup' | 'sasl-initial' | 'sasl-final' | 'ready' | 'closed';

/** What the startup phases need of their Connection. */
export interface StartupHost {
  readonly w: MessageWriter;
  readonly log: Logger;
  readonly sessions: SessionFactory;
  /** The connection's phase. */
  phase(): Phase;
  /** Moves the connection on to a SASL phase. */
  enter(phase: 'sasl-initial' | 'sasl-final'): void;
  /** The startup packet was accepted: typed messages follow. */
  startTyped(): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /**
   * The session is open: the Connection keeps it (to close it later) and enters ready; false
   * when the connection closed meanwhile (nothing more is sent).
   */
  opened(session: Session): boolean;
}

export class Startup {
  readonly #host: StartupHost;
  #params = new Map<string, string>();
  #scram: ScramServer | undefined;

  constructor(host: StartupHost) {
    this.#host = host;
  }

  /** An untyped startup packet: SSLRequest / GSSENCRequest, CancelRequest or StartupMessage. */
  async packet(code: number, body: Buffer): Promise<void> {
    const host = this.#host;
    if (host.phase() !== 'startup') throw new FatalProtocolError('unexpected startup packet');
    if (code === StartupCode.SSLRequest || code === StartupCode.GSSENCRequest) {
      host.w.int8(0x4e); // 'N': no encryption; the client sends its startup packet next
      return host.flush();
    }
    if (code === StartupCode.CancelRequest) {
      const { processId, secretKey } = decodeCancelRequest(body);
      const target = host.sessions.findForCancel(processId, secretKey);
      host.log.info({ processId, found: target !== undefined }, 'cancel request');
      target?.cancel();
      return host.close();
    }
    const major = code >>> 16;
    const minor = code & 0xffff;
    if (major !== 3) {
      throw new SqlError(SqlState.featureNotSupported, `unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`);
    }
    const params = decodeStartupParams(body);
    this.#params = params;
    host.startTyped();
    const ignored = [...params.keys()].filter((k) => k.startsWith('_pq_.'));
    for (const k of ignored) params.delete(k);
    if (minor > 0 || ignored.length > 0) msg.negotiateProtocolVersion(host.w, 0, ignored);
    const user = params.get('user');
    if (!user) throw new SqlError(SqlState.invalidAuthorizationSpecification, 'no PostgreSQL user name specified in startup packet');
    if (!params.has('database')) params.set('database', user);
    host.log.info({ user, database: params.get('database'), application: params.get('application_name') }, 'startup');
    const password = host.sessions.passwordFor(user);
    if (password === undefined) return this.#complete();
    this.#scram = new ScramServer(password);
    msg.authenticationSasl(host.w, [SCRAM_MECHANISM]);
    host.enter('sasl-initial');
    return host.flush();
  }

  /** A SASLInitialResponse (in `sasl-initial`) or SASLResponse (in `sasl-final`), both sent as a Password message. */
  async sasl(body: Buffer): Promise<void> {
    const host = this.#host;
    const scram = this.#scram!;
    if (host.phase() === 'sasl-initial') {
      const { mechanism, data } = decodeSaslInitial(body);
      if (mechanism !== SCRAM_MECHANISM) {
        throw new SqlError(SqlState.protocolViolation, 'client selected an invalid SASL authentication mechanism');
      }
      msg.authenticationSaslContinue(host.w, await scram.first(data.toString('utf8')));
      host.enter('sasl-final');
      return host.flush();
    }
    const serverFinal = scram.final(body.toString('utf8'));
    const user = this.#params.get('user')!;
    if (serverFinal === null) {
      host.log.info({ user }, 'password authentication failed');
      throw new SqlError(SqlState.invalidPassword, `password authentication failed for user "${user}"`);
    }
    msg.authenticationSaslFinal(host.w, serverFinal);
    return this.#complete();
  }

  /** Authenticated: opens the session and greets the client with its parameters, key and ReadyForQuery. */
  async #complete(): Promise<void> {
    const host = this.#host;
    msg.authenticationOk(host.w);
    const session = await host.sessions.open(this.#params);
    if (!host.opened(session)) return; // closed meanwhile: the run loop releases the session
    for (const [name, value] of session.parameterStatus) msg.parameterStatus(host.w, name, value);
    msg.backendKeyData(host.w, session.processId, session.secretKey);
    msg.readyForQuery(host.w, statusByte(session));
    return host.flush();
  }
}
