/**
 * printPlan / printScalar: the logical plan as indented text, in the style of Materialize's
 * EXPLAIN (one node per line, inputs indented two spaces below it; columns as `#i`):
 *
 *   Project (#0, #2)
 *     Filter (#1 > 5)
 *       Get public.t
 *
 * Operators print infix with their SQL name, casts as `x::type`, other calls by SQL name.
 * Used by EXPLAIN and by plan tests ("SQL in → plan text out").
 */
import { assertNever } from '../util/assert-never.js';
import { durationText } from '../util/time-windows.js';
import { Interval, Jsonb, Numeric, Record, type Datum } from '../types/datum.js';
import { typeName, type SqlType } from '../types/sql-type.js';
import { getFunction } from './functions/registry.js';
import type { AggregateExpr, LogicalPlan, SortKey } from './logical-plan.js';
import type { ScalarExpr } from './scalar-expr.js';
import { windowCallText } from './window-call.js';

export function printPlan(plan: LogicalPlan): string {
  const lines: string[] = [];
  const go = (p: LogicalPlan, depth: number): void => {
    lines.push('  '.repeat(depth) + header(p));
    switch (p.kind) {
      case 'Get':
      case 'Constant':
        return;
      case 'Join':
        go(p.left, depth + 1);
        go(p.right, depth + 1);
        return;
      case 'Union':
        for (const i of p.inputs) go(i, depth + 1);
        return;
      default:
        go(p.input, depth + 1);
    }
  };
  go(plan, 0);
  return lines.join('\n') + '\n';
}

