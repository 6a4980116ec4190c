// Flink's spellings of sources and sinks: CREATE TABLE with the nexmark connector (a source),
// its ROW<…> columns named Flink's way and a computed column carrying the watermark; a
// blackhole sink table written by INSERT INTO … SELECT (a sink into the table), across a restart.
import { describe, expect, test } from 'vitest';
import { inProcess } from '../harness/in-process.js';
import { tempDataDir } from '../harness/temp-dirs.js';

const SOURCE = `CREATE TABLE datagen (
    event_type int,
    bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, \`dateTime\` TIMESTAMP(3), extra VARCHAR>,
    \`dateTime\` AS CASE WHEN event_type = 2 THEN bid.\`dateTime\` END,
    price_eur AS CAST(bid.price * 0.9 AS BIGINT),
    WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND
  ) WITH ('connector' = 'nexmark', nexmark.event.num = '500', nexmark.max.emit.speed = 'true', nexmark.base.time = '1700000000000')`;

async function waitFor(db: Awaited<ReturnType<typeof inProcess>>, events: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [[p]] = (await db.rows('SELECT position FROM weir_source_stats')) as [[bigint]];
    if (Number(p) >= events) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the source did not finish');
}

describe("Flink's CREATE TABLE … WITH ('connector' = 'nexmark')", () => {
  test('is a source; ROW fields match the generator by name; computed columns follow the row', async () => {
    const db = await inProcess();
    await db.run(SOURCE);
    await waitFor(db, 500);
    expect(await db.rows("SELECT kind FROM weir_source_stats WHERE name = 'datagen'")).toEqual([['source']]);
    const rows = await db.rows('SELECT event_type, bid.price, price_eur, `dateTime` = bid.datetime FROM datagen WHERE event_type = 2 LIMIT 3');
    expect(rows).toHaveLength(3);
    for (const [type, price, eur, same] of rows) {
      expect(type).toBe(2);
      expect(eur).toBe(BigInt(Math.round(Number(price) * 0.9)));
      expect(same).toBe(true);
    }
    // The watermark is the computed column's, 4 s behind its largest value.
    const [[wm, max]] = (await db.rows('SELECT watermark, (SELECT max(datetime) FROM datagen) FROM weir_source_stats')) as [[number, number]];
    expect(max - wm).toBe(4_000_000);
    await db.close();
  });

  test('computed columns need a generator; a struct field the generator lacks is 42703', async () => {
    const db = await inProcess();
    await expect(db.run('CREATE TABLE t (a int, b AS a + 1) APPEND ONLY')).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run("CREATE TABLE n (bid ROW<nosuch BIGINT>) WITH ('connector' = 'nexmark')")).rejects.toMatchObject({ code: '42703' });
    await db.close();
  });
});

describe('Flink sink tables', () => {
  test('INSERT INTO a blackhole table becomes a sink into it; DROP TABLE … CASCADE drops the sink', async () => {
    const dir = tempDataDir();
    let db = await inProcess(dir);
    await db.run(SOURCE);
    await db.run("CREATE TABLE out (auction BIGINT, price DECIMAL(23, 3), `dateTime` TIMESTAMP(3)) WITH ('connector' = 'blackhole')");
    const r = await db.run('INSERT INTO out SELECT bid.auction, 0.908 * bid.price, `dateTime` FROM datagen WHERE event_type = 2');
    expect(r).toMatchObject({ kind: 'command', commandTag: 'INSERT 0 0' });
    await db.run('INSERT INTO out SELECT bid.auction, bid.price, `dateTime` FROM datagen');
    expect(await db.rows('SHOW SINKS')).toEqual([['out_insert_1'], ['out_insert_2']]);
    expect(await db.rows('SELECT count(*) FROM out')).toEqual([[0n]]);
    await expect(db.run("UPDATE out SET auction = 1")).rejects.toMatchObject({ code: '0A000' });
    await expect(db.run('INSERT INTO out SELECT bid.auction FROM datagen')).rejects.toMatchObject({ code: '42601' });
    await expect(db.run("INSERT INTO out SELECT bid.auction, bid.channel, `dateTime` FROM datagen")).rejects.toMatchObject({ code: '42804' });
    await waitFor(db, 500);
    await db.close();
    db = await inProcess(dir);
    expect(await db.rows('SHOW SINKS')).toEqual([['out_insert_1'], ['out_insert_2']]);
    await expect(db.run('DROP TABLE out')).rejects.toMatchObject({ code: '2BP01' });
    await db.run('DROP TABLE out CASCADE');
    expect(await db.rows('SHOW SINKS')).toEqual([]);
    await db.close();
  });

  test('CREATE SINK … INTO a table without a sink connector is 0A000', async () => {
    const db = await inProcess();
    await db.run('CREATE TABLE t (a int)');
    await expect(db.run('CREATE SINK s INTO t AS SELECT 1')).rejects.toMatchObject({ code: '0A000' });
    await db.close();
  });
});
