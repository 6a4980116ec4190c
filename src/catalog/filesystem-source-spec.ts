/**
 * Flink's filesystem table read as a bounded source: `CREATE TABLE t (…) WITH (…)` with the
 * legacy keys ('connector.type' = 'filesystem', 'connector.path', 'format.type' = 'csv') or
 * the new ones ('connector' = 'filesystem', 'path', 'format' = 'csv'). The table is an ordinary
 * table whose first contents are the file's rows, read once when it is created (the adapter
 * does that: sources/filesystem/read-csv-file.ts); they are stored like any table's rows, so a
 * restart does not need the file, and INSERT, UPDATE and DELETE work on it afterwards.
 *
 * Pure (no I/O): it is replayed at start from the CREATE text.
 *
 * Source or sink: the same `'connector' = 'filesystem'` also names a sink table (Flink q10,
 * catalog/filesystem-sink-spec.ts). The role is decided from the text alone, so that replaying
 * it gives the same answer: the legacy keys are always a source; with the new keys, a table
 * is a sink when it is PARTITIONED BY, has a `sink.*` option, or its path ends with '/' (a
 * directory); otherwise it is a source (its path names a file).
 *
 * Options (a source):
 *   path | connector.path                          file:///absolute/file, or a plain path (required)
 *   format | format.type                           'csv' (required)
 *   csv.field-delimiter | format.field-delimiter   one character (default ',')
 *   csv.quote-character | format.quote-character   one character (default '"')
 *   connector | connector.type                     'filesystem'
 *   connector.property-version, format.property-version, format.derive-schema   accepted, no effect
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqlError, SqlState } from '../types/sql-error.js';

type Options = readonly { key: string; value: string }[];

export interface FileSourceSpec {
  /** The file to read (absolute). */
  path: string;
  format: 'csv';
  delimiter: string;
  quote: string;
  /** The hint of the error for a missing file (the current keys could have meant a sink table). */
  missingHint?: string;
}

const LEGACY = ['connector.type', 'connector.path', 'connector.property-version', 'format.type', 'format.property-version', 'format.derive-schema', 'format.field-delimiter', 'format.quote-character'];
const CURRENT = ['connector', 'path', 'format', 'csv.field-delimiter', 'csv.quote-character'];

function value(options: Options, key: string): string | undefined {
  return options.find((o) => o.key === key)?.value;
}

/** Whether a CREATE TABLE's options make it a filesystem source table (see the header for the rule). */
export function isFileSourceTable(options: Options, partitionedBy: readonly string[] | undefined): boolean {
  if (value(options, 'connector.type')?.toLowerCase() === 'filesystem') return true;
  if (value(options, 'connector')?.toLowerCase() !== 'filesystem') return false;
  if ((partitionedBy?.length ?? 0) > 0 || options.some((o) => o.key.startsWith('sink.') || o.key.startsWith('partition.'))) return false;
  return !(value(options, 'path') ?? '').endsWith('/');
}

function invalid(message: string, hint?: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, message, hint ? { hint } : {});
}

/** Checks a filesystem source table's options. */
export function fileSourceSpec(options: Options): FileSourceSpec {
  const legacy = value(options, 'connector.type') !== undefined;
  const accepted = legacy ? LEGACY : CURRENT;
  for (const o of options) {
    if (!accepted.includes(o.key)) {
      throw invalid(`option "${o.key}" is not supported by a filesystem source table`, `Accepted options: ${accepted.join(', ')}.`);
    }
  }
  const key = (current: string, old: string): string => (legacy ? old : current);
  const rawPath = value(options, key('path', 'connector.path'));
  if (rawPath === undefined || rawPath === '') throw invalid(`a filesystem table needs ${key('path', 'connector.path')}`);
  const format = value(options, key('format', 'format.type'))?.toLowerCase();
  if (format === undefined) throw invalid(`a filesystem table needs ${key('format', 'format.type')}`, "Use 'csv'.");
  if (format !== 'csv') {
    throw new SqlError(SqlState.featureNotSupported, `format "${format}" is not supported for filesystem tables`, { hint: "Use 'csv'." });
  }
  const delimiter = oneChar(options, key('csv.field-delimiter', 'format.field-delimiter'), ',');
  const quote = oneChar(options, key('csv.quote-character', 'format.quote-character'), '"');
  if (delimiter === quote) throw invalid('the field delimiter and the quote character must differ');
  const spec: FileSourceSpec = { path: localPath(rawPath), format: 'csv', delimiter, quote };
  if (!legacy) {
    spec.missingHint = "A filesystem table whose path names a file is read as a source. For a sink table, end the path with '/' (a directory), or add PARTITIONED BY or a sink.* option.";
  }
  return spec;
}

function oneChar(options: Options, key: string, dflt: string): string {
  const v = value(options, key);
  if (v === undefined) return dflt;
  // Flink writes a tab as '\t'.
  const c = v === '\\t' ? '\t' : v;
  if ([...c].length !== 1) throw invalid(`${key} must be one character, not "${v}"`);
  return c;
}

/** A `file://` URL or a plain path → an absolute local path (a relative one is taken from the server's directory). */
function localPath(raw: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) return isAbsolute(raw) ? raw : resolve(raw);
  if (scheme !== 'file') {
    throw new SqlError(SqlState.featureNotSupported, `"${scheme}://" paths are not supported for filesystem tables`, { hint: 'Use a local file: file:///absolute/path or a plain path.' });
  }
  try {
    return fileURLToPath(raw.replace(/^file:\/\/(?!\/)/i, 'file:///'));
  } catch {
    throw invalid(`invalid file URL "${raw}"`, 'Write file:///absolute/path.');
  }
}
