import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { inProcess } from '../harness/in-process.js';
test('x', async () => {
  const db = await inProcess();
  let ddl = readFileSync('/work/shared/nexmark/risingwave/ddl.sql', 'utf8');
  ddl = ddl.replace(/WITH \([^)]*\) FORMAT PLAIN ENCODE JSON/s, "WITH (connector = 'nexmark', nexmark.table.type = 'combined', nexmark.event.num = '2000', nexmark.max.emit.speed = 'true')");
  await db.run(ddl);
  await db.run('CREATE TABLE side_input(key BIGINT PRIMARY KEY, value VARCHAR)');
  await db.run("INSERT INTO side_input VALUES (1, '1'), (2, '2')");
  for (const q of [
    "CREATE SINK s1 AS SELECT B.auction, B.bidder, B.price, B.date_time, S.value FROM bid B join side_input FOR SYSTEM_TIME AS OF PROCTIME() S on mod(B.auction, 1000) = S.key WITH (connector = 'blackhole')",
    "CREATE MATERIALIZED VIEW m1 AS SELECT B.auction, B.bidder, B.price, B.date_time, S.value FROM bid B join side_input FOR SYSTEM_TIME AS OF PROCTIME() S on mod(B.auction, 1000) = S.key",
    "CREATE SINK s2 AS SELECT B.auction, B.bidder, B.price, B.date_time, S.value FROM bid B join side_input FOR SYSTEM_TIME AS OF PROCTIME() S on mod(B._row_id::bigint, 1000) = S.key WITH (connector = 'blackhole')",
    "SELECT count(*) FROM m1",
  ]) {
    try { console.log(q.slice(0, 20), JSON.stringify(await db.rows(q), (k, v) => typeof v === 'bigint' ? String(v) : v)); } catch (e) { console.log('ERR', q.slice(0, 20), (e as Error).message); }
  }
  await db.close();
});
