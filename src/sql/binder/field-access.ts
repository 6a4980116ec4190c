/**
 * Indirection on a value (libpg-query's `A_Indirection`): `(s).field` on a record — a STRUCT
 * column of a source, `(f(x)).n` — `(s).*` in a select list, and array subscripts `a[i]`,
 * chained in any order (`(s).tags[1]`, `(a[1]).x`).
 *
 * A field is found by name, exactly first, else case-insensitively (RisingWave folds struct
 * field names); its value is the internal function `record_field(s, index)` (0-based, see
 * plan/functions/internal.ts), so a NULL record gives a NULL field. `(s).*` in a select list
 * expands to one column per field, named after it; elsewhere it is 0A000, as in Postgres.
 * Flink's `person.id` (no parentheses) is read so when no relation `person` is in scope.
 */
import type { A_Indirection, Node } from '@pgsql/types';
import { recordField } from '../../plan/functions/internal.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { SqlState } from '../../types/sql-error.js';
import { typeName, type SqlType } from '../../types/sql-type.js';
import { sqlError } from './bind-context.js';
import { coerce } from './coerce.js';
import { bindExpr, nodeLocation } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { resolveCall } from './overload.js';
import { resolveColumn } from './scope.js';

const INT4: SqlType = { kind: 'int4' };

/** Binds `arg` followed by its indirection steps; `(s).*` is not allowed here. */
export function bindIndirection(env: ExprEnv, node: A_Indirection): ScalarExpr {
  const steps = node.indirection ?? [];
  if (steps.some((s) => 'A_Star' in s)) {
    throw sqlError(SqlState.featureNotSupported, 'row expansion via "*" is not supported here', nodeLocation(node.arg));
  }
  return applySteps(env, node, steps);
}

/**
 * `(s).*` as a select-list item: one target per field of the record `s`. Undefined when the
 * item is not of that form.
 */
export function expandFieldStar(env: ExprEnv, node: Node): { name: string; expr: ScalarExpr }[] | undefined {
  if (!('A_Indirection' in node)) return undefined;
  const steps = node.A_Indirection.indirection ?? [];
  if (steps.length === 0 || !('A_Star' in steps[steps.length - 1]!)) return undefined;
  const prefix = steps.slice(0, -1);
  if (prefix.some((s) => 'A_Star' in s)) {
    throw sqlError(SqlState.featureNotSupported, 'row expansion via "*" is not supported here', nodeLocation(node.A_Indirection.arg));
  }
  const record = applySteps(env, node.A_Indirection, prefix);
  if (record.type.kind !== 'record' || record.type.fields.length === 0) {
    throw sqlError(SqlState.wrongObjectType, `type ${typeName(record.type)} is not composite`, nodeLocation(node.A_Indirection.arg));
  }
  return record.type.fields.map((f, i) => ({ name: f.name, expr: fieldCall(record, i, f.type) }));
}

/**
 * Flink's field access without parentheses: `person.id` where `person` is no relation in scope
 * but a record column (`(person).id`), and `t.person.id`. Called when Postgres's reading of
 * the dotted name (table.column) found no such table; undefined when this reading fails too.
 */
export function bindDottedField(env: ExprEnv, names: string[], location: number): ScalarExpr | undefined {
  const [table, column, fields] = names.length === 2 ? [undefined, names[0]!, names.slice(1)] : [names[0]!, names[1]!, names.slice(2)];
  let e: ScalarExpr;
  try {
    e = resolveColumn(env.scope, table, column, location);
  } catch {
    return undefined;
  }
  if (e.type.kind !== 'record') return undefined;
  for (const f of fields) e = field(e, f, location);
  return e;
}

/** Postgres's FigureColname for an indirection: its last field name, else the name of what it indexes. */
export function indirectionName(node: A_Indirection): string | undefined {
  const steps = node.indirection ?? [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if ('String' in s) return s.String.sval;
  }
  return undefined;
}

function applySteps(env: ExprEnv, node: A_Indirection, steps: Node[]): ScalarExpr {
  const location = nodeLocation(node.arg);
  let e = bindExpr(env, node.arg!);
  for (const step of steps) {
    if ('String' in step) e = field(e, step.String.sval ?? '', location);
    else if ('A_Indices' in step) e = subscript(env, e, step.A_Indices, location);
    else throw sqlError(SqlState.featureNotSupported, `indirection ${Object.keys(step)[0]} is not supported`, location);
  }
  return e;
}

function field(e: ScalarExpr, name: string, location: number | undefined): ScalarExpr {
  const t = e.type;
  if (t.kind !== 'record') {
    throw sqlError(SqlState.wrongObjectType, `column notation .${name} applied to type ${typeName(t)}, which is not a composite type`, location);
  }
  let index = t.fields.findIndex((f) => f.name === name);
  if (index < 0) {
    const lower = name.toLowerCase();
    const hits = t.fields.flatMap((f, i) => (f.name.toLowerCase() === lower ? [i] : []));
    if (hits.length > 1) throw sqlError(SqlState.ambiguousColumn, `field name "${name}" is ambiguous`, location);
    index = hits[0] ?? -1;
  }
  if (index < 0) throw sqlError(SqlState.undefinedColumn, `could not identify column "${name}" in record data type`, location);
  return fieldCall(e, index, t.fields[index]!.type);
}

function fieldCall(record: ScalarExpr, index: number, type: SqlType): ScalarExpr {
  return { kind: 'Call', fn: recordField(type).id, args: [record, { kind: 'Literal', value: index, type: INT4 }], type };
}

/** `a[i]`: 1-based, out of range gives NULL (array_subscript). Slices are not supported. */
function subscript(env: ExprEnv, e: ScalarExpr, indices: { is_slice?: boolean; lidx?: Node; uidx?: Node }, location: number | undefined): ScalarExpr {
  if (e.type.kind !== 'array') {
    throw sqlError(SqlState.datatypeMismatch, `cannot subscript type ${typeName(e.type)} because it does not support subscripting`, location);
  }
  if (indices.is_slice || !indices.uidx) throw sqlError(SqlState.featureNotSupported, 'array slices are not supported', location);
  const index = coerce(env.ctx, bindExpr(env, indices.uidx), INT4, 'implicit', nodeLocation(indices.uidx));
  const r = resolveCall(env.ctx, 'array_subscript', [e, index], location);
  return { kind: 'Call', fn: r.fn, args: r.args, type: r.type };
}
