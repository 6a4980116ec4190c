// psql, the way a user drives a streaming session: the statements of the event-time issue
// (a nexmark bid source with a watermark, HOP / EMIT ON WINDOW CLOSE / SESSION views, a stream
// table) typed into real psql, then SELECTs from the views while the source is still producing,
// and psql's \d and \d bid. What psql prints must be sane: the command tags, the columns as
// named, rows whose values fit their windows. psql runs as a child process against an
// in-process server (asynchronously: a synchronous exec would block the server's event loop).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../harness/weir-server.js';
import { runPsql, type PsqlRun } from '../harness/psql.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Runs `script` through psql's standard input; never throws on SQL errors. */
function psql(script: string, extra: string[] = []): Promise<PsqlRun> {
  return runPsql(server.port, script, extra);
}

interface Printed {
  /** The line above the header (psql's title, e.g. `Table "public.bid"`), if any. */
  title: string;
  columns: string[];
  rows: string[][];
}

/** The tables psql printed (aligned format): a header, a `---+---` line, rows up to `(n rows)` or a blank line. */
function printedTables(stdout: string): Printed[] {
  const lines = stdout.split('\n');
  const out: Printed[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!/^-+(\+-+)*$/.test(lines[i]!)) continue;
    const cells = (l: string) => l.split('|').map((c) => c.trim());
    const rows: string[][] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j] !== '' && !/^\(\d+ rows?\)$/.test(lines[j]!); j++) rows.push(cells(lines[j]!));
    out.push({ title: (lines[i - 2] ?? '').trim(), columns: cells(lines[i - 1]!), rows });
    i = j;
  }
  return out;
}

// 100 s at the 10,000 events per second: the source must still be producing when the
// test reads it, even on a loaded machine where each psql run takes seconds.
const EVENTS = 1_000_000;

// The session, as a user types it (with a bounded event count).
const SESSION = `
CREATE SOURCE bid (auction bigint, bidder bigint, price bigint, channel varchar, url varchar, date_time timestamp, extra varchar,
  WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
  WITH (connector = 'nexmark', nexmark.table.type = 'bid', nexmark.event.rate = '10000', nexmark.event.num = '${EVENTS}');
CREATE MATERIALIZED VIEW hot_items AS SELECT auction, window_start, count(*) AS bids
  FROM HOP(bid, date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND) GROUP BY auction, window_start;
CREATE MATERIALIZED VIEW per_minute AS SELECT window_start, window_end, count(*) AS n, max(price) AS top
  FROM TUMBLE(bid, date_time, INTERVAL '1' MINUTE) GROUP BY window_start, window_end EMIT ON WINDOW CLOSE;
CREATE MATERIALIZED VIEW sessions AS SELECT bidder, count(*) AS bids, SESSION_START(date_time, INTERVAL '10' SECOND) AS starttime,
  SESSION_END(date_time, INTERVAL '10' SECOND) AS endtime FROM bid GROUP BY bidder, SESSION(date_time, INTERVAL '10' SECOND);
CREATE TABLE clicks (user_id int, url text, ts timestamp, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) APPEND ONLY;
SELECT * FROM weir_source_stats;
`;

const STATS_COLUMNS = ['name', 'kind', 'connector', 'rows_ingested', 'position', 'watermark', 'late_policy', 'late_dropped', 'late_side_output', 'late_corrected', 'status'];
const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/;
const micros = (t: string) => Date.parse(`${t.replace(' ', 'T')}Z`) * 1000;

/** bid's position in weir_source_stats as psql printed it. */
function bidPosition(stats: Printed): number {
  const row = stats.rows.find((r) => r[0] === 'bid')!;
  return Number(row[STATS_COLUMNS.indexOf('position')]);
}

