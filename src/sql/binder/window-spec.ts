/**
 * The OVER clause of a window function: a named window (`OVER w`, `OVER (w ORDER BY …)`,
 * resolved against the query's WINDOW clause with Postgres's copy rules) and the frame clause
 * (the parser's frameOptions bits) as a WindowFrame. ROWS frames take constant row counts;
 * RANGE frames constant offsets of the single ORDER BY key's value; GROUPS frames constant
 * counts of peer groups; EXCLUDE CURRENT ROW / GROUP / TIES.
 */
import type { Node, SortBy, WindowDef } from '@pgsql/types';
import type { SortKey } from '../../plan/logical-plan.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { DEFAULT_FRAME, type FrameBound, type WindowFrame } from '../../plan/window-call.js';
import { intervalSpan } from '../../types/compare.js';
import { Interval } from '../../types/datum.js';
import { Numeric } from '../../types/numeric.js';
import { typeName } from '../../types/sql-type.js';
import { foldScalar } from '../../plan/rules/constant-fold.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError } from './bind-context.js';
import { coerce } from './coerce.js';
import { bindExpr, nodeLocation } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { Scope } from './scope.js';

/** The parser's FRAMEOPTION_* bits (Postgres's parsenodes.h). */
const F = {
  nondefault: 0x1,
  range: 0x2,
  rows: 0x4,
  groups: 0x8,
  startUnboundedPreceding: 0x20,
  endUnboundedPreceding: 0x40,
  startUnboundedFollowing: 0x80,
  endUnboundedFollowing: 0x100,
  startCurrentRow: 0x200,
  endCurrentRow: 0x400,
  startOffsetPreceding: 0x800,
  endOffsetPreceding: 0x1000,
  startOffsetFollowing: 0x2000,
  endOffsetFollowing: 0x4000,
  excludeCurrentRow: 0x8000,
  excludeGroup: 0x10000,
  excludeTies: 0x20000,
};

/** A window definition with any reference to a named window resolved (`name` / `refname` gone). */
export function resolveWindow(spec: WindowDef, named: Node[] | undefined, location: number | undefined): WindowDef {
  const ref = spec.refname ?? (isBareName(spec) ? spec.name : undefined);
  if (ref === undefined) return spec;
  const found = (named ?? []).map((n) => (n as { WindowDef: WindowDef }).WindowDef).find((w) => w.name === ref);
  if (!found) throw sqlError(SqlState.undefinedObject, `window "${ref}" does not exist`, location);
  const base = resolveWindow({ ...found, name: undefined }, named, location);
  if (spec.refname === undefined) return base; // OVER w: the named window as it is
  if (spec.partitionClause?.length) throw sqlError(SqlState.windowingError, `cannot override PARTITION BY clause of window "${ref}"`, location);
  if (spec.orderClause?.length && base.orderClause?.length) throw sqlError(SqlState.windowingError, `cannot override ORDER BY clause of window "${ref}"`, location);
  if (((base.frameOptions ?? 0) & F.nondefault) !== 0) throw sqlError(SqlState.windowingError, `cannot copy window "${ref}" because it has a frame clause`, location);
  return { ...spec, refname: undefined, partitionClause: base.partitionClause, orderClause: spec.orderClause?.length ? spec.orderClause : base.orderClause };
}

/** `OVER w` parses as a definition carrying only the name. */
function isBareName(spec: WindowDef): boolean {
  return spec.name !== undefined && !spec.partitionClause?.length && !spec.orderClause?.length && ((spec.frameOptions ?? 0) & F.nondefault) === 0;
}

const FAMILY: Record<string, string> = { int2: 'int', int4: 'int', int8: 'int', numeric: 'numeric', float4: 'float', float8: 'float', timestamp: 'timestamp', timestamptz: 'timestamptz', interval: 'interval' };

/**
 * A RANGE offset bound: `key - offset` or `key + offset` (by the bound and the ORDER BY
 * direction) over the window's input, Postgres's in_range for integer, numeric, float,
 * timestamp, timestamptz and interval keys with an offset of the same family (interval for times).
 */
