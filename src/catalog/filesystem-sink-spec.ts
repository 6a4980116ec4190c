/**
 * The options of a filesystem sink table (Flink's `CREATE TABLE t (…) PARTITIONED BY (dt, hm)
 * WITH ('connector' = 'filesystem', 'path' = 'file:///…', 'format' = 'csv', …)`), checked and
 * turned into a `FileSinkSpec`. Pure: the directory itself is checked by the adapter
 * (adapter/file-sink.ts) when the table is created.
 *
 * Accepted options (Flink's names and meanings):
 *   path                                         file:///absolute/dir or /absolute/dir (required)
 *   format                                       'csv' (required)
 *   csv.field-delimiter                          one character (default ',')
 *   csv.null-literal                             the text of a NULL (default: empty)
 *   partition.default-name                       the directory value of a NULL partition value (__DEFAULT_PARTITION__)
 *   sink.partition-commit.policy.kind            'success-file' (none: partitions are never committed)
 *   sink.partition-commit.trigger                'process-time' (default) | 'partition-time'
 *   sink.partition-commit.delay                  a duration ('1 min', '1h'; default 0)
 *   sink.partition-commit.success-file.name      default '_SUCCESS'
 *   partition.time-extractor.kind                'default'
 *   partition.time-extractor.timestamp-pattern   '$dt $hm:00' ($name = a partition column's value;
 *                                                default: the first partition column's value)
 *   sink.rolling-policy.*, auto-compaction       accepted; weir writes one file per tick and
 *                                                partition, so they change nothing
 */
import { SqlError, SqlState } from '../types/sql-error.js';
import type { Column } from '../types/sql-type.js';

export interface FileSinkSpec {
  /** The directory the partition directories go under (absolute, without file://). */
  dir: string;
  /** The partition columns' indexes in the table, in PARTITIONED BY order. */
  partitionColumns: number[];
  /** The other columns' indexes: what a file's lines hold. */
  dataColumns: number[];
  delimiter: string;
  nullLiteral: string;
  defaultPartitionName: string;
  /** When a partition gets its success file; undefined: never. */
  commit?: PartitionCommit;
}

export interface PartitionCommit {
  /** partition-time: the event-time watermark passed the partition's time + delay; process-time: the wall clock passed its first file's time + delay. */
  trigger: 'partition-time' | 'process-time';
  delayUs: number;
  successFileName: string;
  /** `$dt $hm:00`; undefined: the first partition column's value. */
  timestampPattern?: string;
}

const ACCEPTED = [
  'connector',
  'path',
  'format',
  'csv.field-delimiter',
  'csv.null-literal',
  'partition.default-name',
  'sink.partition-commit.policy.kind',
  'sink.partition-commit.trigger',
  'sink.partition-commit.delay',
  'sink.partition-commit.success-file.name',
  'partition.time-extractor.kind',
  'partition.time-extractor.timestamp-pattern',
  'sink.rolling-policy.file-size',
  'sink.rolling-policy.rollover-interval',
  'sink.rolling-policy.check-interval',
  'sink.rolling-policy.inactivity-interval',
  'auto-compaction',
];

function invalid(message: string, hint?: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, message, hint ? { hint } : {});
}

