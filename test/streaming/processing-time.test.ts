// The processing time (Flink's PROCTIME(), RisingWave's proctime()): each row is stamped once,
// with the wall-clock time of the tick that brings it into the view; windows over the stamp
// close as the clock passes their end; a temporal join AS OF the stamp looks the table up as it
// is when the row arrives.
import { afterEach, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { until } from '../harness/until.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { keys, prefixRange } from '../../src/storage/key-layout.js';

/** The number of operator-state entries a view keeps in the store. */
async function stateKeys(db: InProcess, viewName: string): Promise<number> {
  const item = db.weir.coord.catalog.byName(undefined, viewName)!;
  let n = 0;
  for await (const chunk of db.weir.coord.store.scan(prefixRange(keys.statePrefix(item.id)))) n += chunk.length;
  return n;
}

let db: InProcess | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

const nowUs = (): number => Date.now() * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PROCTIME()', () => {
  test('stamps each row once, when it is processed, as a timestamptz', async () => {
    db = await inProcess();
    await db.run('CREATE TABLE s (id int) APPEND ONLY');
    await db.run('CREATE MATERIALIZED VIEW v AS SELECT id, PROCTIME() AS p_time FROM s');
    const before1 = nowUs();
    await db.run('INSERT INTO s VALUES (1)');
    const after1 = nowUs();
    await sleep(30);
    const before2 = nowUs();
    await db.run('INSERT INTO s VALUES (2), (3)');
    const after2 = nowUs();
    await sleep(30);
    await db.run('INSERT INTO s VALUES (4)');
    const rows = (await db.rows('SELECT id, p_time FROM v ORDER BY id')) as [number, number][];
    expect(rows.map((r) => r[0])).toEqual([1, 2, 3, 4]);
    const [p1, p2, p3, p4] = rows.map((r) => r[1]);
    // Each stamp lies within its INSERT; rows of one tick share it; a later tick does not change an earlier stamp.
    expect(p1).toBeGreaterThanOrEqual(before1 - 1000);
    expect(p1).toBeLessThanOrEqual(after1 + 1000);
    expect(p2).toBeGreaterThanOrEqual(before2 - 1000);
    expect(p2).toBeLessThanOrEqual(after2 + 1000);
    expect(p3).toBe(p2);
    expect(p4).toBeGreaterThan(p2!);
    const again = (await db.rows('SELECT id, p_time FROM v ORDER BY id')) as [number, number][];
    expect(again).toEqual(rows);
    const types = await db.rows("SELECT data_type FROM information_schema.columns WHERE table_name = 'v' AND column_name = 'p_time'");
    expect(types).toEqual([['timestamp with time zone']]);
    // RisingWave's lower-case spelling, and a one-shot SELECT (stamped with the statement's time).
    const [[p]] = (await db.rows('SELECT proctime()')) as [[number]];
    expect(Math.abs(p - nowUs())).toBeLessThan(5_000_000);
  });

  test('the stamps survive a restart', async () => {
    const dir = tempDataDir();
    db = await inProcess(dir);
    await db.run('CREATE TABLE s (id int) APPEND ONLY');
    await db.run('CREATE MATERIALIZED VIEW v AS SELECT id, PROCTIME() AS p_time FROM s');
    await db.run('INSERT INTO s VALUES (1)');
    const before = await db.rows('SELECT id, p_time FROM v');
    await db.close();
    await sleep(20);
    db = await inProcess(dir);
    expect(await db.rows('SELECT id, p_time FROM v')).toEqual(before);
    await db.run('INSERT INTO s VALUES (2)');
    const rows = (await db.rows('SELECT id, p_time FROM v ORDER BY id')) as [number, number][];
    expect(rows[0]).toEqual(before[0]);
    expect(rows[1]![1]).toBeGreaterThan(rows[0]![1]);
  });

  test('a column DEFAULT proctime() is stored with the row at INSERT', async () => {
    db = await inProcess();
    await db.run('CREATE TABLE t (id int, added timestamptz DEFAULT proctime())');
    const before = nowUs();
    await db.run('INSERT INTO t (id) VALUES (1)');
    const [[added]] = (await db.rows('SELECT added FROM t')) as [[number]];
    expect(added).toBeGreaterThanOrEqual(before - 1000);
    expect(added).toBeLessThanOrEqual(nowUs() + 1000);
    await sleep(20);
    expect(await db.rows('SELECT added FROM t')).toEqual([[added]]);
  });

  test('a tumbling window over the processing time closes by the wall clock (EMIT ON WINDOW CLOSE)', async () => {
    db = await inProcess();
    await db.run('CREATE TABLE bids (bidder int) APPEND ONLY');
    await db.run('CREATE VIEW b AS SELECT *, PROCTIME() AS p_time FROM bids');
    await db.run(`CREATE MATERIALIZED VIEW per_second AS
      SELECT bidder, count(*) AS n, window_start, window_end FROM TUMBLE(b, p_time, INTERVAL '1' SECOND)
      GROUP BY bidder, window_start, window_end EMIT ON WINDOW CLOSE`);
    // Flink's spelling over the same view, emitting on every change.
    await db.run(`CREATE MATERIALIZED VIEW live AS
      SELECT bidder, count(*) AS n FROM TABLE(TUMBLE(TABLE b, DESCRIPTOR(p_time), INTERVAL '10' SECOND))
      GROUP BY bidder, window_start, window_end`);
    const inserted = nowUs();
    await db.run('INSERT INTO bids VALUES (7), (7), (8)');
    // Open window: nothing final yet, but the live view counts already.
    expect(await db.rows('SELECT bidder, n FROM per_second ORDER BY bidder')).toEqual([]);
    expect(await db.rows('SELECT bidder, n FROM live ORDER BY bidder')).toEqual([[7, 2n], [8, 1n]]);
    // The clock tick (once a second) moves the watermark past the window's end: it is emitted, once.
    const rows = await until(
      () => db!.rows('SELECT bidder, n, window_start, window_end FROM per_second ORDER BY bidder'),
      (r) => r.length === 2,
      10_000,
    );
    expect(rows.map((r) => [r[0], r[1]])).toEqual([[7, 2n], [8, 1n]]);
    const [start, end] = [rows[0]![2] as number, rows[0]![3] as number];
    expect(end - start).toBe(1_000_000);
    expect(start).toBeLessThanOrEqual(inserted + 1_000_000);
    expect(end).toBeGreaterThan(inserted - 1_000_000);
    await sleep(1_200);
    expect((await db.rows('SELECT count(*) FROM per_second'))[0]).toEqual([2n]);
  });

  test("a closed processing-time window's state is freed, its row stays in the view", async () => {
    db = await inProcess(tempDataDir());
    await db.run('CREATE TABLE bids (bidder int) APPEND ONLY');
    await db.run(`CREATE MATERIALIZED VIEW per_second AS WITH b AS (SELECT *, PROCTIME() AS p_time FROM bids)
      SELECT bidder, count(*) AS n, window_start FROM TUMBLE(b, p_time, INTERVAL '1' SECOND) GROUP BY bidder, window_start`);
    await db.run('INSERT INTO bids VALUES (1), (2), (3)');
    expect(await stateKeys(db, 'per_second')).toBeGreaterThan(0);
    expect(await until(() => stateKeys(db!, 'per_second'), (n) => n === 0, 10_000)).toBe(0);
    expect(await db.rows('SELECT bidder, n FROM per_second ORDER BY bidder')).toEqual([[1, 1n], [2, 1n], [3, 1n]]);
  });

  test('a temporal filter on the processing time keeps each row for a span after it was stamped', async () => {
    db = await inProcess();
    await db.run('CREATE TABLE s (id int) APPEND ONLY');
    await db.run("CREATE MATERIALIZED VIEW recent AS SELECT id FROM (SELECT *, PROCTIME() AS p_time FROM s) x WHERE p_time > now() - INTERVAL '2' SECOND");
    await db.run('INSERT INTO s VALUES (1)');
    await sleep(1_000);
    await db.run('INSERT INTO s VALUES (2)');
    expect(await db.rows('SELECT id FROM recent ORDER BY id')).toEqual([[1], [2]]);
    // Row 1 leaves two seconds after it arrived, row 2 a second later.
    expect(await until(() => db!.rows('SELECT id FROM recent ORDER BY id'), (r) => r.length < 2, 5_000)).toEqual([[2]]);
    expect(await until(() => db!.rows('SELECT id FROM recent ORDER BY id'), (r) => r.length === 0, 5_000)).toEqual([]);
  });

  test('a temporal join AS OF the processing time sees the table as it is when each row arrives', async () => {
    db = await inProcess();
    await db.run('CREATE TABLE bid (auction int, price int) APPEND ONLY');
    await db.run('CREATE TABLE side_input (key bigint, value varchar)');
    await db.run(`CREATE MATERIALIZED VIEW q13 AS SELECT B.auction, B.price, S.value
      FROM (SELECT *, PROCTIME() AS p_time FROM bid) B
      JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S ON mod(B.auction, 10) = S.key`);
    await db.run('INSERT INTO bid VALUES (1, 100)');
    await db.run("INSERT INTO side_input VALUES (1, 'one'), (2, 'two')");
    await db.run('INSERT INTO bid VALUES (11, 110), (2, 200)');
    await db.run("UPDATE side_input SET value = 'uno' WHERE key = 1");
    await db.run('INSERT INTO bid VALUES (21, 210)');
    // auction 1 came before the table had key 1: an inner lookup join drops it for good; the
    // update of key 1 changes only the rows that arrive after it.
    expect(await db.rows('SELECT auction, price, value FROM q13 ORDER BY auction')).toEqual([
      [2, 200, 'two'],
      [11, 110, 'one'],
      [21, 210, 'uno'],
    ]);
  });

  test('over a table that updates and deletes, a retraction carries the stamp of its insertion', async () => {
    const dir = tempDataDir();
    db = await inProcess(dir);
    await db.run('CREATE TABLE t (id int PRIMARY KEY, name text)');
    await db.run("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    await db.run('CREATE MATERIALIZED VIEW v AS SELECT id, name, PROCTIME() AS p_time FROM t');
    const created = (await db.rows('SELECT id, p_time FROM v ORDER BY id')) as [number, number][];
    expect(created.map((r) => r[0])).toEqual([1, 2]);
    await sleep(20);
    await db.run("INSERT INTO t VALUES (3, 'c')");
    const [[, p3]] = (await db.rows('SELECT id, p_time FROM v WHERE id = 3')) as [[number, number]];
    expect(p3).toBeGreaterThan(created[0]![1]);
    await db.run('DELETE FROM t WHERE id = 1');
    await sleep(20);
    await db.run("UPDATE t SET name = 'bb' WHERE id = 2");
    // Row 1 is gone (its retraction found its stamp); row 2 is the new version with a new stamp;
    // row 3 kept its own.
    const rows = (await db.rows('SELECT id, name, p_time FROM v ORDER BY id')) as [number, string, number][];
    expect(rows.map((r) => [r[0], r[1]])).toEqual([[2, 'bb'], [3, 'c']]);
    expect(rows[0]![2]).toBeGreaterThan(p3);
    expect(rows[1]![2]).toBe(p3);
    // The stamps are state: after a restart a delete still finds them.
    await db.close();
    db = await inProcess(dir);
    await db.run('DELETE FROM t WHERE id = 3');
    expect(await db.rows('SELECT id, name FROM v ORDER BY id')).toEqual([[2, 'bb']]);
    // An aggregate over the stamps is exact: every retraction cancels its insertion.
    await db.run(`CREATE MATERIALIZED VIEW counts AS
      SELECT count(*) AS n, count(DISTINCT p_time) AS stamps FROM (SELECT id, PROCTIME() AS p_time FROM t) x`);
    await db.run("INSERT INTO t VALUES (4, 'd'), (5, 'e')");
    await db.run('DELETE FROM t WHERE id = 4');
    expect(await db.rows('SELECT n, stamps FROM counts')).toEqual([[2n, 2n]]);
  });

  test('the processing time is refused where a retraction could not find its stamp', async () => {
    db = await inProcess();
    // Over an aggregate's output, in an aggregate's argument: read again for every change.
    await db.run('CREATE TABLE s (id int) APPEND ONLY');
    await db.run('CREATE TABLE t (id int)');
    await expect(db.run('CREATE MATERIALIZED VIEW w AS SELECT count(*), max(PROCTIME()) FROM t')).rejects.toMatchObject({
      code: '0A000',
      message: expect.stringMatching(/append-only input/),
    });
    // Stamps kept as state have no watermark: their windows would never close.
    await expect(
      db.run(`CREATE MATERIALIZED VIEW eowc AS WITH tp AS (SELECT *, PROCTIME() AS p_time FROM t)
        SELECT count(*), window_start FROM TUMBLE(tp, p_time, INTERVAL '1' SECOND) GROUP BY window_start EMIT ON WINDOW CLOSE`),
    ).rejects.toMatchObject({ code: '0A000', message: 'EMIT ON WINDOW CLOSE over PROCTIME() needs an append-only input' });
    // The hint's form works: the subquery stamps the rows, the aggregate reads the stamps.
    await db.run('CREATE MATERIALIZED VIEW latest AS SELECT count(*), max(p_time) FROM (SELECT *, PROCTIME() AS p_time FROM t) x');
    await db.run('INSERT INTO t VALUES (1), (2)');
    await db.run('DELETE FROM t WHERE id = 2');
    expect((await db.rows('SELECT count FROM latest'))).toEqual([[1n]]);
    // A computed column of a source would be computed again whenever its history is read.
    await expect(
      db.run(`CREATE TABLE gen (id bigint, p_time AS PROCTIME()) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '10')`),
    ).rejects.toMatchObject({ code: '0A000', message: 'PROCTIME() is not supported in a computed column' });
    // The failed CREATEs left nothing behind, and the server goes on.
    await db.run('CREATE MATERIALIZED VIEW w AS SELECT count(*), max(PROCTIME()) FROM s');
    await db.run('INSERT INTO s VALUES (1)');
    expect((await db.rows('SELECT count FROM w'))).toEqual([[1n]]);
  });
});
