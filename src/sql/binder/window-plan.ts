/**
 * Event-time windows as plans, shared by the FROM spelling (`TUMBLE(t, ts, size)`,
 * window-tvf.ts) and the GROUP BY spelling (`GROUP BY SESSION(ts, gap)`, group-window.ts).
 * Every window appends window_start and window_end (the time column's type) to its input:
 *
 *   tumble    Map (tumble_start(ts, size, offset), window_start + size)   one window per row
 *   hop       WindowExpand hop (slide, size, offset)                       size/slide per row
 *   cumulate  WindowExpand cumulate (step, size, offset)                   up to size/step per row
 *   session   SessionWindow (partition columns, gap)                       one per row, merging
 *
 * Sizes, slides, steps, gaps and offsets are constant intervals without months, taken as
 * microseconds (a day is 24 hours); sizes must be positive and a hop's (cumulate's) size a
 * multiple of its slide (step), as in RisingWave (22023 otherwise). Windows are aligned to the
 * Unix epoch + offset, in UTC for timestamptz. A row whose time is NULL keeps NULL bounds under
 * TUMBLE (a projection, as in RisingWave) and belongs to no window under the others.
 */
import type { Node } from '@pgsql/types';
import { windowDurationMicros } from '../../plan/functions/window-functions.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import * as P from '../../plan/plan-builders.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { foldScalar } from '../../plan/rules/constant-fold.js';
import { Interval } from '../../types/datum.js';
import { formatInterval } from '../../types/interval-format.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { T, typeName } from '../../types/sql-type.js';
import { sqlError } from './bind-context.js';
import { coerce } from './coerce.js';
import { bindExpr, nodeLocation } from './expr.js';
import type { ExprEnv } from './expr-env.js';
import { Scope } from './scope.js';

export type WindowFn = 'tumble' | 'hop' | 'cumulate' | 'session';

export const WINDOW_FNS: ReadonlySet<string> = new Set<WindowFn>(['tumble', 'hop', 'cumulate', 'session']);

/** A window's constant parameters, in microseconds. */
export type WindowParams =
  | { fn: 'tumble'; sizeUs: number; offsetUs: number }
  | { fn: 'hop' | 'cumulate'; slideUs: number; sizeUs: number; offsetUs: number }
  | { fn: 'session'; gapUs: number };

/** The interval arguments each window takes after its time column: [required, optional]. */
const INTERVAL_ARGS: Record<WindowFn, [string[], string[]]> = {
  tumble: [['size'], ['offset']],
  hop: [['slide', 'size'], ['offset']],
  cumulate: [['step', 'size'], ['offset']],
  session: [['gap'], []],
};

/** The call's spelling for messages: `HOP(relation, time_column, slide, size [, offset])`. */
export function windowSignature(fn: WindowFn, form: 'from' | 'group by'): string {
  const [req, opt] = INTERVAL_ARGS[fn];
  const head = form === 'from' ? ['relation', 'time_column'] : ['time_column'];
  const tail = fn === 'session' && form === 'from' ? ' [, partition_column …]' : opt.map((o) => ` [, ${o}]`).join('');
  return `${fn.toUpperCase()}(${[...head, ...req].join(', ')}${tail})`;
}

/**
 * Binds the interval arguments of a window call (`args` starts after the time column) and
 * checks them; returns the parameters and how many arguments they used.
 */
