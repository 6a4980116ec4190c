// Temporal filters: `WHERE ts > now() - INTERVAL …` in a materialized view keeps each row while
// the condition holds; rows leave (and, for a bound in the future, enter) as time passes,
// driven by the coordinator's clock ticks.
import { describe, expect, test } from 'vitest';
import { inProcess } from '../harness/in-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('temporal filters', () => {
  test('rows leave the view as they age, and enter when their time comes', async () => {
    const db = await inProcess();
    await db.run('CREATE TABLE events (id int, ts timestamptz)');
    await db.run("CREATE MATERIALIZED VIEW recent AS SELECT id FROM events WHERE ts > now() - INTERVAL '2' SECOND");
    await db.run('CREATE MATERIALIZED VIEW due AS SELECT id FROM events WHERE mz_now() >= ts');
    await db.run('CREATE MATERIALIZED VIEW recent_n AS SELECT count(*) AS n FROM events WHERE ts + INTERVAL \'2\' SECOND > now()');
    await db.run("INSERT INTO events VALUES (1, now()), (2, now() - INTERVAL '1 hour'), (3, now() + INTERVAL '1.5 seconds')");
    expect(await db.rows('SELECT id FROM recent ORDER BY 1')).toEqual([[1], [3]]);
    expect(await db.rows('SELECT id FROM due ORDER BY 1')).toEqual([[1], [2]]);
    expect(await db.rows('SELECT n FROM recent_n')).toEqual([[2n]]);
    // A one-shot SELECT applies the same filter at its own now().
    expect(await db.rows("SELECT id FROM events WHERE ts > now() - INTERVAL '2' SECOND ORDER BY 1")).toEqual([[1], [3]]);
    await sleep(3500);
    expect(await db.rows('SELECT id FROM recent ORDER BY 1')).toEqual([[3]]);
    expect(await db.rows('SELECT id FROM due ORDER BY 1')).toEqual([[1], [2], [3]]);
    expect(await db.rows('SELECT n FROM recent_n')).toEqual([[1n]]);
    const plan = (await db.rows('EXPLAIN PHYSICAL MATERIALIZED VIEW recent')).map((r) => r[0]).join('\n');
    expect(plan).toMatch(/TemporalFilter now < #1 \+ 2s/);
    await db.close();
  }, 15_000);

  test('now() elsewhere in a materialized view is refused', async () => {
    const db = await inProcess();
    await db.run('CREATE TABLE events (id int, ts timestamptz)');
    await expect(db.run('CREATE MATERIALIZED VIEW v AS SELECT id, now() AS t FROM events')).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run('CREATE MATERIALIZED VIEW v AS SELECT id FROM events WHERE ts > now() OR id = 1')).rejects.toMatchObject({ code: '0A000' });
    await db.close();
  });
});
