/**
 * The records of a CSV text: one per line, except that a line break inside a quoted field
 * belongs to its field (RFC 4180). Each record comes with the number of the line it starts on
 * (1-based), for error messages. A final line break does not start an empty record; blank
 * lines are skipped (a CSV record of one empty field is written `""`).
 */
export interface CsvRecord {
  /** The record's text, without its line break. */
  text: string;
  /** The line it starts on (1-based). */
  line: number;
}

export function csvRecords(text: string, quote = '"'): CsvRecord[] {
  const out: CsvRecord[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === quote) quoted = !quoted;
    else if (c === '\n') {
      if (!quoted) {
        push(out, text.slice(start, i), startLine);
        start = i + 1;
        startLine = line + 1;
      }
      line++;
    }
  }
  if (start < text.length) push(out, text.slice(start), startLine);
  return out;
}

function push(out: CsvRecord[], raw: string, line: number): void {
  const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (s !== '') out.push({ text: s, line });
}
