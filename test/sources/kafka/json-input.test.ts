import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { JsonNumber, jsonText, jsonValue, mayHoldLongNumber, parseJsonInput } from '../../../src/sources/kafka/json-input.js';

describe('parseJsonInput', () => {
  test('agrees with JSON.parse, keeping long numbers as text', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "s\\"\\u00e9"], "b": {"c": {}}, "d": [], "big": 123456789012345678901}';
    const v = parseJsonInput(text) as { [k: string]: unknown };
    expect(v.big).toEqual(new JsonNumber('123456789012345678901'));
    expect(jsonValue(v as never)).toEqual({ ...JSON.parse(text), big: 123456789012345678901 });
    expect(jsonText(v as never)).toBe('{"a":[1,-2.5e3,true,false,null,"s\\"é"],"b":{"c":{}},"d":[],"big":123456789012345678901}');
  });

  test('short documents take the JSON.parse path', () => {
    expect(parseJsonInput('{"x": 1.5}')).toEqual({ x: 1.5 });
  });

  test('bad input throws SyntaxError with the position', () => {
    expect(() => parseJsonInput('{"n": 1234567890123456789,}')).toThrow(/unexpected "}" at position 26/);
    expect(() => parseJsonInput('[12345678901234567890 1]')).toThrow(SyntaxError);
    expect(() => parseJsonInput('12345678901234567890 x')).toThrow(SyntaxError);
  });
});

describe('mayHoldLongNumber', () => {
  test('agrees with /[\\d.]{16,}/ on any text', () => {
    const chars = fc.constantFrom('0', '1', '9', '.', 'a', '"', ' ', ':', '-');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 120 }), (cs) => {
        const text = cs.join('');
        expect(mayHoldLongNumber(text)).toBe(/[\d.]{16,}/.test(text));
      }),
      { numRuns: 5000 },
    );
  });

  test('runs of 15 and 16 at every offset', () => {
    for (let at = 0; at < 40; at++) {
      for (const len of [15, 16, 17]) {
        const text = `${'x'.repeat(at)}${'1'.repeat(len)}${'y'.repeat(at % 7)}`;
        expect(mayHoldLongNumber(text), `${at} ${len}`).toBe(len >= 16);
      }
    }
  });
});
