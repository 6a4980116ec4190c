// A weir instance in memory with one session, driven directly through the Session API
// (no sockets): the fastest way to run SQL in a test.
import { pino } from 'pino';
import { Weir, type WeirOptions } from '../../src/adapter/weir.js';
import type { Session, StatementResult } from '../../src/adapter/session-api.js';
import type { Row } from '../../src/types/datum.js';

export interface InProcess {
  weir: Weir;
  session: Session;
  /** Runs every statement of `sql` as one batch (like a simple query); returns the last result. */
  run(sql: string, params?: Row): Promise<StatementResult>;
  /** Runs a query and returns its rows. */
  rows(sql: string, params?: Row): Promise<Row[]>;
  close(): Promise<void>;
}

/** `options`: Weir.open's, for fault injection (a store or a source log of the test's own). */
export async function inProcess(dataDir?: string, options: Partial<WeirOptions> = {}): Promise<InProcess> {
  const weir = await Weir.open({ dataDir, logger: pino({ level: 'silent' }), ...options });
  const session = await weir.open(new Map([['user', 'weir'], ['database', 'weir']]));
  const run = async (sql: string, params: Row = []): Promise<StatementResult> => {
    let last: StatementResult = { kind: 'empty' };
    try {
      for (const stmt of session.splitStatements(sql)) {
        const prepared = await session.prepare(stmt, []);
        last = await session.execute(prepared, params);
      }
    } catch (e) {
      await session.endBatch(true);
      throw e;
    }
    await (await session.endBatch(false)).durable;
    return last;
  };
  return {
    weir,
    session,
    run,
    async rows(sql, params) {
      const r = await run(sql, params);
      if (r.kind !== 'rows') throw new Error(`expected rows from ${sql}`);
      return r.rows;
    },
    async close() {
      await session.close();
      await weir.close();
    },
  };
}
