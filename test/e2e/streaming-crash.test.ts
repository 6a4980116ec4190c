// Crash safety of a streaming pipeline (DESIGN §3, §5): a server child process runs two bounded,
// paced nexmark sources (bids and auctions) feeding windowed views (TUMBLE, plain and EMIT ON
// WINDOW CLOSE; HOP; SESSION in the group-window form; window joins), and is killed with
// SIGKILL at random moments, three times, while windows and sessions are open. Each time it
// restarts on the same data directory and the sources resume from the positions committed with
// the last tick. After every restart, and at the end when the sources have reached their event
// count, every view equals the same query run by Postgres (PGlite) over the events up to the
// committed positions, generated here from the same options (the generator is a pure function
// of them): an event replayed into a view after a crash, or lost, shows as a wrong count.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { startServerProcess, type ServerProcess } from '../harness/server-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { keys } from '../../src/storage/key-layout.js';
import { nexmarkEventKind, nexmarkOptions, nexmarkRows } from '../../src/sources/generators/nexmark.js';
import type { Row } from '../../src/types/datum.js';

const EVENTS = 12_000; // raw nexmark events; 46 of every 50 are bids, 3 of every 50 auctions
// Events per second, of event time and of wall time: 12 s of producing, slow enough for the
// views to keep up on a loaded machine (the kills must land while the sources still produce).
const RATE = 1_000;
const BASE_MS = Date.UTC(2026, 10, 26, 12, 0, 0);
const OPTIONS: Record<string, string> = {
  'nexmark.seed': '20261126',
  'nexmark.event.num': String(EVENTS),
  'nexmark.event.rate': String(RATE),
  'nexmark.base.time': String(BASE_MS),
};
const withClause = (table: string): string =>
  Object.entries({ connector: 'nexmark', 'nexmark.table.type': table, ...OPTIONS })
    .map(([k, v]) => `${k} = '${v}'`)
    .join(', ');

const SOURCES = [
  `CREATE SOURCE bid (auction bigint, bidder bigint, price bigint, channel varchar, url varchar, date_time timestamp, extra varchar,
     WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND) WITH (${withClause('bid')})`,
  `CREATE SOURCE auction (id bigint, seller bigint, category bigint, date_time timestamp,
     WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND) WITH (${withClause('auction')})`,
];

interface View {
  name: string;
  /** The view's query in weir. */
  weir: string;
  /** The same query for Postgres, over bid(auction, bidder, price, date_time) and auction(id, seller, category, date_time). */
  pg: string;
}

