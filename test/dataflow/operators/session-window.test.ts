import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SessionWindowOperator, type SessionWindowSpec } from '../../../src/dataflow/operators/session-window.js';
import type { KvOp } from '../../../src/storage/kv-store.js';
import { MemoryKvStore } from '../../../src/storage/memory-kv-store.js';
import type { Row } from '../../../src/types/datum.js';
import type { Change } from '../../../src/dataflow/zset.js';
import { OperatorRun, del, ins, show, withAndWithoutRestarts } from '../harness.js';

// Rows are (key, time, tag); partition by key, gap 10.
const SPEC: SessionWindowSpec = { partitionKey: [0], timeColumn: 1, inputArity: 3, gap: 10 };
const make = (s: ConstructorParameters<typeof SessionWindowOperator>[1]) => new SessionWindowOperator(SPEC, s);

/** The sessions of a collection computed from scratch: each row with (start, end) appended. */
function fromScratch(rows: Change[], gap: number): string[] {
  const byKey = new Map<string, Change[]>();
  for (const c of rows) {
    if (c[0][1] === null || c[1] === 0) continue;
    const k = JSON.stringify(c[0][0]);
    byKey.set(k, [...(byKey.get(k) ?? []), c]);
  }
  const out: Change[] = [];
  for (const list of byKey.values()) {
    const times = [...new Set(list.map((c) => c[0][1] as number))].sort((a, b) => a - b);
    let first = 0;
    for (let i = 0; i < times.length; i++) {
      if (i + 1 < times.length && times[i + 1]! - times[i]! < gap) continue;
      const [start, last] = [times[first]!, times[i]!];
      for (const c of list) if ((c[0][1] as number) >= start && (c[0][1] as number) <= last) out.push([[...c[0], start, last + gap], c[1]]);
      first = i + 1;
    }
  }
  return show(out);
}

async function storedRows(run: OperatorRun): Promise<number> {
  let n = 0;
  for await (const _ of run.state.entries(run.store)) n++;
  return n;
}

/** Runs onWatermarks in its own tick and commits its state deletions. */
async function watermark(run: OperatorRun, w: number): Promise<Map<number, number> | undefined> {
  const ops: KvOp[] = [];
  run.state.begin(ops);
  const step = (run.op as SessionWindowOperator).onWatermarks([new Map([[1, w]])]);
  await run.store.write(ops);
  return step.watermarks as Map<number, number> | undefined;
}

