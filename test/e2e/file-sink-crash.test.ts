// The filesystem sink exactly once through kill -9 (adapter/file-sink.ts): Flink's q10 as
// written runs in a weir server child over a paced nexmark source; the server is killed with
// SIGKILL at random moments, three times, and restarted on the same data directory. At the end
// the CSV files hold every bid exactly once, in its partition directory (none lost, none
// written twice, no partial or temporary file left), equal to what the query gives.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { startServerProcess, type ServerProcess } from '../harness/server-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';

const NEXMARK = resolve(import.meta.dirname, '../../../shared/nexmark');
const EVENTS = 12_000;
/** 2,000 events a second (about 6 s, paced), from 10:00:59: the bids fall in the minutes 10:00 and 10:01, and the watermark passes 10:01. */
const SOURCE = `connector = 'nexmark', nexmark.table.type = 'combined', nexmark.event.num = '${EVENTS}',
  nexmark.event.rate = '2000', nexmark.max.chunk.size = '500', nexmark.base.time = '${Date.UTC(2026, 0, 1, 10, 0, 59)}'`;

async function connect(server: ServerProcess): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: server.url });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

function csvLine(values: (string | null)[]): string {
  return values.map((v) => (v === null ? '' : v === '' || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

/** Per partition directory, the lines of its part files, sorted; and every file name that is not a part file. */
function readSink(dir: string, rel = '', lines = new Map<string, string[]>(), other: string[] = [], committed: string[] = []): { lines: Map<string, string[]>; other: string[]; committed: string[] } {
  if (!existsSync(join(dir, rel))) return { lines, other, committed };
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    if (e.isDirectory()) readSink(dir, `${rel}${e.name}/`, lines, other, committed);
    else if (/^part-u\d+-\d+\.csv$/.test(e.name)) {
      const text = readFileSync(join(dir, rel, e.name), 'utf8');
      lines.set(rel, [...(lines.get(rel) ?? []), ...text.split('\n').filter((l) => l !== '')]);
    } else if (e.name === '_SUCCESS') committed.push(rel);
    else other.push(`${rel}${e.name}`);
  }
  for (const l of lines.values()) l.sort();
  return { lines, other, committed };
}

describe('filesystem sink through kill -9', () => {
  test("q10's files hold every bid exactly once after three crashes", async () => {
    const dataDir = tempDataDir();
    const nexmarkDir = tempDataDir();
    const out = join(nexmarkDir, 'data/output/crash/bid/');
    let server = await startServerProcess(dataDir);
    let client = await connect(server);
    const env: Record<string, string> = { NEXMARK_TABLE: 'datagen', NEXMARK_DIR: nexmarkDir, SUBMIT_TIME: 'crash' };
    const template = (file: string) => readFileSync(join(NEXMARK, 'flink', file), 'utf8').replace(/\$\{(\w+)\}/g, (_m, name: string) => env[name]!);
    await client.query(template('ddl_gen.sql').replace(/\)\s*WITH\s*\(\s*'connector'\s*=\s*'nexmark'[\s\S]*?\)\s*;/, `) WITH (${SOURCE});`));
    await client.query(template('ddl_views.sql'));
    await client.query(template('q10.sql'));
    await client.end();

    const position = async () => Number((await client.query({ text: "SELECT position FROM weir_source_stats WHERE name = 'datagen'", rowMode: 'array' })).rows[0][0]);
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));
      await server.kill('SIGKILL');
      server = await startServerProcess(dataDir);
      if (round === 0) {
        // The first crash came while the events were streaming in.
        client = await connect(server);
        expect(await position()).toBeLessThan(EVENTS);
        await client.end();
      }
    }

    client = await connect(server);
    const deadline = Date.now() + 60_000;
    while ((await position()) < EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await position()).toBe(EVENTS);

    const rows = (
      await client.query({
        text: `SELECT auction::text, bidder::text, price::text, datetime::text, extra, DATE_FORMAT(datetime, 'yyyy-MM-dd'), DATE_FORMAT(datetime, 'HH:mm') FROM bid`,
        rowMode: 'array',
      })
    ).rows as (string | null)[][];
    const want = new Map<string, string[]>();
    for (const r of rows) {
      const part = `dt=${r[5]}/hm=${r[6]!.replace(':', '%3A')}/`;
      want.set(part, [...(want.get(part) ?? []), csvLine(r.slice(0, 5))]);
    }
    for (const l of want.values()) l.sort();
    expect(want.size).toBe(2);

    const sorted = (m: Map<string, string[]>) => new Map([...m].sort());
    let got = readSink(out);
    const end = Date.now() + 30_000;
    // The watermark (the last event time less 4 s) passed the end of 10:00 (delay 1 min), not of 10:01.
    const [[wm]] = (await client.query({ text: "SELECT watermark::text FROM weir_source_stats WHERE name = 'datagen'", rowMode: 'array' })).rows as [[string]];
    expect(wm >= '2026-01-01 10:01:00' && wm < '2026-01-01 10:02:00', wm).toBe(true);
    while ((JSON.stringify([...sorted(got.lines)]) !== JSON.stringify([...sorted(want)]) || got.committed.length === 0) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      got = readSink(out);
    }
    const count = [...got.lines.values()].reduce((n, l) => n + l.length, 0);
    expect(count, 'rows in the files').toBe(rows.length);
    expect(sorted(got.lines)).toEqual(sorted(want));
    expect(got.other, 'temporary files left').toEqual([]);
    expect(got.committed).toEqual(['dt=2026-01-01/hm=10%3A00/']);
    await client.end();
    await server.kill('SIGTERM');
  }, 180_000);
});