// Postgres has no window TVFs: windows are computed with date_trunc, date_bin and generate_series.
const tumble2 = (t: string) => `date_bin('2 seconds', ${t}, timestamp '1970-01-01')`;
const SESSION_GAP = '500 milliseconds';
const VIEWS: View[] = [
  {
    name: 'tumble_plain',
    weir: `SELECT window_start, window_end, count(*) AS n, sum(price) AS total, max(price) AS top
           FROM TUMBLE(bid, date_time, INTERVAL '1' SECOND) GROUP BY window_start, window_end`,
    pg: `SELECT date_trunc('second', date_time) AS ws, date_trunc('second', date_time) + interval '1 second' AS we,
           count(*), sum(price), max(price) FROM bid GROUP BY 1, 2`,
  },
  {
    // EMIT ON WINDOW CLOSE: only windows whose end the watermark (the latest event time - 4 s)
    // has passed, each exactly once.
    name: 'tumble_eowc',
    weir: `SELECT window_start, window_end, count(*) AS n, max(price) AS top
           FROM TUMBLE(bid, date_time, INTERVAL '1' SECOND) GROUP BY window_start, window_end EMIT ON WINDOW CLOSE`,
    pg: `SELECT * FROM (SELECT date_trunc('second', date_time) AS ws, date_trunc('second', date_time) + interval '1 second' AS we,
           count(*), max(price) FROM bid GROUP BY 1, 2) w
         WHERE we <= (SELECT max(date_time) - interval '4 seconds' FROM bid)`,
  },
  {
    name: 'hop_auction',
    weir: `SELECT auction, window_start, window_end, count(*) AS bids, min(price) AS low
           FROM HOP(bid, date_time, INTERVAL '1' SECOND, INTERVAL '3' SECOND) GROUP BY auction, window_start, window_end`,
    pg: `SELECT auction, ws, ws + interval '3 seconds', count(*), min(price)
         FROM bid, LATERAL (SELECT date_trunc('second', date_time) - k * interval '1 second' AS ws FROM generate_series(0, 2) k) w
         GROUP BY auction, ws`,
  },
  {
    name: 'sessions',
    weir: `SELECT bidder, count(*) AS bids, SESSION_START(date_time, INTERVAL '${SESSION_GAP}') AS starttime,
             SESSION_END(date_time, INTERVAL '${SESSION_GAP}') AS endtime
           FROM bid GROUP BY bidder, SESSION(date_time, INTERVAL '${SESSION_GAP}')`,
    // A bidder's session ends where the next bid is at least the gap later: lag() marks those
    // bids and a running sum numbers the sessions (the default RANGE frame gives bids at equal
    // times the same number, whatever their order).
    pg: `WITH marked AS (
           SELECT bidder, date_time,
             CASE WHEN date_time - lag(date_time) OVER (PARTITION BY bidder ORDER BY date_time) >= interval '${SESSION_GAP}' THEN 1 ELSE 0 END AS brk
           FROM bid),
         numbered AS (
           SELECT bidder, date_time, sum(brk) OVER (PARTITION BY bidder ORDER BY date_time) AS sid FROM marked)
         SELECT bidder, count(*), min(date_time), max(date_time) + interval '${SESSION_GAP}' FROM numbered GROUP BY bidder, sid`,
  },
  {
    // The highest bid of each window (Nexmark q7): a window aggregate joined back to its window.
    name: 'top_bid',
    weir: `SELECT b.window_start, b.auction, b.bidder, b.price
           FROM TUMBLE(bid, date_time, INTERVAL '2' SECOND) b
           JOIN (SELECT window_start, max(price) AS maxprice FROM TUMBLE(bid, date_time, INTERVAL '2' SECOND) GROUP BY window_start) m
             ON b.window_start = m.window_start AND b.price = m.maxprice`,
    pg: `SELECT ${tumble2('b.date_time')}, b.auction, b.bidder, b.price FROM bid b
         JOIN (SELECT ${tumble2('date_time')} AS ws, max(price) AS maxprice FROM bid GROUP BY 1) m
           ON ${tumble2('b.date_time')} = m.ws AND b.price = m.maxprice`,
  },
  {
    // A window join of the two sources: each auction with the bids on it in the same 2 s window.
    name: 'auction_window_bids',
    weir: `SELECT a.id, a.seller, a.window_start, count(*) AS bids, max(b.price) AS top
           FROM TUMBLE(auction, date_time, INTERVAL '2' SECOND) a
           JOIN TUMBLE(bid, date_time, INTERVAL '2' SECOND) b ON a.id = b.auction AND a.window_start = b.window_start
           GROUP BY a.id, a.seller, a.window_start`,
    pg: `SELECT a.id, a.seller, ${tumble2('a.date_time')}, count(*), max(b.price)
         FROM auction a JOIN bid b ON a.id = b.auction AND ${tumble2('a.date_time')} = ${tumble2('b.date_time')}
         GROUP BY 1, 2, 3`,
  },
];

/** Every value as Postgres's text, in both clients. */
const rawText = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;
const RAW_PARSERS = Object.fromEntries([16, 20, 21, 23, 25, 700, 701, 1043, 1082, 1114, 1184, 1700].map((oid) => [oid, (v: string) => v]));

