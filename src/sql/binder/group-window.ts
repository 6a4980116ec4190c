/**
 * Flink's group-window spelling: a window call among the GROUP BY items, and calls naming
 * its bounds in the select list, HAVING and ORDER BY (Nexmark q11):
 *
 *   SELECT bidder, count(*), SESSION_START(ts, INTERVAL '10' SECOND), SESSION_END(ts, INTERVAL '10' SECOND)
 *   FROM bid GROUP BY bidder, SESSION(ts, INTERVAL '10' SECOND)
 *
 *   GROUP BY TUMBLE(ts, size [, offset])          TUMBLE_START / TUMBLE_END / TUMBLE_ROWTIME
 *   GROUP BY HOP(ts, slide, size [, offset])      HOP_START / HOP_END / HOP_ROWTIME
 *   GROUP BY SESSION(ts, gap)                     SESSION_START / SESSION_END / SESSION_ROWTIME
 *
 * The FROM plan gets the window (window-plan.ts: window_start and window_end appended; for
 * SESSION the other GROUP BY items are the partition key), and the group key becomes the other
 * items plus window_start and window_end. `*_START` is window_start, `*_END` window_end and
 * `*_ROWTIME` window_end - 1 µs (the last instant inside the window; Flink's is 1 ms before
 * the end at its millisecond precision). Those calls must repeat the window call's arguments.
 *
 * Limits: one window call per GROUP BY; with SESSION, the other GROUP BY items are bound as
 * expressions over FROM (not as output positions or aliases).
 */
import type { FuncCall, Node } from '@pgsql/types';
import { Interval } from '../../types/datum.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { scalarKey } from '../../plan/scalar-util.js';
import { SqlState } from '../../types/sql-error.js';
import { T } from '../../types/sql-type.js';
import { sqlError } from './bind-context.js';
import { bindExpr, nodeLocation } from './expr.js';
import { funcName } from './expr-call.js';
import type { ExprEnv } from './expr-env.js';
import { bindWindowParams, checkTimeColumn, windowPlan, windowSignature, type WindowParams } from './window-plan.js';

type GroupWindowFn = 'tumble' | 'hop' | 'session';

/** The window of a grouped query, for the calls that name its bounds. */
export interface GroupWindow {
  fn: GroupWindowFn;
  /** The time expression and the parameters, which `*_START(…)` and the like must repeat. */
  key: string;
  /** window_start and window_end, columns of the windowed FROM plan. */
  start: ScalarExpr;
  end: ScalarExpr;
}

const GROUP_WINDOWS = new Set(['tumble', 'hop', 'session']);

function windowCall(n: Node): FuncCall | undefined {
  if (!('FuncCall' in n)) return undefined;
  const name = funcName(n.FuncCall);
  return GROUP_WINDOWS.has(name) || name === 'cumulate' ? n.FuncCall : undefined;
}

/**
 * When a GROUP BY item is a window call: puts the window on `env.rel.plan` and returns the
 * other items, the extra group keys (window_start, window_end) and the window. `domainWidth`
 * leading columns (a decorrelation domain) also partition a SESSION.
 */
