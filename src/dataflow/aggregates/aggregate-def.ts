/**
 * From an aggregate's name, its argument type and its reduce kind (decided by the plan) to the
 * runtime pieces the Reduce operator uses. The mapping of input type to accumulator is where
 * Postgres's result types live (sum(int4) → int8, sum(int8) → numeric, avg(int) → numeric…).
 */
import type { SqlType } from '../../types/sql-type.js';
import { SqlError, SqlState } from '../../types/sql-error.js';
import { factoryOf, type AccumulatorFactory } from './accumulator.js';
import { BoolAgg, Count } from './count-bool-accumulators.js';
import { FloatSum, IntSum, IntervalSum, NumericSum } from './sum-accumulators.js';
import { arrayAgg, distinctAccumulable, firstValue, jsonbAgg, percentile, stringAgg, type Finish, type OrderSpec } from './basic-aggregates.js';
import type { AggregateName } from '../../types/function-names.js';


export type AggregateDef =
  | { kind: 'accumulable'; factory: AccumulatorFactory }
  | { kind: 'hierarchical'; max: boolean }
  | { kind: 'basic'; finish: Finish };

export function accumulatorFactory(fn: AggregateName, argType: SqlType | null): AccumulatorFactory {
  const k = argType?.kind;
  switch (fn) {
    case 'count_star':
      return factoryOf((s) => new Count(true, s));
    case 'count':
      return factoryOf((s) => new Count(false, s));
    case 'bool_and':
      return factoryOf((s) => new BoolAgg(true, s));
    case 'bool_or':
      return factoryOf((s) => new BoolAgg(false, s));
    case 'sum':
      if (k === 'int2' || k === 'int4') return factoryOf((s) => new IntSum('int8', s));
      if (k === 'int8') return factoryOf((s) => new IntSum('numeric', s));
      if (k === 'numeric') return factoryOf((s) => new NumericSum(false, s));
      if (k === 'float4') return factoryOf((s) => new FloatSum('float4', s));
      if (k === 'float8') return factoryOf((s) => new FloatSum('float8', s));
      if (k === 'interval') return factoryOf((s) => new IntervalSum(s));
      break;
    case 'avg':
      if (k === 'int2' || k === 'int4' || k === 'int8') return factoryOf((s) => new IntSum('avg', s));
      if (k === 'numeric') return factoryOf((s) => new NumericSum(true, s));
      if (k === 'float4' || k === 'float8') return factoryOf((s) => new FloatSum('avg', s));
      break;
    default:
      break;
  }
  throw new SqlError(SqlState.featureNotSupported, `${fn}(${k ?? ''}) is not supported as an incremental aggregate`);
}

/**
 * The runtime definition of one aggregate. `order` indexes the tuple `[args…, orderValues…]`.
 */
export function aggregateDef(
  fn: AggregateName,
  kind: 'accumulable' | 'hierarchical' | 'basic',
  argTypes: SqlType[],
  distinct: boolean,
  order: OrderSpec[],
): AggregateDef {
  switch (kind) {
    case 'accumulable':
      return { kind, factory: accumulatorFactory(fn, argTypes[0] ?? null) };
    case 'hierarchical':
      if (fn !== 'min' && fn !== 'max') break;
      return { kind, max: fn === 'max' };
    case 'basic':
      if (fn === 'string_agg') return { kind, finish: stringAgg(distinct, order, argTypes[0]?.kind === 'bytea') };
      if (fn === 'array_agg') return { kind, finish: arrayAgg(distinct, order) };
      if (fn === 'jsonb_agg') return { kind, finish: jsonbAgg(distinct, order, argTypes[0]!) };
      if (fn === 'approx_percentile') return { kind, finish: percentile(order) };
      if (fn === 'first_value' || fn === 'last_value') return { kind, finish: firstValue(order, fn === 'last_value') };
      return { kind, finish: distinctAccumulable(accumulatorFactory(fn, argTypes[0] ?? null), fn === 'count_star') };
  }
  throw new SqlError(SqlState.internalError, `aggregate ${fn} cannot be computed as ${kind}`);
}
