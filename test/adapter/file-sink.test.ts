// The filesystem sink (adapter/file-sink.ts): Flink's q10 as written writes every bid once as a
// CSV line in the directory of its partition (dt=…/hm=…), equal to what the query gives;
// partitions the watermark has passed get _SUCCESS; the options and directories that cannot
// work are errors at CREATE; a directory that breaks later shows in weir_sink_stats and the rows
// arrive once it is fixed. (The kill -9 proof: test/e2e/file-sink-crash.test.ts.)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { until } from '../harness/until.js';
import { pino } from 'pino';
import { FileSink } from '../../src/adapter/file-sink.js';
import { MemoryKvStore } from '../../src/storage/memory-kv-store.js';
import { prefixRange } from '../../src/storage/key-layout.js';
import type { RelationItem, SinkItem } from '../../src/catalog/catalog-item.js';

const NEXMARK = resolve(import.meta.dirname, '../../../shared/nexmark');
const EVENTS = 3000;
/** 20 events a second of event time from 10:00:00: the bids span 10:00 to 10:02, three minute partitions. */
const BASE = Date.UTC(2026, 0, 1, 10, 0, 0);
const SOURCE = `connector = 'nexmark', nexmark.table.type = 'combined', nexmark.event.num = '${EVENTS}',
  nexmark.max.emit.speed = 'true', nexmark.max.chunk.size = '500', nexmark.event.rate = '20', nexmark.base.time = '${BASE}'`;

let db: InProcess | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

