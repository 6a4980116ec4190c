/**
 * fake-session: a Session and SessionFactory that answer a fixed set of statements, so the wire
 * protocol can be tested without the adapter. Statements (matched case-insensitively, spaces
 * collapsed):
 *
 * | statement                               | answer                                          |
 * |-----------------------------------------|-------------------------------------------------|
 * | select 1                                | one int4 row, column "?column?"                 |
 * | select $1::int4 + 1                     | param int4, one int4 row                        |
 * | select $1::<type>[[]] as v              | echoes its parameter (any type typeOfName knows) |
 * | select $1 as v                          | param type inferred as text, echoed             |
 * | select generate_series(1, N)            | N int4 rows                                     |
 * | select types                            | one row with a column of each interesting type  |
 * | select 1/0                              | execute fails 22012                             |
 * | select nosuchcolumn                     | prepare fails 42703 at position 8               |
 * | select pg_sleep(S)                      | waits S seconds or until cancel() (57014)       |
 * | notice                                  | a NOTICE then command "DO"                      |
 * | set NAME = VALUE / set NAME to VALUE    | command SET, reports a ParameterStatus change   |
 * | begin / commit / rollback               | transaction status                              |
 * | insert                                  | command "INSERT 0 1"                            |
 * | pg_catalog.pg_type (postgres.js probe)  | (oid, typarray) rows for a few array types      |
 *
 * Anything else fails prepare with 42601 at position 1.
 */
import type { Notice, PreparedStatement, ResultColumn, Session, SessionFactory, StatementResult, TransactionStatus } from '../../src/adapter/session-api.js';
import { Numeric, type Datum, type Row } from '../../src/types/datum.js';
import { SqlError, SqlState } from '../../src/types/sql-error.js';
import { arrayOf, T, type SqlType } from '../../src/types/sql-type.js';

interface FakePrepared extends PreparedStatement {
  run(params: Row, session: FakeSession): Promise<StatementResult>;
}

const NAMED_TYPES: { [name: string]: SqlType } = {
  int2: T.int2, int4: T.int4, int8: T.int8, float4: T.float4, float8: T.float8, numeric: T.numeric,
  text: T.text, varchar: T.varchar, bool: T.bool, bytea: T.bytea, date: T.date, time: T.time,
  timestamp: T.timestamp, timestamptz: T.timestamptz, interval: T.interval, json: T.json,
  jsonb: T.jsonb, uuid: T.uuid,
};

export const TYPES_ROW_COLUMNS: ResultColumn[] = [
  { name: 'b', type: T.bool },
  { name: 'i2', type: T.int2 },
  { name: 'i4', type: T.int4 },
  { name: 'i8', type: T.int8 },
  { name: 'f8', type: T.float8 },
  { name: 'n', type: { kind: 'numeric', precision: 10, scale: 2 } },
  { name: 't', type: T.text },
  { name: 'vc', type: { kind: 'varchar', length: 10 } },
  { name: 'ts', type: T.timestamp },
  { name: 'ai', type: arrayOf(T.int4) },
  { name: 'nul', type: T.text },
];

export const TYPES_ROW: Row = [true, -2, 42, 9007199254740993n, 1.5, new Numeric(-12345n, 2), 'héllo', 'abc',
  Date.UTC(2024, 0, 2, 3, 4, 5) * 1000, [1, null, 3], null];

function rows(columns: ResultColumn[], data: Row[], tag = `SELECT ${data.length}`): StatementResult {
  return { kind: 'rows', columns, rows: data, commandTag: tag };
}

function prepared(sql: string, paramTypes: SqlType[], columns: ResultColumn[] | null, run: FakePrepared['run']): FakePrepared {
  return { sql, paramTypes, columns, run };
}

export class FakeSession implements Session {
  readonly parameterStatus = new Map([
    ['server_version', '15.0'],
    ['server_encoding', 'UTF8'],
    ['client_encoding', 'UTF8'],
    ['DateStyle', 'ISO, MDY'],
    ['TimeZone', 'UTC'],
    ['integer_datetimes', 'on'],
    ['standard_conforming_strings', 'on'],
  ]);
  status: TransactionStatus = 'idle';
  closed = false;
  notices: Notice[] = [];
  changes: [string, string][] = [];
  /** Every statement text prepared, in order (to check what the protocol sent). */
  readonly log: string[] = [];
  #cancel: (() => void) | undefined;

  constructor(
    readonly processId: number,
    readonly secretKey: number,
    readonly startup: ReadonlyMap<string, string>,
  ) {}

  async endBatch(_failed: boolean): Promise<{ durable?: Promise<void> }> {
    return {};
  }

  splitStatements(sql: string): string[] {
    return sql.split(';').map((s) => s.trim()).filter((s) => s !== '');
  }

