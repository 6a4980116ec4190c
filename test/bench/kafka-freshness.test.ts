// The freshness benchmark's parts (bench/kafka/): its latency arithmetic against a brute-force
// reading of its definition, the producers' report lines, the events file, and the Java producer
// (bench/kafka/NexmarkProducer.java) against the real broker of KAFKA_BROKERS: every record of
// the file in the topic, in order, and reports that cover each record once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeEventsFile } from '../../bench/kafka/events-file.js';
import { latencies, perSecond, ProduceLog, producerMessage, summarize, type Observation } from '../../bench/kafka/freshness-latency.js';
import { startProducer } from '../../bench/kafka/producer-process.js';
import { nexmarkMessages, type ProduceOptions } from '../../bench/nexmark-produce.js';
import { KafkajsReader } from '../../src/sources/kafka/kafkajs-reader.js';
import { createTopic, kafkaBrokers, kafkaClientsForFile, uniqueTopic } from '../harness/kafka.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const dir = mkdtempSync(join(tmpdir(), 'weir-freshness-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small deterministic generator (xorshift), so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('freshness arithmetic', () => {
  test('an event is visible at the first observation whose count is past it', () => {
    const produced = Float64Array.from([100, 100, 105, 110, 110]);
    const seen: Observation[] = [
      { ms: 103, n: 1 },
      { ms: 120, n: 4 },
      { ms: 130, n: 5 },
    ];
    // Event 0 in the count 1 at 103; events 1–3 in the count 4 at 120; event 4 at 130.
    expect(latencies(seen, produced, 0, 5)).toEqual([3, 20, 15, 10, 20]);
    // The warm-up left out: from event 2 on.
    expect(latencies(seen, produced, 2, 5)).toEqual([15, 10, 20]);
    // Events no observation covers yet are left out.
    expect(latencies(seen.slice(0, 2), produced, 0, 5)).toEqual([3, 20, 15, 10]);
  });

  test('agrees with a brute-force reading of the definition on random runs', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const r = random(seed);
      const events = 1 + Math.floor(r() * 200);
      const produced = new Float64Array(events);
      let t = 0;
      for (let i = 0; i < events; i++) produced[i] = t += Math.floor(r() * 3);
      // Counts that never go down, arriving after the events they hold were produced.
      const seen: Observation[] = [];
      let n = 0;
      let ms = 0;
      while (n < events) {
        n = Math.min(events, n + Math.floor(r() * 20));
        ms = Math.max(ms, n > 0 ? produced[n - 1]! : 0) + Math.floor(r() * 10);
        seen.push({ ms, n });
      }
      const from = Math.floor(r() * events);
      const expected: number[] = [];
      for (let i = from; i < events; i++) expected.push(seen.find((o) => o.n > i)!.ms - produced[i]!);
      expect(latencies(seen, produced, from, events), `seed ${seed}`).toEqual(expected);
      expect(Math.min(...expected)).toBeGreaterThanOrEqual(0);
    }
  });

  test('the produce log fills each step, finds the first event without a report, and summarizes', () => {
    const log = new ProduceLog(6);
    log.step({ from: 0, to: 2, ms: 1000, ackMs: 1004 });
    log.step({ from: 2, to: 5, ms: 1002, ackMs: 1012 });
    expect(log.firstMissing()).toBe(5);
    log.step({ from: 5, to: 6, ms: 1003, ackMs: 1004 });
    expect(log.firstMissing()).toBe(6);
    expect([...log.produced]).toEqual([1000, 1000, 1002, 1002, 1002, 1003]);
    expect(log.ackLatencies(1)).toEqual([4, 10, 10, 10, 1]);
    expect([...log.ackedAt()]).toEqual([1004, 1004, 1012, 1012, 1012, 1004]);
    expect(() => log.step({ from: 5, to: 7, ms: 1, ackMs: 2 })).toThrow('the producer reported events up to 7 of 6');
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(xs)).toEqual({ p50: 51, p99: 100, max: 100 });
  });

  test('latencies per second of producing, by produce timestamp', () => {
    const produced = Float64Array.from([1000, 1500, 2000, 2999, 4100]);
    // Events 1 … 4 (from = 1): their latencies in order.
    const groups = perSecond([5, 7, 9, 40], produced, 1);
    expect(groups).toEqual([
      { second: 0, events: 1, summary: { p50: 5, p99: 5, max: 5 } },
      { second: 1, events: 2, summary: { p50: 9, p99: 9, max: 9 } },
      { second: 3, events: 1, summary: { p50: 40, p99: 40, max: 40 } },
    ]);
  });

  test("the producers' report lines", () => {
    expect(producerMessage('{"ready":true}')).toEqual({ kind: 'ready' });
    expect(producerMessage('{"from":0,"to":54,"ms":1795727515192,"ackMs":1795727515380}')).toEqual({ kind: 'step', from: 0, to: 54, ms: 1795727515192, ackMs: 1795727515380 });
    expect(producerMessage('{"done":true}')).toEqual({ kind: 'done' });
    expect(() => producerMessage('[main] INFO something')).toThrow('the producer printed a line that is not JSON: [main] INFO something');
    expect(() => producerMessage('{"from":5,"to":2,"ms":1,"ackMs":2}')).toThrow('the producer printed an unknown line');
  });
});

describe('the Java producer (real broker)', () => {
  const clients = kafkaClientsForFile(brokers);

  test('writes every line of the events file to the topic in order, and reports each record once', async () => {
    const topic = uniqueTopic('freshness-java');
    await createTopic(clients.admin, topic, 1);
    const gen: ProduceOptions = { brokers, topic, events: 3000, seed: 7, rate: 20_000, baseTimeMs: Date.UTC(2026, 10, 26, 10), partitions: 1 };
    // The file as the benchmark writes it: one JSON record a line, the generator's records.
    const file = join(dir, 'events.jsonl');
    writeEventsFile(gen, file);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual(nexmarkMessages(gen, 0, gen.events).map((m) => m.value));
    expect((JSON.parse(lines[0]!) as { event_type: number }).event_type).toBe(0);

    const producer = startProducer('java', gen, { lingerMs: 5, log: () => undefined });
    const kinds: string[] = [];
    const log = new ProduceLog(gen.events);
    let next = 0;
    for await (const m of producer.messages()) {
      kinds.push(m.kind);
      if (m.kind !== 'step') continue;
      expect(m.from).toBe(next);
      expect(m.ackMs).toBeGreaterThanOrEqual(m.ms);
      next = m.to;
      log.step(m);
    }
    expect(await producer.exit).toBe(0);
    producer.cleanup();
    expect(kinds[0]).toBe('ready');
    expect(kinds.at(-1)).toBe('done');
    expect(log.firstMissing()).toBe(gen.events);
    // 3,000 events at 20,000/s: about 150 ms from the first produce timestamp to the last.
    expect(log.produced[gen.events - 1]! - log.produced[0]!).toBeGreaterThanOrEqual(100);

    const reader = new KafkajsReader({ brokers, clientId: 'weir-test-freshness-reader' });
    try {
      reader.assign(topic, [{ partition: 0, offset: 0n }]);
      const values: string[] = [];
      const end = Date.now() + 30_000;
      while (values.length < gen.events && Date.now() < end) {
        for (const r of (await reader.poll(5000, 200)).records) values.push(new TextDecoder().decode(r.value!));
      }
      expect(values).toEqual(lines);
    } finally {
      await reader.close();
    }
  }, 120_000);
});
