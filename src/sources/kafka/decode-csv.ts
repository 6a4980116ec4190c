/**
 * ENCODE CSV: a record's value, one CSV line, → a row: the i-th field is the i-th column, read
 * with Postgres's text input for the column's type (as COPY … CSV reads it). An unquoted empty
 * field is NULL, a quoted one ("") the empty string; a quote inside a quoted field is doubled.
 * One trailing line break is ignored. A line with more or fewer fields than the schema has
 * columns, or a field its column's type cannot read, is a DecodeError.
 */
import type { Row } from '../../types/datum.js';
import type { Column } from '../../types/sql-type.js';
import { parseDatum } from '../../types/text-format.js';
import { DecodeError, utf8Text } from './decode-error.js';

export interface CsvOptions {
  /** One character; default ','. */
  delimiter?: string;
  /** One character; default '"'. */
  quote?: string;
}

export class CsvRowDecoder {
  readonly #delimiter: string;
  readonly #quote: string;

  constructor(
    readonly columns: readonly Column[],
    options: CsvOptions = {},
  ) {
    this.#delimiter = options.delimiter ?? ',';
    this.#quote = options.quote ?? '"';
    if ([...this.#delimiter].length !== 1 || [...this.#quote].length !== 1 || this.#delimiter === this.#quote) {
      throw new Error('a CSV delimiter and quote are two different single characters');
    }
  }

  /** The row of a record's value. Throws DecodeError. */
  decode(bytes: Uint8Array): Row {
    const fields = this.fields(utf8Text(bytes));
    if (fields.length !== this.columns.length) {
      throw new DecodeError(`expected ${this.columns.length} fields, got ${fields.length}`);
    }
    return fields.map((f, i) => {
      const c = this.columns[i]!;
      if (f === null) {
        if (!c.nullable) throw new DecodeError('null value in a NOT NULL column', c.name);
        return null;
      }
      return DecodeError.wrap(c.name, () => parseDatum(f, c.type));
    });
  }

  /** The fields of one CSV line: strings, null for an unquoted empty field. */
  fields(line: string): (string | null)[] {
    const d = this.#delimiter;
    const q = this.#quote;
    let s = line;
    if (s.endsWith('\r\n')) s = s.slice(0, -2);
    else if (s.endsWith('\n')) s = s.slice(0, -1);
    const out: (string | null)[] = [];
    let i = 0;
    for (;;) {
      if (s[i] === q) {
        let value = '';
        i++;
        for (;;) {
          const j = s.indexOf(q, i);
          if (j < 0) throw new DecodeError('unterminated quoted field');
          value += s.slice(i, j);
          if (s[j + 1] === q) {
            value += q;
            i = j + 2;
          } else {
            i = j + 1;
            break;
          }
        }
        out.push(value);
        if (i < s.length && s[i] !== d) throw new DecodeError(`unexpected character after a quoted field at position ${i + 1}`);
      } else {
        const j = s.indexOf(d, i);
        const raw = j < 0 ? s.slice(i) : s.slice(i, j);
        if (raw.includes(q)) throw new DecodeError(`a quote inside an unquoted field at position ${i + 1 + raw.indexOf(q)}`);
        out.push(raw === '' ? null : raw);
        i = j < 0 ? s.length : j;
      }
      if (i >= s.length) return out;
      i++; // the delimiter
      if (i === s.length) {
        out.push(null); // a trailing delimiter: one more, empty field
        return out;
      }
    }
  }
}
