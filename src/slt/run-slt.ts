/**
 * The runner's entry (what `weir slt` calls): expands the paths given into test files, runs
 * each in its own database (a fresh in-memory weir, or its own connection to `--url` with its
 * objects dropped at the end), prints each failure and a summary per file, and ends with the
 * total: exactly `N passed, N failed` (`, N skipped` after it when there are skips).
 *
 * A path may end in `:LINE` to run a single record of a file (the statements before it run as
 * setup). Folders are walked for `*.test`, `*.slt` and `*.slt.part` (copies written by
 * `--complete`, `*.completed.*`, are left out).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { Engine } from './engine.js';
import { InProcessEngine } from './in-process-engine.js';
import { PgwireEngine } from './pgwire-engine.js';
import { runFile, type FileOutcome } from './run-file.js';
import { writeCompleted } from './complete-file.js';

export interface SltOptions {
  /** A running server; without it each file gets a fresh in-process weir. */
  url?: string;
  /** Write `<name>.completed.<ext>` with the engine's results (the blessing step). */
  complete?: boolean;
  /** Where completed copies go (default: beside each file). */
  completeDir?: string;
  /** Run `system ok` commands instead of skipping them. */
  allowSystem?: boolean;
  /** Where report lines go (default: stdout). */
  print?: (line: string) => void;
  logger?: Logger;
}

export interface SltSummary {
  files: FileOutcome[];
  passed: number;
  failed: number;
  skipped: number;
}

export interface TestTarget {
  file: string;
  /** Run only the record at this line. */
  line?: number;
}

const TEST_FILE = /\.(test|slt|slt\.part)$/;

/** Expands files, folders (recursively, sorted) and `file:line` selectors into test targets. */
export function collectTargets(paths: string[]): TestTarget[] {
  const out: TestTarget[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (TEST_FILE.test(name) && !name.includes('.completed.')) out.push({ file: p });
    }
  };
  for (const path of paths) {
    const selector = /^(.*):(\d+)$/.exec(path);
    if (selector && !existsSync(path) && existsSync(selector[1]!)) out.push({ file: selector[1]!, line: Number(selector[2]) });
    else if (existsSync(path) && statSync(path).isDirectory()) walk(path);
    else out.push({ file: path });
  }
  return out;
}

/** The last line of a run: `N passed, N failed[, N skipped]`. */
export function summaryLine(s: { passed: number; failed: number; skipped: number }): string {
  return `${s.passed} passed, ${s.failed} failed${s.skipped > 0 ? `, ${s.skipped} skipped` : ''}`;
}

export async function runSlt(paths: string[], options: SltOptions = {}): Promise<SltSummary> {
  const print = options.print ?? ((line: string) => console.log(line));
  const logger = options.logger ?? pino({ level: 'silent' });
  const summary: SltSummary = { files: [], passed: 0, failed: 0, skipped: 0 };
  for (const target of collectTargets(paths)) {
    const started = Date.now();
    let outcome: FileOutcome;
    let engine: Engine | undefined;
    try {
      engine = options.url ? await PgwireEngine.connect(options.url) : await InProcessEngine.open(logger);
      outcome = await runFile(target.file, engine, {
        ...(options.complete ? { complete: true } : {}),
        ...(options.allowSystem ? { allowSystem: true } : {}),
        ...(target.line !== undefined ? { onlyLine: target.line } : {}),
      });
    } catch (e) {
      outcome = { file: target.file, passed: 0, failed: 1, skipped: 0, failures: [`${target.file}: ${(e as Error).message}`] };
    } finally {
      await engine?.close().catch(() => {});
    }
    for (const f of outcome.failures) print(`FAIL ${f}`);
    print(`${target.file}${target.line !== undefined ? `:${target.line}` : ''}: ${summaryLine(outcome)} (${Date.now() - started} ms)`);
    if (options.complete && outcome.records) print(`  completed: ${writeCompleted(outcome, options.completeDir)}`);
    summary.files.push(outcome);
    summary.passed += outcome.passed;
    summary.failed += outcome.failed;
    summary.skipped += outcome.skipped;
  }
  print(summaryLine(summary));
  return summary;
}
