// Flink's / RisingWave's window table functions become the plain calls libpg-query parses:
// examples, Flink's Nexmark queries (../shared/nexmark/flink), and error positions mapped back.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { initParser, parseStatement, splitStatements } from '../../../src/sql/parser/parse.js';
import { rewriteWindowTvfs } from '../../../src/sql/parser/window-tvf-rewrite.js';

beforeAll(initParser);

const rewrite = (sql: string) => rewriteWindowTvfs(sql).text;

describe('window table functions', () => {
  test.each([
    ["FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(date_time), INTERVAL '10' SECOND))", "FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)"],
    ["FROM table ( hop ( table s.bid , descriptor ( ts ) , INTERVAL '2' SECOND, INTERVAL '10' SECOND ) ) b", "FROM hop(s.bid, ts, INTERVAL '2' SECOND, INTERVAL '10' SECOND) b"],
    ["FROM CUMULATE(TABLE bid, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '1' HOUR)", "FROM CUMULATE(bid, ts, INTERVAL '1' MINUTE, INTERVAL '1' HOUR)"],
    ["FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(ts), INTERVAL '10' SECOND))", "FROM SESSION(bid, ts, INTERVAL '10' SECOND, bidder)"],
    ['FROM SESSION(TABLE bid PARTITION BY bidder, auction, DESCRIPTOR(ts), gap)', 'FROM SESSION(bid, ts, gap, bidder, auction)'],
    ['FROM SESSION(TABLE bid PARTITION BY (bidder, auction), DESCRIPTOR(ts), gap)', 'FROM SESSION(bid, ts, gap, bidder, auction)'],
    ["FROM TABLE(TUMBLE(DATA => TABLE Bid, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '10' MINUTES))", "FROM TUMBLE(Bid, ts, INTERVAL '10' MINUTES)"],
    ['FROM HOP(DATA => TABLE b, SIZE => sz, TIMECOL => DESCRIPTOR(ts), SLIDE => sl)', 'FROM HOP(b, ts, sl, sz)'],
    ['FROM TABLE(TUMBLE(TABLE (SELECT * FROM b), DESCRIPTOR("T s"), x)) w', 'FROM TUMBLE((SELECT * FROM b), "T s", x) w'],
  ])('%s', (sql, expected) => {
    expect(rewrite(sql)).toBe(expected);
  });

  test('the plain forms, strings and the group-window SESSION are left alone', () => {
    for (const sql of [
      "SELECT * FROM TUMBLE(bid, ts, INTERVAL '1' MINUTE)",
      "SELECT 'TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), x))'",
      "SELECT count(*) FROM bid GROUP BY bidder, SESSION(ts, INTERVAL '10' SECOND) -- descriptor",
      'SELECT descriptor FROM t',
    ]) {
      expect(rewrite(sql)).toBe(sql);
    }
  });

  test("Flink's Nexmark queries", () => {
    const dir = join(import.meta.dirname, '../../../../shared/nexmark/flink');
    let windows = 0;
    for (const f of readdirSync(dir).filter((f) => /^q\d+\.sql$/.test(f))) {
      const text = readFileSync(join(dir, f), 'utf8');
      const rewritten = rewrite(text);
      expect(rewritten, f).not.toMatch(/DESCRIPTOR|TABLE\s*\(/i);
      windows += (text.match(/DESCRIPTOR/g) ?? []).length;
      // Postgres spellings for what is Flink's own: `quoted` names, ${NEXMARK_TABLE}.
      const pg = text.replace(/`/g, '"').replace(/\$\{NEXMARK_TABLE\}/g, 'nexmark');
      for (const stmt of splitStatements(pg).filter((s) => /DESCRIPTOR/i.test(s))) {
        expect(parseStatement(stmt).kind, f).toBe('pg');
      }
    }
    expect(windows).toBeGreaterThanOrEqual(6);
    const q5 = rewrite(readFileSync(join(dir, 'q5.sql'), 'utf8'));
    expect(q5).toContain("FROM HOP(bid, `dateTime`, INTERVAL '2' SECOND, INTERVAL '10' SECOND)");
    const q7 = rewrite(readFileSync(join(dir, 'q7.sql'), 'utf8'));
    expect(q7).toContain("FROM TUMBLE(bid, `dateTime`, INTERVAL '10' SECOND)");
  });

  test('a syntax error after a rewrite points into the original text', () => {
    const sql = "SELECT * FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '1' SECOND)) WHERE WHERE";
    try {
      parseStatement(sql);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: '42601', position: sql.lastIndexOf('WHERE') + 1 });
    }
  });
});
