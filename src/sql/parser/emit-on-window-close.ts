/**
 * `EMIT ON WINDOW CLOSE` (RisingWave): a query whose rows are emitted once the watermark
 * passes their window, never retracted. It ends the statement
 * (`CREATE MATERIALIZED VIEW v AS SELECT … EMIT ON WINDOW CLOSE`), which Postgres's grammar
 * does not know, so the clause is cut off before libpg-query parses the rest and the caller
 * gets a flag instead. Only the four words as the statement's last tokens count (a trailing
 * `;` or comment may follow); the same words in a string or a comment do not.
 */
import { isWord, tokenize } from './sql-tokens.js';

const CLAUSE = ['emit', 'on', 'window', 'close'];

/** The statement text without a trailing EMIT ON WINDOW CLOSE, or undefined if it has none. */
export function stripEmitOnWindowClose(sql: string): string | undefined {
  if (!/close/i.test(sql)) return undefined;
  const tokens = tokenize(sql);
  let end = tokens.length;
  while (end > 0 && tokens[end - 1]!.kind === 'punct' && tokens[end - 1]!.text === ';') end--;
  const at = end - CLAUSE.length;
  if (at < 1 || !CLAUSE.every((w, k) => isWord(tokens[at + k], w))) return undefined;
  return sql.slice(0, tokens[at]!.start) + sql.slice(tokens[end - 1]!.end);
}
