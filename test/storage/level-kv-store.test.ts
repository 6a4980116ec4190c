import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelKvStore } from '../../src/storage/level-kv-store.js';
import { b, collect, kvStoreContract, s } from './kv-store-contract.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'weir-level-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LevelKvStore', () => {
  kvStoreContract(() => LevelKvStore.open(tempDir()));

  it('persists across reopen', async () => {
    const dir = tempDir();
    const db = await LevelKvStore.open(dir);
    await db.write([{ type: 'put', key: b('k1'), value: b('v1') }, { type: 'put', key: b('k2'), value: b('v2') }]);
    await db.write([{ type: 'del', key: b('k1') }]);
    await db.close();
    const again = await LevelKvStore.open(dir);
    expect(await collect(again, {})).toEqual(['k2=v2']);
    expect(s(await again.get(b('k2')))).toBe('v2');
    expect(await again.get(b('k2'))).toBeInstanceOf(Uint8Array);
    await again.close();
  });
});
