import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'grammar/**/*.test.ts', 'sqllogictest/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Starts a Kafka broker (scripts/kafka.sh) when KAFKA_BROKERS is unset and a selected test
    // file needs one; see the file.
    globalSetup: ['test/harness/kafka-global-setup.ts'],
  },
});
