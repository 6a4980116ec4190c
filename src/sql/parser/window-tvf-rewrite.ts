/**
 * Flink's and RisingWave's table-valued window spellings, rewritten as text into the plain
 * function calls that libpg-query parses and the binder understands (docs: DESIGN §6):
 *
 *   TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND))  →  TUMBLE(bid, ts, INTERVAL '10' SECOND)
 *   HOP(TABLE bid, DESCRIPTOR(ts), slide, size)                      →  HOP(bid, ts, slide, size)
 *   CUMULATE(TABLE bid, DESCRIPTOR(ts), step, size)                  →  CUMULATE(bid, ts, step, size)
 *   SESSION(TABLE bid PARTITION BY a, b, DESCRIPTOR(ts), gap)        →  SESSION(bid, ts, gap, a, b)
 *   TUMBLE(DATA => TABLE bid, TIMECOL => DESCRIPTOR(ts), SIZE => s)  →  TUMBLE(bid, ts, s)
 *
 * The outer TABLE( … ) is optional; PARTITION BY may also list its columns in parentheses.
 * Arguments other than the table and the descriptor are copied verbatim, in Flink's order
 * (slide / step before size, then offset). A call whose first argument is not `TABLE x` (or
 * `DATA => TABLE x`) is left alone, so the plain forms and the group-window
 * `GROUP BY SESSION(ts, gap)` pass through unchanged.
 */
import { isWord, matchingParen, tokenize, type Token } from './sql-tokens.js';

const WINDOW_FUNCTIONS = new Set(['tumble', 'hop', 'cumulate', 'session']);

/** Flink's named parameters, in the order of the plain call's arguments after (table, time column). */
const NAMED_ORDER: Record<string, string[]> = {
  tumble: ['size', 'offset'],
  hop: ['slide', 'size', 'offset'],
  cumulate: ['step', 'size', 'offset'],
  session: ['gap'],
};

export interface Rewritten {
  text: string;
  /** Maps a 0-based offset in `text` back to the original text (for error positions). */
  originalOffset(offset: number): number;
}

export interface Edit {
  start: number;
  end: number;
  replacement: string;
}

/** Rewrites every window table function call in `sql`; the text is unchanged when there is none. */
export function rewriteWindowTvfs(sql: string): Rewritten {
  if (!/descriptor/i.test(sql)) return { text: sql, originalOffset: (o) => o };
  const tokens = tokenize(sql);
  const edits: Edit[] = [];
  for (let i = 0; i < tokens.length; ) {
    const edit = tableWrapped(sql, tokens, i) ?? windowCall(sql, tokens, i);
    if (edit) {
      edits.push(edit.edit);
      i = edit.next;
    } else i++;
  }
  return applyEdits(sql, edits);
}

/** `TABLE ( <window call> )` at token i. */
function tableWrapped(sql: string, tokens: Token[], i: number): { edit: Edit; next: number } | undefined {
  if (!isWord(tokens[i], 'table') || tokens[i + 1]?.text !== '(') return undefined;
  const inner = windowCall(sql, tokens, i + 2);
  if (!inner) return undefined;
  const close = tokens[inner.next];
  if (close?.kind !== 'punct' || close.text !== ')') return undefined;
  return { edit: { start: tokens[i]!.start, end: close.end, replacement: inner.edit.replacement }, next: inner.next + 1 };
}

