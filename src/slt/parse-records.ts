/**
 * The record parser: the text of a sqllogictest file → `SltRecord[]`.
 *
 * The format is SQLite's (https://www.sqlite.org/sqllogictest/doc/trunk/about.wiki) plus the
 * sqllogictest-rs extensions the RisingWave corpus uses. Records are separated by blank lines;
 * `#` lines outside result blocks are comments; `skipif`/`onlyif` lines attach to the next
 * record.
 *
 * ```
 * statement ok | error [regex] | count N   [retry N backoff Xs]
 * <sql…>
 *
 * query <types> [nosort|rowsort|valuesort] [label] [retry N backoff Xs]
 * <sql…>
 * ----
 * <one value per line | one row per line | "N values hashing to <md5>">
 * ```
 *
 * Also `hash-threshold N`, `halt`, `include <path or glob>`, `control <name> <value>`,
 * `sleep <duration>`, `let <names>` + SQL, `system ok` + a command. `connection`, `subtest`
 * and `mode` are recognised and become `Unsupported` records (counted as skipped). Anything
 * else is an `SltParseError` naming its line.
 */
import { SltParseError, type Condition, type ExpectedResult, type Loc, type Retry, type SltRecord, type SortMode } from './slt-record.js';

const HASHED = /^(\d+) values hashing to ([0-9a-f]{32})$/;
const SORT_MODES: readonly string[] = ['nosort', 'rowsort', 'valuesort'];
const UNSUPPORTED: readonly string[] = ['connection', 'subtest', 'mode', 'echo', 'loop', 'endloop', 'foreach', 'endforeach', 'require'];

