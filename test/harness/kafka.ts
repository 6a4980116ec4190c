// Helpers for tests against a real Kafka broker (never a mock): the brokers from KAFKA_BROKERS
// (set by kafka-global-setup.ts or by the caller), unique topic names, and a kafkajs admin and
// producer for setting topics up.
import kafkajs from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';

const { Kafka, Partitioners } = kafkajs;

/** The brokers of `KAFKA_BROKERS` (pass process.env.KAFKA_BROKERS: the global setup looks for that name). */
export function kafkaBrokers(value: string | undefined): string[] {
  if (!value) {
    throw new Error(
      'KAFKA_BROKERS is not set: the vitest global setup (test/harness/kafka-global-setup.ts) starts a broker ' +
        'for test files that mention KAFKA_BROKERS; or run scripts/kafka.sh start and set it yourself',
    );
  }
  return value.split(',').map((b) => b.trim());
}

let counter = 0;

/** A topic name no other test (or earlier run on the same broker) uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

export interface KafkaTestClients {
  admin: Admin;
  producer: Producer;
  close(): Promise<void>;
}

export async function kafkaTestClients(brokers: string[]): Promise<KafkaTestClients> {
  const kafka = new Kafka({ brokers, clientId: 'weir-test', logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([admin.connect(), producer.connect()]);
  return {
    admin,
    producer,
    async close() {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    },
  };
}

/**
 * A test file's admin and producer: connected before its first test, closed after its last
 * (vitest beforeAll/afterAll); use them inside tests.
 */
export function kafkaClientsForFile(brokers: string[]): Omit<KafkaTestClients, 'close'> {
  let clients: KafkaTestClients | undefined;
  beforeAll(async () => {
    clients = await kafkaTestClients(brokers);
  }, 60_000);
  afterAll(async () => {
    await clients?.close();
  });
  return {
    get admin() {
      return clients!.admin;
    },
    get producer() {
      return clients!.producer;
    },
  };
}

export async function createTopic(admin: Admin, topic: string, numPartitions: number): Promise<void> {
  // A broker that has just started may not lead its partitions yet: try again for a while.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: true });
      return;
    } catch (e) {
      if (attempt >= 10 || (e as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') throw e;
      if ((await admin.listTopics()).includes(topic)) {
        await new Promise((r) => setTimeout(r, 500));
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
