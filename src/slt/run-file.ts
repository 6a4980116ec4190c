/**
 * Runs the records of one test file against an engine and counts the outcomes.
 *
 * Per-file state: the rendering style and result mode (by extension: `.test` = SQLite's rules,
 * one value per line, hash threshold 8 as in SQLite's harness; anything else = sqllogictest-rs,
 * one row per line, no hashing), `hash-threshold`, `control` settings, `let` variables, query
 * labels, and `halt`. `include`d files run in the same database with the same state.
 *
 * Counting: each `statement`, `query`, `let`, `system` and unsupported directive is one record:
 * passed, failed, or skipped (by `skipif`/`onlyif`, a `system` command when those are not
 * allowed, or a directive this runner does not run). Every failure message starts `file:line:`.
 * With `complete`, the results the engine gave for each record that failed are collected for
 * complete-file.ts (records that passed keep their text).
 */
import { execSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Engine, EngineResult } from './engine.js';
import { parseRecords } from './parse-records.js';
import { hashValues, normalizeLine, postgresTimestamptz, renderRows, resultLines, rowLine, sortRows, type RenderStyle, type ResultMode } from './render-values.js';
import { SltParseError, type ExpectedError, type Retry, type SltRecord, type SortMode } from './slt-record.js';

export interface RunFileOptions {
  /** Run `system ok` commands (off by default: they are skipped). */
  allowSystem?: boolean;
  /** Collect the engine's results for `--complete`. */
  complete?: boolean;
  /** Run only the record at this 1-based line (the records before it run uncounted, queries excepted). */
  onlyLine?: number;
}

export interface FileOutcome {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  /** One message per failure, each starting `file:line:`. */
  failures: string[];
  /** With `complete`: record index (of the top-level file) → the lines that replace its span. */
  completions?: Map<number, string[]>;
  /** The parsed top-level records (for complete-file.ts). */
  records?: SltRecord[];
}

interface FileState {
  style: RenderStyle;
  mode: ResultMode;
  hashThreshold: number;
  sort: SortMode | undefined;
  substitution: boolean;
  vars: Map<string, string>;
  labels: Map<string, string>;
  halted: boolean;
}