async function weirRows(client: pg.Client, sql: string): Promise<(string | null)[][]> {
  return (await client.query({ text: sql, rowMode: 'array', types: rawText })).rows as (string | null)[][];
}

async function pgRows(db: PGlite, sql: string): Promise<string[]> {
  const r = await db.query<string[]>(sql, [], { rowMode: 'array', parsers: RAW_PARSERS });
  return r.rows.map((row) => JSON.stringify(row));
}

const sorted = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();

/** µs → Postgres's text of a timestamp (nexmark event times are whole milliseconds). */
function timestampText(us: number): string {
  return new Date(us / 1000).toISOString().replace('T', ' ').replace('Z', '').replace(/\.?0+$/, '');
}

/** A source's events generated here, each with its raw event id (the source's position counts those). */
function events(table: 'bid' | 'auction'): { id: number; row: Row }[] {
  const opts = nexmarkOptions(
    Object.entries({ 'nexmark.table.type': table, ...OPTIONS }).map(([key, value]) => ({ key, value })),
    0,
  );
  const rows: Row[] = [];
  nexmarkRows(opts, 0, EVENTS, rows);
  const ids: number[] = [];
  for (let n = 0; n < EVENTS; n++) if (nexmarkEventKind(opts, n) === table) ids.push(n);
  expect(ids.length).toBe(rows.length);
  return rows.map((row, i) => ({ id: ids[i]!, row }));
}

/**
 * Postgres with every event loaded, as bid_all and auction_all with their event ids; `bid` and
 * `auction` are views of the events before the positions to compare with.
 */
