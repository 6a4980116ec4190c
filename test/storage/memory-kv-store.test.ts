import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryKvStore } from '../../src/storage/memory-kv-store.js';
import { collect, kvStoreContract } from './kv-store-contract.js';

describe('MemoryKvStore', () => {
  kvStoreContract(async () => new MemoryKvStore());

  it('matches a plain map under random batches, small and large', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 80 }), { maxLength: 6 }),
        async (batches) => {
          const db = new MemoryKvStore();
          const model = new Map<string, string>();
          for (const [bi, batch] of batches.entries()) {
            const snap = db.snapshot();
            const before = await collect(snap, {});
            await db.write(
              batch.map(([put, k]) => {
                const key = `k${String(k).padStart(3, '0')}`;
                if (put) model.set(key, `${bi}`);
                else model.delete(key);
                return put
                  ? { type: 'put' as const, key: Buffer.from(key), value: Buffer.from(`${bi}`) }
                  : { type: 'del' as const, key: Buffer.from(key) };
              }),
            );
            expect(await collect(snap, {})).toEqual(before);
            await snap.release();
          }
          const want = [...model.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`);
          expect(await collect(db, {})).toEqual(want);
          expect(db.size).toBe(model.size);
        },
      ),
    );
  });

  it('copies keys and values on write', async () => {
    const db = new MemoryKvStore();
    const key = new Uint8Array([1]);
    const value = new Uint8Array([2]);
    await db.write([{ type: 'put', key, value }]);
    key[0] = 9;
    value[0] = 9;
    expect(await db.get(new Uint8Array([1]))).toEqual(new Uint8Array([2]));
  });
});