/** The test's own CSV (RFC 4180 as Postgres writes it): quoted when it holds , " or a line break, or is empty; NULL is empty. */
function csvLine(values: (string | null)[]): string {
  return values.map((v) => (v === null ? '' : v === '' || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

/** A CSV text's records (a line break inside quotes belongs to the value). */
function records(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n' && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  expect(start, 'the file ends with a line break').toBe(text.length);
  return out;
}

/** Every file under `dir`, by path relative to it. */
function files(dir: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(join(dir, rel))) return out;
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = `${rel}${e.name}`;
    if (e.isDirectory()) for (const [k, v] of files(dir, `${p}/`)) out.set(k, v);
    else out.set(p, readFileSync(join(dir, p), 'utf8'));
  }
  return out;
}

/** The data files' lines by partition directory, sorted; and the partitions with _SUCCESS. */
function readSink(dir: string): { lines: Map<string, string[]>; committed: string[]; other: string[] } {
  const lines = new Map<string, string[]>();
  const committed: string[] = [];
  const other: string[] = [];
  for (const [path, text] of files(dir)) {
    const slash = path.lastIndexOf('/');
    const [part, name] = [path.slice(0, slash + 1), path.slice(slash + 1)];
    if (/^part-u\d+-\d+\.csv$/.test(name)) lines.set(part, [...(lines.get(part) ?? []), ...records(text)]);
    else if (name === '_SUCCESS') committed.push(part);
    else other.push(path);
  }
  for (const l of lines.values()) l.sort();
  return { lines, committed: committed.sort(), other };
}

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe('filesystem sink', () => {
  test("Flink's q10 as written: each bid once, in its partition, with _SUCCESS where the watermark passed", async () => {
    const nexmarkDir = tempDataDir();
    const out = join(nexmarkDir, 'data/output/1234/bid/');
    db = await inProcess();
    db.weir.coord.sourcesPaused = true;
    const ddl = readFileSync(join(NEXMARK, 'flink/ddl_gen.sql'), 'utf8').replace(/\)\s*WITH\s*\(\s*'connector'\s*=\s*'nexmark'[\s\S]*?\)\s*;/, `) WITH (${SOURCE});`);
    await db.run(ddl);
    // The benchmark harness fills in ${NAME} from its environment.
    const env: Record<string, string> = { NEXMARK_TABLE: 'datagen', NEXMARK_DIR: nexmarkDir, SUBMIT_TIME: '1234' };
    const template = (file: string) => readFileSync(join(NEXMARK, 'flink', file), 'utf8').replace(/\$\{(\w+)\}/g, (_m, name: string) => env[name]!);
    await db.run(template('ddl_views.sql'));
    await db.run(template('q10.sql'));
    db.weir.coord.sourcesPaused = false;
    await until(async () => Number((await db!.rows('SELECT position FROM weir_source_stats'))[0]![0]), (p) => p >= EVENTS, 60_000);

    const rows = (await db.rows(`SELECT auction::text, bidder::text, price::text, datetime::text, extra,
      DATE_FORMAT(datetime, 'yyyy-MM-dd'), DATE_FORMAT(datetime, 'HH:mm') FROM bid`)) as (string | null)[][];
    const want = new Map<string, string[]>();
    for (const r of rows) {
      const part = `dt=${r[5]}/hm=${r[6]!.replace(':', '%3A')}/`;
      want.set(part, [...(want.get(part) ?? []), csvLine(r.slice(0, 5))]);
    }
    for (const l of want.values()) l.sort();
    expect([...want.keys()].sort()).toEqual(['dt=2026-01-01/hm=10%3A00/', 'dt=2026-01-01/hm=10%3A01/', 'dt=2026-01-01/hm=10%3A02/']);
    // The watermark: the last event time less 4 s (ddl_gen.sql); a minute is committed once it passed the minute's end (delay 1 min).
    const [[wm]] = (await db.rows("SELECT watermark FROM weir_source_stats WHERE name = 'datagen'")) as [[number]];
    const minuteUs = (p: string) => Date.parse(`${/dt=([\d-]+)/.exec(p)![1]}T${/hm=(\d\d)%3A(\d\d)/.exec(p)!.slice(1).join(':')}:00Z`) * 1000;
    const committed = [...want.keys()].filter((p) => minuteUs(p) + 60e6 <= wm).sort();
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.length).toBeLessThan(want.size);

    const got = await until(
      async () => readSink(out),
      (s) => JSON.stringify([...s.lines].sort()) === JSON.stringify([...want].sort()) && JSON.stringify(s.committed) === JSON.stringify(committed),
    );
    expect(new Map([...got.lines].sort())).toEqual(new Map([...want].sort()));
    expect(got.committed).toEqual(committed);
    expect(got.other).toEqual([]);
    expect(await db.rows('SELECT name, connector, target, status FROM weir_sink_stats')).toEqual([['nexmark_q10_insert_1', 'filesystem', 'nexmark_q10', 'running']]);
  }, 90_000);

  test('CSV quoting, NULL partition values, unpartitioned tables', async () => {
    const dir = tempDataDir();
    db = await inProcess();
    await db.run('CREATE TABLE ev (id int, name text, cat text) APPEND ONLY');
    await db.run(`CREATE TABLE by_cat (id int, name text, cat text) PARTITIONED BY (cat) WITH ('connector' = 'filesystem', 'path' = '${dir}/a/', 'format' = 'csv')`);
    await db.run(`CREATE TABLE flat (id int, name text) WITH ('connector' = 'filesystem', 'path' = 'file://${dir}/b/', 'format' = 'csv', 'csv.field-delimiter' = ';')`);
    await db.run('INSERT INTO by_cat SELECT * FROM ev');
    await db.run('INSERT INTO flat SELECT id, name FROM ev');
    await db.run(`INSERT INTO ev VALUES (1, 'plain', 'x/y'), (2, 'a,b', NULL), (3, 'say "hi"', 'x/y'), (4, '', NULL), (5, NULL, 'x/y'), (6, E'two\\nlines;', 'x/y')`);
    const a = await until(async () => readSink(join(dir, 'a')), (s) => s.lines.size === 2);
    expect(Object.fromEntries(a.lines)).toEqual({
      'cat=x%2Fy/': ['1,plain', '3,"say ""hi"""', '5,', '6,"two\nlines;"'].sort(),
      'cat=__DEFAULT_PARTITION__/': ['2,"a,b"', '4,""'],
    });
    // Unpartitioned: the files are in the path itself; the delimiter is ';'.
    const b = await until(async () => files(join(dir, 'b')), (f) => f.size === 1);
    expect([...b.keys()][0]).toMatch(/^part-u\d+-\d+\.csv$/);
    expect(records([...b.values()][0]!).sort()).toEqual(['1;plain', '2;a,b', '3;"say ""hi"""', '4;""', '5;', '6;"two\nlines;"'].sort());
  });

  test('process-time commit: _SUCCESS once the delay has passed since the partition was first written', async () => {
    const dir = tempDataDir();
    db = await inProcess();
    await db.run('CREATE TABLE ev (k int, v text) APPEND ONLY');
    await db.run(`CREATE TABLE t (k int, v text) PARTITIONED BY (k) WITH ('connector' = 'filesystem', 'path' = '${dir}/', 'format' = 'csv',
      'sink.partition-commit.policy.kind' = 'success-file', 'sink.partition-commit.delay' = '1 s', 'sink.partition-commit.success-file.name' = '_DONE')`);
    await db.run('INSERT INTO t SELECT * FROM ev');
    await db.run("INSERT INTO ev VALUES (1, 'a')");
    const done = await until(async () => files(dir), (f) => f.has('k=1/_DONE'), 10_000);
    expect([...done.keys()].sort()).toEqual(['k=1/_DONE', expect.stringMatching(/^k=1\/part-u\d+-\d+\.csv$/)]);
    const part = [...done.keys()].find((f) => f.includes('part-'))!;
    expect(statSync(join(dir, 'k=1/_DONE')).mtimeMs - statSync(join(dir, part)).mtimeMs).toBeGreaterThanOrEqual(900);
  });

  test('errors at CREATE: options, paths, partition columns, a query that retracts', async () => {
    const dir = tempDataDir();
    db = await inProcess();
    const create = (partition: string, options: string) =>
      db!.run(`CREATE TABLE t (k int, v text, d text) ${partition} WITH ('connector' = 'filesystem', 'format' = 'csv', ${options})`);
    // (A table is a filesystem sink, not a source, when its path ends in '/', or it is PARTITIONED BY or has sink options.)
    const err = await create('', `'path' = '${dir}/', 'sink.rolling-policy.bogus' = '1'`).catch((e: unknown) => e as { code: string; message: string; hint: string });
    expect(err).toMatchObject({ code: '22023', message: 'option "sink.rolling-policy.bogus" is not supported by the filesystem connector' });
    expect((err as { hint: string }).hint).toContain('sink.partition-commit.policy.kind');
    expect(await code(db.run(`CREATE TABLE t (k int) WITH ('connector' = 'filesystem', 'path' = '${dir}/', 'format' = 'parquet')`))).toBe('0A000');
    expect(await code(create('', "'path' = 'hdfs://namenode/out/'"))).toBe('0A000');
    expect(await code(create('', "'path' = 'relative/dir/'"))).toBe('22023');
    expect(await code(create('', "'path' = 'file://${NEXMARK_DIR}/out/'"))).toBe('22023');
    expect(await code(create('PARTITIONED BY (nope)', `'path' = '${dir}'`))).toBe('42703');
    expect(await code(create('PARTITIONED BY (k, v, d)', `'path' = '${dir}'`))).toBe('42P16');
    expect(await code(create('', `'path' = '${dir}/', 'sink.partition-commit.delay' = 'soon'`))).toBe('22023');
    expect(await code(create('PARTITIONED BY (d)', `'path' = '${dir}', 'sink.partition-commit.policy.kind' = 'metastore'`))).toBe('0A000');
    expect(await code(db.run("CREATE TABLE t (k int, d text) PARTITIONED BY (d) WITH ('connector' = 'blackhole')"))).toBe('0A000');
    // A directory that cannot be made (a file is in the way): 58030 io_error; nothing is created.
    writeFileSync(join(dir, 'file'), 'x');
    const io = await create('', `'path' = '${dir}/file/sub/'`).catch((e: unknown) => e as { code: string; message: string });
    expect(io).toMatchObject({ code: '58030', message: `cannot write to the filesystem sink directory "${dir}/file/sub/"` });
    expect(await db.rows("SELECT count(*) FROM pg_class WHERE relname = 't'")).toEqual([[0n]]);
    // Retractions: a query that updates its rows cannot be appended to files.
    await create('PARTITIONED BY (d)', `'path' = '${dir}/ok/'`);
    await db.run('CREATE TABLE ev (k int, v text) APPEND ONLY');
    const retracting = await db.run("INSERT INTO t SELECT k, count(*)::text, 'x' FROM ev GROUP BY k").catch((e: unknown) => e as { code: string; message: string });
    expect(retracting).toMatchObject({ code: '0A000', message: 'a filesystem sink needs an append-only query' });
    await db.run("INSERT INTO t SELECT k, v, 'x' FROM ev");
  });

  test('a directory that breaks later: weir_sink_stats says why, and the rows arrive once it is fixed', async () => {
    const dir = tempDataDir();
    const path = join(dir, 'out');
    db = await inProcess();
    await db.run('CREATE TABLE ev (k int, v text) APPEND ONLY');
    await db.run(`CREATE TABLE t (k int, v text) PARTITIONED BY (k) WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'csv')`);
    await db.run('INSERT INTO t SELECT * FROM ev');
    rmSync(path, { recursive: true });
    writeFileSync(path, 'in the way');
    await db.run("INSERT INTO ev VALUES (1, 'a'), (2, 'b')");
    const status = await until(async () => (await db!.rows('SELECT status FROM weir_sink_stats'))[0]![0] as string, (s) => s.startsWith('retrying'));
    expect(status).toMatch(/^retrying: /);
    // The server goes on: other statements and ticks work meanwhile.
    await db.run("INSERT INTO ev VALUES (1, 'c')");
    expect(await db.rows('SELECT count(*) FROM ev')).toEqual([[3n]]);
    rmSync(path);
    mkdirSync(path);
    const got = await until(async () => readSink(path), (s) => [...s.lines.values()].flat().length === 3, 30_000);
    expect(Object.fromEntries(got.lines)).toEqual({ 'k=1/': ['a', 'c'], 'k=2/': ['b'] });
    expect(await until(async () => (await db!.rows('SELECT status FROM weir_sink_stats'))[0]![0], (s) => s === 'running')).toBe('running');
  }, 60_000);
});

