// A reader behind its partition's end (a backlog) fills a poll up to the number asked for, by
// fetching again without waiting, rather than handing out one fetch's worth: so a source tick
// reading a backlog gets a full batch. Against a real broker (KAFKA_BROKERS; the vitest global
// setup starts scripts/kafka.sh when it is unset).
import { expect, test } from 'vitest';
import { KafkajsReader } from '../../../src/sources/kafka/kafkajs-reader.js';
import { createTopic, kafkaBrokers, kafkaClientsForFile, uniqueTopic } from '../../harness/kafka.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const clients = kafkaClientsForFile(brokers);

test('a backlog fills each poll up to the number asked for, in order, each record once', async () => {
  const topic = uniqueTopic('backlog');
  await createTopic(clients.admin, topic, 1);
  // 3,000 records of 1 kB: 3 MB, three fetches' worth at 1 MB per partition and fetch.
  const pad = 'x'.repeat(1000);
  for (let from = 0; from < 3000; from += 500) {
    await clients.producer.send({ topic, messages: Array.from({ length: 500 }, (_, i) => ({ value: `${from + i} ${pad}` })) });
  }
  const reader = new KafkajsReader({ brokers, clientId: 'weir-test-backlog', maxBytesPerPartition: 1 << 20 });
  try {
    reader.assign(topic, [{ partition: 0, offset: 0n }]);
    const first = await reader.poll(2500, 0);
    expect(first.error).toBeUndefined();
    expect(first.records).toHaveLength(2500);
    const rest = await reader.poll(2500, 0);
    expect(rest.records).toHaveLength(500);
    const ids = [...first.records, ...rest.records].map((r) => Number(Buffer.from(r.value!).toString().split(' ')[0]));
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(reader.positions().get(0)).toBe(3000n);
    expect((await reader.poll(2500, 0)).records).toHaveLength(0);
  } finally {
    await reader.close();
  }
});
