// Every Nexmark query file of ../shared/nexmark (RisingWave's and Flink's dialects) on weir.
//
// Per dialect, one in-process weir: the dialect's own DDL with only the source replaced by
// weir's nexmark generator (a fixed number of events at full speed), then every query file as
// written (RisingWave: CREATE SINK … WITH (connector = 'blackhole'); Flink: a blackhole
// CREATE TABLE and INSERT INTO it), plus each query once more as a MATERIALIZED VIEW. All of
// it is created while the source is paused, so the views are maintained tick by tick as the
// events stream in. Once the source has reached its event count, each view must equal the
// same query run from scratch by Postgres (PGlite) over the generated events
// (nexmark-postgres.ts). Queries that read the processing time (now(), PROCTIME()) are only
// checked to run: their sink is created and must maintain itself without error.
//
// Two tests per file: "runs" (the file's statements succeed) and "equals Postgres". A known
// gap is a `test.fails` with its reason (docs/compatibility.md, "Nexmark queries").
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { copyToPostgres, exactPercentiles, FLINK_FUNCTIONS, plainWindows, postgresRows, unquoteBackticks, weirRows } from './nexmark-postgres.js';

const NEXMARK = resolve(import.meta.dirname, '../../../shared/nexmark');
const EVENTS = 5_000;
/**
 * Event time: 50 events per second from 50 s before the test started, so the events span 100 s
 * (ten 10 s windows) and the temporal filters of bid_filtered (the last minute) keep some of
 * them; 1,000 events per tick, so views are maintained over five ticks.
 */
const SOURCE_OPTIONS = `connector = 'nexmark', nexmark.table.type = 'combined', nexmark.event.num = '${EVENTS}',
  nexmark.max.emit.speed = 'true', nexmark.max.chunk.size = '1000', nexmark.event.rate = '50', nexmark.base.time = '${Date.now() - 50_000}'`;

interface Spec {
  /** Why the file does not run on weir yet (the "runs" test is then a test.fails). */
  runFails?: string;
  /** Why the view does not equal Postgres, or cannot be created (the "equals Postgres" test is then a test.fails). */
  checkFails?: string;
  /** The query reads the processing time (now(), PROCTIME()): only checked to run. */
  processingTime?: true;
  /** The Postgres form, when the query's own text (windows made plain) is not one: the text, or a rewrite of it. */
  pg?: string | ((sql: string) => string);
  /** Compare only these output columns (the others depend on how ties are broken). */
  columns?: number[];
}

const PROCTIME = 'needs a processing-time attribute (PROCTIME())';
/** Flink's q6 as written is not a valid query (Flink cannot run it either, FLINK-19059); weir runs RisingWave's form of it. */
const FLINK_Q6 = 'not valid SQL: its WHERE reads rownum, an alias of the same SELECT (column "rownum" does not exist, as in Postgres), and its window reads A.id outside the subquery that defines A';

const RISINGWAVE: Record<string, Spec> = {
  'q0.sql': {},
  'q1.sql': {},
  'q2.sql': {},
  'q3.sql': {},
  'q3-no-condition.sql': {},
  'q4.sql': {},
  'q5.sql': {},
  'q5-many-windows.sql': {},
  'q5-rewrite.sql': {},
  'q6-group-top1.sql': {},
  'q7.sql': {},
  'q7-rewrite.sql': {},
  'q8.sql': {},
  'q9.sql': {},
  'q10.sql': {},
  'q12.sql': { processingTime: true, runFails: `${PROCTIME}: p_time, which ddl.sql does not define (RisingWave's benchmarks add it)` },
  'q13.sql': { processingTime: true },
  'q13-by-row-id.sql': { processingTime: true, runFails: "joins on RisingWave's hidden _row_id column" },
  'q13-non-lookup-cond.sql': { processingTime: true },
  'q14.sql': {},
  'q15.sql': {},
  'q15-no-distinct.sql': {},
  'q15-simple.sql': {},
  'q15-two-phase.sql': {},
  'q16.sql': {},
  'q16-no-distinct.sql': {},
  'q17.sql': {},
  'q18.sql': {},
  'q19.sql': { columns: [0, 1, 2, 3, 4, 5, 6] },
  'q20.sql': {},
  'q21.sql': {},
  'q22.sql': {},
  'q101.sql': {},
  'q102.sql': {},
  'q103.sql': {},
  'q104.sql': {},
  // LIMIT 1000 of auctions ordered by their bid count: which of the tied auctions at the
  // boundary make it is up to each system, so only the counts are compared.
  'q105.sql': { columns: [2] },
  'q105-without-limit.sql': {},
  'q106.sql': {},
  // weir computes approx_percentile exactly: Postgres's percentile_disc.
  'q107.sql': { pg: exactPercentiles },
  'q108.sql': { pg: exactPercentiles },
};
// The temporal-filter variants read bid_filtered, the bids of the last minute of processing time.
for (const f of readdirSync(resolve(NEXMARK, 'risingwave'))) {
  if (f.endsWith('-temporal-filter.sql')) RISINGWAVE[f] = { processingTime: true };
}
RISINGWAVE['q12-temporal-filter.sql']!.runFails = PROCTIME;

