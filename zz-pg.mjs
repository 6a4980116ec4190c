import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create();
await db.exec("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'");
const lines = (await import('node:fs')).readFileSync(0, 'utf8').split('\n').filter(Boolean);
for (const l of lines) {
  try { const r = await db.query(`SELECT (${l})::text AS v`); console.log(JSON.stringify(l), '=>', JSON.stringify(r.rows[0].v)); }
  catch (e) { console.log(JSON.stringify(l), '=> ERR', e.code, e.message); }
}
