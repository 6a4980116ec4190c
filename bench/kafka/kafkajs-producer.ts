/**
 * The freshness benchmark's kafkajs producer (bench/kafka-freshness.ts --producer kafkajs), a
 * process of its own so that its work does not delay the clients' clocks:
 *
 *   node --import tsx bench/kafka/kafkajs-producer.ts '<ProduceOptions as JSON>'
 *
 * Generates the Nexmark events in memory (bench/nexmark-produce.ts), prints {"ready":true},
 * then every 5 ms writes as many as the rate asks for by then, in requests of at most 2,000
 * records, one request at a time (acks=1), printing {"from","to","ms","ackMs"} per request (ms:
 * its send time, the events' produce timestamp; ackMs: the broker's acknowledgement) and
 * {"done":true} at the end. With its own event loop and the broker on two shared cores it tops
 * out near 41,000 events/s here; bench/kafka/NexmarkProducer.java goes past 90,000.
 */
import { resolve } from 'node:path';
import { kafkaProducer, nexmarkMessages, type ProduceOptions } from '../nexmark-produce.js';

async function produce(gen: ProduceOptions): Promise<void> {
  const messages = nexmarkMessages(gen, 0, gen.events).map((m) => ({ value: m.value }));
  const { producer } = kafkaProducer(gen.brokers);
  await producer.connect();
  const say = (x: object): void => void process.stdout.write(`${JSON.stringify(x)}\n`);
  say({ ready: true });
  const t0 = Date.now();
  let sent = 0;
  while (sent < gen.events) {
    const due = Math.min(gen.events, Math.floor(((Date.now() - t0) / 1000) * gen.rate));
    // At most 2,000 records (about 600 kB) per request: the broker's default limit is 1 MiB.
    // One request at a time, so the partition holds the events in order.
    for (; sent < due; ) {
      const to = Math.min(due, sent + 2000);
      const ms = Date.now();
      await producer.send({ topic: gen.topic, acks: 1, messages: messages.slice(sent, to) });
      say({ from: sent, to, ms, ackMs: Date.now() });
      sent = to;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  say({ done: true });
  await producer.disconnect();
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await produce(JSON.parse(process.argv[2]!) as ProduceOptions);
