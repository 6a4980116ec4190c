#!/usr/bin/env python3
"""psycopg 3 against weir: the client matrix entry for Python's modern driver.

Connects to the weir server at $WEIR_URL and runs a list of checks, printing one line per
check ("ok - name" or "FAIL - name: why") and exiting 1 if any check failed. psycopg 3 binds
parameters server-side (Parse/Bind/Execute), so this exercises weir's extended protocol,
binary result format and prepared statements the way a Python application does.

Run by test/clients/psycopg.test.ts; by hand:
    WEIR_URL=postgres://weir@127.0.0.1:6875/weir python3 test/clients/psycopg/test_weir.py
"""
import datetime
import decimal
import os
import sys
import traceback

import psycopg
from psycopg import errors

URL = os.environ.get("WEIR_URL")
if not URL:
    print("WEIR_URL is not set", file=sys.stderr)
    sys.exit(2)

# Each run uses fresh object names, so the script can be run twice against one server.
SUFFIX = str(os.getpid())


def name(base):
    return f"{base}_{SUFFIX}"


CHECKS = []
# Checks that weir is known to fail: name -> reason. A listed check that fails prints
# "xfail"; one that passes prints "XPASS" and fails the run (so the list stays honest).
EXPECTED_FAILURES = {}


def check(fn):
    CHECKS.append(fn)
    return fn


def eq(actual, expected, what=""):
    # Decimals compare equal across scales (0.5 == 0.500); the scale matters here too.
    same = str(actual) == str(expected) if isinstance(expected, decimal.Decimal) else actual == expected
    if not same or type(actual) is not type(expected):
        raise AssertionError(
            f"{what}: expected {expected!r} ({type(expected).__name__}), "
            f"got {actual!r} ({type(actual).__name__})"
        )


def connect():
    return psycopg.connect(URL, connect_timeout=5)


T = name("pg_t")
V = name("pg_v")
TX = name("pg_tx")
MANY = name("pg_many")

TS = datetime.datetime(2024, 2, 29, 13, 45, 6, 123456)
DT = datetime.date(1999, 12, 31)


@check
def connect_and_server_info():
    with connect() as conn:
        eq(conn.info.status, psycopg.pq.ConnStatus.OK, "status")
        v = conn.info.server_version
        if not isinstance(v, int) or v <= 0:
            raise AssertionError(f"server_version {v!r}")
        eq(conn.execute("SELECT 1").fetchone(), (1,), "SELECT 1")


@check
def create_table_and_materialized_view():
    with connect() as conn:
        conn.autocommit = True
        conn.execute(
            f"""CREATE TABLE {T} (
                id int PRIMARY KEY, big bigint, amount numeric(12,3), label text,
                flag bool, at timestamp, day date, doc jsonb, score float8)"""
        )
        conn.execute(
            f"""CREATE MATERIALIZED VIEW {V} AS
                SELECT id, big, amount, label, flag, at, day, doc, score FROM {T} WHERE id > 0"""
        )


@check
def insert_with_server_side_parameters():
    with connect() as conn:
        with conn.cursor() as cur:
            cur.execute(
                f"INSERT INTO {T} (id, big, amount, label, flag, at, day, doc, score)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (1, 9007199254740993, decimal.Decimal("12.345"), "héllo 'q'", True, TS, DT,
                 psycopg.types.json.Jsonb({"a": [1, 2, {"b": None}], "s": "x"}), 2.5),
            )
            eq(cur.rowcount, 1, "rowcount")
            cur.execute(
                f"INSERT INTO {T} (id, big, amount, label, flag, at, day, doc, score)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (2, -5, decimal.Decimal("-0.5"), "", False, None, None, None, -1e-300),
            )
        conn.commit()


EXPECTED_ROWS = [
    (1, 9007199254740993, decimal.Decimal("12.345"), "héllo 'q'", True, TS, DT,
     {"a": [1, 2, {"b": None}], "s": "x"}, 2.5),
    (2, -5, decimal.Decimal("-0.500"), "", False, None, None, None, -1e-300),
]


def check_rows(rows):
    eq(len(rows), len(EXPECTED_ROWS), "row count")
    cols = ["id", "big", "amount", "label", "flag", "at", "day", "doc", "score"]
    for got, want in zip(rows, EXPECTED_ROWS):
        for c, g, w in zip(cols, got, want):
            if w is None:
                if g is not None:
                    raise AssertionError(f"{c}: expected None, got {g!r}")
            else:
                eq(g, w, f"row {want[0]} {c}")


@check
def select_from_view_text_types():
    with connect() as conn:
        cur = conn.execute(f"SELECT * FROM {V} ORDER BY id")
        check_rows(cur.fetchall())
        # The parameter is sent as int, bound server-side.
        eq(conn.execute(f"SELECT label FROM {V} WHERE id = %s", (1,)).fetchone(), ("héllo 'q'",), "param")