function header(p: LogicalPlan): string {
  switch (p.kind) {
    case 'Get':
      return `Get ${p.name}`;
    case 'Constant':
      if (p.rows.length === 0) return 'Constant <empty>';
      return `Constant ${p.rows.map((r, i) => `(${r.map((d, j) => printDatum(d, p.schema[j]?.type)).join(', ')})`).slice(0, 8).join(' ')}${p.rows.length > 8 ? ` … ${p.rows.length} rows` : ''}`;
    case 'Map':
      return `Map (${p.exprs.map(printScalar).join(', ')})`;
    case 'FlatMap':
      return `FlatMap (${p.exprs.map(printScalar).join(', ')})`;
    case 'Filter':
      return `Filter ${p.predicates.map(printScalar).join(' AND ')}`;
    case 'Project':
      return `Project (${p.outputs.map((i) => `#${i}`).join(', ')})`;
    case 'Join':
      return `Join kind=${p.joinKind} on=${printScalar(p.on)}`;
    case 'Reduce':
      return `Reduce group=[${p.groupKey.map((i) => `#${i}`).join(', ')}] aggs=[${p.aggregates.map(printAggregate).join(', ')}]`;
    case 'Distinct':
      return 'Distinct';
    case 'TopK': {
      const parts = [`group=[${p.groupKey.map((i) => `#${i}`).join(', ')}]`, `order=[${p.order.map(printSortKey).join(', ')}]`];
      if (p.limit !== null) parts.push(`limit=${p.limit}`);
      if (p.offset > 0) parts.push(`offset=${p.offset}`);
      if (p.rankColumn) parts.push('rank');
      if (p.ranking && p.ranking !== 'row_number') parts.push(p.ranking);
      return `TopK ${parts.join(' ')}`;
    }
    case 'Union':
      return 'Union';
    case 'Negate':
      return 'Negate';
    case 'Threshold':
      return 'Threshold';
    case 'WindowExpand':
      return `WindowExpand ${p.windowKind} time=#${p.timeColumn} ${p.windowKind === 'hop' ? 'slide' : 'step'}=${durationText(p.slideUs)} size=${durationText(p.sizeUs)}${p.offsetUs !== 0 ? ` offset=${durationText(p.offsetUs)}` : ''}`;
    case 'Window':
      return `Window partition=[${p.partitionKey.map((i) => `#${i}`).join(', ')}] order=[${p.order.map(printSortKey).join(', ')}] calls=[${p.calls.map((c) => windowCallText(c, printScalar)).join(', ')}]`;
    case 'SessionWindow':
      return `SessionWindow partition=[${p.partitionKey.map((i) => `#${i}`).join(', ')}] time=#${p.timeColumn} gap=${durationText(p.gapUs)}`;
    default:
      return assertNever(p, 'plan');
  }
}

export function printSortKey(k: SortKey): string {
  const dflt = k.nullsFirst === k.desc;
  return `${printScalar(k.expr)}${k.desc ? ' desc' : ''}${dflt ? '' : k.nullsFirst ? ' nulls first' : ' nulls last'}`;
}

export function printAggregate(a: AggregateExpr): string {
  const name = a.fn === 'count_star' ? 'count' : a.fn;
  let args = a.fn === 'count_star' ? '*' : a.args.map(printScalar).join(', ');
  if (a.distinct) args = `distinct ${args}`;
  if (a.orderBy?.length) args += ` order by ${a.orderBy.map(printSortKey).join(', ')}`;
  return `${name}(${args})${a.filter ? ` filter (where ${printScalar(a.filter)})` : ''}`;
}

function sqlNameOf(id: string): { name: string; cast: boolean } {
  try {
    const f = getFunction(id);
    return { name: f.sqlName, cast: f.sqlName === 'cast' || id.startsWith('cast_') };
  } catch {
    return { name: id, cast: id.startsWith('cast_') };
  }
}

export function printScalar(e: ScalarExpr): string {
  switch (e.kind) {
    case 'Column':
      return `#${e.index}`;
    case 'Literal':
      return printDatum(e.value, e.type);
    case 'Param':
      return `$${e.index}`;
    case 'Call': {
      const { name, cast } = sqlNameOf(e.fn);
      if (cast && e.args.length === 1) return `${wrap(e.args[0]!)}::${typeName(e.type)}`;
      const infix = !/^[a-z_]/i.test(name);
      if (infix && e.args.length === 2) return `(${printScalar(e.args[0]!)} ${name} ${printScalar(e.args[1]!)})`;
      if (infix && e.args.length === 1) return `(${name}${printScalar(e.args[0]!)})`;
      return `${name}(${e.args.map(printScalar).join(', ')})`;
    }
    case 'Cast':
      return `${wrap(e.expr)}::${typeName(e.type)}`;
    case 'And':
      return `(${e.args.map(printScalar).join(' AND ')})`;
    case 'Or':
      return `(${e.args.map(printScalar).join(' OR ')})`;
    case 'Not':
      if (e.arg.kind === 'IsNull') return `(${printScalar(e.arg.arg)}) IS NOT NULL`;
      return `NOT ${wrap(e.arg)}`;
    case 'IsNull':
      return `(${printScalar(e.arg)}) IS NULL`;
    case 'Case':
      return `CASE ${e.whens.map((w) => `WHEN ${printScalar(w.cond)} THEN ${printScalar(w.result)}`).join(' ')} ELSE ${printScalar(e.else)} END`;
    case 'Coalesce':
      return `coalesce(${e.args.map(printScalar).join(', ')})`;
    case 'Unmaterializable':
      return `${e.fn}()`;
    case 'ArrayMap':
      return `array_map(${printScalar(e.array)}, #0 => ${printScalar(e.body)})`;
    default:
      return assertNever(e, 'scalar expression');
  }
}

function wrap(e: ScalarExpr): string {
  const s = printScalar(e);
  return e.kind === 'Column' || e.kind === 'Literal' || e.kind === 'Param' || s.startsWith('(') ? s : `(${s})`;
}

export function printDatum(d: Datum, t: SqlType | undefined): string {
  if (d === null) return 'null';
  if (typeof d === 'string') return `'${d.replace(/'/g, "''")}'`;
  if (typeof d === 'number' || typeof d === 'bigint' || typeof d === 'boolean') {
    const s = String(d);
    return t && (t.kind === 'date' || t.kind === 'timestamp' || t.kind === 'timestamptz' || t.kind === 'time') ? `${s}::${typeName(t)}` : s;
  }
  if (d instanceof Numeric) return d.toString();
  if (d instanceof Interval) return `interval(${d.months},${d.days},${d.micros})`;
  if (d instanceof Jsonb) return `'${JSON.stringify(d.value)}'::jsonb`;
  if (d instanceof Record) return `(${d.fields.map((f) => printDatum(f, undefined)).join(', ')})`;
  if (d instanceof Uint8Array) return `'\\x${Buffer.from(d).toString('hex')}'::bytea`;
  if (Array.isArray(d)) return `{${d.map((x) => printDatum(x, t?.kind === 'array' ? t.element : undefined)).join(',')}}`;
  return String(d);
}