  async prepare(sql: string, declared: (SqlType | undefined)[]): Promise<PreparedStatement> {
    this.log.push(sql);
    const s = sql.trim().replace(/;$/, '').replace(/\s+/g, ' ').toLowerCase();
    const int4col = (name: string): ResultColumn[] => [{ name, type: T.int4 }];
    if (s === 'select 1') return prepared(sql, [], int4col('?column?'), async () => rows(int4col('?column?'), [[1]]));
    if (s === 'select $1::int4 + 1') {
      return prepared(sql, [T.int4], int4col('?column?'), async (p) => rows(int4col('?column?'), [[p[0] === null ? null : Number(p[0]) + 1]]));
    }
    let m = /^select \$1::(\w+)(\[\])? as v$/.exec(s);
    if (m && NAMED_TYPES[m[1]!]) {
      const t = m[2] ? arrayOf(NAMED_TYPES[m[1]!]!) : NAMED_TYPES[m[1]!]!;
      const cols = [{ name: 'v', type: t }];
      return prepared(sql, [t], cols, async (p) => rows(cols, [[p[0]!]]));
    }
    if (s === 'select $1 as v') {
      const t = declared[0] ?? T.text;
      const cols = [{ name: 'v', type: t }];
      return prepared(sql, [t], cols, async (p) => rows(cols, [[p[0]!]]));
    }
    m = /^select generate_series\(1, ?(\d+)\)$/.exec(s);
    if (m) {
      const n = Number(m[1]);
      const cols = int4col('generate_series');
      return prepared(sql, [], cols, async () => rows(cols, Array.from({ length: n }, (_, i) => [i + 1])));
    }
    if (s === 'select types') return prepared(sql, [], TYPES_ROW_COLUMNS, async () => rows(TYPES_ROW_COLUMNS, [TYPES_ROW]));
    if (s === 'select 1/0') {
      return prepared(sql, [], int4col('?column?'), async () => {
        throw new SqlError(SqlState.divisionByZero, 'division by zero');
      });
    }
    if (s === 'select nosuchcolumn') {
      throw new SqlError(SqlState.undefinedColumn, 'column "nosuchcolumn" does not exist', { position: 8, hint: 'Check the spelling.' });
    }
    m = /^select pg_sleep\(([\d.]+)\)$/.exec(s);
    if (m) {
      const ms = Number(m[1]) * 1000;
      const cols: ResultColumn[] = [{ name: 'pg_sleep', type: T.text }];
      return prepared(sql, [], cols, (_p, session) => session.#sleep(ms).then(() => rows(cols, [[''] as Datum[]])));
    }
    if (s === 'notice') {
      return prepared(sql, [], null, async (_p, session) => {
        session.notices.push({ severity: 'NOTICE', code: '00000', message: 'hello from notice', detail: 'Some detail.' });
        return { kind: 'command', commandTag: 'DO' };
      });
    }
    m = /^set (\w+) (?:=|to) '?([^']*)'?$/.exec(s);
    if (m) {
      const [name, value] = [m[1]!, m[2]!];
      return prepared(sql, [], null, async (_p, session) => {
        session.changes.push([name, value]);
        return { kind: 'command', commandTag: 'SET' };
      });
    }
    if (s === 'begin' || s === 'commit' || s === 'rollback') {
      return prepared(sql, [], null, async (_p, session) => session.#transaction(s));
    }
    if (s === 'insert') return prepared(sql, [], null, async () => ({ kind: 'command', commandTag: 'INSERT 0 1' }));
    if (s.includes('pg_catalog.pg_type')) {
      const cols: ResultColumn[] = [{ name: 'oid', type: T.oid }, { name: 'typarray', type: T.oid }];
      return prepared(sql, [], cols, async () => rows(cols, [[16, 1000], [23, 1007], [25, 1009]]));
    }
    throw new SqlError(SqlState.syntaxError, `syntax error at or near "${sql.split(/\s/)[0]}"`, { position: 1 });
  }

  async execute(stmt: PreparedStatement, params: Row): Promise<StatementResult> {
    const s = stmt.sql.trim().toLowerCase();
    if (this.status === 'failed' && s !== 'commit' && s !== 'rollback') {
      throw new SqlError(SqlState.inFailedSqlTransaction, 'current transaction is aborted, commands ignored until end of transaction block');
    }
    return (stmt as FakePrepared).run(params, this);
  }

  async #transaction(s: string): Promise<StatementResult> {
    if (s === 'begin') {
      if (this.status !== 'idle') {
        this.notices.push({ severity: 'WARNING', code: '25001', message: 'there is already a transaction in progress' });
      }
      this.status = 'in-transaction';
      return { kind: 'command', commandTag: 'BEGIN' };
    }
    const failed = this.status === 'failed';
    this.status = 'idle';
    return { kind: 'command', commandTag: s === 'commit' && !failed ? 'COMMIT' : 'ROLLBACK' };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#cancel = undefined;
        resolve();
      }, ms);
      this.#cancel = () => {
        clearTimeout(timer);
        this.#cancel = undefined;
        reject(new SqlError(SqlState.queryCanceled, 'canceling statement due to user request'));
      };
    });
  }

  transactionStatus(): TransactionStatus {
    return this.status;
  }

  markFailed(): void {
    this.status = 'failed';
  }

  takeNotices(): Notice[] {
    const n = this.notices;
    this.notices = [];
    return n;
  }

  cancel(): void {
    this.#cancel?.();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  takeParameterChanges(): [string, string][] {
    const c = this.changes;
    this.changes = [];
    return c;
  }
}

export class FakeSessionFactory implements SessionFactory {
  readonly sessions: FakeSession[] = [];
  readonly passwords = new Map<string, string>();
  #nextPid = 1000;

  async open(startup: ReadonlyMap<string, string>): Promise<Session> {
    if (startup.get('database') === 'nosuchdb') {
      throw new SqlError('3D000', 'database "nosuchdb" does not exist');
    }
    const s = new FakeSession(this.#nextPid++, Math.floor(Math.random() * 2 ** 31), startup);
    this.sessions.push(s);
    return s;
  }

  passwordFor(user: string): string | undefined {
    return this.passwords.get(user);
  }

  findForCancel(processId: number, secretKey: number): Session | undefined {
    return this.sessions.find((s) => s.processId === processId && s.secretKey === secretKey && !s.closed);
  }
}