describe('FileSink delivery', () => {
  const columns = [
    { name: 'k', type: { kind: 'int4' as const }, nullable: true },
    { name: 'v', type: { kind: 'text' as const }, nullable: true },
  ];
  const table = (path: string): RelationItem => ({
    id: 'u1', kind: 'table', schemaName: 'public', name: 't', columns, sql: '', dependsOn: [],
    sinkConnector: { name: 'filesystem', options: [{ key: 'path', value: path }, { key: 'format', value: 'csv' }], partitionedBy: ['k'] },
  });
  const sink: SinkItem = { id: 'u2', kind: 'sink', schemaName: 'public', name: 's', sql: '', viewSql: '', columns, connector: 'filesystem', options: [], into: 'u1', dependsOn: [] };
  const outbox = async (store: MemoryKvStore) => {
    let n = 0;
    for await (const chunk of store.scan(prefixRange(new TextEncoder().encode('o/u2/')))) n += chunk.length;
    return n;
  };

  test('an outbox entry delivered again after a crash rewrites the same file; temporary files are removed at start', async () => {
    const dir = `${tempDataDir()}/out/`;
    const store = new MemoryKvStore();
    const log = pino({ level: 'silent' });
    const first = new FileSink(sink, table(dir), store, log);
    const ops = first.outboxOps(7, [[[1, 'a'], 1], [[2, 'b'], 2]]);
    expect(ops).toHaveLength(1);
    await store.write(ops);
    first.kick();
    await until(() => outbox(store), (n) => n === 0);
    const before = files(dir);
    expect(Object.fromEntries(before)).toEqual({ 'k=1/part-u2-7.csv': 'a\n', 'k=2/part-u2-7.csv': 'b\nb\n' });
    await first.close();
    // A crash after the rename but before the outbox delete: the entry is still there at start,
    // next to a temporary file of a write that was cut off.
    await store.write(ops);
    writeFileSync(join(dir, 'k=1/.part-u2-8.csv.tmp'), 'half a li');
    const second = new FileSink(sink, table(dir), store, log);
    second.kick();
    await until(() => outbox(store), (n) => n === 0);
    expect(files(dir)).toEqual(before);
    await second.close();
  });
});