@check
def select_from_view_binary_results():
    with connect() as conn:
        with conn.cursor(binary=True) as cur:
            cur.execute(f"SELECT * FROM {V} ORDER BY id")
            # Every column came back in binary format (1), not quietly as text.
            res = cur.pgresult
            eq([res.fformat(i) for i in range(res.nfields)], [1] * 9, "result formats")
            check_rows(cur.fetchall())
        cur = conn.cursor()
        cur.execute(f"SELECT id, amount, at FROM {V} WHERE id = %s", (1,), binary=True)
        eq(cur.fetchone(), (1, decimal.Decimal("12.345"), TS), "binary=True on execute")


# (value, SQL type) pairs sent as parameters and read back, each in both formats.
ROUND_TRIP = [
    (0, "int4"), (-2147483648, "int4"), (2147483647, "int4"),
    (-9223372036854775808, "int8"), (9223372036854775807, "int8"),
    (decimal.Decimal("0"), "numeric"), (decimal.Decimal("-123456789.000"), "numeric"),
    (decimal.Decimal("0.00001"), "numeric"), (decimal.Decimal("12345678901234567890.123456789"), "numeric"),
    (decimal.Decimal("10000"), "numeric"), (decimal.Decimal("-0.5"), "numeric"),
    ("", "text"), ("ünïcødé ✓ \\ 'quote' \"dq\"", "text"),
    (True, "bool"), (False, "bool"),
    (datetime.datetime(1970, 1, 1, 0, 0, 0, 1), "timestamp"), (datetime.datetime(1900, 6, 15, 23, 59, 59), "timestamp"),
    (TS, "timestamp"),
    (datetime.date(2000, 1, 1), "date"), (datetime.date(1969, 7, 20), "date"), (datetime.date(2100, 3, 1), "date"),
    (0.1, "float8"), (-1.5e308, "float8"), (float("inf"), "float8"), (float("-inf"), "float8"),
]


@check
def parameters_and_results_in_both_formats():
    with connect() as conn:
        for value, typ in ROUND_TRIP:
            for ph in ("%t", "%b"):  # text / binary parameter
                for binary in (False, True):  # text / binary result
                    cur = conn.cursor(binary=binary)
                    got = cur.execute(f"SELECT {ph}::{typ}", (value,)).fetchone()[0]
                    eq(cur.pgresult.fformat(0), 1 if binary else 0, f"{typ} result format")
                    eq(got, value, f"{typ} {value!r} param {ph} binary={binary}")
        # NaN is not equal to itself.
        for binary in (False, True):
            got = conn.cursor(binary=binary).execute("SELECT %b::float8", (float("nan"),)).fetchone()[0]
            if not (isinstance(got, float) and got != got):
                raise AssertionError(f"NaN came back as {got!r}")


@check
def jsonb_in_both_formats():
    doc = {"k": [1, 2.5, "s", True, None, {"nested": {"x": "ü"}}], "empty": {}}
    with connect() as conn:
        for ph in ("%t", "%b"):
            for binary in (False, True):
                cur = conn.cursor(binary=binary)
                got = cur.execute(f"SELECT {ph}::jsonb", (psycopg.types.json.Jsonb(doc),)).fetchone()[0]
                eq(got, doc, f"jsonb param {ph} binary={binary}")


@check
def column_descriptions():
    with connect() as conn:
        cur = conn.execute(f"SELECT id, big, label FROM {V} WHERE id = 1")
        eq([d.name for d in cur.description], ["id", "big", "label"], "names")
        eq([d.type_code for d in cur.description], [23, 20, 25], "oids")


@check
def transaction_commit_and_rollback():
    with connect() as conn:
        conn.autocommit = True
        conn.execute(f"CREATE TABLE {TX} (id int PRIMARY KEY, v text)")
        with conn.transaction():
            conn.execute(f"INSERT INTO {TX} VALUES (%s, %s)", (1, "kept"))
        try:
            with conn.transaction():
                conn.execute(f"INSERT INTO {TX} VALUES (%s, %s)", (2, "dropped"))
                raise RuntimeError("roll me back")
        except RuntimeError:
            pass
        # psycopg.Rollback exits the block quietly, rolling back.
        with conn.transaction():
            conn.execute(f"INSERT INTO {TX} VALUES (%s, %s)", (3, "dropped too"))
            raise psycopg.Rollback()
        rows = conn.execute(f"SELECT id, v FROM {TX} ORDER BY id").fetchall()
        eq(rows, [(1, "kept")], "after commit and rollback")


@check
def transaction_error_rolls_back():
    with connect() as conn:
        conn.autocommit = True
        try:
            with conn.transaction():
                conn.execute(f"INSERT INTO {TX} VALUES (%s, %s)", (4, "doomed"))
                conn.execute("SELECT 1/0")
        except errors.DivisionByZero:
            pass
        eq(conn.info.transaction_status, psycopg.pq.TransactionStatus.IDLE, "idle after rollback")
        eq(conn.execute(f"SELECT count(*) FROM {TX} WHERE id = 4").fetchone(), (0,), "rolled back")


