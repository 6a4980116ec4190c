/**
 * The temporal (lookup) join spelling `JOIN t FOR SYSTEM_TIME AS OF PROCTIME() [alias]`
 * (RisingWave, Flink), which libpg-query does not parse, rewritten before it does into a call
 * the binder recognises: `__weir_lookup(t) [alias]` (binder/from.ts). `AS OF` may name
 * PROCTIME(), NOW() or a column (`s.proc_time`): weir joins every stream row with the table as
 * it is when the row is processed, whichever is written.
 */
import { isWord, matchingParen, tokenize, type Token } from './sql-tokens.js';
import { applyEdits, type Edit, type Rewritten } from './window-tvf-rewrite.js';

export const LOOKUP_FUNCTION = '__weir_lookup';

export function rewriteTemporalJoins(sql: string): Rewritten {
  if (!/system_time/i.test(sql)) return { text: sql, originalOffset: (o) => o };
  const tokens = tokenize(sql);
  const edits: Edit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!(isWord(tokens[i], 'for') && isWord(tokens[i + 1], 'system_time') && isWord(tokens[i + 2], 'as') && isWord(tokens[i + 3], 'of'))) continue;
    // The relation: `name` or `schema.name` just before FOR.
    let start = i - 1;
    if (!isName(tokens[start])) continue;
    if (tokens[start - 1]?.text === '.' && isName(tokens[start - 2])) start -= 2;
    // The time: a name chain, optionally called: PROCTIME(), s.proc_time.
    let end = i + 4;
    if (!isName(tokens[end])) continue;
    while (tokens[end + 1]?.text === '.' && isName(tokens[end + 2])) end += 2;
    if (tokens[end + 1]?.text === '(') end = matchingParen(tokens, end + 1);
    if (end < 0) continue;
    const relation = sql.slice(tokens[start]!.start, tokens[i - 1]!.end);
    edits.push({ start: tokens[start]!.start, end: tokens[end]!.end, replacement: `${LOOKUP_FUNCTION}(${relation})` });
    i = end;
  }
  return applyEdits(sql, edits);
}

function isName(t: Token | undefined): boolean {
  return t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
}