/** Style, result mode and hash threshold by file name: SQLite's `.test` files or sqllogictest-rs's `.slt`. */
export function dialectOf(file: string): Pick<FileState, 'style' | 'mode' | 'hashThreshold'> {
  return file.endsWith('.test') ? { style: 'sqlite', mode: 'valuewise', hashThreshold: 8 } : { style: 'postgres', mode: 'rowwise', hashThreshold: 0 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runFile(file: string, engine: Engine, options: RunFileOptions = {}): Promise<FileOutcome> {
  const outcome: FileOutcome = { file, passed: 0, failed: 0, skipped: 0, failures: [] };
  let records: SltRecord[];
  try {
    records = parseRecords(readFileSync(file, 'utf8'), file);
  } catch (e) {
    outcome.failed++;
    outcome.failures.push(e instanceof SltParseError ? `${e.message} (file not run)` : `${file}: ${(e as Error).message}`);
    return outcome;
  }
  outcome.records = records;
  if (options.complete) outcome.completions = new Map();
  const state: FileState = { ...dialectOf(file), sort: undefined, substitution: false, vars: new Map(), labels: new Map(), halted: false };
  await new FileRun(engine, options, outcome, state).runRecords(records, true);
  return outcome;
}

class FileRun {
  constructor(
    readonly engine: Engine,
    readonly options: RunFileOptions,
    readonly outcome: FileOutcome,
    readonly state: FileState,
  ) {}

  #fail(r: SltRecord, message: string): void {
    this.outcome.failed++;
    this.outcome.failures.push(`${r.loc.file}:${r.loc.line}: ${message}`);
  }

  #applies(r: SltRecord): boolean {
    const names: readonly string[] = this.engine.names;
    return r.conditions.every((c) => (c.kind === 'skipif' ? !names.includes(c.engine) : names.includes(c.engine)));
  }

  #subst(text: string): string {
    if (!this.state.substitution) return text;
    return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (all, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      return this.state.vars.get(name) ?? process.env[name] ?? all;
    });
  }

  async runRecords(records: SltRecord[], top: boolean): Promise<void> {
    const only = top ? this.options.onlyLine : undefined;
    for (let index = 0; index < records.length && !this.state.halted; index++) {
      const r = records[index]!;
      if (only !== undefined && r.loc.line > only) break;
      const counted = only === undefined || r.loc.line === only;
      if (!this.#applies(r)) {
        if (counted && isCountable(r)) this.outcome.skipped++;
        continue;
      }
      if (!counted && (r.kind === 'Query' || r.kind === 'System')) continue;
      const before = { ...this.outcome, failures: this.outcome.failures.length };
      await this.#runRecord(r, top ? index : -1);
      if (!counted) {
        // Setup records before the selected one: run for their effects, not counted.
        this.outcome.passed = before.passed;
        this.outcome.failed = before.failed;
        this.outcome.skipped = before.skipped;
        this.outcome.failures.length = before.failures;
      }
    }
  }

  async #runRecord(r: SltRecord, index: number): Promise<void> {
    switch (r.kind) {
      case 'Statement':
        return this.#statement(r, index);
      case 'Query':
        return this.#query(r, index);
      case 'HashThreshold':
        this.state.hashThreshold = r.threshold;
        return;
      case 'Halt':
        this.state.halted = true;
        return;
      case 'Include':
        return this.#include(r);
      case 'Control':
        return this.#control(r);
      case 'Sleep':
        await sleep(r.ms);
        return;
      case 'Let':
        return this.#let(r);
      case 'System':
        return this.#system(r);
      case 'Unsupported':
        this.outcome.skipped++;
        return;
    }
  }

  /** Runs `attempt` once, or up to `retry.count` more times while it fails. */
  async #withRetry(retry: Retry | undefined, attempt: () => Promise<string | null>): Promise<string | null> {
    let failure = await attempt();
    // In-process weir is synchronous: a retry would see the same state, so it is not worth waiting.
    const tries = retry && !this.engine.synchronous ? retry.count : 0;
    for (let i = 0; i < tries && failure !== null; i++) {
      await sleep(retry!.backoffMs);
      failure = await attempt();
    }
    return failure;
  }

  async #statement(r: Extract<SltRecord, { kind: 'Statement' }>, index: number): Promise<void> {
    const sql = this.#subst(r.sql);
    let outcome: { error?: string; result?: EngineResult } = {};
    const failure = await this.#withRetry(r.retry, async () => {
      try {
        outcome = { result: await this.engine.run(sql) };
      } catch (e) {
        outcome = { error: errorMessage(e) };
      }
      const { error, result } = outcome;
      if (r.expect.kind === 'error') {
        if (error === undefined) return 'statement succeeded, but an error was expected';
        return matchError(r.expect, error);
      }
      if (error !== undefined) return `statement failed: ${error}`;
      if (r.expect.kind === 'count') {
        const got = result?.kind === 'rows' ? result.rows.length : result?.rowCount;
        if (got !== r.expect.count) return `statement affected ${got ?? 'an unknown number of'} rows, expected ${r.expect.count}`;
      }
      return null;
    });
    if (failure === null) this.outcome.passed++;
    else this.#fail(r, `${failure}\n    ${oneLine(sql)}`);
    if (this.outcome.completions && index >= 0 && failure !== null) {
      const { error, result } = outcome;
      const count = result?.kind === 'rows' ? result.rows.length : result?.rowCount;
      const header =
        error !== undefined ? `statement error ${escapeRegex(firstLine(error))}` : r.expect.kind === 'count' ? `statement count ${count ?? 0}` : 'statement ok';
      this.outcome.completions.set(index, [header, ...r.sql.split('\n')]);
    }
  }

  async #query(r: Extract<SltRecord, { kind: 'Query' }>, index: number): Promise<void> {
    const sql = this.#subst(r.sql);
    const sort = r.sort ?? this.state.sort;
    let got = { error: '' } as { error: string } | { rows: string[][] };
    const failure = await this.#withRetry(r.retry, async () => {
      try {
        const result = await this.engine.run(sql);
        if (result.kind !== 'rows') {
          got = { error: `the statement returned no rows (${result.tag})` };
          return r.expect.kind === 'error' ? 'query succeeded, but an error was expected' : `query returned no result set (${result.tag})`;
        }
        const width = result.columns.length;
        if (this.state.style === 'sqlite' && r.types.length !== width) {
          got = { rows: [] };
          return `query has ${width} columns, but the record declares ${r.types.length} ("${r.types}")`;
        }
        got = { rows: sortRows(renderRows(result.rows, r.types, this.state.style), sort) };
      } catch (e) {
        got = { error: errorMessage(e) };
        if (r.expect.kind === 'error') return matchError(r.expect, got.error);
        return `query failed: ${got.error}`;
      }
      if (r.expect.kind === 'error') return 'query succeeded, but an error was expected';
      return this.#compare(r, got.rows, sort);
    });
    if (failure === null) this.outcome.passed++;
    else this.#fail(r, `${failure}\n    ${oneLine(sql)}`);
    if (this.outcome.completions && index >= 0 && failure !== null) {
      const sqlLines = r.sql.split('\n');
      const header = 'rows' in got ? queryHeader(r) : `query error ${escapeRegex(firstLine(got.error))}`;
      const results = 'rows' in got ? ['----', ...resultLines(got.rows, this.state.mode, this.state.hashThreshold)] : [];
      this.outcome.completions.set(index, [header, ...sqlLines, ...results]);
    }
  }

  /** Compares rendered, sorted rows with the record's expectation; a message, or null when they agree. */
  #compare(r: Extract<SltRecord, { kind: 'Query' }>, rows: string[][], sort: SortMode | undefined): string | null {
    const values = rows.flat();
    if (r.label !== undefined) {
      const hash = hashValues(values);
      const seen = this.state.labels.get(r.label);
      if (seen === undefined) this.state.labels.set(r.label, hash);
      else if (seen !== hash) return `result differs from the earlier query labelled "${r.label}"`;
    }
    if (r.expect.kind === 'hash') {
      const hash = hashValues(values);
      if (values.length === r.expect.count && hash === r.expect.md5) return null;
      return `expected ${r.expect.count} values hashing to ${r.expect.md5}, got ${values.length} values hashing to ${hash}${preview('got', values)}`;
    }
    if (r.expect.kind !== 'lines') return null;
    let expected = r.expect.lines;
    let actual: string[];
    if (this.state.mode === 'valuewise') {
      actual = values;
      // A file may write several values on a line (row per line) even in valuewise mode.
      if (expected.length !== actual.length && expected.length === rows.length) actual = rows.map(rowLine);
    } else {
      expected = expected.map((l) => postgresTimestamptz(normalizeLine(l)));
      actual = rows.map((row) => normalizeLine(rowLine(row)));
      if (sort === 'rowsort') expected = [...expected].sort();
      if (sort === 'rowsort') actual = [...actual].sort();
      if (sort === 'valuesort') {
        expected = expected.flatMap((l) => l.split(' ')).sort();
        actual = actual.flatMap((l) => l.split(' ')).sort();
      }
    }
    const at = firstDifference(expected, actual);
    if (at < 0) return null;
    return `result differs at line ${at + 1} of ${Math.max(expected.length, actual.length)}: expected "${expected[at] ?? '<end>'}", got "${actual[at] ?? '<end>'}"${preview('expected', expected)}${preview('got', actual)}`;
  }

  async #include(r: Extract<SltRecord, { kind: 'Include' }>): Promise<void> {
    const pattern = resolve(dirname(r.loc.file), this.#subst(r.path));
    const files = expandGlob(pattern);
    if (files.length === 0) return this.#fail(r, `include matches no file: ${r.path}`);
    for (const f of files) {
      let records: SltRecord[];
      try {
        records = parseRecords(readFileSync(f, 'utf8'), f);
      } catch (e) {
        return this.#fail(r, `cannot include ${f}: ${(e as Error).message}`);
      }
      await this.runRecords(records, false);
      if (this.state.halted) return;
    }
  }

  #control(r: Extract<SltRecord, { kind: 'Control' }>): void {
    if (r.name === 'substitution') this.state.substitution = r.value === 'on';
    else if (r.name === 'resultmode' && (r.value === 'valuewise' || r.value === 'rowwise')) this.state.mode = r.value;
    else if (r.name === 'sortmode' && (r.value === 'nosort' || r.value === 'rowsort' || r.value === 'valuesort')) this.state.sort = r.value;
  }

  async #let(r: Extract<SltRecord, { kind: 'Let' }>): Promise<void> {
    const sql = this.#subst(r.sql);
    try {
      const result = await this.engine.run(sql);
      const row = result.kind === 'rows' ? result.rows[0] : undefined;
      if (!row) return this.#fail(r, `let: the query returned no row\n    ${oneLine(sql)}`);
      r.names.forEach((name, i) => this.state.vars.set(name, row[i] ?? 'NULL'));
      this.outcome.passed++;
    } catch (e) {
      this.#fail(r, `let: query failed: ${errorMessage(e)}\n    ${oneLine(sql)}`);
    }
  }

  #system(r: Extract<SltRecord, { kind: 'System' }>): void {
    if (!this.options.allowSystem) {
      this.outcome.skipped++;
      return;
    }
    try {
      const out = execSync(this.#subst(r.command), { encoding: 'utf8', cwd: dirname(r.loc.file), stdio: ['ignore', 'pipe', 'pipe'] });
      const lines = out.split('\n').filter((l) => l !== '');
      if (r.expected && firstDifference(r.expected.map(normalizeLine), lines.map(normalizeLine)) >= 0) {
        return this.#fail(r, `system: output differs${preview('expected', r.expected)}${preview('got', lines)}`);
      }
      this.outcome.passed++;
    } catch (e) {
      this.#fail(r, `system: command failed: ${firstLine((e as Error).message)}`);
    }
  }
}

