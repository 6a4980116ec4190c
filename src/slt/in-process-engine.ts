/**
 * The in-process engine: a fresh weir with a memory store (`Weir.open` without a data
 * directory) and one session, driven through the Session API as pgwire would drive it: split
 * the string into statements, prepare and execute each, end the batch. Values are rendered with
 * Postgres's text output (`formatDatum`), the same text a client would read.
 */
import type { Logger } from 'pino';
import { Weir } from '../adapter/weir.js';
import type { Session, StatementResult } from '../adapter/session-api.js';
import { formatDatum } from '../types/text-format.js';
import { tagRowCount, type Engine, type EngineResult } from './engine.js';

export class InProcessEngine implements Engine {
  readonly names = ['weir', 'postgresql'] as const;
  readonly synchronous = true;

  private constructor(
    readonly weir: Weir,
    readonly session: Session,
  ) {}

  static async open(logger: Logger): Promise<InProcessEngine> {
    const weir = await Weir.open({ logger });
    const session = await weir.open(new Map([['user', 'weir'], ['database', 'weir'], ['application_name', 'weir-slt']]));
    return new InProcessEngine(weir, session);
  }

  async run(sql: string): Promise<EngineResult> {
    let last: StatementResult = { kind: 'empty' };
    try {
      for (const stmt of this.session.splitStatements(sql)) {
        const prepared = await this.session.prepare(stmt, []);
        last = await this.session.execute(prepared, []);
      }
    } catch (e) {
      await this.session.endBatch(true);
      throw e;
    }
    await (await this.session.endBatch(false)).durable;
    this.session.takeNotices();
    this.session.takeParameterChanges();
    switch (last.kind) {
      case 'rows':
        return {
          kind: 'rows',
          columns: last.columns.map((c) => c.name),
          rows: last.rows.map((row) => row.map((d, i) => (d === null ? null : formatDatum(d, last.columns[i]!.type)))),
        };
      case 'command': {
        const rowCount = tagRowCount(last.commandTag);
        return { kind: 'command', tag: last.commandTag, ...(rowCount !== undefined ? { rowCount } : {}) };
      }
      case 'empty':
        return { kind: 'command', tag: '' };
      case 'copy-out':
      case 'copy-in':
        if (last.kind === 'copy-out') last.close();
        else last.fail();
        throw new Error('COPY and SUBSCRIBE are not supported by the in-process engine');
    }
  }

  async close(): Promise<void> {
    await this.session.close();
    await this.weir.close();
  }
}
