/**
 * DecodeError: a record that cannot become a row of the source's schema (bad syntax, a value
 * of the wrong type, a NULL in a NOT NULL column). `reason` is what the `<source>_errors`
 * relation shows, next to the record's partition, offset and bytes; `column` names the column
 * (a dotted path into structs) when one is to blame.
 */
import { SqlError, SqlState } from '../../types/sql-error.js';

export class DecodeError extends SqlError {
  constructor(
    readonly reason: string,
    readonly column?: string,
  ) {
    super(SqlState.invalidTextRepresentation, column === undefined ? reason : `column "${column}": ${reason}`);
    this.name = 'DecodeError';
  }

  /** Runs `f`, turning any SqlError it throws into a DecodeError about `column`. */
  static wrap<T>(column: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      if (e instanceof SqlError) throw new DecodeError(e.message, column);
      throw e;
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text; DecodeError when they are not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new DecodeError('the record is not valid UTF-8');
  }
}