function isCountable(r: SltRecord): boolean {
  return r.kind === 'Statement' || r.kind === 'Query' || r.kind === 'Let' || r.kind === 'System' || r.kind === 'Unsupported';
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `statement error <regex>` (or an exact message after `----`) against the error the engine gave. */
function matchError(expect: ExpectedError, message: string): string | null {
  if (expect.message !== undefined) {
    return normalizeLine(expect.message) === normalizeLine(message) ? null : `expected error "${expect.message}", got "${message}"`;
  }
  if (expect.pattern === '') return null;
  let re: RegExp;
  try {
    re = new RegExp(expect.pattern);
  } catch {
    return message.includes(expect.pattern) ? null : `expected an error containing "${expect.pattern}", got "${message}"`;
  }
  return re.test(message) ? null : `expected an error matching /${expect.pattern}/, got "${message}"`;
}

function queryHeader(r: Extract<SltRecord, { kind: 'Query' }>): string {
  const parts = ['query', r.types];
  if (r.sort) parts.push(r.sort);
  if (r.label !== undefined) parts.push(r.label);
  if (r.retry) parts.push('retry', String(r.retry.count), 'backoff', `${r.retry.backoffMs}ms`);
  return parts.join(' ');
}

function firstDifference(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

function preview(label: string, lines: string[]): string {
  const shown = lines.slice(0, 8).join(' | ');
  return `\n    ${label}: ${shown}${lines.length > 8 ? ` | … (${lines.length} in all)` : ''}`;
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Expands `*` and `?` in the last path segment (sqllogictest-rs `include` takes globs). */
export function expandGlob(pattern: string): string[] {
  const name = basename(pattern);
  if (!/[*?]/.test(name)) return [pattern];
  const dir = dirname(pattern);
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}