/** `TUMBLE | HOP | CUMULATE | SESSION ( TABLE x …, DESCRIPTOR(c), … )` at token i. */
function windowCall(sql: string, tokens: Token[], i: number): { edit: Edit; next: number } | undefined {
  const name = tokens[i];
  if (name?.kind !== 'word' || !WINDOW_FUNCTIONS.has(name.text.toLowerCase())) return undefined;
  if (tokens[i + 1]?.text !== '(' || tokens[i - 1]?.text === '.') return undefined;
  const close = matchingParen(tokens, i + 1);
  if (close < 0) return undefined;
  const args = splitArguments(tokens, i + 2, close);
  const fn = name.text.toLowerCase();
  const named = args.length > 0 && args.every((a) => a.length >= 2 && a[0]!.kind === 'word' && a[1]!.text === '=>');
  let table: Token[] | undefined;
  let descriptor: Token[] | undefined;
  let partitions: string[] = [];
  const rest: string[] = [];
  if (named) {
    const byName = new Map(args.map((a) => [a[0]!.text.toLowerCase(), a.slice(2)]));
    table = byName.get('data');
    descriptor = byName.get('timecol');
    for (const p of NAMED_ORDER[fn]!) {
      const v = byName.get(p);
      if (v) rest.push(text(sql, v));
    }
    if (byName.size !== 2 + rest.length) return undefined;
  } else {
    table = args[0];
    let k = 1;
    // SESSION(TABLE t PARTITION BY a, b, DESCRIPTOR(ts), …): the columns up to DESCRIPTOR.
    while (k < args.length && !isWord(args[k]![0], 'descriptor')) k++;
    if (k >= args.length) return undefined;
    descriptor = args[k];
    if (k > 1) {
      if (!table || !args.slice(1, k).every((a) => a.length > 0)) return undefined;
      partitions = args.slice(1, k).map((a) => text(sql, a));
      if (!partitionIndex(table)) return undefined;
    }
    for (const a of args.slice(k + 1)) rest.push(text(sql, a));
  }
  if (!table || !isWord(table[0], 'table') || table.length < 2) return undefined;
  if (!descriptor || !isWord(descriptor[0], 'descriptor') || descriptor[1]?.text !== '(' || descriptor[descriptor.length - 1]?.text !== ')') return undefined;
  const at = partitionIndex(table);
  let relation = table.slice(1);
  if (at !== undefined) {
    relation = table.slice(1, at);
    const keys = table.slice(at + 2);
    if (keys[0]?.text === '(' && keys[keys.length - 1]?.text === ')') {
      partitions = [...splitArguments(keys, 1, keys.length - 1).map((a) => text(sql, a)), ...partitions];
    } else if (keys.length > 0) partitions = [text(sql, keys), ...partitions];
  }
  if (relation.length === 0 || descriptor.length < 4) return undefined;
  const columns = text(sql, descriptor.slice(2, -1));
  const replacement = `${name.text}(${[text(sql, relation), columns, ...rest, ...partitions].join(', ')})`;
  return { edit: { start: name.start, end: tokens[close]!.end, replacement }, next: close + 1 };
}

/** The index of PARTITION in `TABLE x PARTITION BY …`, if any. */
function partitionIndex(table: Token[]): number | undefined {
  for (let k = 1; k < table.length - 1; k++) {
    if (isWord(table[k], 'partition') && isWord(table[k + 1], 'by')) return k;
  }
  return undefined;
}

/** The arguments between tokens[from] and tokens[to] (exclusive), split at top-level commas. */
function splitArguments(tokens: Token[], from: number, to: number): Token[][] {
  const args: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth--;
    if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      args.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length > 0 || args.length > 0) args.push(current);
  return args;
}

function text(sql: string, tokens: Token[]): string {
  return tokens.length === 0 ? '' : sql.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end);
}

export function applyEdits(sql: string, edits: Edit[]): Rewritten {
  if (edits.length === 0) return { text: sql, originalOffset: (o) => o };
  let out = '';
  let last = 0;
  // Per edit: where it starts in the new text, its new end, and its old span.
  const spans: { newStart: number; newEnd: number; oldStart: number; oldEnd: number }[] = [];
  for (const e of edits) {
    out += sql.slice(last, e.start);
    const newStart = out.length;
    out += e.replacement;
    spans.push({ newStart, newEnd: out.length, oldStart: e.start, oldEnd: e.end });
    last = e.end;
  }
  out += sql.slice(last);
  return {
    text: out,
    originalOffset(offset) {
      let shift = 0;
      for (const s of spans) {
        if (offset < s.newStart) break;
        if (offset < s.newEnd) return s.oldStart;
        shift = s.oldEnd - s.newEnd;
      }
      return offset + shift;
    },
  };
}
