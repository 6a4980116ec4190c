/**
 * A filesystem source table's file, read once when the table is created
 * (catalog/filesystem-source-spec.ts): its CSV records → rows of the table's columns, each
 * field read with Postgres's text input for its column's type (as COPY … CSV does; an unquoted
 * empty field is NULL). All or nothing: the first bad record fails the CREATE.
 *
 * Errors (SqlErrors, never a crash):
 *   58P01 undefined_file           the file does not exist (or is not a regular file)
 *   58030 io_error                 it cannot be read
 *   22P02 invalid_text_representation  a record does not fit the columns (the message names the line)
 *   23505 unique_violation         two records with one primary key (when the table has one)
 *   54000 program_limit_exceeded   the file is larger than MAX_FILE_BYTES
 */
import { readFileSync, statSync } from 'node:fs';
import type { Row } from '../../types/datum.js';
import { rowKey } from '../../types/row-key.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { Column } from '../../types/sql-type.js';
import { CsvRowDecoder } from '../kafka/decode-csv.js';
import { csvRecords } from './csv-records.js';

/** A bounded side input is read into memory whole: larger files are refused. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

export interface CsvFile {
  path: string;
  delimiter: string;
  quote: string;
  /** The hint of the 58P01 error for a missing file. */
  missingHint?: string;
}

/** The rows of the file, in file order. `primaryKey`: column indexes that must be unique. */
export function readCsvFile(file: CsvFile, columns: readonly Column[], primaryKey?: readonly number[]): Row[] {
  const text = readText(file.path, file.missingHint);
  const decoder = new CsvRowDecoder(columns, { delimiter: file.delimiter, quote: file.quote });
  const rows: Row[] = [];
  const keys = primaryKey && primaryKey.length > 0 ? new Map<string, number>() : undefined;
  for (const record of csvRecords(text, file.quote)) {
    let row: Row;
    try {
      row = decoder.decode(new TextEncoder().encode(record.text));
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      throw new SqlError(SqlState.invalidTextRepresentation, `invalid CSV record on line ${record.line} of "${file.path}": ${e.message}`, {
        detail: `The line reads: ${preview(record.text)}`,
        hint: `Each line must hold ${columns.length} fields, in column order: ${columns.map((c) => c.name).join(', ')}.`,
      });
    }
    if (keys) {
      const k = rowKey(primaryKey!.map((i) => row[i]!));
      const first = keys.get(k);
      if (first !== undefined) {
        throw new SqlError(SqlState.uniqueViolation, `duplicate key on line ${record.line} of "${file.path}"`, {
          detail: `Line ${first} has the same primary key.`,
        });
      }
      keys.set(k, record.line);
    }
    rows.push(row);
  }
  return rows;
}

function readText(path: string, missingHint: string | undefined): string {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new SqlError(SqlState.undefinedFile, `"${path}" is not a file`, { hint: 'A filesystem source table reads one CSV file; name the file, not its directory.' });
    size = st.size;
  } catch (e) {
    if (e instanceof SqlError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SqlError(SqlState.undefinedFile, `could not open file "${path}": no such file or directory`, {
        ...(path.includes('${') ? { hint: 'The path still holds a ${…} placeholder: fill it in before running the statement.' } : missingHint ? { hint: missingHint } : {}),
      });
    }
    throw new SqlError(SqlState.ioError, `could not open file "${path}": ${(e as Error).message}`);
  }
  if (size > MAX_FILE_BYTES) {
    throw new SqlError(SqlState.programLimitExceeded, `file "${path}" is too large to read as a table (${size} bytes)`, { detail: `The limit is ${MAX_FILE_BYTES} bytes.` });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch (e) {
    if (e instanceof TypeError) throw new SqlError(SqlState.invalidTextRepresentation, `file "${path}" is not valid UTF-8`);
    throw new SqlError(SqlState.ioError, `could not read file "${path}": ${(e as Error).message}`);
  }
}

function preview(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
