/**
 * COPY … TO STDOUT and COPY … FROM STDIN (what psql's `\copy` sends), in text or CSV format
 * (copy-format.ts).
 *
 * - `COPY (query) TO STDOUT`, `COPY name [(columns)] TO STDOUT`: the query (or `SELECT
 *   columns FROM name`) runs as a SELECT, over one committed tick; its rows leave as CopyData
 *   lines; the tag is `COPY n`.
 * - `COPY table [(columns)] FROM STDIN`: the lines are read into rows of the named columns
 *   (the others get their DEFAULT, as in INSERT) and gathered like INSERT … VALUES: committed
 *   as one tick at the end of the batch, or at COMMIT inside a transaction block. A bad line
 *   fails the COPY, and nothing of it is written.
 * - COPY to or from a server file or a program: 0A000 (psql's `\copy` is the client-side way).
 */
import type { CopyStmt, Node } from '@pgsql/types';
import type { Change } from '../../dataflow/zset.js';
import { optimize } from '../../plan/optimize.js';
import { compileValues } from '../../render/compile-linear.js';
import { bindStatement } from '../../sql/binder/index.js';
import { parseStatement } from '../../sql/parser/parse.js';
import type { RelationItem } from '../../catalog/catalog-item.js';
import type { Row } from '../../types/datum.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import type { CopyInResult, CopyOutResult } from '../session-api.js';
import { CopyReader, CopyWriter, copyFormat, type CopyFormat, type CopyOption } from '../copy-format.js';
import type { Planned, SessionContext } from './planned.js';
import { planSelect } from './query.js';
import { sessionInfo } from './read-inputs.js';

export function planCopy(ctx: SessionContext, stmt: CopyStmt, sql: string): Planned {
  if (stmt.is_program || stmt.filename !== undefined) {
    throw new SqlError(SqlState.featureNotSupported, `COPY ${stmt.is_from ? 'from' : 'to'} a ${stmt.is_program ? 'program' : 'file'} is not supported`, {
      hint: `Use COPY … ${stmt.is_from ? 'FROM STDIN' : 'TO STDOUT'}, or psql's \\copy, which reads and writes files on the client.`,
    });
  }
  const format = copyFormat(copyOptionsOf(stmt.options), stmt.is_from ? 'from' : 'to');
  return stmt.is_from ? planCopyFrom(ctx, stmt, format) : planCopyTo(ctx, stmt, sql, format);
}

function planCopyTo(ctx: SessionContext, stmt: CopyStmt, sql: string, format: CopyFormat): Planned {
  let query: Node;
  let querySql = sql;
  if (stmt.query) {
    if (!('SelectStmt' in stmt.query)) throw new SqlError(SqlState.featureNotSupported, 'COPY (query) TO is only supported for SELECT queries');
    query = stmt.query;
  } else {
    const rel = stmt.relation!;
    const columns = stmt.attlist ? stmt.attlist.map((n) => quoteIdent(stringOf(n))).join(', ') : '*';
    querySql = `SELECT ${columns} FROM ${rel.schemaname ? `${quoteIdent(rel.schemaname)}.` : ''}${quoteIdent(rel.relname ?? '')}`;
    const parsed = parseStatement(querySql);
    if (parsed.kind !== 'pg') throw new Error('internal error: COPY query is not Postgres syntax');
    query = parsed.ast;
  }
  let select: Planned;
  try {
    select = planSelect(ctx, query, querySql, []);
  } catch (e) {
    // A position in the SELECT made up for `COPY name (columns)` means nothing to the user.
    if (SqlError.is(e) && !stmt.query) e.position = undefined;
    throw e;
  }
  return {
    paramTypes: select.paramTypes,
    columns: null,
    readsTablesOnly: select.readsTablesOnly,
    async execute(params: Row): Promise<CopyOutResult> {
      const result = await select.execute(params);
      if (result.kind !== 'rows') throw new Error('internal error: a SELECT without rows');
      const writer = new CopyWriter(format, result.columns);
      const lines: Uint8Array[] = [];
      const header = writer.header(result.columns.map((c) => c.name));
      if (header !== undefined) lines.push(Buffer.from(header, 'utf8'));
      for (const row of result.rows) lines.push(Buffer.from(writer.line(row), 'utf8'));
      let pending: Uint8Array[] | null = lines;
      return {
        kind: 'copy-out',
        columnCount: result.columns.length,
        next: async () => {
          const out = pending;
          pending = null;
          return out;
        },
        close: () => {
          pending = null;
        },
        commandTag: () => `COPY ${result.rows.length}`,
      };
    },
  };
}

