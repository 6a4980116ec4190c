/**
 * pattern.ts owns pattern matching on text: LIKE / ILIKE (operators ~~ ~~* !~~ !~~*, with
 * backslash as the escape; `x LIKE p ESCAPE e` is `x ~~ like_escape(p, e)` as in Postgres),
 * POSIX regular expressions (~ ~* !~ !~*), regexp_replace, regexp_match, regexp_like,
 * regexp_split_to_array, substring(text from pattern) and similar_to_escape (SIMILAR TO).
 *
 * Patterns compile to JS RegExps (cached). Postgres's ARE syntax is close to JS's; bracket
 * classes like [[:alpha:]] and the word boundaries \m \M \y are translated.
 */
import type { Datum } from '../../types/datum.js';
import { SqlError } from '../../types/sql-error.js';
import { arrayOf, T } from '../../types/sql-type.js';
import { fn, invalidParameter, type Fn } from './define.js';

const s = (d: Datum): string => d as string;

const CACHE_LIMIT = 500;
const cache = new Map<string, RegExp>();

function cached(key: string, build: () => RegExp): RegExp {
  let re = cache.get(key);
  if (!re) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    re = build();
    cache.set(key, re);
  }
  return re;
}

function escapeRegex(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A LIKE pattern (backslash escapes) as an anchored RegExp. */
export function likeRegex(pattern: string, caseInsensitive: boolean): RegExp {
  return cached(`like:${caseInsensitive ? 'i' : ''}:${pattern}`, () => {
    let src = '';
    const c = Array.from(pattern);
    for (let i = 0; i < c.length; i++) {
      const ch = c[i]!;
      if (ch === '\\') {
        // A trailing escape never matches (Postgres stops with false, or an error, when it reaches it).
        if (i + 1 >= c.length) src += '(?!)';
        else src += escapeRegex(c[++i]!);
      } else if (ch === '%') src += '.*';
      else if (ch === '_') src += '.';
      else src += escapeRegex(ch);
    }
    return new RegExp(`^${src}$`, caseInsensitive ? 'isu' : 'su');
  });
}

/** Rewrites a pattern with escape character `esc` ('' = none) to the backslash form. */
function likeEscape(pattern: string, esc: string): string {
  const e = Array.from(esc);
  if (e.length > 1) throw new SqlError('22019', 'invalid escape string', { hint: 'Escape string must be empty or one character.' });
  let out = '';
  const c = Array.from(pattern);
  for (let i = 0; i < c.length; i++) {
    const ch = c[i]!;
    if (e.length === 1 && ch === e[0]) {
      if (i + 1 >= c.length) throw new SqlError('22025', 'LIKE pattern must not end with escape character');
      out += '\\' + c[++i];
    } else if (ch === '\\') out += '\\\\';
    else out += ch;
  }
  return out;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s', punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f', word: '\\w', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e', graph: '\\x21-\\x7e',
};

function translateRegex(src: string): string {
  return src
    .replace(/\[:([a-z]+):\]/g, (m, name: string) => POSIX_CLASSES[name] ?? m)
    .replace(/\\m/g, '\\b(?=\\w)')
    .replace(/\\M/g, '\\b(?<=\\w)')
    .replace(/\\y/g, '\\b')
    .replace(/\\Y/g, '\\B');
}

/** A POSIX regular expression as a JS RegExp; flags are Postgres's ('i', 'g', 'n', 's'…). */
export function posixRegex(pattern: string, flags: string): RegExp {
  return cached(`re:${flags}:${pattern}`, () => {
    let js = '';
    for (const f of flags) {
      if (f === 'i') js += 'i';
      else if (f === 'g') js += 'g';
      else if (f === 'n' || f === 'm') js += 'm';
      else if (f === 'c' || f === 's' || f === 'p' || f === 'w' || f === 'x') continue;
      else throw invalidParameter(`invalid regular expression option: "${f}"`);
    }
    if (!js.includes('m')) js += 's';
    try {
      return new RegExp(translateRegex(pattern), js);
    } catch (e) {
      throw new SqlError('2201B', `invalid regular expression: ${(e as Error).message}`);
    }
  });
}

/** Postgres replacement text: \1..\9 for groups, \& for the match, \\ for a backslash. */
function regexpReplace(src: string, pattern: string, repl: string, flags: string): string {
  const re = posixRegex(pattern, flags);
  re.lastIndex = 0;
  return src.replace(re, (match: string, ...rest: unknown[]) => {
    const groups = rest.slice(0, -2);
    let out = '';
    for (let i = 0; i < repl.length; i++) {
      const ch = repl[i]!;
      if (ch === '\\' && i + 1 < repl.length) {
        const next = repl[i + 1]!;
        if (next >= '1' && next <= '9') {
          out += (groups[Number(next) - 1] as string | undefined) ?? '';
          i++;
          continue;
        }
        if (next === '&') {
          out += match;
          i++;
          continue;
        }
        if (next === '\\') {
          out += '\\';
          i++;
          continue;
        }
      }
      out += ch;
    }
    return out;
  });
}

function regexpMatch(src: string, pattern: string, flags: string): Datum {
  if (flags.includes('g')) throw invalidParameter('regexp_match() does not support the "global" option');
  const m = posixRegex(pattern, flags).exec(src);
  if (!m) return null;
  return m.length > 1 ? m.slice(1).map((g) => g ?? null) : [m[0]];
}

function regexpSplit(src: string, pattern: string, flags: string): string[] {
  const re = posixRegex(pattern, flags.replace('g', ''));
  const g = new RegExp(re.source, re.flags + 'g');
  const parts: string[] = [];
  let last = 0;
  for (const m of src.matchAll(g)) {
    const start = m.index;
    if (m[0] === '' && (start === 0 || start >= src.length)) continue;
    parts.push(src.slice(last, start));
    last = start + m[0].length;
  }
  parts.push(src.slice(last));
  return parts;
}

/** substring(text from pattern): the first parenthesized group, or the whole match. */
function substringRegex(src: string, pattern: string): Datum {
  const m = posixRegex(pattern, '').exec(src);
  if (!m) return null;
  return m.length > 1 ? (m[1] ?? null) : m[0];
}

/** SIMILAR TO pattern → POSIX regex, as Postgres's similar_to_escape. */
function similarToRegex(pattern: string, esc: string | null): string {
  let out = '^(?:';
  const c = Array.from(pattern);
  for (let i = 0; i < c.length; i++) {
    const ch = c[i]!;
    if (esc !== null && esc !== '' && ch === esc) {
      if (i + 1 >= c.length) throw new SqlError('22025', 'invalid escape string');
      out += escapeRegex(c[++i]!);
    } else if (ch === '%') out += '.*';
    else if (ch === '_') out += '.';
    else if (ch === '.' || ch === '^' || ch === '$') out += '\\' + ch;
    else if (ch === '(' && c[i + 1] !== '?') out += '(?:';
    else out += ch;
  }
  return out + ')$';
}

const text2 = [T.text, T.text];
const text3 = [T.text, T.text, T.text];

export const PATTERN_FUNCTIONS: readonly Fn[] = [
  fn('text_like', '~~', text2, T.bool, ([a, p]) => likeRegex(s(p), false).test(s(a))),
  fn('text_not_like', '!~~', text2, T.bool, ([a, p]) => !likeRegex(s(p), false).test(s(a))),
  fn('text_ilike', '~~*', text2, T.bool, ([a, p]) => likeRegex(s(p), true).test(s(a))),
  fn('text_not_ilike', '!~~*', text2, T.bool, ([a, p]) => !likeRegex(s(p), true).test(s(a))),
  fn('like_escape', 'like_escape', text2, T.text, ([p, e]) => likeEscape(s(p), s(e))),
  fn('like_fn', 'like', text2, T.bool, ([a, p]) => likeRegex(s(p), false).test(s(a))),
  fn('ilike_fn', 'ilike', text2, T.bool, ([a, p]) => likeRegex(s(p), true).test(s(a))),
  fn('text_regex_match', '~', text2, T.bool, ([a, p]) => posixRegex(s(p), '').test(s(a))),
  fn('text_regex_imatch', '~*', text2, T.bool, ([a, p]) => posixRegex(s(p), 'i').test(s(a))),
  fn('text_regex_not_match', '!~', text2, T.bool, ([a, p]) => !posixRegex(s(p), '').test(s(a))),
  fn('text_regex_not_imatch', '!~*', text2, T.bool, ([a, p]) => !posixRegex(s(p), 'i').test(s(a))),
  fn('regexp_like', 'regexp_like', text2, T.bool, ([a, p]) => posixRegex(s(p), '').test(s(a))),
  fn('regexp_like_flags', 'regexp_like', text3, T.bool, ([a, p, f]) => posixRegex(s(p), s(f).replace('g', '')).test(s(a))),
  fn('regexp_replace', 'regexp_replace', text3, T.text, ([a, p, r]) => regexpReplace(s(a), s(p), s(r), '')),
  fn('regexp_replace_flags', 'regexp_replace', [T.text, T.text, T.text, T.text], T.text, ([a, p, r, f]) => regexpReplace(s(a), s(p), s(r), s(f))),
  fn('regexp_match', 'regexp_match', text2, arrayOf(T.text), ([a, p]) => regexpMatch(s(a), s(p), '')),
  fn('regexp_match_flags', 'regexp_match', text3, arrayOf(T.text), ([a, p, f]) => regexpMatch(s(a), s(p), s(f))),
  fn('regexp_split_to_array', 'regexp_split_to_array', text2, arrayOf(T.text), ([a, p]) => regexpSplit(s(a), s(p), '')),
  fn('regexp_split_to_array_flags', 'regexp_split_to_array', text3, arrayOf(T.text), ([a, p, f]) => regexpSplit(s(a), s(p), s(f))),
  fn('substring_regex', 'substring', text2, T.text, ([a, p]) => substringRegex(s(a), s(p))),
  fn('similar_to_escape', 'similar_to_escape', [T.text], T.text, ([p]) => similarToRegex(s(p), '\\')),
  fn('similar_to_escape_esc', 'similar_to_escape', text2, T.text, ([p, e]) => similarToRegex(s(p), s(e))),
];