describe('session-window', () => {
  test('rows closer than the gap share a session; a late row bridging two sessions merges them', async () => {
    const run = OperatorRun.create(make);
    await run.tick(ins(['a', 0, 'x'], ['a', 5, 'y'], ['a', 22, 'z'], ['b', 7, 'w']));
    expect(run.contents()).toEqual(['["a",0,"x",0,15] +1', '["a",22,"z",22,32] +1', '["a",5,"y",0,15] +1', '["b",7,"w",7,17] +1']);
    const out = show(await run.tick(ins(['a', 13, 'late'])));
    // 13 is within the gap of 5 and of 22: every row of both sessions is re-annotated; partition b is untouched
    expect(out).toEqual([
      '["a",0,"x",0,15] -1',
      '["a",0,"x",0,32] +1',
      '["a",13,"late",0,32] +1',
      '["a",22,"z",0,32] +1',
      '["a",22,"z",22,32] -1',
      '["a",5,"y",0,15] -1',
      '["a",5,"y",0,32] +1',
    ]);
  });

  test('a retraction splits a session; retracting an inner row of a session changes only that row', async () => {
    const run = OperatorRun.create(make);
    await run.tick(ins(['a', 0, 'x'], ['a', 8, 'y'], ['a', 16, 'z'], ['a', 4, 'in']));
    expect(show(await run.tick(del(['a', 4, 'in'])))).toEqual(['["a",4,"in",0,26] -1']);
    await run.tick(del(['a', 8, 'y']));
    expect(run.contents()).toEqual(['["a",0,"x",0,10] +1', '["a",16,"z",16,26] +1']);
  });

  test('equal times and multiplicities; NULL times and NULL keys', async () => {
    const run = OperatorRun.create(make);
    await run.tick([[['a', 3, 'x'], 2], [['a', 3, 'y'], 1], [['a', null, 'n'], 1], [[null, 1, 'k'], 1]]);
    expect(run.contents()).toEqual(['["a",3,"x",3,13] +2', '["a",3,"y",3,13] +1', '[null,1,"k",1,11] +1']);
    await run.tick([[['a', 3, 'x'], -1]]);
    expect(run.contents()).toEqual(['["a",3,"x",3,13] +1', '["a",3,"y",3,13] +1', '[null,1,"k",1,11] +1']);
  });

  test('a rebuilt operator continues from its stored state', async () => {
    const [a, b] = await withAndWithoutRestarts(make, [
      [ins(['a', 0, 'x'], ['a', 25, 'z'])],
      [ins(['a', 12, 'y'])],
      [del(['a', 12, 'y'])],
      [ins(['a', 30, 'w'], ['b', 1, 'v'])],
      [del(['a', 0, 'x'])],
    ]);
    expect(b).toEqual(a);
  });

  test('the watermark frees closed sessions, in memory and in the store', async () => {
    const run = OperatorRun.create(make);
    await run.tick(ins(['a', 0, 'x'], ['a', 5, 'y'], ['a', 30, 'z'], ['b', 2, 'w']));
    expect((run.op as SessionWindowOperator).stateSize()).toEqual({ rows: 4, partitions: 2 });
    expect(await storedRows(run)).toBe(4);
    // a session is freed once the watermark reaches its end: b's [2, 12) at 14, a's [0, 15) at 15
    expect(await watermark(run, 14)).toEqual(new Map([[4, 14]]));
    expect((run.op as SessionWindowOperator).stateSize()).toEqual({ rows: 3, partitions: 1 });
    expect(await storedRows(run)).toBe(3);
    await watermark(run, 15);
    expect((run.op as SessionWindowOperator).stateSize()).toEqual({ rows: 1, partitions: 1 });
    expect(await storedRows(run)).toBe(1);
    // the open session still extends; the closed ones are gone from the output's future
    expect(show(await run.tick(ins(['a', 35, 'u'])))).toEqual(['["a",30,"z",30,40] -1', '["a",30,"z",30,45] +1', '["a",35,"u",30,45] +1']);
    // a rebuilt operator finds only what is left
    const again = new OperatorRun(new SessionWindowOperator(SPEC, run.state), run.store, run.state);
    await again.tick([]);
    expect((again.op as SessionWindowOperator).stateSize()).toEqual({ rows: 2, partitions: 1 });
    expect(await watermark(again, 45)).toEqual(new Map([[4, 45]]));
    expect((again.op as SessionWindowOperator).stateSize()).toEqual({ rows: 0, partitions: 0 });
    expect(await storedRows(again)).toBe(0);
  });

  test('random ticks equal sessions from scratch, with and without restarts', async () => {
    const change = fc.tuple(fc.constantFrom('a', 'b', null), fc.option(fc.integer({ min: 0, max: 60 }), { freq: 10 }), fc.constantFrom('p', 'q'));
    const tick = fc.array(fc.tuple(change, fc.boolean()), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.array(tick, { minLength: 1, maxLength: 12 }), fc.boolean(), async (ticks, restart) => {
        const store = new MemoryKvStore();
        let run = OperatorRun.create(make, store);
        const integrated = new Map<string, Change>();
        const contents: Change[] = [];
        for (const t of ticks) {
          // deletes only retract rows that are present, as a table would
          const batch: Change[] = [];
          for (const [row, isDelete] of t) {
            const k = JSON.stringify(row);
            const have = integrated.get(k);
            if (isDelete && have && have[1] > 0) {
              have[1]--;
              batch.push([row as Row, -1]);
            } else if (!isDelete) {
              if (have) have[1]++;
              else integrated.set(k, [row as Row, 1]);
              batch.push([row as Row, 1]);
            }
          }
          const out = await run.tick(batch);
          contents.push(...out);
          expect(show(contents)).toEqual(fromScratch([...integrated.values()], SPEC.gap));
          if (restart) {
            const next = OperatorRun.create(make, store);
            await next.tick([]);
            run = next;
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  test('random ticks that respect a rising watermark: freeing state changes no output, and window_end keeps its watermark', async () => {
    const tick = fc.record({
      rows: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 25 }), fc.boolean()), { minLength: 1, maxLength: 5 }),
      advance: fc.integer({ min: 0, max: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(tick, { minLength: 1, maxLength: 15 }), fc.boolean(), async (ticks, restart) => {
        const store = new MemoryKvStore();
        let run = OperatorRun.create(make, store);
        const present = new Map<string, Change>();
        const contents: Change[] = [];
        let w = 0;
        let claimed = -Infinity;
        for (const t of ticks) {
          const batch: Change[] = [];
          for (const [k, dt, isDelete] of t.rows) {
            // only times ≥ the watermark change (a source drops late rows)
            const row: Row = [k, w + dt, 'p'];
            const key = JSON.stringify(row);
            const have = present.get(key);
            if (isDelete) {
              if (have && have[1] > 0) {
                have[1]--;
                batch.push([row, -1]);
              }
            } else {
              if (have) have[1]++;
              else present.set(key, [row, 1]);
              batch.push([row, 1]);
            }
          }
          const out = await run.tick(batch);
          for (const [row] of out) expect(row[4] as number).toBeGreaterThanOrEqual(claimed);
          contents.push(...out);
          expect(show(contents)).toEqual(fromScratch([...present.values()], SPEC.gap));
          w += t.advance;
          claimed = (await watermark(run, w))!.get(4)!;
          const size = (run.op as SessionWindowOperator).stateSize().rows;
          expect(await storedRows(run)).toBe(size);
          if (restart) {
            run = OperatorRun.create(make, store);
            await run.tick([]);
            expect((run.op as SessionWindowOperator).stateSize().rows).toBe(size);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
