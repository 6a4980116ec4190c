/**
 * The names of the aggregate and window functions, shared by the plan (which the binder builds)
 * and the dataflow (which evaluates them): both layers sit above types/ and may not import each
 * other, so the one list lives here.
 */

/** The aggregates that are also window functions (computed over a frame). */
export type FrameAggregateName = 'count_star' | 'count' | 'sum' | 'avg' | 'min' | 'max' | 'bool_and' | 'bool_or';

/** An aggregate function; count(*) is `count_star`. */
export type AggregateName = FrameAggregateName | 'string_agg' | 'array_agg' | 'jsonb_agg' | 'approx_percentile' | 'first_value' | 'last_value';

/** A window function: the ranking and value functions, and the aggregates computed over a frame. */
export type WindowFnName = 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' | 'ntile' | 'lag' | 'lead' | 'first_value' | 'last_value' | 'nth_value' | FrameAggregateName;
