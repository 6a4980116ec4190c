// The incrementality oracle (STYLE 16): random insert/delete ticks into two small tables; after
// every tick, each dataflow's integrated output must equal the same query run from scratch by
// Postgres (PGlite) on the integrated tables, compared as sorted multisets of row texts. The
// persistent runs also rebuild the dataflow from its stored state at random ticks.
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildDataflow, type Dataflow } from '../../src/render/build-dataflow.js';
import * as P from '../../src/plan/plan-builders.js';
import type { AggregateExpr, LogicalPlan } from '../../src/plan/logical-plan.js';
import type { ScalarExpr } from '../../src/plan/scalar-expr.js';
import { MemoryKvStore } from '../../src/storage/memory-kv-store.js';
import type { KvOp } from '../../src/storage/kv-store.js';
import type { Datum, Row } from '../../src/types/datum.js';
import { T, type SqlType } from '../../src/types/sql-type.js';
import { rowKey } from '../../src/types/row-key.js';
import type { Change } from '../../src/dataflow/zset.js';

const int4 = T.int4;
const schema = (names: string[]) => names.map((name) => ({ name, type: int4 as SqlType, nullable: true }));
const A = P.get('ta', 'a', schema(['k', 'v']));
const B = P.get('tb', 'b', schema(['k', 'w']));
const c = (i: number): ScalarExpr => ({ kind: 'Column', index: i, type: int4 });
const call = (fn: string, a: ScalarExpr, b: ScalarExpr): ScalarExpr => ({ kind: 'Call', fn, args: [a, b], type: T.bool });
const and = (...args: ScalarExpr[]): ScalarExpr => ({ kind: 'And', args, type: T.bool });
const TRUE: ScalarExpr = { kind: 'Literal', value: true, type: T.bool };
const isNull = (e: ScalarExpr): ScalarExpr => ({ kind: 'IsNull', arg: e, type: T.bool });
/** The binder's decorrelation form of `l IS NOT DISTINCT FROM r`: a null-safe join key. */
const nullSafeEq = (l: ScalarExpr, r: ScalarExpr): ScalarExpr => ({ kind: 'Or', args: [call('int4_eq', l, r), and(isNull(l), isNull(r))], type: T.bool });
const agg = (fn: AggregateExpr['fn'], arg: ScalarExpr | null, type: SqlType, distinct = false): AggregateExpr => ({
  fn,
  args: arg ? [arg] : [],
  distinct,
  type,
});

const QUERIES: [name: string, plan: LogicalPlan, sql: string][] = [
  ['inner join', P.join('inner', A, B, call('int4_eq', c(0), c(2))), 'SELECT a.k, a.v, b.k, b.w FROM a JOIN b ON a.k = b.k'],
  ['left join + residual', P.join('left', A, B, and(call('int4_eq', c(0), c(2)), call('int4_lt', c(1), c(3)))), 'SELECT a.k, a.v, b.k, b.w FROM a LEFT JOIN b ON a.k = b.k AND a.v < b.w'],
  ['right join', P.join('right', A, B, call('int4_eq', c(0), c(2))), 'SELECT a.k, a.v, b.k, b.w FROM a RIGHT JOIN b ON a.k = b.k'],
  ['full join + residual', P.join('full', A, B, and(call('int4_eq', c(0), c(2)), call('int4_lt', c(1), c(3)))), 'SELECT a.k, a.v, b.k, b.w FROM a FULL JOIN b ON a.k = b.k AND a.v < b.w'],
  ['null-safe left join', P.join('left', A, B, nullSafeEq(c(0), c(2))), 'SELECT a.k, a.v, b.k, b.w FROM a LEFT JOIN b ON a.k IS NOT DISTINCT FROM b.k'],
  [
    'full join: null-safe key + plain key',
    P.join('full', A, B, and(nullSafeEq(c(0), c(2)), call('int4_eq', c(1), c(3)))),
    'SELECT a.k, a.v, b.k, b.w FROM a FULL JOIN b ON a.k IS NOT DISTINCT FROM b.k AND a.v = b.w',
  ],
  ['cross join + residual', P.join('inner', A, B, call('int4_lt', c(1), c(3))), 'SELECT a.k, a.v, b.k, b.w FROM a JOIN b ON a.v < b.w'],
  ['full cross join', P.join('full', A, B, TRUE), 'SELECT a.k, a.v, b.k, b.w FROM a FULL JOIN b ON true'],
  [
    'group by',
    P.reduce(A, [0], [agg('count_star', null, T.int8), agg('count', c(1), T.int8), agg('sum', c(1), T.int8), agg('min', c(1), int4), agg('max', c(1), int4), agg('count', c(1), T.int8, true)]),
    'SELECT k, count(*), count(v), sum(v), min(v), max(v), count(DISTINCT v) FROM a GROUP BY k',
  ],
  [
    'global aggregate',
    P.reduce(A, [], [agg('count_star', null, T.int8), agg('sum', c(1), T.int8), agg('min', c(1), int4), agg('max', c(1), int4), agg('avg', c(1), T.numeric)]),
    'SELECT count(*), sum(v), min(v), max(v), avg(v) FROM a',
  ],
  ['distinct', P.distinct(P.project(A, [0])), 'SELECT DISTINCT k FROM a'],
  [
    'top-k per group',
    P.topK(A, [0], [{ expr: c(1), desc: true, nullsFirst: true }], 2, 0),
    'SELECT k, v FROM (SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v DESC) AS rn FROM a) s WHERE rn <= 2',
  ],
  [
    'top-k with offset and row_number',
    P.topK(A, [], [{ expr: c(0), desc: false, nullsFirst: false }, { expr: c(1), desc: false, nullsFirst: false }], 3, 1, true),
    'SELECT k, v, rn FROM (SELECT k, v, row_number() OVER (ORDER BY k, v) AS rn FROM a) s WHERE rn > 1 AND rn <= 4',
  ],
  [
    'aggregate over a join',
    P.reduce(P.join('inner', A, B, call('int4_eq', c(0), c(2))), [0], [agg('count_star', null, T.int8), agg('sum', c(3), T.int8)]),
    'SELECT a.k, count(*), sum(b.w) FROM a JOIN b ON a.k = b.k GROUP BY a.k',
  ],
  ['except all', P.threshold(P.union([P.project(A, [0]), P.negate(P.project(B, [0]))])), 'SELECT k FROM a EXCEPT ALL SELECT k FROM b'],
  [
    'filter + map',
    P.project(P.map(P.filter(A, [call('int4_lt', c(0), c(1))]), [{ kind: 'Call', fn: 'int4_add', args: [c(0), c(1)], type: int4 }]), [2, 0]),
    'SELECT k + v, k FROM a WHERE k < v',
  ],
];

