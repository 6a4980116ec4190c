// The dependency direction of DESIGN §8 / STYLE.md, checked mechanically: every import in
// src/ goes to a folder its own folder may import, and there are no import cycles between
// folders.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

/** Folder → the folders it may import (besides itself). */
const allowed: Record<string, string[]> = {
  util: [],
  types: ['util'],
  storage: ['types', 'util'],
  plan: ['types', 'util'],
  sql: ['plan', 'types', 'util'],
  dataflow: ['storage', 'types', 'util'],
  render: ['plan', 'dataflow', 'storage', 'types', 'util'],
  sources: ['dataflow', 'storage', 'types', 'util'],
  catalog: ['sql', 'plan', 'storage', 'types', 'util'],
  adapter: ['catalog', 'sources', 'render', 'sql', 'dataflow', 'plan', 'storage', 'types', 'util'],
  pgwire: ['adapter/session-api', 'types', 'util'],
  slt: ['adapter/weir', 'adapter/session-api', 'types', 'util'],
  main: ['adapter', 'pgwire', 'slt', 'util'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return p.includes('generated') ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function folderOf(file: string): string {
  const rel = relative(src, file);
  return rel.includes('/') ? rel.split('/')[0]! : rel.replace(/\.ts$/, '');
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

describe('dependency direction', () => {
  const violations: string[] = [];
  const edges = new Map<string, Set<string>>();
  for (const file of files(src)) {
    const from = folderOf(file);
    for (const spec of imports(file)) {
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      const to = folderOf(target);
      if (to === from) continue;
      const relTarget = relative(src, target).replace(/\.ts$/, '');
      const ok = (allowed[from] ?? []).some((a) => a === to || relTarget === a || relTarget.startsWith(`${a}/`));
      if (!ok) violations.push(`${relative(root, file)} imports ${relTarget}`);
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }

  test('every import goes down the layers', () => {
    expect(violations).toEqual([]);
  });

  test('every folder of src/ is in the table', () => {
    const folders = readdirSync(src).filter((f) => statSync(join(src, f)).isDirectory());
    expect(folders.filter((f) => !(f in allowed))).toEqual([]);
  });

  test('no cycles between folders', () => {
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  test('every src/ folder has a README', () => {
    const missing = readdirSync(src)
      .filter((f) => statSync(join(src, f)).isDirectory())
      .filter((f) => {
        try {
          return !statSync(join(src, f, 'README.md')).isFile();
        } catch {
          return true;
        }
      });
    expect(missing).toEqual([]);
  });
});
