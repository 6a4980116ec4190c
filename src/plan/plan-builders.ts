/**
 * Factories for logical plan nodes that compute each node's output schema, so producers
 * (the binder) and rewriters (rules/) never assemble schemas by hand.
 */
import type { Row } from '../types/datum.js';
import type { Column, Schema } from '../types/sql-type.js';
import type { AggregateExpr, JoinKind, LogicalPlan, Ranking, SortKey, WindowExpandKind } from './logical-plan.js';
import type { ScalarExpr } from './scalar-expr.js';
import type { WindowCall } from './window-call.js';

type Plan<K extends LogicalPlan['kind']> = Extract<LogicalPlan, { kind: K }>;

export function get(id: string, name: string, schema: Schema): Plan<'Get'> {
  return { kind: 'Get', id, name, schema };
}

export function constant(rows: Row[], schema: Schema): Plan<'Constant'> {
  return { kind: 'Constant', rows, schema };
}

/** Appends one column per expression; `names` label them (default "?column?"). */
export function map(input: LogicalPlan, exprs: ScalarExpr[], names: string[] = []): LogicalPlan {
  if (exprs.length === 0) return input;
  const added: Column[] = exprs.map((e, i) => ({ name: names[i] ?? '?column?', type: e.type, nullable: true }));
  return { kind: 'Map', input, exprs, schema: [...input.schema, ...added] };
}

/**
 * Appends one column per array-valued expression, the rows zipped to the longest array
 * (see the logical FlatMap); each column's type is its array's element type.
 */
export function flatMap(input: LogicalPlan, exprs: ScalarExpr[], names: string[] = []): Plan<'FlatMap'> {
  const added: Column[] = exprs.map((e, i) => {
    if (e.type.kind !== 'array') throw new Error(`flatMap: expression #${i} is not an array`);
    return { name: names[i] ?? '?column?', type: e.type.element, nullable: true };
  });
  return { kind: 'FlatMap', input, exprs, schema: [...input.schema, ...added] };
}

export function filter(input: LogicalPlan, predicates: ScalarExpr[]): LogicalPlan {
  if (predicates.length === 0) return input;
  return { kind: 'Filter', input, predicates, schema: input.schema };
}

export function project(input: LogicalPlan, outputs: number[], names?: string[]): LogicalPlan {
  const schema = outputs.map((i, k) => {
    const c = input.schema[i];
    if (!c) throw new Error(`project: column #${i} out of range (width ${input.schema.length})`);
    return names?.[k] !== undefined ? { ...c, name: names[k]! } : c;
  });
  return { kind: 'Project', input, outputs, schema };
}

/** Projects to the first `width` columns, or returns the input when it already has that width. */
export function narrow(input: LogicalPlan, width: number): LogicalPlan {
  if (input.schema.length === width) return input;
  return project(input, range(width));
}

export function join(joinKind: JoinKind, left: LogicalPlan, right: LogicalPlan, on: ScalarExpr): Plan<'Join'> {
  const nullL = joinKind === 'right' || joinKind === 'full';
  const nullR = joinKind === 'left' || joinKind === 'full';
  const schema = [
    ...left.schema.map((c) => (nullL ? { ...c, nullable: true } : c)),
    ...right.schema.map((c) => (nullR ? { ...c, nullable: true } : c)),
  ];
  return { kind: 'Join', joinKind, left, right, on, schema };
}

export function reduce(input: LogicalPlan, groupKey: number[], aggregates: AggregateExpr[], aggNames: string[] = []): Plan<'Reduce'> {
  const schema: Schema = [
    ...groupKey.map((i) => input.schema[i]!),
    ...aggregates.map((a, i) => ({
      name: aggNames[i] ?? a.fn.replace('_star', ''),
      type: a.type,
      nullable: !(a.fn === 'count' || a.fn === 'count_star'),
    })),
  ];
  return { kind: 'Reduce', input, groupKey, aggregates, schema };
}

export function distinct(input: LogicalPlan): Plan<'Distinct'> {
  return { kind: 'Distinct', input, schema: input.schema };
}

export function topK(
  input: LogicalPlan,
  groupKey: number[],
  order: SortKey[],
  limit: number | null,
  offset: number,
  rankColumn = false,
  ranking: Ranking = 'row_number',
): Plan<'TopK'> {
  const schema = rankColumn ? [...input.schema, { name: ranking, type: { kind: 'int8' } as const, nullable: false }] : input.schema;
  return { kind: 'TopK', input, groupKey, order, limit, offset, rankColumn, ...(ranking !== 'row_number' ? { ranking } : {}), schema };
}

export function union(inputs: LogicalPlan[]): LogicalPlan {
  if (inputs.length === 1) return inputs[0]!;
  const schema = inputs[0]!.schema.map((c, i) => ({ ...c, nullable: inputs.some((p) => p.schema[i]!.nullable) }));
  return { kind: 'Union', inputs, schema };
}

export function negate(input: LogicalPlan): Plan<'Negate'> {
  return { kind: 'Negate', input, schema: input.schema };
}

export function threshold(input: LogicalPlan): Plan<'Threshold'> {
  return { kind: 'Threshold', input, schema: input.schema };
}

/** The input's schema with window_start and window_end of the time column's type appended. */
function withWindowColumns(input: LogicalPlan, timeColumn: number, nullable: boolean): Schema {
  const t = input.schema[timeColumn];
  if (!t) throw new Error(`window: time column #${timeColumn} out of range (width ${input.schema.length})`);
  return [...input.schema, { name: 'window_start', type: t.type, nullable }, { name: 'window_end', type: t.type, nullable }];
}

export function windowExpand(
  input: LogicalPlan,
  windowKind: WindowExpandKind,
  timeColumn: number,
  slideUs: number,
  sizeUs: number,
  offsetUs: number,
): Plan<'WindowExpand'> {
  return { kind: 'WindowExpand', input, windowKind, timeColumn, slideUs, sizeUs, offsetUs, schema: withWindowColumns(input, timeColumn, false) };
}

export function sessionWindow(input: LogicalPlan, partitionKey: number[], timeColumn: number, gapUs: number): Plan<'SessionWindow'> {
  return { kind: 'SessionWindow', input, partitionKey, timeColumn, gapUs, schema: withWindowColumns(input, timeColumn, false) };
}

/** Window functions over `input`: one column per call appended (see the logical Window). */
export function window(input: LogicalPlan, partitionKey: number[], order: SortKey[], calls: WindowCall[], names: string[] = []): Plan<'Window'> {
  const added: Column[] = calls.map((c, i) => ({ name: names[i] ?? c.fn, type: c.type, nullable: true }));
  return { kind: 'Window', input, partitionKey, order, calls, schema: [...input.schema, ...added] };
}

export function range(n: number, from = 0): number[] {
  return Array.from({ length: n }, (_, i) => i + from);
}

/** The plan's inputs, in order. */
export function children(p: LogicalPlan): LogicalPlan[] {
  switch (p.kind) {
    case 'Get':
    case 'Constant':
      return [];
    case 'Join':
      return [p.left, p.right];
    case 'Union':
      return p.inputs;
    default:
      return [p.input];
  }
}
