/**
 * Flink's (and MySQL's) backtick identifiers, rewritten as text before either parser sees the
 * statement: `` `dateTime` `` → `"datetime"`. The name is folded to lower case, so a backticked
 * name and the same name written plainly are one identifier, as the Flink Nexmark queries
 * expect (`dateTime` in backticks in one place, bare in another); quoting keeps it usable
 * where it is a keyword (`` `value` ``, `` `day` ``). The rewrite keeps every offset when the
 * name holds no double quote. Backticks inside strings, quoted identifiers and comments are
 * left alone (the lexer skips them).
 */
import { tokenize } from './sql-tokens.js';
import { applyEdits, type Edit, type Rewritten } from './window-tvf-rewrite.js';

export function rewriteBackticks(sql: string): Rewritten {
  if (!sql.includes('`')) return { text: sql, originalOffset: (o) => o };
  const edits: Edit[] = [];
  let after = 0;
  for (const t of tokenize(sql)) {
    if (t.kind !== 'op' || t.start < after) continue;
    for (let p = sql.indexOf('`', t.start); p >= 0 && p < t.end && p >= after; p = sql.indexOf('`', p + 1)) {
      const close = sql.indexOf('`', p + 1);
      const name = close < 0 ? '' : sql.slice(p + 1, close);
      if (name === '' || name.includes('\n')) break;
      edits.push({ start: p, end: close + 1, replacement: `"${name.toLowerCase().replace(/"/g, '""')}"` });
      after = close + 1;
      p = close;
    }
  }
  return applyEdits(sql, edits);
}