/** RisingWave's benchmarks define bid_filtered next to their Kafka DDL; this is its shape. */
const BID_FILTERED = "CREATE VIEW bid_filtered AS SELECT * FROM bid WHERE date_time > now() - INTERVAL '1' MINUTE";

function postgresForm(spec: Spec, query: string): string {
  return typeof spec.pg === 'function' ? spec.pg(query) : (spec.pg ?? query);
}

/** q10's filesystem sink writes under ${NEXMARK_DIR}/data/output/${SUBMIT_TIME}/: from the environment, as the benchmark's scripts set them, or a temporary directory. */
const ENVIRONMENT: Record<string, string> = {
  NEXMARK_DIR: process.env.NEXMARK_DIR ?? tempDataDir(),
  SUBMIT_TIME: process.env.SUBMIT_TIME ?? String(Date.now()),
  FLINK_HOME: flinkHome(),
};

/** $FLINK_HOME for Flink's q13: a temporary directory whose data/side_input.txt holds 10,000 lines `key,value`, as Flink's Nexmark setup makes it. */
function flinkHome(): string {
  const dir = tempDataDir();
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data/side_input.txt'), Array.from({ length: 10_000 }, (_, i) => `${i},${i}\n`).join(''));
  return dir;
}

/** A query file's text with its ${…} templates filled in. */
function template(text: string): string {
  return text.replace(/\$\{(\w+)\}/g, (_m, name: string) =>
    ENVIRONMENT[name] ?? (name.includes('SIDE_INPUT_ROW_COUNT') ? '1000' : name === 'NEXMARK_TABLE' ? 'datagen' : 'false'),
  );
}

interface Prepared {
  file: string;
  spec: Spec;
  /** The view holding the query's results, and the query in Postgres's dialect. */
  view: string;
  pg: string;
  runError?: unknown;
  viewError?: unknown;
}

interface Dialect {
  db: InProcess;
  pg: PGlite;
  queries: Map<string, Prepared>;
}

