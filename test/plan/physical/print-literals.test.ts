// EXPLAIN PHYSICAL prints a plan's constants as values a reader can check. Found while writing
// the streaming docs: the window size of a TUMBLE printed as `[object Object]` (an interval
// literal given to String() in physical/print-dataflow-plan.ts `scalarText`), where EXPLAIN
// (the logical printer, print-plan.ts `printDatum`) prints it properly.
import { describe, expect, test } from 'vitest';
import { inProcess } from '../../harness/in-process.js';

describe('EXPLAIN PHYSICAL literals', () => {
  test('an interval literal (a TUMBLE size) is printed as an interval', async () => {
    const db = await inProcess();
    await db.run('CREATE TABLE clicks (user_id int, ts timestamp)');
    const sql = "SELECT window_start, count(*) FROM TUMBLE(clicks, ts, INTERVAL '1' MINUTE) GROUP BY window_start";
    const logical = (await db.rows(`EXPLAIN ${sql}`)).map((r) => r[0]).join('\n');
    const physical = (await db.rows(`EXPLAIN PHYSICAL ${sql}`)).map((r) => r[0]).join('\n');
    expect(logical).not.toMatch(/object Object/);
    expect(physical).not.toMatch(/object Object/);
    await db.close();
  });
});
