import { describe, expect, test } from 'vitest';
import { PartitionWatermarks } from '../../../src/sources/kafka/partition-watermarks.js';

describe('PartitionWatermarks', () => {
  test('the minimum over partitions; a partition without records holds it back', () => {
    const w = new PartitionWatermarks([0, 1], 0);
    w.observe(0, 100, 1);
    expect(w.combined(1)).toBeUndefined();
    w.observe(1, 50, 2);
    expect(w.combined(2)).toBe(50);
    w.observe(1, 120, 3);
    expect(w.combined(3)).toBe(100);
    w.observe(0, 90, 4); // lower than the partition's own: ignored
    expect(w.partition(0)).toBe(100);
    w.observe(0, null, 5); // a record without an event time: activity only
    expect(w.combined(5)).toBe(100);
  });

  test('an idle partition is left out until its next record; the watermark never moves back', () => {
    const w = new PartitionWatermarks([0, 1, 2], 0, 1000);
    w.observe(0, 500, 100);
    w.observe(1, 300, 100);
    expect(w.combined(500)).toBeUndefined(); // partition 2 has had nothing yet, and is not idle
    expect(w.isIdle(2, 1000)).toBe(true);
    expect(w.combined(1000)).toBe(300);
    w.observe(1, 700, 1050);
    w.observe(0, 800, 1050);
    expect(w.combined(1100)).toBe(700);
    w.observe(2, 200, 1200); // back from idleness, far behind
    expect(w.combined(1200)).toBe(700);
    w.observe(2, 900, 1300);
    expect(w.combined(1300)).toBe(700);
    w.observe(1, 1000, 1400);
    expect(w.combined(1400)).toBe(800);
    expect(w.combined(5000)).toBe(800); // every partition idle: stays
  });

  test('snapshot and restore; assignment changes', () => {
    const w = new PartitionWatermarks([0, 1], 0);
    w.observe(0, 10, 1);
    w.observe(1, 20, 1);
    expect(w.combined(1)).toBe(10);
    const snap = JSON.parse(JSON.stringify(w.snapshot()));
    expect(snap).toEqual({ partitions: { '0': 10, '1': 20 }, combined: 10 });
    const r = new PartitionWatermarks([0, 1, 2], 50, Infinity, snap);
    expect(r.partition(1)).toBe(20);
    expect(r.combined(50)).toBe(10); // partition 2 is new: held
    r.assign([0, 1], 60);
    expect(r.combined(60)).toBe(10);
    r.observe(0, 30, 61);
    expect(r.combined(61)).toBe(20);
    expect(() => r.observe(2, 1, 62)).toThrow(/not assigned/);
  });

  test('a partition touched (records still to read) is not idle, however long it was silent', () => {
    const w = new PartitionWatermarks([0, 1], 0, 1000);
    w.observe(0, 100, 0);
    w.observe(1, 200, 0);
    expect(w.combined(0)).toBe(100);
    // A 5 s outage: both silent. Back, both have records; partition 1's come first in the batch.
    w.touch(0, 5000);
    w.touch(1, 5000);
    w.observe(1, 900, 5000);
    expect(w.combined(5000)).toBe(100); // partition 0 still holds it back
    w.observe(0, 800, 5000);
    expect(w.combined(5000)).toBe(800);
  });
});