async function oracle(): Promise<{ db: PGlite; at(bid: number, auction: number): Promise<void> }> {
  const db = await PGlite.create();
  await db.exec('CREATE TABLE bid_all (eid int, auction int8, bidder int8, price int8, date_time timestamp)');
  await db.exec('CREATE TABLE auction_all (eid int, id int8, seller int8, category int8, date_time timestamp)');
  const load = async (table: string, rows: string[]) => {
    for (let i = 0; i < rows.length; i += 5_000) await db.exec(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 5_000).join(',')}`);
  };
  // bid: auction, bidder, price, channel, url, date_time, extra.
  await load('bid_all', events('bid').map(({ id, row: r }) => `(${id}, ${r[0]}, ${r[1]}, ${r[2]}, '${timestampText(r[5] as number)}')`));
  // auction: id, item_name, description, initial_bid, reserve, date_time, expires, seller, category, extra.
  await load('auction_all', events('auction').map(({ id, row: r }) => `(${id}, ${r[0]}, ${r[7]}, ${r[8]}, '${timestampText(r[5] as number)}')`));
  return {
    db,
    async at(bid, auction) {
      await db.exec(`CREATE OR REPLACE VIEW bid AS SELECT auction, bidder, price, date_time FROM bid_all WHERE eid < ${bid};
        CREATE OR REPLACE VIEW auction AS SELECT id, seller, category, date_time FROM auction_all WHERE eid < ${auction}`);
    },
  };
}

/** A view's contents with the positions of both sources, read in one SELECT: one snapshot, one committed tick. */
interface ViewRead {
  view: View;
  when: string;
  bid: number;
  auction: number;
  rows: (string | null)[][];
}

async function readViews(client: pg.Client, when: string): Promise<ViewRead[]> {
  const out: ViewRead[] = [];
  for (const view of VIEWS) {
    const rows = await weirRows(
      client,
      `SELECT p.bid, p.auction, v.* FROM (SELECT (SELECT position FROM weir_source_stats WHERE name = 'bid') AS bid,
         (SELECT position FROM weir_source_stats WHERE name = 'auction') AS auction) p LEFT JOIN ${view.name} v ON true`,
    );
    const [bid, auction] = rows[0]!.slice(0, 2).map(Number) as [number, number];
    out.push({ view, when, bid, auction, rows: rows.map((r) => r.slice(2)).filter((r) => r.some((x) => x !== null)) });
  }
  return out;
}

/** Each view read equals Postgres over the events before the positions it was read with. */
async function checkViews(pgo: Awaited<ReturnType<typeof oracle>>, reads: ViewRead[]): Promise<void> {
  for (const { view, when, bid, auction, rows } of reads) {
    await pgo.at(bid, auction);
    expect(sorted(rows), `view ${view.name} ${when}, positions ${bid}/${auction}`).toEqual((await pgRows(pgo.db, view.pg)).sort());
    if (view.name === 'tumble_eowc') {
      expect(new Set(rows.map((r) => r[0])).size, `one row per closed window ${when}`).toBe(rows.length);
    }
  }
}

async function connect(server: ServerProcess): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: server.url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function position(client: pg.Client, name: string): Promise<number> {
  const r = await client.query(`SELECT position FROM weir_source_stats WHERE name = '${name}'`);
  return Number(r.rows[0].position);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 while sources stream into windowed views', () => {
  test('after each of three crashes every view equals Postgres over the committed events, and no event counts twice', async () => {
    const dataDir = tempDataDir();
    let server = await startServerProcess(dataDir);
    let client = await connect(server);
    for (const s of SOURCES) await client.query(s);
    for (const v of VIEWS) await client.query(`CREATE MATERIALIZED VIEW ${v.name} AS ${v.weir}`);

    // Three kills, at positions spread over what the sources have left to produce (a slow
    // machine only makes the test slower), each a moment after a tick committed since the
    // (re)start, so the server dies mid-stream with windows and sessions open.
    const from = await position(client, 'bid');
    const span = (EVENTS - from) / 4;
    const killAt = [1, 2, 3].map((i) => from + span * (i - 0.3 + 0.6 * Math.random()));
    const reads: ViewRead[] = [];
    for (let round = 1; round <= 3; round++) {
      const resumed = await position(client, 'bid');
      let before = resumed;
      while (before < EVENTS && (before === resumed || before < killAt[round - 1]!)) {
        await sleep(20);
        before = await position(client, 'bid');
      }
      expect(before, `the source is still producing at kill ${round}`).toBeLessThan(EVENTS);
      await sleep(Math.random() * 50);
      await server.kill('SIGKILL');
      await client.end().catch(() => undefined);

      server = await startServerProcess(dataDir);
      client = await connect(server);
      expect(await position(client, 'bid'), 'nothing committed is lost').toBeGreaterThanOrEqual(before);
      reads.push(...(await readViews(client, `after restart ${round}`)));
    }
    const booting = oracle(); // Postgres boots while the sources finish

    const deadline = Date.now() + 40_000;
    while ((await position(client, 'bid')) < EVENTS || (await position(client, 'auction')) < EVENTS) {
      expect(Date.now(), 'the sources reach their event count').toBeLessThan(deadline);
      await sleep(200);
    }
    reads.push(...(await readViews(client, 'at the end')));
    const pgo = await booting;
    await checkViews(pgo, reads);

    // Introspection: every event counted once; the watermark is the last event time - 4 s.
    const stats = await weirRows(client, `SELECT name, rows_ingested, position, watermark, late_dropped FROM weir_source_stats ORDER BY name`);
    const last = async (t: string) => (await pgRows(pgo.db, `SELECT count(*), max(date_time) - interval '4 seconds' FROM ${t}_all`))[0]!;
    const [auctions, auctionWatermark] = JSON.parse(await last('auction')) as [string, string];
    const [bids, bidWatermark] = JSON.parse(await last('bid')) as [string, string];
    expect(stats).toEqual([
      ['auction', auctions, String(EVENTS), auctionWatermark, '0'],
      ['bid', bids, String(EVENTS), bidWatermark, '0'],
    ]);
    expect(Number(bids)).toBe((EVENTS * 46) / 50);
    // The source's history as weir reads it (generated again by the server) is the events here.
    const history = 'SELECT auction, bidder, price, date_time FROM bid';
    expect(sorted(await weirRows(client, history)), 'SELECT * FROM bid').toEqual((await pgRows(pgo.db, history)).sort());
    // The views are not trivial: closed windows, sessions that a gap ended, matches in both joins.
    const count = async (sql: string) => Number((await weirRows(client, sql))[0]![0]);
    expect(await count('SELECT count(*) FROM tumble_eowc')).toBeGreaterThanOrEqual(6);
    expect(await count('SELECT count(*) - count(DISTINCT bidder) FROM sessions')).toBeGreaterThan(100);
    expect(await count('SELECT count(*) FROM sessions WHERE bids > 1')).toBeGreaterThan(100);
    expect(await count('SELECT count(*) FROM top_bid')).toBeGreaterThanOrEqual(5);
    expect(await count('SELECT count(*) FROM auction_window_bids')).toBeGreaterThan(10);

    await pgo.db.close();
    await client.end();
    await server.kill('SIGTERM');
  }, 120_000);
});

// The position the crash test reads must be a committed one: weir_source_stats, like every
// relation in a SELECT, shows the last committed tick (DESIGN §3), so in one SELECT it agrees
// with the views. The store is intercepted to put a tick's commit at the worst moment.
describe('weir_source_stats reads the committed tick', () => {
  const STATS_AND_VIEW = `SELECT (SELECT rows_ingested FROM weir_source_stats WHERE name = 'bid'),
    (SELECT coalesce(sum(n), 0)::int8 FROM per_auction)`;

  async function streaming(): Promise<InProcess> {
    const db = await inProcess(tempDataDir());
    await db.run(`CREATE SOURCE bid (auction bigint, date_time timestamp) WITH (connector = 'nexmark', nexmark.table.type = 'bid',
      nexmark.event.num = '5000', nexmark.event.rate = '1000', nexmark.base.time = '${BASE_MS}')`);
    await db.run('CREATE MATERIALIZED VIEW per_auction AS SELECT auction, count(*) AS n FROM bid GROUP BY auction');
    return db;
  }

  test('not the counters of a tick still being committed', async () => {
    const db = await streaming();
    const store = db.weir.coord.store;
    const write = store.write.bind(store);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const writing = new Promise<void>((r) => (holding = r));
    store.write = async (ops) => {
      holding();
      await held;
      return write(ops);
    };
    await writing; // the next source tick has computed its changes and waits to commit them
    const [[ingested, inView]] = (await db.rows(STATS_AND_VIEW)) as [[bigint, bigint]];
    release();
    store.write = write;
    expect(ingested, 'rows_ingested of the committed tick').toBe(inView);
    await db.close();
  });

  test('the counters and a view of the same tick, when a tick commits between their reads', async () => {
    const db = await streaming();
    const store = db.weir.coord.store;
    const viewId = db.weir.coord.catalog.byName(undefined, 'per_auction')!.id;
    const write = store.write.bind(store);
    const scan = store.scan.bind(store);
    let committed!: () => void;
    const nextCommit = new Promise<void>((r) => (committed = r));
    store.write = async (ops) => {
      await write(ops);
      committed();
    };
    // A read of the view's contents straight from the store waits for the next commit.
    const viewPrefix = keys.viewPrefix(viewId);
    store.scan = (range) => {
      const ofView = range.gte !== undefined && viewPrefix.every((b, i) => range.gte![i] === b);
      if (!ofView) return scan(range);
      return (async function* () {
        await nextCommit;
        yield* scan(range);
      })();
    };
    const [[ingested, inView]] = (await db.rows(STATS_AND_VIEW)) as [[bigint, bigint]];
    store.write = write;
    store.scan = scan;
    expect(ingested, 'rows_ingested of the tick the view was read at').toBe(inView);
    await db.close();
  });
});
