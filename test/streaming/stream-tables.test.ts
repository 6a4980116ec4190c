// Stream tables fed by INSERT (CREATE TABLE … WATERMARK … APPEND ONLY): watermarks, EMIT ON
// WINDOW CLOSE, the three late-event policies with their counters in weir_source_stats, and
// state freed once the watermark passes a window (counted in the store, DESIGN §3).
import { describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { keys, prefixRange } from '../../src/storage/key-layout.js';
import { decodeRowTrailer } from '../../src/types/value-codec.js';

const CLICKS = `CREATE TABLE clicks (user_id int, url text, ts timestamp,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) APPEND ONLY`;

/** The view's operator state entries, counting a GROUP BY's state kept in the view's rows (a trailer). */
async function stateKeys(db: InProcess, viewName: string): Promise<number> {
  const item = db.weir.coord.catalog.byName(undefined, viewName)!;
  let n = 0;
  for await (const chunk of db.weir.coord.store.scan(prefixRange(keys.statePrefix(item.id)))) n += chunk.length;
  for await (const chunk of db.weir.coord.store.scan(prefixRange(keys.viewPrefix(item.id)))) for (const [, v] of chunk) if (decodeRowTrailer(v)[1] !== null) n++;
  return n;
}

function stamp(t: string): string {
  return `'2026-11-26 ${t}'`;
}

describe('a stream table with a watermark', () => {
  test('EMIT ON WINDOW CLOSE emits nothing for an open window and one final row when it closes', async () => {
    const db = await inProcess();
    await db.run(CLICKS);
    await db.run(`CREATE MATERIALIZED VIEW per_minute AS
      SELECT window_start, window_end, count(*) AS n, max(user_id) AS top
      FROM TUMBLE(clicks, ts, INTERVAL '1' MINUTE)
      GROUP BY window_start, window_end EMIT ON WINDOW CLOSE`);
    await db.run(`INSERT INTO clicks VALUES (1, 'a', ${stamp('10:00:01')}), (2, 'b', ${stamp('10:00:30')})`);
    await db.run(`INSERT INTO clicks VALUES (3, 'c', ${stamp('10:00:59')})`);
    expect(await db.rows('SELECT * FROM per_minute')).toEqual([]);
    // Watermark = 10:01:04 - 5 s = 10:00:59: the 10:00 window is still open.
    await db.run(`INSERT INTO clicks VALUES (4, 'd', ${stamp('10:01:04')})`);
    expect(await db.rows('SELECT * FROM per_minute')).toEqual([]);
    // Watermark 10:01:00 closes [10:00, 10:01).
    await db.run(`INSERT INTO clicks VALUES (5, 'e', ${stamp('10:01:05')})`);
    const rows = await db.rows("SELECT substr(window_start::text, 12, 5), n, top FROM per_minute");
    expect(rows).toEqual([['10:00', 3n, 3]]);
    await db.run(`INSERT INTO clicks VALUES (6, 'f', ${stamp('10:03:00')})`);
    expect(await db.rows("SELECT substr(window_start::text, 12, 5), n, top FROM per_minute ORDER BY 1")).toEqual([
      ['10:00', 3n, 3],
      ['10:01', 2n, 5],
    ]);
    await db.close();
  });

  test('a view without EMIT ON WINDOW CLOSE is current; closed windows leave the operator state', async () => {
    const db = await inProcess(tempDataDir());
    await db.run(CLICKS);
    await db.run('CREATE TABLE plain (user_id int, url text, ts timestamp)'); // the same rows, no watermark
    for (const t of ['clicks', 'plain']) {
      await db.run(`CREATE MATERIALIZED VIEW per_minute_${t} AS
        SELECT window_start, count(*) AS n FROM TUMBLE(${t}, ts, INTERVAL '1' MINUTE) GROUP BY window_start`);
    }
    const sizes: number[] = [];
    for (let m = 0; m < 10; m++) {
      const values = Array.from({ length: 5 }, (_, i) => `(${i}, 'u', ${stamp(`10:0${m}:${10 * i + 5}`)})`).join(',');
      await db.run(`INSERT INTO clicks VALUES ${values}; INSERT INTO plain VALUES ${values}`);
      sizes.push(await stateKeys(db, 'per_minute_clicks'));
    }
    // Both views hold every window's row …
    for (const t of ['clicks', 'plain']) expect(await db.rows(`SELECT count(*), sum(n)::int8 FROM per_minute_${t}`)).toEqual([[10n, 50n]]);
    // … but only the view over the watermarked table forgot the closed windows' state.
    expect(await stateKeys(db, 'per_minute_plain')).toBe(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    await db.close();
  });

  test('EMIT ON WINDOW CLOSE over sessions: a session appears once it can no longer grow', async () => {
    const db = await inProcess();
    await db.run(CLICKS);
    await db.run(`CREATE MATERIALIZED VIEW sessions AS
      SELECT user_id, count(*) AS n, SESSION_START(ts, INTERVAL '10' SECOND) AS s, SESSION_END(ts, INTERVAL '10' SECOND) AS e
      FROM clicks GROUP BY user_id, SESSION(ts, INTERVAL '10' SECOND) EMIT ON WINDOW CLOSE`);
    await db.run(`INSERT INTO clicks VALUES (1, 'a', ${stamp('10:00:00')}), (1, 'b', ${stamp('10:00:08')}), (2, 'c', ${stamp('10:00:09')})`);
    // Watermark 10:00:20: user 1's session ends at 10:00:18, user 2's at 10:00:19 — both final.
    await db.run(`INSERT INTO clicks VALUES (1, 'd', ${stamp('10:00:25')})`);
    const rows = () => db.rows('SELECT user_id, n, substr(s::text, 12, 8), substr(e::text, 12, 8) FROM sessions ORDER BY 1, 3');
    expect(await rows()).toEqual([
      [1, 2n, '10:00:00', '10:00:18'],
      [2, 1n, '10:00:09', '10:00:19'],
    ]);
    await db.run(`INSERT INTO clicks VALUES (1, 'e', ${stamp('10:01:00')})`);
    expect((await rows()).length).toBe(3);
    await db.close();
  });

  test('UPDATE and DELETE are refused on an append-only table', async () => {
    const db = await inProcess();
    await db.run(CLICKS);
    await expect(db.run('DELETE FROM clicks')).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run("UPDATE clicks SET url = 'x'")).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run("CREATE TABLE t (ts timestamp, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)")).rejects.toMatchObject({ code: '0A000' });
    await db.close();
  });
});