export function bindWindowParams(env: ExprEnv, fn: WindowFn, args: Node[], form: 'from' | 'group by', location: number | undefined): { params: WindowParams; used: number } {
  const [req, opt] = INTERVAL_ARGS[fn];
  const maxUsed = fn === 'session' && form === 'from' ? req.length : req.length + opt.length;
  if (args.length < req.length || (args.length > maxUsed && !(fn === 'session' && form === 'from'))) {
    throw sqlError(SqlState.undefinedFunction, `wrong number of arguments to ${fn.toUpperCase()}`, location, { hint: `The call is ${windowSignature(fn, form)}.` });
  }
  const used = Math.min(args.length, maxUsed);
  const constEnv: ExprEnv = { ...env, scope: new Scope([]), clause: fn.toUpperCase(), subqueries: 'forbid', aggs: undefined };
  const value = (i: number, what: string, positive: boolean): number => {
    const node = args[i]!;
    const loc = nodeLocation(node);
    const e = foldScalar(coerce(env.ctx, bindExpr(constEnv, node), T.interval, 'implicit', loc));
    if (e.kind !== 'Literal' || !(e.value instanceof Interval)) {
      throw sqlError(SqlState.featureNotSupported, `the ${what} of ${fn.toUpperCase()} must be a constant interval`, loc);
    }
    try {
      return windowDurationMicros(e.value, `the ${what} of ${fn.toUpperCase()}`, positive);
    } catch (err) {
      if (err instanceof SqlError && loc !== undefined) err.position = loc + 1;
      throw err;
    }
  };
  const names = [...req, ...opt];
  const us = names.map((name, i) => (i < used ? value(i, name, name !== 'offset') : 0));
  let params: WindowParams;
  if (fn === 'tumble') params = { fn, sizeUs: us[0]!, offsetUs: us[1]! };
  else if (fn === 'session') params = { fn, gapUs: us[0]! };
  else {
    params = { fn, slideUs: us[0]!, sizeUs: us[1]!, offsetUs: us[2]! };
    if (params.sizeUs % params.slideUs !== 0) {
      const slideName = fn === 'hop' ? 'slide' : 'step';
      throw sqlError(SqlState.invalidParameterValue, `the size of ${fn.toUpperCase()} must be a multiple of its ${slideName}`, location, {
        detail: `The size is ${formatInterval(new Interval(0, 0, params.sizeUs))} and the ${slideName} ${formatInterval(new Interval(0, 0, params.slideUs))}.`,
      });
    }
  }
  return { params, used };
}

/** 42804 unless the time column is a timestamp or timestamptz. */
export function checkTimeColumn(fn: WindowFn, e: ScalarExpr, location: number | undefined): void {
  if (e.type.kind !== 'timestamp' && e.type.kind !== 'timestamptz') {
    throw sqlError(SqlState.datatypeMismatch, `the time column of ${fn.toUpperCase()} must be of type timestamp or timestamp with time zone, not ${typeName(e.type)}`, location);
  }
}

/**
 * The window over `plan`: window_start and window_end appended at `start` and `start + 1`.
 * `time` and the session's `partition` expressions are over `plan`; those that are not plain
 * columns are first appended by a Map (so `start` may exceed the plan's width).
 */
export function windowPlan(plan: LogicalPlan, time: ScalarExpr, params: WindowParams, partition: ScalarExpr[] = []): { plan: LogicalPlan; start: number } {
  if (params.fn === 'tumble') {
    const w = plan.schema.length;
    const size: ScalarExpr = { kind: 'Literal', value: new Interval(0, 0, params.sizeUs), type: T.interval };
    const offset: ScalarExpr = { kind: 'Literal', value: new Interval(0, 0, params.offsetUs), type: T.interval };
    const tz = time.type.kind === 'timestamptz';
    const windowStart: ScalarExpr = { kind: 'Call', fn: tz ? 'tumble_start_timestamptz' : 'tumble_start', args: [time, size, offset], type: time.type };
    const startCol: ScalarExpr = { kind: 'Column', index: w, type: time.type };
    const windowEnd: ScalarExpr = { kind: 'Call', fn: tz ? 'timestamptz_add_interval' : 'timestamp_add_interval', args: [startCol, size], type: time.type };
    return { plan: P.map(plan, [windowStart, windowEnd], ['window_start', 'window_end']), start: w };
  }
  const mapped: ScalarExpr[] = [];
  const w = plan.schema.length;
  const column = (e: ScalarExpr): number => (e.kind === 'Column' ? e.index : (mapped.push(e), w + mapped.length - 1));
  const timeColumn = column(time);
  const partitionKey = partition.map(column);
  const input = P.map(plan, mapped);
  const windowed =
    params.fn === 'session'
      ? P.sessionWindow(input, partitionKey, timeColumn, params.gapUs)
      : P.windowExpand(input, params.fn, timeColumn, params.slideUs, params.sizeUs, params.offsetUs);
  return { plan: windowed, start: input.schema.length };
}
