/**
 * The records of a sqllogictest file, as a discriminated union on `kind` (one record per
 * directive). Produced by parse-records.ts, executed by run-file.ts, written back by
 * complete-file.ts. Every record knows where it came from (`loc`) and the 0-based line span it
 * occupies, so a failure says `file:line` and `--complete` can rewrite the span in place.
 */

/** Where a record starts: the file and the 1-based line of its directive (`query …`). */
export interface Loc {
  file: string;
  line: number;
}

/** `skipif <engine>` / `onlyif <engine>` lines written before a record. */
export interface Condition {
  kind: 'skipif' | 'onlyif';
  engine: string;
}

/** `nosort` keeps the engine's order; `rowsort` sorts whole rows; `valuesort` sorts every value. */
export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

/** `retry N backoff Xs`: re-run a failing record up to N more times, waiting X between tries. */
export interface Retry {
  count: number;
  backoffMs: number;
}

/** The 0-based line span [start, end) of a record in its file, from its directive to its last line. */
export interface Span {
  start: number;
  end: number;
}

/** What a statement or query must give when it fails: a regex, or an exact message after `----`. */
export interface ExpectedError {
  /** A regex (sqllogictest-rs: `statement error <regex>`); empty = any error. */
  pattern: string;
  /** The exact message, when given as a block after `----` (multi-line errors). */
  message?: string;
}

export type ExpectedResult =
  /** Result lines as written: one value per line (SQLite) or one row per line (sqllogictest-rs). */
  | { kind: 'lines'; lines: string[] }
  /** `N values hashing to <md5>` (results above the hash threshold). */
  | { kind: 'hash'; count: number; md5: string };

interface Base {
  loc: Loc;
  span: Span;
  conditions: Condition[];
}

export type SltRecord =
  | (Base & { kind: 'Statement'; sql: string; expect: { kind: 'ok' } | { kind: 'count'; count: number } | ({ kind: 'error' } & ExpectedError); retry?: Retry })
  | (Base & {
      kind: 'Query';
      sql: string;
      /** Column type letters: I integer, R real, T text (sqllogictest-rs also uses lower case). */
      types: string;
      sort?: SortMode;
      label?: string;
      retry?: Retry;
      /** The expected result; an `error` when written `query error <regex>`. */
      expect: ExpectedResult | ({ kind: 'error' } & ExpectedError);
      /** 0-based line of `----`, or -1 when the record has no result block yet. */
      separatorLine: number;
    })
  | (Base & { kind: 'HashThreshold'; threshold: number })
  | (Base & { kind: 'Halt' })
  | (Base & { kind: 'Include'; path: string })
  | (Base & { kind: 'Control'; name: string; value: string })
  | (Base & { kind: 'Sleep'; ms: number })
  /** `let a, b` + SQL: runs the query and binds its first row to the variables (for `control substitution`). */
  | (Base & { kind: 'Let'; names: string[]; sql: string })
  /** `system ok` + a shell command; run only when the runner allows it. */
  | (Base & { kind: 'System'; command: string; expected?: string[] })
  /** A directive this runner knows but does not run (e.g. `connection`): counted as skipped. */
  | (Base & { kind: 'Unsupported'; directive: string });

export type SltRecordKind = SltRecord['kind'];

/** A syntax error in a test file, with its location. */
export class SltParseError extends Error {
  constructor(
    readonly loc: Loc,
    message: string,
  ) {
    super(`${loc.file}:${loc.line}: ${message}`);
    this.name = 'SltParseError';
  }
}