/** Creates the source paused, runs `setup` (DDL, query files, views), then lets the events flow until all are in. */
async function startDialect(
  ddl: string,
  setup: (db: InProcess, queries: Map<string, Prepared>) => Promise<void>,
  tables: string[], pgSetup: string): Promise<Dialect> {
  const db = await inProcess();
  db.weir.coord.sourcesPaused = true;
  await db.run(ddl);
  const queries = new Map<string, Prepared>();
  const t0 = Date.now();
  await setup(db, queries);
  if (process.env.NX_DEBUG) console.log('setup ms', Date.now() - t0);
  db.weir.coord.sourcesPaused = false;
  let lastLog = Date.now();
  const deadline = Date.now() + 100_000;
  for (;;) {
    const [[position]] = (await db.rows('SELECT position FROM weir_source_stats')) as [[bigint]];
    if (Number(position) >= EVENTS) break;
    if (process.env.NX_DEBUG && Date.now() - lastLog > 2000) { lastLog = Date.now(); console.log('position', position, Date.now() - t0); }
    if (Date.now() > deadline) throw new Error(`the source stopped at ${position} of ${EVENTS} events`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const pg = await PGlite.create();
  await pg.exec("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'");
  for (const t of tables) await copyToPostgres(pg, db, t);
  await pg.exec(pgSetup);
  return { db, pg, queries };
}

/**
 * Runs one query file and creates its view; errors are kept for the file's tests. `columns`:
 * names for the view's columns (Flink's sink table's: its query may repeat a name).
 */
async function prepare(db: InProcess, p: Prepared, fileSql: string, viewQuery: string | undefined, columns: string[] = []): Promise<void> {
  try {
    await db.run(fileSql);
  } catch (e) {
    p.runError = e;
  }
  const names = columns.length > 0 ? ` (${columns.map((c) => `"${c}"`).join(', ')})` : '';
  if (process.env.NX_DEBUG) console.log(p.file, 'run', p.runError ? String(p.runError) : 'ok');
  // A query on processing time has nothing to compare: its sink is what runs.
  if (p.spec.processingTime) return;
  try {
    if (viewQuery === undefined) throw new Error('no query found in the file');
    await db.run(`CREATE MATERIALIZED VIEW ${p.view}${names} AS ${viewQuery}`);
  } catch (e) {
    p.viewError = e;
  }
}

function declareTests(name: string, dialect: () => Dialect, files: string[], specs: Record<string, Spec>): void {
  test('every query file has a spec', () => {
    expect(files.filter((f) => !(f in specs))).toEqual([]);
  });
  for (const file of files) {
    const spec = specs[file] ?? {};
    const runs = spec.runFails ? test.fails : test;
    runs(`${name} ${file} runs${spec.runFails ? ` (fails: ${spec.runFails})` : ''}`, () => {
      const p = dialect().queries.get(file)!;
      expect(p.runError).toBeUndefined();
    });
    if (spec.processingTime) continue;
    const checks = spec.checkFails ? test.fails : test;
    checks(`${name} ${file} equals Postgres${spec.checkFails ? ` (fails: ${spec.checkFails})` : ''}`, async () => {
      const d = dialect();
      const p = d.queries.get(file)!;
      expect(p.viewError).toBeUndefined();
      const result = await d.db.run(`SELECT * FROM ${p.view}`);
      if (result.kind !== 'rows') throw new Error('expected rows');
      const mine = weirRows(result, spec.columns);
      const theirs = await postgresRows(d.pg, p.pg, result.columns.length, spec.columns);
      expect(mine.length, `${file}: row count`).toBe(theirs.length);
      expect(mine).toEqual(theirs);
    });
  }
}

// ---- RisingWave ----

const rwFiles = readdirSync(resolve(NEXMARK, 'risingwave'))
  .filter((f) => /^q.*\.sql$/.test(f))
  .sort();
let rw: Dialect;

describe('RisingWave dialect', () => {
  beforeAll(async () => {
    const ddl = readFileSync(resolve(NEXMARK, 'risingwave/ddl.sql'), 'utf8').replace(
      /WITH\s*\(\s*connector\s*=\s*'kafka'[^)]*\)\s*FORMAT PLAIN ENCODE JSON/,
      `WITH (${SOURCE_OPTIONS})`,
    );
    let countChar = '';
    rw = await startDialect(
      ddl,
      async (db, prepared) => {
        await db.run(BID_FILTERED).catch(() => {});
        for (const file of rwFiles) {
          if (process.env.NX_SKIP && new RegExp(process.env.NX_SKIP).test(file)) continue;
          // The q13 files each create the side table `side_input`; here they share one database, so each gets its own.
          const text = template(readFileSync(resolve(NEXMARK, 'risingwave', file), 'utf8')).replace(/\bside_input\b/g, `side_input_${file.replace(/\W/g, '_')}`);
          const m = /CREATE\s+SINK\s+(\w+)\s+AS\s+([\s\S]*?)\s*WITH\s*\(\s*connector\s*=\s*'blackhole'[^)]*\)\s*;?\s*$/i.exec(text);
          const fn = /CREATE FUNCTION[\s\S]*?\$\$;/.exec(text);
          if (fn) countChar = fn[0];
          const spec = RISINGWAVE[file] ?? {};
          const p: Prepared = { file, spec, view: `${m?.[1] ?? file.replace(/\W/g, '_')}_view`, pg: postgresForm(spec, plainWindows(m?.[2] ?? '')) };
          prepared.set(file, p);
          await prepare(db, p, text, m?.[2]);
        }
      },
      ['bid', 'auction', 'person'],
      '',
    );
    if (countChar) await rw.pg.exec(countChar);
  }, 150_000);
  afterAll(async () => {
    await rw?.db.close();
    await rw?.pg.close();
  });
  declareTests('risingwave', () => rw, rwFiles, RISINGWAVE);
});

// ---- Flink ----