function planCopyFrom(ctx: SessionContext, stmt: CopyStmt, format: CopyFormat): Planned {
  if (stmt.whereClause) throw new SqlError(SqlState.featureNotSupported, 'COPY FROM … WHERE is not supported');
  const rel = stmt.relation!;
  const item = ctx.coord.catalog.byName(rel.schemaname, rel.relname ?? '');
  if (!item) throw new SqlError(SqlState.undefinedTable, `relation "${rel.relname}" does not exist`);
  if (item.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `cannot copy to ${item.kind.replace('-', ' ')} "${item.name}"`);
  const table = item as RelationItem;
  if (table.sinkConnector) throw new SqlError(SqlState.featureNotSupported, `cannot copy to sink table "${table.name}"`, { hint: 'Use INSERT INTO … SELECT.' });
  const names = stmt.attlist ? stmt.attlist.map(stringOf) : table.columns.map((c) => c.name);
  const columns = names.map((n) => {
    const c = table.columns.find((col) => col.name === n);
    if (!c) throw new SqlError(SqlState.undefinedColumn, `column "${n}" of relation "${table.name}" does not exist`);
    return c;
  });
  // The rows are made by INSERT INTO t (columns) VALUES ($1, …): defaults, casts and checks as INSERT's.
  const insertSql = `INSERT INTO ${quoteIdent(table.schemaName)}.${quoteIdent(table.name)} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`;
  const parsed = parseStatement(insertSql);
  if (parsed.kind !== 'pg') throw new Error('internal error: INSERT is not Postgres syntax');
  const bound = bindStatement(parsed.ast, ctx.coord.catalog, { paramTypes: columns.map((c) => c.type), sql: insertSql });
  const values = compileValues(optimize(bound.plan));
  if (!values) throw new Error('internal error: INSERT … VALUES did not compile');
  return {
    paramTypes: [],
    columns: null,
    write: 'gathered',
    async execute(): Promise<CopyInResult> {
      const reader = new CopyReader(format, columns, `COPY ${table.name}`);
      const evalContext = ctx.coord.evalContext(sessionInfo(ctx));
      const changes: Change[] = [];
      const add = (rows: Row[]): void => {
        for (const r of rows) for (const full of values(r, evalContext)) changes.push([full, 1]);
      };
      let failed = false;
      return {
        kind: 'copy-in',
        columnCount: columns.length,
        async write(data) {
          ctx.checkCanceled();
          add(reader.push(data));
        },
        async end() {
          add(reader.finish());
          if (failed) throw new Error('internal error: COPY ended after it failed');
          if (ctx.tx.status === 'in-transaction') {
            const snap = ctx.coord.snapshot();
            try {
              await ctx.tx.pending.add(table, changes, snap);
            } finally {
              await snap.release();
            }
          } else {
            await ctx.tx.implicit.add(table, changes);
          }
          return `COPY ${changes.length}`;
        },
        fail() {
          failed = true;
          changes.length = 0;
        },
      };
    },
  };
}

/** libpg-query's option list as name/value pairs (`HEADER` alone: true; `FORCE_QUOTE *`: '*'). */
function copyOptionsOf(options: Node[] | undefined): CopyOption[] {
  return (options ?? []).map((n) => {
    const d = (n as { DefElem: { defname?: string; arg?: Record<string, Record<string, unknown>> } }).DefElem;
    const arg = d.arg;
    let value: CopyOption['value'] = true;
    if (arg) {
      if ('String' in arg) value = String(arg.String!.sval ?? '');
      else if ('Boolean' in arg) value = arg.Boolean!.boolval === true ? 'true' : 'false';
      else if ('Integer' in arg) value = String(arg.Integer!.ival ?? 0);
      else if ('Float' in arg) value = String(arg.Float!.fval ?? '0');
      else if ('A_Star' in arg) value = '*';
      else if ('List' in arg) value = ((arg.List!.items as Node[] | undefined) ?? []).map(stringOf);
    }
    return { name: d.defname ?? '', value };
  });
}

function stringOf(n: Node): string {
  return 'String' in n ? (n.String.sval ?? '') : '';
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
