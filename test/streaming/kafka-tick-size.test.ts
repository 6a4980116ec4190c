// A Kafka backlog is read in ticks of at most KAFKA_ROWS_PER_TICK records (source-pump.ts), each
// record once: a record becomes visible with its tick, so a long backlog shows in steps rather
// than all at once at the end, and a tick's rows stay few enough to be young garbage.
import { describe, expect, test } from 'vitest';
import { inProcess } from '../harness/in-process.js';
import { createTopic, kafkaBrokers, kafkaClientsForFile, uniqueTopic } from '../harness/kafka.js';
import { until } from '../harness/until.js';
import { KAFKA_ROWS_PER_TICK } from '../../src/adapter/source-pump.js';

const brokers = kafkaBrokers(process.env.KAFKA_BROKERS);
const clients = kafkaClientsForFile(brokers);

describe('kafka source ticks', () => {
  test('a backlog is read in ticks of at most KAFKA_ROWS_PER_TICK records, every record once', async () => {
    const topic = uniqueTopic('ticks');
    await createTopic(clients.admin, topic, 1);
    const total = Math.round(2.5 * KAFKA_ROWS_PER_TICK) + 1;
    for (let from = 0; from < total; from += 1000) {
      const n = Math.min(1000, total - from);
      await clients.producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ value: JSON.stringify({ id: from + i }) })) });
    }
    const db = await inProcess();
    const ticks: number[] = [];
    db.weir.coord.onSourceTick = ({ rows }) => void (rows > 0 && ticks.push(rows));
    await db.run(`CREATE SOURCE s (id bigint) WITH (connector = 'kafka', topic = '${topic}',
        properties.bootstrap.server = '${brokers.join(',')}', scan.startup.mode = 'earliest') FORMAT PLAIN ENCODE JSON`);
    await db.run('CREATE MATERIALIZED VIEW c AS SELECT count(*) AS n, count(DISTINCT id) AS ids, max(id) AS top FROM s');
    const seen = await until(() => db.rows('SELECT n, ids, top FROM c'), (r) => r[0]?.[0] === BigInt(total), 60_000);
    expect(seen).toEqual([[BigInt(total), BigInt(total), BigInt(total - 1)]]);
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(total);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(KAFKA_ROWS_PER_TICK);
    expect(ticks.length).toBeGreaterThanOrEqual(Math.ceil(total / KAFKA_ROWS_PER_TICK));
    await db.close();
  }, 90_000);
});