function text(d: Datum): string {
  return d === null ? '' : String(d);
}
const rowText = (r: Row) => '(' + r.map(text).join(',') + ')';

type Op = { table: 'a' | 'b'; insert: boolean; k: number | null; v: number; pick: number };
const opArb: fc.Arbitrary<Op> = fc.record({
  table: fc.constantFrom('a' as const, 'b' as const),
  insert: fc.boolean(),
  k: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 6 }),
  v: fc.integer({ min: 0, max: 6 }),
  pick: fc.nat(),
});
const ticksArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 });

let pg: PGlite;
beforeAll(async () => {
  pg = new PGlite();
  await pg.exec('CREATE TABLE a (k int4, v int4); CREATE TABLE b (k int4, w int4);');
});
afterAll(async () => {
  await pg.close();
});

async function expected(sql: string): Promise<string[]> {
  const res = await pg.query<{ r: string }>(`SELECT ROW(q.*)::text AS r FROM (${sql}) q`);
  return res.rows.map((x) => x.r).sort();
}

const evalContext = () => ({ now: 0, timeZone: 'UTC' });

async function check(persistent: boolean, ticks: Op[][], restarts: boolean[]): Promise<void> {
  await pg.exec('TRUNCATE a; TRUNCATE b;');
  const tables: Record<'a' | 'b', Row[]> = { a: [], b: [] };
  const store = new MemoryKvStore();
  const build = (i: number): Dataflow => buildDataflow(QUERIES[i]![1], { id: `q${i}`, state: persistent ? store : null, evalContext });
  const flows = QUERIES.map((_, i) => build(i));
  const integrated = QUERIES.map(() => new Map<string, [Row, number]>());
  for (let t = 0; t < ticks.length; t++) {
    const inputs = new Map<string, Change[]>([
      ['ta', []],
      ['tb', []],
    ]);
    for (const op of ticks[t]!) {
      const rows = tables[op.table];
      const changes = inputs.get(op.table === 'a' ? 'ta' : 'tb')!;
      if (op.insert || rows.length === 0) {
        const row = [op.k, op.v];
        rows.push(row);
        changes.push([row, 1]);
        await pg.query(`INSERT INTO ${op.table} VALUES ($1, $2)`, row);
      } else {
        const [row] = rows.splice(op.pick % rows.length, 1);
        changes.push([row!, -1]);
        await pg.query(`DELETE FROM ${op.table} WHERE ctid = (SELECT ctid FROM ${op.table} WHERE k IS NOT DISTINCT FROM $1 AND ${op.table === 'a' ? 'v' : 'w'} = $2 LIMIT 1)`, row);
      }
    }
    const ops: KvOp[] = [];
    for (let q = 0; q < QUERIES.length; q++) {
      const out = await flows[q]!.step(inputs, ops);
      expect(out.errs).toEqual([]);
      const m = integrated[q]!;
      for (const [row, diff] of out.oks) {
        const k = rowKey(row);
        const e = m.get(k);
        if (e) {
          e[1] += diff;
          if (e[1] === 0) m.delete(k);
        } else m.set(k, [row, diff]);
      }
      const actual: string[] = [];
      for (const [row, diff] of m.values()) {
        expect(diff, `${QUERIES[q]![0]}: negative multiplicity`).toBeGreaterThan(0);
        for (let i = 0; i < diff; i++) actual.push(rowText(row));
      }
      expect(actual.sort(), `${QUERIES[q]![0]} after tick ${t}`).toEqual(await expected(QUERIES[q]![2]));
    }
    if (persistent) {
      await store.write(ops);
      if (restarts[t]) for (let q = 0; q < QUERIES.length; q++) flows[q] = build(q);
    } else expect(ops).toEqual([]);
  }
}

describe('dataflow vs PGlite', () => {
  test('memory-only dataflows', async () => {
    await fc.assert(fc.asyncProperty(ticksArb, async (ticks) => check(false, ticks, [])), { numRuns: 50, seed: 42 });
  });
  test('persistent dataflows, rebuilt from state at random ticks', async () => {
    await fc.assert(
      fc.asyncProperty(ticksArb, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), async (ticks, restarts) => check(true, ticks, restarts)),
      { numRuns: 50, seed: 7 },
    );
  });
});
