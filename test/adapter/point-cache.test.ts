// PointCache never answers with a value older than the store's.
import { describe, expect, test } from 'vitest';
import { PointCache } from '../../src/adapter/point-cache.js';
import type { Change } from '../../src/dataflow/zset.js';

const key = new Uint8Array([1, 2, 3]);
const val = (n: number) => new Uint8Array([n]);

describe('PointCache', () => {
  test('a hit does not read again; invalidation makes the next get read', async () => {
    const cache = new PointCache();
    let reads = 0;
    const read = async () => (reads++, val(reads));
    expect(await cache.get('u1', key, read)).toEqual(val(1));
    expect(await cache.get('u1', key, read)).toEqual(val(1));
    expect(reads).toBe(1);
    cache.invalidate('u1');
    expect(await cache.get('u1', key, read)).toEqual(val(2));
  });

  test('a read that started before a tick does not fill the cache after it', async () => {
    const cache = new PointCache();
    let release!: () => void;
    const slow = cache.get('u1', key, () => new Promise((res) => (release = () => res(val(1)))));
    cache.invalidate('u1'); // a tick wrote u1 while the read was in flight
    release();
    expect(await slow).toEqual(val(1));
    expect(await cache.get('u1', key, async () => val(2))).toEqual(val(2));
  });

  test('misses are cached too, and the size is bounded', async () => {
    const cache = new PointCache(2);
    let reads = 0;
    const none = async () => (reads++, undefined);
    await cache.get('u1', new Uint8Array([1]), none);
    await cache.get('u1', new Uint8Array([1]), none);
    expect(reads).toBe(1);
    await cache.get('u1', new Uint8Array([2]), none);
    await cache.get('u1', new Uint8Array([3]), none); // over the bound: starts over
    await cache.get('u1', new Uint8Array([1]), none);
    expect(reads).toBe(4);
  });
});

describe('PointCache.contents', () => {
  const row = (n: number): Change => [[n, `row ${n}`], 1];

  test('a hit does not read again and is a copy; invalidation makes the next read go to the store', async () => {
    const cache = new PointCache();
    let reads = 0;
    const read = async () => (reads++, [row(reads)]);
    const first = await cache.contents('v1', read);
    expect(first).toEqual([row(1)]);
    first[0]![0][0] = 99; // a caller changing what it got does not change the cache
    first.push(row(7));
    expect(await cache.contents('v1', read)).toEqual([row(1)]);
    expect(reads).toBe(1);
    cache.invalidate('v1');
    expect(await cache.contents('v1', read)).toEqual([row(2)]);
    expect(reads).toBe(2);
  });

  test('a read that started before a tick does not fill the cache after it', async () => {
    const cache = new PointCache();
    let release!: () => void;
    const slow = cache.contents('v1', () => new Promise((res) => (release = () => res([row(1)]))));
    cache.invalidate('v1'); // a tick wrote v1 while the read was in flight
    release();
    expect(await slow).toEqual([row(1)]);
    expect(await cache.contents('v1', async () => [row(2)])).toEqual([row(2)]);
  });

  test('only small collections are kept', async () => {
    const cache = new PointCache(100, 2);
    let reads = 0;
    const three = async () => (reads++, [row(1), row(2), row(3)]);
    await cache.contents('big', three);
    await cache.contents('big', three);
    expect(reads).toBe(2);
    const two = async () => (reads++, [row(1), row(2)]);
    await cache.contents('small', two);
    await cache.contents('small', two);
    expect(reads).toBe(3);
  });
});
