// CancelRequest: a statement canceled while it runs fails with 57014, and the session goes on.
import { expect, test } from 'vitest';
import { inProcess } from '../harness/in-process.js';

test('a canceled SELECT fails with 57014; the next statement runs', async () => {
  const w = await inProcess();
  await w.run('CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2)');
  const stmt = await w.session.prepare('SELECT * FROM t', []);
  const running = w.session.execute(stmt, []);
  w.session.cancel();
  await expect(running).rejects.toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
  const again = await w.session.execute(stmt, []);
  expect(again.kind === 'rows' && again.rows.length).toBe(2);
  await w.close();
});
