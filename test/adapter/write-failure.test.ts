// A tick whose LevelDB write fails (disk full, I/O error): its writer gets 58030, nothing of it
// stays in memory (views equal the stored tables), the server keeps working, and the next
// tick commits. The store here is MemoryKvStore with one write made to fail, behaving as
// LevelKvStore does after a failure: later writes refused until settle().
import { pino } from 'pino';
import { expect, test } from 'vitest';
import { Weir } from '../../src/adapter/weir.js';
import type { Session } from '../../src/adapter/session-api.js';
import type { KvOp } from '../../src/storage/kv-store.js';
import { MemoryKvStore } from '../../src/storage/memory-kv-store.js';
import type { Row } from '../../src/types/datum.js';

class FailingStore extends MemoryKvStore {
  failNext = false;
  #failure: unknown;

  override write(ops: KvOp[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      this.#failure = new Error('No space left on device');
    }
    if (this.#failure !== undefined) return Promise.reject(new Error('an earlier write failed', { cause: this.#failure }));
    return super.write(ops);
  }

  override async settle(): Promise<unknown> {
    const f = this.#failure;
    this.#failure = undefined;
    return f;
  }
}

async function run(session: Session, sql: string): Promise<Row[]> {
  let rows: Row[] = [];
  try {
    for (const stmt of session.splitStatements(sql)) {
      const r = await session.execute(await session.prepare(stmt, []), []);
      if (r.kind === 'rows') rows = r.rows;
    }
  } catch (e) {
    await session.endBatch(true);
    throw e;
  }
  await (await session.endBatch(false)).durable;
  return rows;
}

test('a failed tick write is reported with 58030 and leaves no trace; the next tick commits', async () => {
  const store = new FailingStore();
  const weir = await Weir.open({ logger: pino({ level: 'silent' }), store });
  const s = await weir.open(new Map([['user', 'weir'], ['database', 'weir']]));
  await run(s, 'CREATE TABLE t (id int PRIMARY KEY, g int); CREATE MATERIALIZED VIEW agg AS SELECT g, count(*) AS n FROM t GROUP BY g');
  await run(s, 'INSERT INTO t VALUES (1, 1), (2, 1), (3, 2)');

  store.failNext = true;
  await expect(run(s, 'INSERT INTO t VALUES (4, 1), (5, 3)')).rejects.toMatchObject({ code: '58030', message: 'could not write the tick to storage' });
  // The rows of the failed tick are neither in the table nor counted in the view; their keys are free again.
  await run(s, 'INSERT INTO t VALUES (5, 2), (6, 1)');
  expect(await run(s, 'SELECT id, g FROM t ORDER BY id')).toEqual([[1, 1], [2, 1], [3, 2], [5, 2], [6, 1]]);
  expect(await run(s, 'SELECT g, n FROM agg ORDER BY g')).toEqual([[1, 3n], [2, 2n]]);
  await weir.close();
});
