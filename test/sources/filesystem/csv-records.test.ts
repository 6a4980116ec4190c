import { describe, expect, test } from 'vitest';
import { csvRecords } from '../../../src/sources/filesystem/csv-records.js';

describe('csvRecords', () => {
  test('one record per line, with the line it starts on', () => {
    expect(csvRecords('a,b\r\nc,d\n\ne,f')).toEqual([
      { text: 'a,b', line: 1 },
      { text: 'c,d', line: 2 },
      { text: 'e,f', line: 4 },
    ]);
  });

  test('a line break inside quotes belongs to its field; doubled quotes do not end it', () => {
    expect(csvRecords('1,"x\n""y""\ny"\n2,z\n')).toEqual([
      { text: '1,"x\n""y""\ny"', line: 1 },
      { text: '2,z', line: 4 },
    ]);
    expect(csvRecords("1,'a\nb'\n", "'")).toEqual([{ text: "1,'a\nb'", line: 1 }]);
  });

  test('an empty text has no records', () => {
    expect(csvRecords('')).toEqual([]);
    expect(csvRecords('\n\n')).toEqual([]);
  });
});
