// COPY's text and CSV lines: escaping and quoting as Postgres writes them, and reading them
// back, whatever way CopyData messages split the bytes. (test/e2e/copy.test.ts compares whole
// COPY outputs with PGlite's.)
import { describe, expect, test } from 'vitest';
import { CopyReader, CopyWriter, copyFormat, type CopyOption } from '../../src/adapter/copy-format.js';
import { T, type SqlType } from '../../src/types/sql-type.js';
import type { Row } from '../../src/types/datum.js';

const text2: { name: string; type: SqlType }[] = [
  { name: 'a', type: T.text },
  { name: 'b', type: T.text },
];

function write(options: CopyOption[], rows: Row[], columns = text2): string {
  const w = new CopyWriter(copyFormat(options, 'to'), columns);
  return (w.header(columns.map((c) => c.name)) ?? '') + rows.map((r) => w.line(r)).join('');
}

function read(options: CopyOption[], data: string, columns = text2, chunk = 3): Row[] {
  const r = new CopyReader(copyFormat(options, 'from'), columns, 'COPY t');
  const bytes = Buffer.from(data, 'utf8');
  const rows: Row[] = [];
  for (let i = 0; i < bytes.length; i += chunk) rows.push(...r.push(bytes.subarray(i, i + chunk)));
  rows.push(...r.finish());
  return rows;
}

const tricky: Row[] = [
  ['tab\there', 'new\nline'],
  ['back\\slash', 'cr\rx'],
  ['', null],
  ['comma, "quote"', '\\.'],
  ['héllo ✓', '\b\f\v'],
];

describe('text format', () => {
  test('escapes backslash, control characters and the delimiter; NULL is \\N', () => {
    expect(write([], tricky)).toBe(
      'tab\\there\tnew\\nline\n' + 'back\\\\slash\tcr\\rx\n' + '\t\\N\n' + 'comma, "quote"\t\\\\.\n' + 'héllo ✓\t\\b\\f\\v\n',
    );
    expect(write([{ name: 'delimiter', value: '|' }, { name: 'null', value: 'NULL' }], [['a|b', null]])).toBe('a\\|b|NULL\n');
  });

  test.each([1, 2, 3, 7, 1000])('reads back what it writes (chunks of %i bytes)', (chunk) => {
    expect(read([], write([], tricky), text2, chunk)).toEqual(tricky);
  });

  test('octal and hex escapes, \\r\\n line ends, the end marker', () => {
    expect(read([], 'a\\101\\x42\tb\r\n\\.\nignored\tafter\n')).toEqual([['aAB', 'b']]);
  });

  test('a wrong number of fields names the line', () => {
    expect(() => read([], 'a\tb\nc\n')).toThrow(expect.objectContaining({ code: '22P04', message: 'missing data for column "b"', detail: 'COPY t, line 2' }));
    expect(() => read([], 'a\tb\tc\n')).toThrow(expect.objectContaining({ code: '22P04', message: 'extra data after last expected column' }));
  });

  test('a bad value is the type’s error, with line and column', () => {
    const cols = [{ name: 'n', type: T.int4 }];
    expect(read([], '1\n\\N\n', cols)).toEqual([[1], [null]]);
    expect(() => read([], '1\nx\n', cols)).toThrow(expect.objectContaining({ code: '22P02', detail: 'COPY t, line 2, column n: "x"' }));
  });
});

describe('CSV format', () => {
  const csv: CopyOption[] = [{ name: 'format', value: 'csv' }];

  test('quotes what needs it; an empty string is "" and NULL is empty', () => {
    expect(write(csv, tricky)).toBe(
      'tab\there,"new\nline"\n' + 'back\\slash,"cr\rx"\n' + '"",\n' + '"comma, ""quote""",\\.\n' + 'héllo ✓,\b\f\v\n',
    );
    expect(write([...csv, { name: 'header', value: true }, { name: 'force_quote', value: '*' }], [['x', null]])).toBe('a,b\n"x",\n');
    expect(write([...csv, { name: 'force_quote', value: ['b'] }], [['x', 'y']])).toBe('x,"y"\n');
    // A lone \. in a one-column output is quoted, so it is not read as the end marker.
    expect(write(csv, [['\\.']], [{ name: 'a', type: T.text }])).toBe('"\\."\n');
  });

  test.each([1, 2, 5, 1000])('reads back what it writes (chunks of %i bytes)', (chunk) => {
    expect(read(csv, write(csv, tricky), text2, chunk)).toEqual(tricky);
    const header: CopyOption[] = [...csv, { name: 'header', value: 'true' }];
    expect(read(header, write(header, tricky), text2, chunk)).toEqual(tricky);
  });

  test('QUOTE and ESCAPE', () => {
    const opts: CopyOption[] = [...csv, { name: 'quote', value: "'" }, { name: 'escape', value: '\\' }];
    // The escape character alone does not make a value quoted (as in Postgres).
    expect(write(opts, [["it's", 'a\\b']])).toBe("'it\\'s',a\\b\n");
    expect(read(opts, "'it\\'s',a\\b\n")).toEqual([["it's", 'a\\b']]);
    expect(read(opts, "'it\\'s','a\\\\b'\n")).toEqual([["it's", 'a\\b']]);
  });

  test('an unterminated quoted field', () => {
    expect(() => read(csv, '"abc,d\n')).toThrow(expect.objectContaining({ code: '22P04', message: 'unterminated CSV quoted field' }));
  });
});

describe('options', () => {
  test.each<[CopyOption[], string]>([
    [[{ name: 'format', value: 'xml' }], 'COPY format "xml" not recognized'],
    [[{ name: 'format', value: 'binary' }], 'COPY FORMAT binary is not supported'],
    [[{ name: 'delimiter', value: ',,' }], 'COPY delimiter must be a single one-byte character'],
    [[{ name: 'quote', value: "'" }], 'COPY quote available only in CSV mode'],
    [[{ name: 'frobnicate', value: true }], 'option "frobnicate" not recognized'],
    [[{ name: 'header', value: 'maybe' }], 'header requires a Boolean value'],
    [[{ name: 'format', value: 'csv' }, { name: 'format', value: 'text' }], 'conflicting or redundant options'],
    [[{ name: 'encoding', value: 'latin1' }], 'COPY ENCODING "latin1" is not supported'],
  ])('%j', (options, message) => {
    expect(() => copyFormat(options, 'to')).toThrow(message);
  });
});