/** Checks a filesystem sink table's options and partition columns (the table's columns as declared). */
export function fileSinkSpec(options: readonly { key: string; value: string }[], columns: readonly Column[], partitionedBy: readonly string[] = []): FileSinkSpec {
  const opt = new Map<string, string>();
  for (const o of options) {
    if (!ACCEPTED.includes(o.key)) {
      throw new SqlError(SqlState.invalidParameterValue, `option "${o.key}" is not supported by the filesystem connector`, {
        hint: `Accepted options: ${ACCEPTED.join(', ')}.`,
      });
    }
    opt.set(o.key, o.value);
  }
  const format = opt.get('format');
  if (format === undefined) throw invalid("a filesystem sink table needs 'format'", "Add 'format' = 'csv'.");
  if (format.toLowerCase() !== 'csv') {
    throw new SqlError(SqlState.featureNotSupported, `format "${format}" is not supported by the filesystem connector`, { hint: "Use 'format' = 'csv'." });
  }
  const dir = directory(opt.get('path'));
  const partitionColumns: number[] = [];
  for (const name of partitionedBy) {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) throw new SqlError(SqlState.undefinedColumn, `partition column "${name}" does not exist`);
    if (partitionColumns.includes(i)) throw new SqlError(SqlState.duplicateColumn, `partition column "${name}" specified more than once`);
    partitionColumns.push(i);
  }
  const dataColumns = columns.map((_, i) => i).filter((i) => !partitionColumns.includes(i));
  if (dataColumns.length === 0) {
    throw new SqlError(SqlState.invalidTableDefinition, 'a filesystem sink table needs a column that is not a partition column', {
      detail: 'The files hold the columns that are not partition columns.',
    });
  }
  const delimiter = opt.get('csv.field-delimiter') ?? ',';
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw invalid('csv.field-delimiter must be one ASCII character other than a quote or a line break');
  }
  const nullLiteral = opt.get('csv.null-literal') ?? '';
  if (nullLiteral.includes(delimiter) || /[\r\n]/.test(nullLiteral)) throw invalid('csv.null-literal must not hold the delimiter or a line break');
  const spec: FileSinkSpec = {
    dir,
    partitionColumns,
    dataColumns,
    delimiter,
    nullLiteral,
    defaultPartitionName: opt.get('partition.default-name') ?? '__DEFAULT_PARTITION__',
  };
  for (const k of ['sink.rolling-policy.rollover-interval', 'sink.rolling-policy.check-interval', 'sink.rolling-policy.inactivity-interval']) {
    const v = opt.get(k);
    if (v !== undefined) durationUs(k, v);
  }
  const kind = opt.get('partition.time-extractor.kind');
  if (kind !== undefined && kind.toLowerCase() !== 'default') {
    throw new SqlError(SqlState.featureNotSupported, `partition.time-extractor.kind "${kind}" is not supported`, { hint: "Use 'default'." });
  }
  const pattern = opt.get('partition.time-extractor.timestamp-pattern');
  if (pattern !== undefined) {
    for (const m of pattern.matchAll(/\$(\w+)/g)) {
      if (!partitionedBy.includes(m[1]!)) throw invalid(`the timestamp pattern names "${m[1]}", which is not a partition column`);
    }
  }
  const policies = (opt.get('sink.partition-commit.policy.kind') ?? '').split(',').map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
  for (const p of policies) {
    if (p !== 'success-file') {
      throw new SqlError(SqlState.featureNotSupported, `partition commit policy "${p}" is not supported`, { hint: "Use 'success-file'." });
    }
  }
  const trigger = (opt.get('sink.partition-commit.trigger') ?? 'process-time').toLowerCase();
  if (trigger !== 'process-time' && trigger !== 'partition-time') {
    throw invalid(`invalid sink.partition-commit.trigger "${trigger}"`, "Use 'process-time' or 'partition-time'.");
  }
  const delay = opt.get('sink.partition-commit.delay');
  const delayUs = delay === undefined ? 0 : durationUs('sink.partition-commit.delay', delay);
  if (policies.length > 0) {
    if (partitionColumns.length === 0) throw invalid('a partition commit policy needs PARTITIONED BY');
    spec.commit = {
      trigger,
      delayUs,
      successFileName: opt.get('sink.partition-commit.success-file.name') ?? '_SUCCESS',
      ...(pattern !== undefined ? { timestampPattern: pattern } : {}),
    };
  }
  return spec;
}

/** 'file:///a/b/' or '/a/b' → '/a/b/'; any other scheme, a relative path or an unfilled ${…} is an error. */
function directory(path: string | undefined): string {
  if (path === undefined || path === '') throw invalid("a filesystem sink table needs 'path'", "Add 'path' = 'file:///some/directory'.");
  if (/\$\{\w*\}/.test(path)) {
    throw invalid(`the path "${path}" holds a placeholder`, 'Replace ${NAME} with its value before running the statement (the benchmark harness fills them in from the environment).');
  }
  let p = path;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(p)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== 'file') {
      throw new SqlError(SqlState.featureNotSupported, `the filesystem connector cannot write to "${scheme}:" paths`, { hint: 'Use a local directory: file:///path or /path.' });
    }
    p = p.replace(/^file:(\/\/(localhost)?)?/i, '');
  }
  if (!p.startsWith('/')) throw invalid(`the path "${path}" is not absolute`, 'Use file:///absolute/path or /absolute/path.');
  return p.endsWith('/') ? p : `${p}/`;
}

const UNIT_US: { [unit: string]: number } = {
  ms: 1_000, milli: 1_000, millis: 1_000, millisecond: 1_000, milliseconds: 1_000,
  s: 1_000_000, sec: 1_000_000, secs: 1_000_000, second: 1_000_000, seconds: 1_000_000,
  m: 60_000_000, min: 60_000_000, mins: 60_000_000, minute: 60_000_000, minutes: 60_000_000,
  h: 3_600_000_000, hour: 3_600_000_000, hours: 3_600_000_000,
  d: 86_400_000_000, day: 86_400_000_000, days: 86_400_000_000,
};

/** A Flink duration ('1 min', '1min', '30 s', '500' = milliseconds) in microseconds. */
export function durationUs(key: string, text: string): number {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m?.[2]?.toLowerCase() || 'ms';
  const per = UNIT_US[unit];
  if (!m || per === undefined) throw invalid(`invalid ${key} "${text}"`, "Write a number and a unit, as '1 min', '30 s' or '1 h'.");
  return Number(m[1]) * per;
}
