// SortedList behaves as a sorted array under any sequence of inserts and removals, across
// chunk splits (more than 1024 items) and chunk removals.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SortedList } from '../../src/dataflow/sorted-list.js';

const cmp = (a: number, b: number) => a - b;

describe('SortedList', () => {
  test('matches a sorted array', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3000 })), { maxLength: 4000 }), (ops) => {
        const list = new SortedList(cmp);
        const model: number[] = [];
        for (const [add, v] of ops) {
          const has = model.includes(v);
          if (add && !has) {
            list.insert(v);
            model.push(v);
            model.sort(cmp);
          } else if (!add) {
            expect(list.remove(v)).toBe(has);
            if (has) model.splice(model.indexOf(v), 1);
          }
          expect(list.find(v) !== undefined).toBe(model.includes(v));
        }
        expect([...list]).toEqual(model);
        expect(list.size).toBe(model.length);
      }),
      { numRuns: 30 },
    );
  });

  test('fromSorted, then inserts past the end and before the start', () => {
    const list = SortedList.fromSorted(Array.from({ length: 5000 }, (_, i) => i * 2), cmp);
    list.insert(-1);
    list.insert(10_001);
    list.insert(3);
    const all = [...list];
    expect(all.length).toBe(5003);
    expect(all.slice(0, 4)).toEqual([-1, 0, 2, 3]);
    expect(all[all.length - 1]).toBe(10_001);
  });
});