describe('psql: a streaming session', () => {
  test("the issue's statements, SELECTs while the source produces, and \\d", async () => {
    const created = await psql(SESSION);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout.split('\n').filter((l) => /^CREATE /.test(l))).toEqual([
      'CREATE SOURCE',
      'CREATE MATERIALIZED VIEW',
      'CREATE MATERIALIZED VIEW',
      'CREATE MATERIALIZED VIEW',
      'CREATE TABLE',
    ]);
    const [stats] = printedTables(created.stdout);
    expect(stats!.columns).toEqual(STATS_COLUMNS);
    expect(stats!.rows.map((r) => r.slice(0, 3))).toEqual([
      ['bid', 'source', 'nexmark'],
      ['clicks', 'table', ''],
    ]);

    // A moment later, while the source is producing: every view as the user reads it.
    await new Promise((r) => setTimeout(r, 1_500));
    const read = await psql(`
SELECT * FROM weir_source_stats WHERE name = 'bid';
SELECT * FROM hot_items ORDER BY bids DESC, auction, window_start LIMIT 5;
SELECT * FROM per_minute;
SELECT * FROM sessions ORDER BY bids DESC, bidder, starttime LIMIT 5;
SELECT count(*) AS windows, count(DISTINCT auction) AS auctions FROM hot_items;
INSERT INTO clicks VALUES (1, '/a', '2026-11-26 10:00:01'), (2, '/b', '2026-11-26 10:00:09'), (3, '/c', '2026-11-26 10:00:02');
SELECT name, rows_ingested, watermark, late_dropped FROM weir_source_stats WHERE name = 'clicks';
`);
    expect(read.stderr).toBe('');
    const [bidStats, hot, perMinute, sessions, counts, clicks] = printedTables(read.stdout);

    const position = bidPosition(bidStats!);
    expect(position, 'the source has produced').toBeGreaterThan(0);
    expect(position, 'and is still producing').toBeLessThan(EVENTS);
    expect(bidStats!.rows[0]![STATS_COLUMNS.indexOf('watermark')]).toMatch(TIMESTAMP);

    expect(hot!.columns).toEqual(['auction', 'window_start', 'bids']);
    expect(hot!.rows).toHaveLength(5);
    for (const [auction, start, bids] of hot!.rows) {
      expect(Number(auction)).toBeGreaterThan(0);
      expect(start).toMatch(TIMESTAMP);
      expect(micros(start!) % 2_000_000, 'a HOP window starts on its 2 s slide').toBe(0);
      expect(Number(bids)).toBeGreaterThan(0);
    }

    // EMIT ON WINDOW CLOSE: a minute window appears once the watermark passes its end, final.
    expect(perMinute!.columns).toEqual(['window_start', 'window_end', 'n', 'top']);
    for (const [start, end, n] of perMinute!.rows) {
      expect(micros(end!) - micros(start!)).toBe(60_000_000);
      expect(Number(n)).toBeGreaterThan(0);
    }

    expect(sessions!.columns).toEqual(['bidder', 'bids', 'starttime', 'endtime']);
    expect(sessions!.rows).toHaveLength(5);
    for (const [bidder, bids, start, end] of sessions!.rows) {
      expect(Number(bidder)).toBeGreaterThan(0);
      expect(Number(bids)).toBeGreaterThan(0);
      expect(start).toMatch(TIMESTAMP);
      expect(micros(end!) - micros(start!), 'a session ends a gap after its last bid').toBeGreaterThanOrEqual(10_000_000);
    }
    expect(counts!.columns).toEqual(['windows', 'auctions']);
    expect(Number(counts!.rows[0]![0])).toBeGreaterThanOrEqual(Number(counts!.rows[0]![1]));

    // The stream table, rows in arrival order: 10:00:09 raises the watermark to 10:00:04, so
    // 10:00:02, after it, is late and dropped (the default policy), and counted.
    expect(read.stdout).toMatch(/^INSERT 0 3$/m);
    expect(clicks!.columns).toEqual(['name', 'rows_ingested', 'watermark', 'late_dropped']);
    expect(clicks!.rows).toEqual([['clicks', '2', '2026-11-26 10:00:04', '1']]);

    // psql's catalog commands list the source and the views, and describe the source.
    const described = await psql('\\d\n\\d bid\n\\d hot_items\n');
    expect(described.stderr).toBe('');
    const [list, bid, hotItems] = printedTables(described.stdout);
    expect(list!.title).toBe('List of relations');
    expect(list!.columns).toEqual(['Schema', 'Name', 'Type', 'Owner']);
    // A source is listed as a table: psql names only Postgres's relation kinds.
    expect(list!.rows).toEqual([
      ['public', 'bid', 'table', 'weir'],
      ['public', 'clicks', 'table', 'weir'],
      ['public', 'hot_items', 'materialized view', 'weir'],
      ['public', 'per_minute', 'materialized view', 'weir'],
      ['public', 'sessions', 'materialized view', 'weir'],
    ]);
    expect(bid!.title).toBe('Table "public.bid"');
    expect(bid!.rows.map((r) => r.slice(0, 2))).toEqual([
      ['auction', 'bigint'],
      ['bidder', 'bigint'],
      ['price', 'bigint'],
      ['channel', 'character varying'],
      ['url', 'character varying'],
      ['date_time', 'timestamp without time zone'],
      ['extra', 'character varying'],
    ]);
    expect(hotItems!.title).toBe('Materialized view "public.hot_items"');
    expect(hotItems!.rows.map((r) => r[0])).toEqual(['auction', 'window_start', 'bids']);

    // Still flowing: a later read shows the source further on.
    const later = await psql("SELECT * FROM weir_source_stats WHERE name = 'bid';\n");
    expect(bidPosition(printedTables(later.stdout)[0]!)).toBeGreaterThan(position);
  });
});
