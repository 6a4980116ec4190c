/**
 * The blessing step (`--complete`): writes a copy of a test file whose records carry the
 * results the engine gave. Records that passed are left as written; a failing query's result
 * block is replaced (hashed above the file's hash threshold); a statement whose expectation failed
 * becomes `statement ok` or `statement error <message>`. Everything else — comments, blank
 * lines, conditions — is copied verbatim. Included files are not rewritten.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileOutcome } from './run-file.js';

/** `a/select1.test` → `a/select1.completed.test` (or the same name in `outDir`). */
export function completedPath(file: string, outDir?: string): string {
  const name = basename(file);
  const dot = name.indexOf('.');
  const completed = dot < 0 ? `${name}.completed` : `${name.slice(0, dot)}.completed${name.slice(dot)}`;
  return join(outDir ?? dirname(file), completed);
}

/** The text of the completed file. */
export function completeText(text: string, outcome: FileOutcome): string {
  const lines = text.split(/\r?\n/);
  const replaced = [...(outcome.completions ?? new Map<number, string[]>())].sort((a, b) => b[0] - a[0]);
  for (const [index, replacement] of replaced) {
    const span = outcome.records![index]!.span;
    lines.splice(span.start, span.end - span.start, ...replacement);
  }
  return lines.join('\n');
}

/** Writes the completed copy and returns its path. */
export function writeCompleted(outcome: FileOutcome, outDir?: string): string {
  const path = completedPath(outcome.file, outDir);
  writeFileSync(path, completeText(readFileSync(outcome.file, 'utf8'), outcome));
  return path;
}