function rangeBoundValue(env: ExprEnv, spec: WindowDef, order: SortKey[], node: Node, preceding: boolean, which: string, location: number | undefined): ScalarExpr {
  if (order.length !== 1) throw sqlError(SqlState.windowingError, 'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column', location);
  const loc = nodeLocation(node) ?? location;
  const constEnv: ExprEnv = { ...env, scope: new Scope([]), clause: 'window frame', subqueries: 'forbid', aggs: undefined };
  const offset = foldScalar(bindExpr(constEnv, node));
  if (offset.kind !== 'Literal') throw sqlError(SqlState.featureNotSupported, `the frame ${which} offset must be a constant`, loc);
  const v = offset.value;
  if (v === null) throw sqlError(SqlState.nullValueNotAllowed, `frame ${which} offset must not be null`, loc);
  const negative = typeof v === 'number' ? v < 0 : typeof v === 'bigint' ? v < 0n : v instanceof Numeric ? v.sign() < 0 : v instanceof Interval ? intervalSpan(v) < 0n : false;
  if (negative) throw sqlError(SqlState.invalidPrecedingOrFollowingSize, 'invalid preceding or following size in window function', loc);
  const key = order[0]!;
  const sortNode = (spec.orderClause![0]! as { SortBy: SortBy }).SortBy.node!;
  const op = preceding !== key.desc ? '-' : '+';
  const unsupported = () =>
    sqlError(SqlState.featureNotSupported, `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${typeName(key.expr.type)} and offset type ${typeName(offset.type)}`, loc);
  const family = FAMILY[key.expr.type.kind];
  // A numeric offset of a float key (or an integer one of a numeric key) is coerced, as Postgres picks in_range(float8, float8).
  const widen = (family === 'float' && (FAMILY[offset.type.kind] === 'numeric' || FAMILY[offset.type.kind] === 'int')) || (family === 'numeric' && FAMILY[offset.type.kind] === 'int');
  const rexpr: Node = widen ? { TypeCast: { arg: node, typeName: { names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: family === 'float' ? 'float8' : 'numeric' } }], typemod: -1 }, location: loc } } : node;
  const offsetFamily = widen ? family : FAMILY[offset.type.kind];
  let value: ScalarExpr;
  try {
    value = bindExpr(env, { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: op } }], lexpr: sortNode, rexpr, location: loc } });
  } catch {
    throw unsupported();
  }
  const offsetOk = family === 'timestamp' || family === 'timestamptz' ? offset.type.kind === 'interval' : offsetFamily === family || offset.type.kind === 'unknown';
  if (family === undefined || FAMILY[value.type.kind] !== family || !offsetOk) throw unsupported();
  return value;
}

/**
 * The frame clause. `order` (the window's bound ORDER BY) and `env` (over the window's input)
 * are for RANGE offset bounds.
 */
export function bindFrame(env: ExprEnv, spec: WindowDef, location: number | undefined, order: SortKey[] = []): WindowFrame {
  const o = spec.frameOptions ?? 0;
  if ((o & F.nondefault) === 0) return DEFAULT_FRAME;
  const mode = o & F.rows ? 'rows' : o & F.groups ? 'groups' : 'range';
  if (mode === 'groups' && order.length === 0) throw sqlError(SqlState.windowingError, 'GROUPS mode requires an ORDER BY clause', location);
  const offsetBound = (kind: 'preceding' | 'following', node: Node | undefined, which: string): FrameBound => {
    if (mode === 'range') return { kind, offset: 0, value: rangeBoundValue(env, spec, order, node!, kind === 'preceding', which, location) };
    return { kind, offset: offset(node, which) };
  };
  const offset = (node: Node | undefined, which: string): number => {
    const loc = nodeLocation(node) ?? location;
    const constEnv: ExprEnv = { ...env, scope: new Scope([]), clause: 'window frame', subqueries: 'forbid', aggs: undefined };
    const e = foldScalar(coerce(env.ctx, bindExpr(constEnv, node!), { kind: 'int8' }, 'implicit', loc));
    if (e.kind !== 'Literal') throw sqlError(SqlState.featureNotSupported, `the frame ${which} offset must be a constant`, loc);
    if (e.value === null) throw sqlError(SqlState.nullValueNotAllowed, `frame ${which} offset must not be null`, loc);
    const n = Number(e.value as bigint);
    if (n < 0) throw sqlError(SqlState.invalidPrecedingOrFollowingSize, `frame ${which} offset must not be negative`, loc);
    return n;
  };
  let start: FrameBound;
  if (o & F.startUnboundedPreceding) start = { kind: 'unbounded_preceding' };
  else if (o & F.startCurrentRow) start = { kind: 'current_row' };
  else if (o & F.startOffsetPreceding) start = offsetBound('preceding', spec.startOffset, 'starting');
  else if (o & F.startOffsetFollowing) start = offsetBound('following', spec.startOffset, 'starting');
  else throw sqlError(SqlState.windowingError, 'frame start cannot be UNBOUNDED FOLLOWING', location);
  let end: FrameBound;
  if (o & F.endUnboundedFollowing) end = { kind: 'unbounded_following' };
  else if (o & F.endCurrentRow) end = { kind: 'current_row' };
  else if (o & F.endOffsetPreceding) end = offsetBound('preceding', spec.endOffset, 'ending');
  else if (o & F.endOffsetFollowing) end = offsetBound('following', spec.endOffset, 'ending');
  else if (o & F.endUnboundedPreceding) throw sqlError(SqlState.windowingError, 'frame end cannot be UNBOUNDED PRECEDING', location);
  else end = { kind: 'current_row' }; // `ROWS n PRECEDING` alone: BETWEEN n PRECEDING AND CURRENT ROW
  const exclude = o & F.excludeCurrentRow ? 'current_row' : o & F.excludeGroup ? 'group' : o & F.excludeTies ? 'ties' : undefined;
  return exclude ? { mode, start, end, exclude } : { mode, start, end };
}
