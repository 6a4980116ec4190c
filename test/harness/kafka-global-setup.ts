// Vitest global setup: a Kafka broker for the test files that need one. Those files read
// process.env.KAFKA_BROKERS. When KAFKA_BROKERS is set, its brokers are used as they are; else,
// when a selected test file mentions KAFKA_BROKERS, `scripts/kafka.sh start` starts the
// development broker once for the whole run (or finds it running) and this sets KAFKA_BROKERS
// for the test workers. A broker this run started is stopped at the end; one that was already
// running is left running.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const script = resolve(import.meta.dirname, '../../scripts/kafka.sh');

/** Whether any selected test file mentions KAFKA_BROKERS (all files when that can't be told). */
async function kafkaNeeded(project: TestProject): Promise<boolean> {
  try {
    const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
    const { testFiles } = await project.globTestFiles(filters);
    return testFiles.some((f) => readFileSync(f, 'utf8').includes('KAFKA_BROKERS'));
  } catch {
    return true;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.KAFKA_BROKERS) return undefined;
  if (!(await kafkaNeeded(project))) return undefined;
  const wasRunning = spawnSync('bash', [script, 'status'], { stdio: 'ignore' }).status === 0;
  const out = execFileSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
  const brokers = out.trim().split('\n').pop()!;
  process.env.KAFKA_BROKERS = brokers;
  return () => {
    if (!wasRunning) execFileSync('bash', [script, 'stop'], { stdio: 'inherit', timeout: 60_000 });
  };
}