const FLINK: Record<string, Spec> = {
  'q0.sql': {},
  'q1.sql': {},
  'q2.sql': {},
  'q3.sql': {},
  'q4.sql': {},
  'q5.sql': {},
  'q6.sql': { runFails: FLINK_Q6, checkFails: FLINK_Q6 },
  'q7.sql': {},
  'q8.sql': {},
  'q9.sql': {},
  // Its filesystem sink writes CSV files under $NEXMARK_DIR (a temporary directory here); test/adapter/file-sink.test.ts checks the files.
  'q10.sql': {},
  'q11.sql': {
    pg: `SELECT bidder, count(*), min(datetime), max(datetime) + interval '10 seconds' FROM (
           SELECT bidder, datetime, sum(CASE WHEN prev IS NULL OR datetime - prev >= interval '10 seconds' THEN 1 ELSE 0 END)
             OVER (PARTITION BY bidder ORDER BY datetime ROWS UNBOUNDED PRECEDING) AS sid
           FROM (SELECT bidder, datetime, lag(datetime) OVER (PARTITION BY bidder ORDER BY datetime) AS prev FROM bid) x) s
         GROUP BY bidder, sid`,
  },
  'q12.sql': { processingTime: true },
  // Its side_input table reads ${FLINK_HOME}/data/side_input.txt (flinkHome() writes it).
  'q13.sql': { processingTime: true },
  'q14.sql': { runFails: 'count_char is a Java UDF (CREATE FUNCTION … AS a Java class)', checkFails: 'count_char is a Java UDF' },
  'q15.sql': {},
  'q16.sql': {},
  'q17.sql': {},
  'q18.sql': {},
  'q19.sql': { columns: [0, 1, 2, 3, 4, 5, 6] },
  'q20.sql': {},
  'q21.sql': {},
  'q22.sql': {},
  'q23.sql': {},
};

const flinkFiles = readdirSync(resolve(NEXMARK, 'flink'))
  .filter((f) => /^q\d+\.sql$/.test(f))
  .sort();
let flink: Dialect;

/** ddl_gen.sql with its WITH clause (Flink's nexmark connector options) replaced by weir's. */
function flinkSourceDdl(): string {
  const text = readFileSync(resolve(NEXMARK, 'flink/ddl_gen.sql'), 'utf8');
  return text.replace(/\)\s*WITH\s*\(\s*'connector'\s*=\s*'nexmark'[\s\S]*?\)\s*;/, `) WITH (${SOURCE_OPTIONS});`);
}

/** The column names of the file's `CREATE TABLE <table> (…)` (Flink's sink table), folded like identifiers. */
function sinkTableColumns(text: string, table: string): string[] {
  const start = new RegExp(String.raw`CREATE\s+TABLE\s+${table}\s*\(`, 'i').exec(text);
  if (!start) return [];
  let depth = 1;
  let i = start.index + start[0].length;
  let element = '';
  const elements: string[] = [];
  for (; i < text.length && depth > 0; i++) {
    const c = text[i]!;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if ((c === ',' && depth === 1) || depth === 0) {
      elements.push(element);
      element = '';
    } else element += c;
  }
  return elements.map((e) => /^\s*`?(\w+)`?/.exec(e)?.[1]?.toLowerCase() ?? '').filter((n) => n !== '');
}

describe('Flink dialect', () => {
  beforeAll(async () => {
    flink = await startDialect(
      flinkSourceDdl(),
      async (db, prepared) => {
        await db.run(template(readFileSync(resolve(NEXMARK, 'flink/ddl_views.sql'), 'utf8')));
        for (const file of flinkFiles) {
          const text = template(readFileSync(resolve(NEXMARK, 'flink', file), 'utf8'));
          const m = /INSERT\s+INTO\s+(\w+)\s+([\s\S]*?);?\s*$/i.exec(text);
          const spec = FLINK[file] ?? {};
          const p: Prepared = {
            file,
            spec,
            view: `${m?.[1] ?? file.replace(/\W/g, '_')}_view`,
            pg: postgresForm(spec, plainWindows(unquoteBackticks(m?.[2] ?? ''))),
          };
          prepared.set(file, p);
          await prepare(db, p, text, m?.[2], m ? sinkTableColumns(text, m[1]!) : []);
        }
      },
      ['bid', 'auction', 'person'],
      FLINK_FUNCTIONS,
    );
  }, 150_000);
  afterAll(async () => {
    await flink?.db.close();
    await flink?.pg.close();
  });
  declareTests('flink', () => flink, flinkFiles, FLINK);
});
