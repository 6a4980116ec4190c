// Interval joins (DESIGN §4, time-bounded join): `b.ts BETWEEN a.ts - x AND a.ts + y` over two
// watermarked stream tables gives the same rows as over plain tables, and the join's state
// holds only the rows that can still match (counted in the store).
import { describe, expect, test } from 'vitest';
import { inProcess, type InProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';
import { keys, prefixRange } from '../../src/storage/key-layout.js';

async function stateKeys(db: InProcess, viewName: string): Promise<number> {
  const item = db.weir.coord.catalog.byName(undefined, viewName)!;
  let n = 0;
  for await (const chunk of db.weir.coord.store.scan(prefixRange(keys.statePrefix(item.id)))) n += chunk.length;
  return n;
}

const at = (s: number) => `'2026-11-26 10:00:00'::timestamp + INTERVAL '${s} seconds'`;

describe('interval join', () => {
  test('equals the join over plain tables, and frees rows the watermarks close', async () => {
    const db = await inProcess(tempDataDir());
    for (const t of ['a', 'b']) {
      await db.run(`CREATE TABLE ${t} (k int, ts timestamp, WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) APPEND ONLY`);
      await db.run(`CREATE TABLE ${t}_plain (k int, ts timestamp)`);
    }
    const q = (a: string, b: string) => `SELECT ${a}.k, ${a}.ts AS a_ts, ${b}.ts AS b_ts FROM ${a} JOIN ${b}
      ON ${a}.k = ${b}.k AND ${b}.ts BETWEEN ${a}.ts - INTERVAL '5' SECOND AND ${a}.ts + INTERVAL '1' SECOND`;
    await db.run(`CREATE MATERIALIZED VIEW j AS ${q('a', 'b')}`);
    await db.run(`CREATE MATERIALIZED VIEW j_plain AS ${q('a_plain', 'b_plain')}`);
    const plan = await db.rows('EXPLAIN PHYSICAL MATERIALIZED VIEW j');
    expect(plan.map((r) => r[0]).join('\n')).toMatch(/interval: right#1 - left#1 in \[-5s, 1s\]/);
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const sizes: number[] = [];
    for (let second = 0; second < 120; second += 3) {
      for (const t of ['a', 'b']) {
        const rows = Array.from({ length: 4 }, (_, i) => `(${rand(3)}, ${at(second + i * 0.5)})`).join(',');
        await db.run(`INSERT INTO ${t} VALUES ${rows}; INSERT INTO ${t}_plain VALUES ${rows}`);
      }
      sizes.push(await stateKeys(db, 'j'));
    }
    const sorted = (v: string) => db.rows(`SELECT k, a_ts::text, b_ts::text FROM ${v} ORDER BY 1, 2, 3`);
    const got = await sorted('j');
    expect(got.length).toBeGreaterThan(100);
    expect(got).toEqual(await sorted('j_plain'));
    // 320 rows went in; the watermarked join keeps only the last seconds' rows.
    expect(await stateKeys(db, 'j_plain')).toBe(320);
    expect(Math.max(...sizes.slice(5))).toBeLessThan(60);
    await db.close();
  });
});
