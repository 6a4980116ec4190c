import { describe, expect, test } from 'vitest';
import { GeneratorSource } from '../../src/sources/generator-source.js';

const opts = (extra: Record<string, string>) =>
  Object.entries({ 'nexmark.table.type': 'bid', 'nexmark.event.num': '1000', ...extra }).map(([key, value]) => ({ key, value }));

describe('GeneratorSource', () => {
  test('nexmark.max.chunk.size bounds the rows of one poll; the default leaves it to the caller', () => {
    expect(new GeneratorSource('nexmark', opts({ 'nexmark.max.chunk.size': '64' }), null, 0).chunkSize).toBe(64);
    expect(new GeneratorSource('nexmark', opts({}), null, 0).chunkSize).toBe(Infinity);
  });

  test('max emit speed: everything up to the event count is available at once', () => {
    const g = new GeneratorSource('nexmark', opts({ 'nexmark.max.emit.speed': 'true' }), null, 0);
    expect(g.available(0, 0)).toBe(1000);
    const out: unknown[][] = [];
    expect(g.rows(990, 2000, out as never)).toBe(1000);
  });
});
