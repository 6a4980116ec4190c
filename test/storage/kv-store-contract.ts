/** Behaviour every KvStore must show; run against MemoryKvStore and LevelKvStore. */
import { expect, it } from 'vitest';
import type { Bytes, KvReader, KvStore } from '../../src/storage/kv-store.js';
import { offHeapCopy } from '../../src/types/off-heap-bytes.js';

export const b = (s: string): Bytes => new Uint8Array(Buffer.from(s, 'latin1'));
export const s = (x: Bytes | undefined): string | undefined => (x === undefined ? undefined : Buffer.from(x).toString('latin1'));

export async function collect(r: KvReader, range: Parameters<KvReader['scan']>[0]): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of r.scan(range)) for (const [k, v] of chunk) out.push(`${s(k)}=${s(v)}`);
  return out;
}

export function kvStoreContract(open: () => Promise<KvStore>): void {
  it('writes a batch atomically and reads it back', async () => {
    const db = await open();
    await db.write([
      { type: 'put', key: b('b'), value: b('2') },
      { type: 'put', key: b('a'), value: b('1') },
      { type: 'put', key: b('c'), value: b('3') },
      { type: 'del', key: b('c') },
    ]);
    expect(s(await db.get(b('a')))).toBe('1');
    expect(await db.get(b('c'))).toBeUndefined();
    expect((await db.getMany([b('b'), b('zz'), b('a')])).map(s)).toEqual(['2', undefined, '1']);
    await db.close();
  });

  it('takes keys and values of any kind of byte array, and the caller may reuse them after write returns', async () => {
    const db = await open();
    const shared = Buffer.from('xxkey1val1key2');
    const reused = new Uint8Array([107, 51]); // 'k3'
    const ops: Parameters<KvStore['write']>[0] = [
      { type: 'put', key: shared.subarray(2, 6), value: shared.subarray(6, 10) }, // views into one Buffer
      { type: 'put', key: new Uint8Array(shared.buffer, shared.byteOffset + 10, 4), value: new Uint8Array(0) }, // empty value
      { type: 'put', key: reused, value: b('small on-heap array') },
      { type: 'del', key: b('absent') },
    ];
    const written = db.write(ops);
    reused[1] = 52; // 'k4': the batch holds its own copy
    await written;
    expect((await db.getMany([b('key1'), b('key2'), b('k3'), b('k4')])).map(s)).toEqual(['val1', '', 'small on-heap array', undefined]);
    expect(s(await db.get(shared.subarray(2, 6)))).toBe('val1');
    await db.close();
  });

  it('writes ops marked offHeap (views of off-heap slabs) in order with copied ones, the last op on a key winning', async () => {
    const db = await open();
    const off = (x: string): Bytes => offHeapCopy(b(x), x.length);
    await db.write([
      { type: 'put', key: off('k1'), value: off('v1'), offHeap: true },
      { type: 'put', key: b('k2'), value: b('copied') },
      { type: 'put', key: off('k2'), value: off('v2'), offHeap: true },
      { type: 'put', key: off('k3'), value: off('gone'), offHeap: true },
      { type: 'del', key: off('k3'), offHeap: true },
      { type: 'put', key: off('k4'), value: off('v4'), offHeap: true },
      { type: 'put', key: b('k4'), value: b('last') },
    ]);
    expect(await collect(db, {})).toEqual(['k1=v1', 'k2=v2', 'k4=last']);
    await db.write([{ type: 'del', key: off('k1'), offHeap: true }]);
    expect((await db.getMany([b('k1'), b('k2')])).map(s)).toEqual([undefined, 'v2']);
    await db.close();
  });

  it('scans in bytewise key order with bounds, reverse and limit', async () => {
    const db = await open();
    const keys = ['\x00', 'a', 'a\x00', 'ab', 'a\xff', 'b', '\xff', '\xff\xff'];
    await db.write([...keys].reverse().map((k, i) => ({ type: 'put' as const, key: b(k), value: b(String(i)) })));
    const all = await collect(db, {});
    expect(all.map((e) => e.split('=')[0])).toEqual(keys);
    expect((await collect(db, { gte: b('a'), lt: b('b') })).map((e) => e.split('=')[0])).toEqual(['a', 'a\x00', 'ab', 'a\xff']);
    expect((await collect(db, { gte: b('a'), lt: b('b'), reverse: true })).map((e) => e.split('=')[0])).toEqual(['a\xff', 'ab', 'a\x00', 'a']);
    expect((await collect(db, { gte: b('a'), limit: 2 })).map((e) => e.split('=')[0])).toEqual(['a', 'a\x00']);
    expect(await collect(db, { gte: b('c'), lt: b('c') })).toEqual([]);
    await db.close();
  });

  it('delivers large scans in chunks', async () => {
    const db = await open();
    const ops = [];
    for (let i = 0; i < 2500; i++) ops.push({ type: 'put' as const, key: b(`k${String(i).padStart(5, '0')}`), value: b(String(i)) });
    await db.write(ops);
    const sizes: number[] = [];
    let last = '';
    for await (const chunk of db.scan({ gte: b('k') })) {
      sizes.push(chunk.length);
      for (const [k] of chunk) {
        expect(s(k)! > last).toBe(true);
        last = s(k)!;
      }
    }
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(2500);
    expect(sizes.length).toBeGreaterThan(1);
    await db.close();
  });

  it('a snapshot does not see later writes', async () => {
    const db = await open();
    await db.write([{ type: 'put', key: b('x'), value: b('old') }, { type: 'put', key: b('y'), value: b('y') }]);
    const snap = db.snapshot();
    await db.write([{ type: 'put', key: b('x'), value: b('new') }, { type: 'del', key: b('y') }, { type: 'put', key: b('z'), value: b('z') }]);
    expect(s(await snap.get(b('x')))).toBe('old');
    expect((await snap.getMany([b('y'), b('z')])).map(s)).toEqual(['y', undefined]);
    expect(await collect(snap, {})).toEqual(['x=old', 'y=y']);
    expect(await collect(db, {})).toEqual(['x=new', 'z=z']);
    await snap.release();
    await db.close();
  });

  it('a scan in progress keeps reading the state it started at', async () => {
    const db = await open();
    const ops = [];
    for (let i = 0; i < 1500; i++) ops.push({ type: 'put' as const, key: b(`k${String(i).padStart(5, '0')}`), value: b('v') });
    await db.write(ops);
    let n = 0;
    let first = true;
    for await (const chunk of db.scan({})) {
      n += chunk.length;
      if (first) {
        first = false;
        await db.write([{ type: 'del', key: b('k01400') }, { type: 'put', key: b('k99999'), value: b('v') }]);
      }
    }
    expect(n).toBe(1500); // LevelDB iterators read an implicit snapshot; MemoryKvStore pins its version
    expect(await db.get(b('k01400'))).toBeUndefined();
    await db.close();
  });

  it('writes issued without waiting apply in call order, and reads and snapshots begun after a write see it', async () => {
    const db = await open();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) writes.push(db.write([{ type: 'put', key: b('tick'), value: b(String(i)) }, { type: 'put', key: b(`row${String(i).padStart(2, '0')}`), value: b('v') }]));
    const snap = db.snapshot(); // taken after all 50 were issued
    const read = db.get(b('tick'));
    const scanned = collect(db, { gte: b('row'), lt: b('rox') });
    writes.push(db.write([{ type: 'put', key: b('tick'), value: b('later') }])); // issued after the snapshot
    expect(['49', 'later']).toContain(s(await read)); // a plain read sees every write issued before it started (and may see later ones)
    expect(s(await snap.get(b('tick')))).toBe('49');
    expect((await scanned).length).toBe(50);
    await Promise.all(writes);
    expect(await db.settle()).toBeUndefined();
    expect(s(await db.get(b('tick')))).toBe('later');
    await snap.release();
    await db.close();
  });
}
