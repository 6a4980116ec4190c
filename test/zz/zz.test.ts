import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { inProcess } from '../harness/in-process.js';
test('x', async () => {
  const db = await inProcess();
  const text = readFileSync('/work/shared/nexmark/flink/ddl_gen.sql', 'utf8').replace(/\)\s*WITH\s*\(\s*'connector'\s*=\s*'nexmark'[\s\S]*?\)\s*;/, `) WITH (connector = 'nexmark', nexmark.event.num = '100', nexmark.max.emit.speed = 'true');`);
  try { await db.run(text); } catch (e) { console.log('ERR', e); }
  await new Promise((r) => setTimeout(r, 500));
  console.log(await db.rows('SELECT event_type, datetime, (bid).datetime, (person).emailaddress FROM datagen LIMIT 5'));
  console.log(await db.rows('SELECT * FROM weir_source_stats'));
  const views = readFileSync('/work/shared/nexmark/flink/ddl_views.sql', 'utf8').replace(/\$\{NEXMARK_TABLE\}/g, 'datagen');
  try { await db.run(views); } catch (e) { console.log('ERR', e); }
  await db.close();
});
