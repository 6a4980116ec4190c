/**
 * ENCODE BYTES and ENCODE TEXT: the whole value is the row's one column.
 * BYTES: a bytea column holding the value's bytes as they are.
 * TEXT:  the value as UTF-8 text, read with Postgres's text input for the column's type (a
 *        topic of plain numbers reads into a bigint column, of strings into text).
 * The schema given is the payload's columns only (INCLUDE columns are added by the caller).
 */
import type { Row } from '../../types/datum.js';
import type { Column } from '../../types/sql-type.js';
import { typeName } from '../../types/sql-type.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { parseDatum } from '../../types/text-format.js';
import { DecodeError, utf8Text } from './decode-error.js';

function onlyColumn(columns: readonly Column[], encode: string): Column {
  if (columns.length !== 1) {
    throw new SqlError(SqlState.invalidTableDefinition, `ENCODE ${encode} needs exactly one column, not ${columns.length}`, {
      hint: 'INCLUDE key, partition, offset, timestamp or headers to add others.',
    });
  }
  return columns[0]!;
}

export class BytesRowDecoder {
  constructor(readonly columns: readonly Column[]) {
    const c = onlyColumn(columns, 'BYTES');
    if (c.type.kind !== 'bytea') {
      throw new SqlError(SqlState.datatypeMismatch, `ENCODE BYTES needs a bytea column, not ${typeName(c.type)}`);
    }
  }

  decode(bytes: Uint8Array): Row {
    return [new Uint8Array(bytes)];
  }
}

export class TextRowDecoder {
  readonly #column: Column;

  constructor(readonly columns: readonly Column[]) {
    this.#column = onlyColumn(columns, 'TEXT');
  }

  /** Throws DecodeError for bad UTF-8 or text the column's type cannot read. */
  decode(bytes: Uint8Array): Row {
    const c = this.#column;
    const text = utf8Text(bytes);
    return [DecodeError.wrap(c.name, () => parseDatum(text, c.type))];
  }
}
