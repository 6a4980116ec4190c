/**
 * One-shot SELECTs evaluated in one step (WEIR_ONESHOT_WHOLE=1, as before) or in cancellable slices
 * (src/adapter/statements/one-shot.ts): medians per query shape, A/B alternating in one session.
 *
 *   npx tsx bench/e2e/one-shot-slices.ts
 */
import pg from 'pg';
import { startTestServer } from '../../test/harness/weir-server.js';
const server = await startTestServer();
const c = new pg.Client({ connectionString: server.url });
await c.connect();
await c.query('CREATE TABLE s (id int PRIMARY KEY)');
await c.query(`INSERT INTO s SELECT generate_series(0, 119)`);
await c.query('CREATE TABLE big (id int PRIMARY KEY, g int, v int)');
for (let k = 0; k < 20; k++) await c.query(`INSERT INTO big SELECT x, x % 100, x % 7 FROM (SELECT generate_series(${k * 10000}, ${k * 10000 + 9999}) AS x) q`);
await c.query('CREATE TABLE small (id int PRIMARY KEY, v text)');
await c.query(`INSERT INTO small VALUES (1,'a'),(2,'b'),(3,'c')`);
const qs: [string, string, number][] = [
  ['3-way cross join count (1.7M)', 'SELECT count(*) FROM s a, s b, s c', 5],
  ['group by over 200k rows', 'SELECT g, count(*), sum(v) FROM big GROUP BY g', 5],
  ['count(*) over 200k rows', 'SELECT count(*) FROM big', 5],
  ['join 200k x 120', 'SELECT count(*) FROM big JOIN s ON big.v = s.id', 5],
  ['string_agg over 200k rows', "SELECT length(string_agg(v::text, ',')) FROM big", 3],
  ['array_agg + count(DISTINCT) over 200k rows', 'SELECT cardinality(array_agg(id)), count(DISTINCT g) FROM big', 3],
  ['min / max over 200k rows', 'SELECT min(id), max(v) FROM big', 3],
  ['ORDER BY … LIMIT 10 over 200k rows', 'SELECT id FROM big ORDER BY v DESC, id LIMIT 10', 3],
  ['small group by (3 rows)', 'SELECT v, count(*) FROM small GROUP BY v', 300],
  ['small self join (3 rows)', 'SELECT a.v FROM small a JOIN small b ON a.id = b.id', 300],
];
// A and B alternate within one process, query by query, so that the machine's load (it is
// shared) falls on both alike.
for (const [name, q, n] of qs) {
  const times: Record<string, number[]> = { whole: [], sliced: [] };
  for (let i = 0; i < n; i++) {
    for (const mode of i % 2 === 0 ? ['whole', 'sliced'] : ['sliced', 'whole']) {
      if (mode === 'whole') process.env.WEIR_ONESHOT_WHOLE = '1';
      else delete process.env.WEIR_ONESHOT_WHOLE;
      const t0 = performance.now();
      await c.query(q);
      times[mode]!.push(performance.now() - t0);
    }
  }
  const median = (xs: number[]): string => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(2);
  console.log(`${name}\twhole ${median(times.whole!)} ms\tsliced ${median(times.sliced!)} ms\t(n=${n} each)`);
}
await c.end();
await server.close();
