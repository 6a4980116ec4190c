/**
 * Prints a weir statement back to SQL text; parse(print(ast)) = ast (round-trip tested in
 * grammar/*.test.ts).
 */
import { assertNever } from '../../util/assert-never.js';
import type { QualifiedName, WeirStatement } from './weir-ast.js';

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function printQualifiedName(name: QualifiedName): string {
  return name.map(quoteIdent).join('.');
}

const showObjectWords: Record<string, string> = {
  tables: 'TABLES',
  views: 'VIEWS',
  'materialized-views': 'MATERIALIZED VIEWS',
  sources: 'SOURCES',
  sinks: 'SINKS',
  indexes: 'INDEXES',
  schemas: 'SCHEMAS',
  databases: 'DATABASES',
};

const showCreateWords: Record<string, string> = {
  table: 'TABLE',
  view: 'VIEW',
  'materialized-view': 'MATERIALIZED VIEW',
  source: 'SOURCE',
};

export function printWeirStatement(stmt: WeirStatement): string {
  switch (stmt.kind) {
    case 'ShowObjects':
      return `SHOW ${showObjectWords[stmt.objectType]}${stmt.from !== undefined ? ` FROM ${quoteIdent(stmt.from)}` : ''}`;
    case 'ShowColumns':
      return `SHOW COLUMNS FROM ${printQualifiedName(stmt.relation)}`;
    case 'ShowCreate':
      return `SHOW CREATE ${showCreateWords[stmt.objectType]} ${printQualifiedName(stmt.name)}`;
    case 'Explain':
      return `EXPLAIN ${stmt.stage.toUpperCase()} ${stmt.query}`;
    case 'ExplainView':
      return `EXPLAIN ${stmt.stage.toUpperCase()} ${stmt.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${printQualifiedName(stmt.name)}`;
    case 'Flush':
      return 'FLUSH';
    case 'CreateSource':
    case 'CreateSink':
    case 'DropWeirObject':
      throw new Error(`printing ${stmt.kind} is not written yet`);
    default:
      return assertNever(stmt, 'weir statement');
  }
}
