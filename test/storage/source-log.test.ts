// The source log (storage/source-log.ts, file-source-log.ts): what is appended reads back at its
// pointer, in any order, across reopening (each start a new segment) and segment rotation; bytes
// a crash left unreferenced are never read; damaged or missing bytes are an error, not rows.
import { describe, expect, it } from 'vitest';
import { readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { tempDataDir } from '../harness/temp-dirs.js';
import { FileSourceLog } from '../../src/storage/file-source-log.js';
import { decodePointer, encodePointer, MemorySourceLog, type LogPointer, type SourceLog } from '../../src/storage/source-log.js';


const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

function contract(make: () => SourceLog) {
  it('reads back every append at its pointer, in the order asked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 3000 })), { minLength: 1, maxLength: 40 }), fc.integer(), async (appends, seed) => {
        const log = make();
        const written = appends.map(([name, n], i) => ({ name, data: bytes(n, seed + i), at: log.append(name, bytes(n, seed + i)) }));
        for (const name of ['a', 'b']) {
          const mine = written.filter((w) => w.name === name).reverse();
          const got = await log.read(name, mine.map((w) => w.at));
          expect(got.map((g) => [...g])).toEqual(mine.map((w) => [...w.data]));
        }
        await log.close();
      }),
      { numRuns: 25 },
    );
  });

  it('drop forgets a log; retain keeps only the names given', async () => {
    const log = make();
    const a = log.append('a', bytes(10, 1));
    const b = log.append('b', bytes(10, 2));
    const c = log.append('c', bytes(10, 3));
    await log.drop('a');
    await expect(log.read('a', [a])).rejects.toThrow();
    await log.retain(new Set(['b']));
    expect([...(await log.read('b', [b]))[0]!]).toEqual([...bytes(10, 2)]);
    await expect(log.read('c', [c])).rejects.toThrow();
    await log.close();
  });
}

describe('MemorySourceLog', () => {
  contract(() => new MemorySourceLog());
});

describe('FileSourceLog', () => {
  contract(() => FileSourceLog.open(tempDataDir(), 4096));

  it('a pointer round-trips through its stored form', () => {
    const p: LogPointer = { segment: 7, position: 2 ** 40 + 3, length: 123_456, crc: 0xdeadbeef };
    expect(decodePointer(encodePointer(p))).toEqual(p);
  });

  it('each start appends to a new segment: bytes of a tick that never committed are never read', async () => {
    const dir = tempDataDir();
    let log = FileSourceLog.open(dir);
    const committed = log.append('s', bytes(100, 1));
    log.append('s', bytes(100, 2)); // its tick is killed before its batch: no one keeps the pointer
    await log.close();
    log = FileSourceLog.open(dir);
    const next = log.append('s', bytes(50, 3));
    expect(next.segment).toBe(committed.segment + 1);
    expect(next.position).toBe(0);
    const got = await log.read('s', [committed, next]);
    expect(got.map((g) => [...g])).toEqual([[...bytes(100, 1)], [...bytes(50, 3)]]);
    expect(readdirSync(join(dir, 's')).sort()).toEqual(['00000001.log', '00000002.log']);
    await log.close();
  });

  it('rotates segments past their size, and reads runs across them', async () => {
    const dir = tempDataDir();
    const log = FileSourceLog.open(dir, 1000);
    const at = Array.from({ length: 12 }, (_, i) => log.append('s', bytes(300, i)));
    expect(new Set(at.map((p) => p.segment)).size).toBe(3);
    const got = await log.read('s', at);
    expect(got.map((g) => [...g])).toEqual(at.map((_, i) => [...bytes(300, i)]));
    await log.close();
  });

  it('damaged or missing bytes under a pointer are an error', async () => {
    const dir = tempDataDir();
    const log = FileSourceLog.open(dir);
    const a = log.append('s', bytes(100, 1));
    const b = log.append('s', bytes(100, 2));
    await log.close();
    const file = join(dir, 's', '00000001.log');
    const damaged = Buffer.concat([Buffer.from(bytes(100, 1)), Buffer.from(bytes(100, 2))]);
    damaged[150] ^= 1;
    writeFileSync(file, damaged);
    const again = FileSourceLog.open(dir);
    expect((await again.read('s', [a]))[0]!.byteLength).toBe(100);
    await expect(again.read('s', [b])).rejects.toThrow(/missing or damaged/);
    truncateSync(file, 120);
    await expect(again.read('s', [b])).rejects.toThrow(/missing or damaged/);
    await again.close();
  });
});