describe('late events', () => {
  const late = async (policy: string) => {
    const db = await inProcess();
    await db.run(`CREATE TABLE clicks (user_id int, ts timestamp,
      WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) APPEND ONLY WITH (${policy})`);
    await db.run(`CREATE MATERIALIZED VIEW per_minute AS
      SELECT window_start, count(*) AS n FROM TUMBLE(clicks, ts, INTERVAL '1' MINUTE) GROUP BY window_start`);
    await db.run(`INSERT INTO clicks VALUES (1, ${stamp('10:00:10')}), (2, ${stamp('10:01:30')})`); // watermark 10:01:25
    await db.run(`INSERT INTO clicks VALUES (3, ${stamp('10:00:50')})`); // late by 35 s
    return db;
  };
  const counts = (db: InProcess) =>
    db.rows("SELECT late_policy, rows_ingested, late_dropped, late_side_output, late_corrected FROM weir_source_stats WHERE name = 'clicks'");
  const view = (db: InProcess) => db.rows("SELECT substr(window_start::text, 12, 5), n FROM per_minute ORDER BY 1");

  test('drop: discarded and counted', async () => {
    const db = await late("late.policy = 'drop'");
    expect(await view(db)).toEqual([['10:00', 1n], ['10:01', 1n]]);
    expect(await counts(db)).toEqual([['drop', 2n, 1n, 0n, 0n]]);
    expect(await db.rows('SELECT count(*) FROM clicks')).toEqual([[2n]]);
    await db.close();
  });

  test('side output: kept in clicks_late, which views can read', async () => {
    const db = await late("late.policy = 'side_output'");
    expect(await view(db)).toEqual([['10:00', 1n], ['10:01', 1n]]);
    expect(await counts(db)).toEqual([['side_output', 2n, 0n, 1n, 0n]]);
    expect(await db.rows("SELECT user_id, substr(ts::text, 12, 8) FROM clicks_late")).toEqual([[3, '10:00:50']]);
    await db.run('CREATE MATERIALIZED VIEW late_n AS SELECT count(*) AS n FROM clicks_late');
    await db.run(`INSERT INTO clicks VALUES (4, ${stamp('10:00:00')})`);
    expect(await db.rows('SELECT n FROM late_n')).toEqual([[2n]]);
    await expect(db.run('DROP TABLE clicks_late')).rejects.toMatchObject({ code: '42809' });
    await db.run('DROP TABLE clicks CASCADE');
    expect(await db.rows("SELECT count(*) FROM pg_class WHERE relname LIKE 'clicks%'")).toEqual([[0n]]);
    await db.close();
  });

  test('correct: within the allowed lateness the result is updated, beyond it the row is dropped', async () => {
    const db = await late("late.policy = 'correct', late.allowed.lateness = '1 minute'");
    expect(await view(db)).toEqual([['10:00', 2n], ['10:01', 1n]]);
    expect(await counts(db)).toEqual([['correct', 3n, 0n, 0n, 1n]]);
    await db.run(`INSERT INTO clicks VALUES (4, ${stamp('10:00:01')})`); // 84 s behind the watermark
    expect(await view(db)).toEqual([['10:00', 2n], ['10:01', 1n]]);
    expect(await counts(db)).toEqual([['correct', 3n, 1n, 0n, 1n]]);
    await db.close();
  });

  test('policy options are checked', async () => {
    const db = await inProcess();
    const make = (w: string) => db.run(`CREATE TABLE c (ts timestamp, WATERMARK FOR ts AS ts) APPEND ONLY WITH (${w})`);
    await expect(make("late.policy = 'ignore'")).rejects.toMatchObject({ code: '22023' });
    await expect(make("late.policy = 'correct'")).rejects.toMatchObject({ code: '22023' });
    await expect(make("late.allowed.lateness = '1 second'")).rejects.toMatchObject({ code: '22023' });
    await db.close();
  });
});

describe('restart', () => {
  test('watermark, late counts and open windows survive a restart', async () => {
    const dir = tempDataDir();
    let db = await inProcess(dir);
    await db.run(CLICKS);
    await db.run(`CREATE MATERIALIZED VIEW per_minute AS
      SELECT window_start, count(*) AS n FROM TUMBLE(clicks, ts, INTERVAL '1' MINUTE)
      GROUP BY window_start EMIT ON WINDOW CLOSE`);
    await db.run(`INSERT INTO clicks VALUES (1, 'a', ${stamp('10:00:10')}), (2, 'b', ${stamp('10:00:40')})`);
    await db.close();
    db = await inProcess(dir);
    await db.run(`INSERT INTO clicks VALUES (3, 'c', ${stamp('09:59:00')})`); // late: the watermark was restored
    await db.run(`INSERT INTO clicks VALUES (4, 'd', ${stamp('10:01:30')})`);
    expect(await db.rows("SELECT substr(window_start::text, 12, 5), n FROM per_minute")).toEqual([['10:00', 2n]]);
    expect(await db.rows("SELECT rows_ingested, late_dropped FROM weir_source_stats")).toEqual([[3n, 1n]]);
    await db.close();
  });
});
