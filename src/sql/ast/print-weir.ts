/**
 * Prints a weir statement back to SQL text; parse(print(ast)) = ast (round-trip tested in
 * grammar/*.test.ts).
 */
import { assertNever } from '../../util/assert-never.js';
import type { ColumnDef, FormatSpec, IncludeDef, QualifiedName, SubscribeStatement, TypeExpr, WeirStatement, WithOption } from './weir-ast.js';

/** Words weir's grammar reserves (grammar/lexical.peggy `Keyword`): quoted when used as names. */
const RESERVED = new Set(['show', 'from', 'in', 'create', 'explain', 'view']);

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
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
    case 'CreateSource': {
      const elements = [
        ...stmt.columns.map(printColumnDef),
        ...(stmt.primaryKey ? [`PRIMARY KEY (${stmt.primaryKey.map(quoteIdent).join(', ')})`] : []),
        ...(stmt.watermark ? [`WATERMARK FOR ${quoteIdent(stmt.watermark.column)} AS ${stmt.watermark.expr}`] : []),
      ];
      return [
        `CREATE ${stmt.objectType === 'table' ? 'TABLE' : 'SOURCE'}${stmt.ifNotExists ? ' IF NOT EXISTS' : ''} ${printQualifiedName(stmt.name)}`,
        ...(elements.length > 0 ? [`(${elements.join(', ')})`] : []),
        ...(stmt.appendOnly ? ['APPEND ONLY'] : []),
        ...stmt.include.map(printInclude),
        ...(stmt.partitionedBy ? [`PARTITIONED BY (${stmt.partitionedBy.map(quoteIdent).join(', ')})`] : []),
        ...(stmt.objectType === 'source' || stmt.with.length > 0 ? [`WITH ${printOptions(stmt.with)}`] : []),
        ...(stmt.format ? [printFormat(stmt.format)] : []),
      ].join(' ');
    }
    case 'CreateSink':
      return [
        `CREATE SINK${stmt.ifNotExists ? ' IF NOT EXISTS' : ''} ${printQualifiedName(stmt.name)}`,
        ...(stmt.into !== undefined ? [`INTO ${printQualifiedName(stmt.into)}`] : []),
        stmt.from !== undefined ? `FROM ${printQualifiedName(stmt.from)}` : `AS ${stmt.query ?? ''}`,
        ...(stmt.into === undefined || stmt.with.length > 0 ? [`WITH ${printOptions(stmt.with)}`] : []),
        ...(stmt.format ? [printFormat(stmt.format)] : []),
      ].join(' ');
    case 'DropWeirObject':
      return `DROP ${stmt.objectType.toUpperCase()}${stmt.ifExists ? ' IF EXISTS' : ''} ${stmt.names.map(printQualifiedName).join(', ')}${stmt.cascade ? ' CASCADE' : ''}`;
    case 'Subscribe':
      return stmt.copyOptions !== undefined
        ? `COPY (${printSubscribe(stmt)}) TO STDOUT${stmt.copyOptions.length > 0 ? ` WITH ${printOptions(stmt.copyOptions)}` : ''}`
        : printSubscribe(stmt);
    case 'DeclareSubscribe':
      return `DECLARE ${quoteIdent(stmt.cursor)} CURSOR FOR ${printSubscribe(stmt.subscribe)}`;
    case 'Fetch':
      return `FETCH ${stmt.count === 'all' ? 'ALL' : stmt.count} ${quoteIdent(stmt.cursor)} WITH ${printOptions(stmt.options)}`;
    default:
      return assertNever(stmt, 'weir statement');
  }
}

function printSubscribe(s: SubscribeStatement): string {
  const target = s.target.kind === 'query' ? `(${s.target.query})` : printQualifiedName(s.target.name);
  return `SUBSCRIBE TO ${target}${s.options.length > 0 ? ` WITH ${printOptions(s.options)}` : ''}`;
}

/** A column type: the Postgres spelling as written, or `STRUCT<name type, …>[]`. */
export function printTypeExpr(t: TypeExpr): string {
  if (t.kind === 'named') return t.text;
  return `STRUCT<${t.fields.map((f) => `${quoteIdent(f.name)} ${printTypeExpr(f.type)}`).join(', ')}>${t.array ? '[]' : ''}`;
}

function printColumnDef(c: ColumnDef): string {
  return [
    c.type !== undefined ? `${quoteIdent(c.name)} ${printTypeExpr(c.type)}` : quoteIdent(c.name),
    ...(c.notNull ? ['NOT NULL'] : []),
    ...(c.primaryKey ? ['PRIMARY KEY'] : []),
    ...(c.default !== undefined ? [`DEFAULT ${c.default}`] : []),
    ...(c.generated !== undefined ? [`AS ${c.generated}`] : []),
  ].join(' ');
}

function printInclude(i: IncludeDef): string {
  const header = i.header !== undefined ? ` ${printString(i.header)}${i.type !== undefined ? ` ${i.type}` : ''}` : '';
  return `INCLUDE ${i.what}${header}${i.alias !== undefined ? ` AS ${quoteIdent(i.alias)}` : ''}`;
}

function printString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** `(key = 'value', …)`: keys bare when they are dotted plain words, else quoted; values always as strings. */
function printOptions(options: WithOption[]): string {
  const key = (k: string) => (/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/.test(k) ? k : printString(k));
  return `(${options.map((o) => `${key(o.key)} = ${printString(o.value)}`).join(', ')})`;
}

function printFormat(f: FormatSpec): string {
  return `FORMAT ${f.format.toUpperCase()} ENCODE ${f.encode.toUpperCase()}${f.options.length > 0 ? ` ${printOptions(f.options)}` : ''}`;
}
