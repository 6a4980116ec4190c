/**
 * JSON as the decoders read it: like JSON.parse, but a number too long for a float keeps its
 * text (`JsonNumber`), so a bigint or numeric(38,10) field is read exactly. Records without a
 * long run of digits (nearly all) go through JSON.parse itself.
 */
import type { JsonValue } from '../../types/datum.js';

/** A JSON number literal, kept as written. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonInput = null | boolean | number | string | JsonNumber | JsonInput[] | { [key: string]: JsonInput };

const isDigitOrPoint = (c: number): boolean => (c >= 48 && c <= 57) || c === 46;

/**
 * Whether the text holds 16 or more digits and points in a row: a number that may not survive
 * a float. Any such run covers one of every 16 consecutive positions, so only every 16th
 * character is looked at until one is a digit or a point, and then that run's length: about
 * five times faster than the regular expression /[\d.]{16,}/ on Nexmark's records.
 */
export function mayHoldLongNumber(text: string): boolean {
  const n = text.length;
  for (let i = 15; i < n; i += 16) {
    if (!isDigitOrPoint(text.charCodeAt(i))) continue;
    let start = i;
    let end = i;
    while (start > 0 && isDigitOrPoint(text.charCodeAt(start - 1))) start--;
    while (end + 1 < n && isDigitOrPoint(text.charCodeAt(end + 1))) end++;
    if (end - start + 1 >= 16) return true;
    // A later run starts past `end`, so it covers one of end + 16, end + 32, …
    i = end;
  }
  return false;
}

/** Parses JSON text; throws SyntaxError on bad input. */
export function parseJsonInput(text: string): JsonInput {
  if (!mayHoldLongNumber(text)) return JSON.parse(text) as JsonInput;
  const p = new Parser(text);
  p.space();
  const v = p.value();
  p.space();
  if (p.i < text.length) p.fail();
  return v;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(): never {
    throw new SyntaxError(`unexpected ${this.i < this.s.length ? `"${this.s[this.i]}"` : 'end'} at position ${this.i}`);
  }

  space(): void {
    const s = this.s;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\n' || s[this.i] === '\r' || s[this.i] === '\t')) this.i++;
  }

  value(): JsonInput {
    const s = this.s;
    const c = s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(s);
    if (!m) this.fail();
    this.i += m[0].length;
    const n = Number(m[0]);
    // Kept as text only when the float would not print back as the same number.
    return String(n) === m[0] ? n : new JsonNumber(m[0]);
  }

  string(): string {
    const s = this.s;
    const start = this.i;
    this.i++;
    while (this.i < s.length && s[this.i] !== '"') this.i += s[this.i] === '\\' ? 2 : 1;
    if (this.i >= s.length) this.fail();
    this.i++;
    return JSON.parse(s.slice(start, this.i)) as string;
  }

  array(): JsonInput[] {
    const out: JsonInput[] = [];
    this.i++;
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      out.push(this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') {
        this.i--;
        this.fail();
      }
    }
  }

  object(): { [key: string]: JsonInput } {
    const out: { [key: string]: JsonInput } = {};
    this.i++;
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') this.fail();
      const key = this.string();
      this.space();
      if (this.s[this.i++] !== ':') {
        this.i--;
        this.fail();
      }
      this.space();
      // defineProperty: a "__proto__" key is data, as with JSON.parse.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') {
        this.i--;
        this.fail();
      }
    }
  }
}

/** The value as JSON text, long numbers as written. */
export function jsonText(v: JsonInput): string {
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The value with long numbers as floats: what a jsonb datum holds. */
export function jsonValue(v: JsonInput): JsonValue {
  if (v instanceof JsonNumber) return Number(v.text);
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: jsonValue(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}