/** Parses a duration written as `1s`, `500ms`, `2m` or a bare number of seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

export function parseRecords(text: string, file: string): SltRecord[] {
  const lines = text.split(/\r?\n/);
  const records: SltRecord[] = [];
  let conditions: Condition[] = [];
  let i = 0;

  const loc = (line: number): Loc => ({ file, line: line + 1 });
  const fail = (line: number, message: string): never => {
    throw new SltParseError(loc(line), message);
  };
  const isBlank = (j: number) => j >= lines.length || lines[j]!.trim() === '';
  /** Collects SQL lines from `j` up to a blank line (or `----` when `stopAtSeparator`); `#` lines are dropped. */
  const readBlock = (j: number, stopAtSeparator: boolean): { body: string[]; next: number } => {
    const body: string[] = [];
    while (!isBlank(j) && !(stopAtSeparator && lines[j]!.trim() === '----')) {
      if (!lines[j]!.trimStart().startsWith('#')) body.push(lines[j]!);
      j++;
    }
    return { body, next: j };
  };
  /** Result lines after `----`: everything up to a blank line, verbatim. */
  const readResults = (j: number): { body: string[]; next: number } => {
    const body: string[] = [];
    while (!isBlank(j)) body.push(lines[j++]!);
    return { body, next: j };
  };
  const parseRetry = (tokens: string[], at: number, line: number): Retry => {
    const count = Number(tokens[at + 1]);
    const backoffMs = tokens[at + 2] === 'backoff' ? parseDuration(tokens[at + 3] ?? '') : undefined;
    if (!Number.isInteger(count) || count < 0 || backoffMs === undefined) fail(line, `expected "retry N backoff <duration>", got "${tokens.slice(at).join(' ')}"`);
    return { count, backoffMs: backoffMs! };
  };
  const push = (r: SltRecord) => {
    records.push(r);
    conditions = [];
  };

  while (i < lines.length) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const tokens = trimmed.split(/\s+/);
    const directive = tokens[0]!;
    const start = i;
    const base = () => ({ loc: loc(start), conditions, span: { start, end: i } });

    switch (directive) {
      case 'skipif':
      case 'onlyif':
        if (!tokens[1]) fail(i, `${directive} needs an engine name`);
        conditions.push({ kind: directive, engine: tokens[1]! });
        i++;
        break;

      case 'statement': {
        const mode = tokens[1];
        let expect: Extract<SltRecord, { kind: 'Statement' }>['expect'];
        let retry: Retry | undefined;
        const retryAt = tokens.indexOf('retry');
        if (mode === 'ok') {
          if (retryAt > 0) retry = parseRetry(tokens, retryAt, i);
          expect = { kind: 'ok' };
        } else if (mode === 'count') {
          const count = Number(tokens[2]);
          if (!Number.isInteger(count)) fail(i, `statement count needs a number, got "${tokens[2] ?? ''}"`);
          if (retryAt > 0) retry = parseRetry(tokens, retryAt, i);
          expect = { kind: 'count', count };
        } else if (mode === 'error') {
          expect = { kind: 'error', pattern: trimmed.replace(/^statement\s+error\s*/, '') };
        } else {
          return fail(i, `expected "statement ok", "statement error" or "statement count", got "${trimmed}"`);
        }
        const sql = readBlock(i + 1, true);
        i = sql.next;
        if (sql.body.length === 0) fail(start, 'statement has no SQL');
        if (lines[i]?.trim() === '----') {
          const msg = readResults(i + 1);
          i = msg.next;
          if (expect.kind === 'error') expect = { kind: 'error', pattern: expect.pattern, message: msg.body.join('\n') };
        }
        push({ ...base(), kind: 'Statement', sql: sql.body.join('\n'), expect, ...(retry ? { retry } : {}) });
        break;
      }

      case 'query': {
        if (tokens.length < 2) fail(i, 'query needs its column types, e.g. "query II"');
        let types = '';
        let sort: SortMode | undefined;
        let label: string | undefined;
        let retry: Retry | undefined;
        let errorPattern: string | undefined;
        if (tokens[1] === 'error') {
          errorPattern = trimmed.replace(/^query\s+error\s*/, '');
        } else {
          types = tokens[1]!;
          if (!/^[A-Za-z]+$/.test(types)) fail(i, `bad column types "${types}" (letters such as I, R, T)`);
          for (let k = 2; k < tokens.length; k++) {
            const t = tokens[k]!;
            if (SORT_MODES.includes(t)) sort = t as SortMode;
            else if (t === 'retry') {
              retry = parseRetry(tokens, k, i);
              k += 3;
            } else if (label === undefined) label = t;
            else fail(i, `unexpected "${t}" in query header`);
          }
        }
        const sql = readBlock(i + 1, true);
        i = sql.next;
        if (sql.body.length === 0) fail(start, 'query has no SQL');
        let separatorLine = -1;
        let resultLines: string[] = [];
        if (lines[i]?.trim() === '----') {
          separatorLine = i;
          const res = readResults(i + 1);
          resultLines = res.body;
          i = res.next;
        }
        let expect: Extract<SltRecord, { kind: 'Query' }>['expect'];
        if (errorPattern !== undefined) {
          expect = { kind: 'error', pattern: errorPattern, ...(separatorLine >= 0 ? { message: resultLines.join('\n') } : {}) };
        } else {
          const hashed = resultLines.length === 1 ? HASHED.exec(resultLines[0]!.trim()) : null;
          expect = hashed ? ({ kind: 'hash', count: Number(hashed[1]), md5: hashed[2]! } satisfies ExpectedResult) : { kind: 'lines', lines: resultLines };
        }
        push({
          ...base(),
          kind: 'Query',
          sql: sql.body.join('\n'),
          types,
          expect,
          separatorLine,
          ...(sort ? { sort } : {}),
          ...(label !== undefined ? { label } : {}),
          ...(retry ? { retry } : {}),
        });
        break;
      }

      case 'hash-threshold': {
        const threshold = Number(tokens[1]);
        if (!Number.isInteger(threshold) || threshold < 0) fail(i, `hash-threshold needs a number, got "${tokens[1] ?? ''}"`);
        i++;
        push({ ...base(), kind: 'HashThreshold', threshold });
        break;
      }

      case 'halt':
        i++;
        push({ ...base(), kind: 'Halt' });
        break;

      case 'include':
        if (!tokens[1]) fail(i, 'include needs a path');
        i++;
        push({ ...base(), kind: 'Include', path: trimmed.slice('include'.length).trim() });
        break;

      case 'control':
        if (tokens.length < 3) fail(i, 'control needs a name and a value, e.g. "control substitution on"');
        i++;
        push({ ...base(), kind: 'Control', name: tokens[1]!, value: tokens.slice(2).join(' ') });
        break;

      case 'sleep': {
        const ms = parseDuration(tokens[1] ?? '');
        if (ms === undefined) fail(i, `sleep needs a duration such as 1s, got "${tokens[1] ?? ''}"`);
        i++;
        push({ ...base(), kind: 'Sleep', ms: ms! });
        break;
      }

      case 'let': {
        const names = trimmed.slice('let'.length).split(',').map((s) => s.trim()).filter((s) => s !== '');
        if (names.length === 0) fail(i, 'let needs variable names');
        const sql = readBlock(i + 1, false);
        i = sql.next;
        if (sql.body.length === 0) fail(start, 'let has no SQL');
        push({ ...base(), kind: 'Let', names, sql: sql.body.join('\n') });
        break;
      }

      case 'system': {
        if (tokens[1] !== 'ok') fail(i, `expected "system ok", got "${trimmed}"`);
        const cmd = readBlock(i + 1, true);
        i = cmd.next;
        let expected: string[] | undefined;
        if (lines[i]?.trim() === '----') {
          const res = readResults(i + 1);
          expected = res.body;
          i = res.next;
        }
        push({ ...base(), kind: 'System', command: cmd.body.join('\n'), ...(expected ? { expected } : {}) });
        break;
      }

      default: {
        if (!UNSUPPORTED.includes(directive)) fail(i, `unknown directive "${directive}"`);
        const block = readResults(i);
        i = block.next;
        push({ ...base(), kind: 'Unsupported', directive });
      }
    }
  }
  return records;
}