@check
def executemany():
    with connect() as conn:
        conn.autocommit = True
        conn.execute(f"CREATE TABLE {MANY} (id int PRIMARY KEY, name text, n bigint)")
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {MANY} (id, name, n) VALUES (%s, %s, %s)",
                [(i, f"name{i}", i * 1000) for i in range(1, 51)],
            )
        eq(conn.execute(f"SELECT count(*), sum(n) FROM {MANY}").fetchone(),
           (50, decimal.Decimal(sum(i * 1000 for i in range(1, 51)))), "count and sum")
        with conn.cursor() as cur:
            cur.executemany(f"SELECT name FROM {MANY} WHERE id = %s", [(1,), (2,)], returning=True)
            got = [cur.fetchone()]
            cur.nextset()
            got.append(cur.fetchone())
            eq(got, [("name1",), ("name2",)], "executemany returning")


@check
def server_error_division_by_zero():
    with connect() as conn:
        try:
            conn.execute("SELECT 1/0")
        except errors.DivisionByZero as e:
            eq(e.sqlstate, "22012", "sqlstate")
            eq(e.diag.message_primary, "division by zero", "message")
        else:
            raise AssertionError("no error raised")
        conn.rollback()
        # A parameterized error goes through Parse/Bind/Execute.
        try:
            conn.execute("SELECT %s::int / %s::int", (1, 0))
        except errors.DivisionByZero as e:
            eq(e.sqlstate, "22012", "sqlstate (extended)")
        else:
            raise AssertionError("no error raised (extended)")
        conn.rollback()
        eq(conn.execute("SELECT 2").fetchone(), (2,), "usable after error")


@check
def server_error_undefined_table():
    with connect() as conn:
        try:
            conn.execute(f"SELECT * FROM {name('no_such_table')}")
        except errors.UndefinedTable as e:
            eq(e.sqlstate, "42P01", "sqlstate")
        else:
            raise AssertionError("no error raised")
        conn.rollback()
        try:
            conn.execute(f"SELECT * FROM {name('no_such_table')} WHERE a = %s", (1,))
        except errors.UndefinedTable as e:
            eq(e.sqlstate, "42P01", "sqlstate (extended)")
        else:
            raise AssertionError("no error raised (extended)")


@check
def prepared_statements():
    with connect() as conn:
        q = f"SELECT name, n FROM {MANY} WHERE id = %s"
        for i in (3, 4, 5):
            eq(conn.execute(q, (i,), prepare=True).fetchone(), (f"name{i}", i * 1000), f"id {i}")
        # Binary results from the same prepared statement.
        cur = conn.cursor(binary=True)
        eq(cur.execute(q, (6,), prepare=True).fetchone(), ("name6", 6000), "binary prepared")


@check
def prepare_threshold_automatic():
    # By default psycopg prepares a query after it has run prepare_threshold (5) times.
    with connect() as conn:
        conn.prepare_threshold = 2
        q = f"SELECT count(*) FROM {MANY} WHERE id <= %s"
        for i in range(1, 6):
            eq(conn.execute(q, (i,)).fetchone(), (i,), f"run {i}")


@check
def pipeline_mode():
    with connect() as conn:
        with conn.pipeline():
            curs = [conn.execute("SELECT %s::int * 2", (i,)) for i in range(5)]
        eq([c.fetchone()[0] for c in curs], [0, 2, 4, 6, 8], "pipelined results")


@check
def named_cursor_and_copy():
    # psycopg's server-side ("named") cursors: DECLARE, Describe of the portal, FETCH; and
    # COPY … TO STDOUT read row by row.
    with connect() as conn:
        with conn.transaction():
            cur = conn.cursor(name="server_side")
            cur.execute("SELECT 1 AS one UNION ALL SELECT 2 UNION ALL SELECT 3")
            eq([d.name for d in cur.description], ["one"], "named cursor description")
            eq(cur.fetchmany(2), [(1,), (2,)], "fetchmany from a named cursor")
            eq(cur.fetchall(), [(3,)], "the rest")
            cur.close()
        with conn.cursor().copy("COPY (SELECT 1 AS a, 'x y' AS b) TO STDOUT") as cp:
            eq(list(cp.rows()), [("1", "x y")], "COPY TO STDOUT rows")
        eq(conn.execute("SELECT 3").fetchone(), (3,), "usable after")


def main():
    failed = 0
    for fn in CHECKS:
        label = fn.__name__.replace("_", " ")
        expected = EXPECTED_FAILURES.get(fn.__name__)
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported the same way
            if expected:
                print(f"xfail - {label}: {expected} ({type(e).__name__}: {e})")
                continue
            failed += 1
            print(f"FAIL - {label}: {type(e).__name__}: {e}")
            traceback.print_exc(file=sys.stdout)
            if fn is connect_and_server_info:
                print("cannot connect; skipping the other checks")
                sys.exit(1)
            continue
        if expected:
            failed += 1
            print(f"XPASS - {label}: expected to fail ({expected}) but passed; remove it from EXPECTED_FAILURES")
        else:
            print(f"ok - {label}")
    print(f"{len(CHECKS) - failed}/{len(CHECKS)} checks passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