export function bindGroupWindow(
  env: ExprEnv,
  items: Node[],
  domainWidth: number,
): { rest: Node[]; keys: ScalarExpr[]; window: GroupWindow } | undefined {
  const at = items.findIndex((n) => windowCall(n) !== undefined);
  if (at < 0) return undefined;
  const f = windowCall(items[at]!)!;
  const fn = funcName(f);
  const loc = f.location;
  if (fn === 'cumulate') {
    throw sqlError(SqlState.featureNotSupported, 'CUMULATE is not supported in GROUP BY', loc, { hint: `Use ${windowSignature('cumulate', 'from')} in FROM and GROUP BY window_start, window_end.` });
  }
  const rest = items.filter((_, i) => i !== at);
  const second = rest.find((n) => windowCall(n) !== undefined);
  if (second) throw sqlError(SqlState.featureNotSupported, 'only one group window is supported in GROUP BY', nodeLocation(second));
  const wfn = fn as GroupWindowFn;
  const keyEnv: ExprEnv = { ...env, clause: 'GROUP BY', subqueries: 'forbid', aggs: undefined };
  const { time, params } = bindWindowCall(keyEnv, wfn, f);
  const partition: ScalarExpr[] = [];
  if (wfn === 'session') {
    for (let i = 0; i < domainWidth; i++) partition.push({ kind: 'Column', index: i, type: env.rel.plan.schema[i]!.type });
    for (const n of rest) {
      if ('A_Const' in n) throw sqlError(SqlState.featureNotSupported, 'GROUP BY positions are not supported together with SESSION', nodeLocation(n));
      partition.push(bindExpr(keyEnv, n));
    }
  }
  const { plan, start } = windowPlan(env.rel.plan, time, params, partition);
  env.rel.plan = plan;
  const startCol: ScalarExpr = { kind: 'Column', index: start, type: time.type, name: 'window_start' };
  const endCol: ScalarExpr = { kind: 'Column', index: start + 1, type: time.type, name: 'window_end' };
  return { rest, keys: [startCol, endCol], window: { fn: wfn, key: windowKey(time, params), start: startCol, end: endCol } };
}

const BOUND_CALL = /^(tumble|hop|session)_(start|end|rowtime)$/;

/**
 * `TUMBLE_START(…)`, `SESSION_END(…)`, `HOP_ROWTIME(…)` and the like: the bound of the query's
 * group window. Undefined for other names, and for `tumble_start` outside a group window (then
 * it is the scalar function of plan/functions/window-functions.ts).
 */
export function bindGroupWindowCall(env: ExprEnv, name: string, f: FuncCall): ScalarExpr | undefined {
  const m = BOUND_CALL.exec(name);
  if (!m) return undefined;
  const fn = m[1] as GroupWindowFn;
  const what = m[2] as 'start' | 'end' | 'rowtime';
  const gw = env.groupWindow;
  const shown = name.toUpperCase();
  if (!gw) {
    if (name === 'tumble_start') return undefined;
    throw sqlError(SqlState.groupingError, `${shown} is only allowed in a query grouped by ${fn.toUpperCase()}(…)`, f.location);
  }
  if (gw.fn !== fn) {
    throw sqlError(SqlState.groupingError, `${shown} does not match the group window ${gw.fn.toUpperCase()}(…) of GROUP BY`, f.location);
  }
  const argEnv: ExprEnv = { ...env, aggs: undefined, subqueries: 'forbid' };
  const { time, params } = bindWindowCall(argEnv, fn, f);
  if (windowKey(time, params) !== gw.key) {
    throw sqlError(SqlState.groupingError, `the arguments of ${shown} must be those of ${fn.toUpperCase()}(…) in GROUP BY`, f.location);
  }
  if (what === 'start') return gw.start;
  if (what === 'end') return gw.end;
  const oneMicro: ScalarExpr = { kind: 'Literal', value: new Interval(0, 0, 1), type: T.interval };
  const sub = gw.end.type.kind === 'timestamptz' ? 'timestamptz_sub_interval' : 'timestamp_sub_interval';
  return { kind: 'Call', fn: sub, args: [gw.end, oneMicro], type: gw.end.type };
}

function bindWindowCall(env: ExprEnv, fn: GroupWindowFn, f: FuncCall): { time: ScalarExpr; params: WindowParams } {
  const args = f.args ?? [];
  if (args.length < 2) throw sqlError(SqlState.undefinedFunction, `wrong number of arguments to ${fn.toUpperCase()}`, f.location, { hint: `The call is ${windowSignature(fn, 'group by')}.` });
  const time = bindExpr(env, args[0]!);
  checkTimeColumn(fn, time, nodeLocation(args[0]));
  return { time, params: bindWindowParams(env, fn, args.slice(1), 'group by', f.location).params };
}

function windowKey(time: ScalarExpr, params: WindowParams): string {
  return `${scalarKey(time)} ${JSON.stringify(params)}`;
}
