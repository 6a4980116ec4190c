// pgjdbc (org.postgresql:postgresql 42.7.14) against weir: the client matrix entry for Java.
//
// Connects to the JDBC URL in $WEIR_JDBC_URL and runs a list of checks, printing one line per
// check ("ok - name", "FAIL - name: why", or "EXPECTED-FAIL - name: reason" for a known gap
// that does not fail the run) and exiting 1 if any check failed. pgjdbc uses the extended
// protocol for everything, switches a PreparedStatement to a named server-side statement from
// its 5th execution (prepareThreshold), and reads DatabaseMetaData from pg_catalog.
//
// Run by test/clients/pgjdbc.test.ts with Java's source launcher; by hand:
//   WEIR_JDBC_URL=jdbc:postgresql://127.0.0.1:6875/weir?user=weir \
//     java -cp test/clients/pgjdbc/lib/postgresql-42.7.14.jar test/clients/pgjdbc/WeirJdbc.java
import java.math.BigDecimal;
import java.sql.*;
import java.util.*;

public class WeirJdbc {
    interface Check { void run() throws Exception; }

    static final String URL = System.getenv("WEIR_JDBC_URL");
    // Fresh names per run, so the program can run twice against one server.
    static final String SUFFIX = Long.toString(ProcessHandle.current().pid());
    static final String T = "jdbc_t_" + SUFFIX;
    static final String V = "jdbc_v_" + SUFFIX;
    static final String TX = "jdbc_tx_" + SUFFIX;
    static final String SLOW = "jdbc_slow_" + SUFFIX;

    static int passed = 0, failed = 0, expectedFailed = 0;

    static Connection connect() throws SQLException { return DriverManager.getConnection(URL); }

    static void eq(Object actual, Object expected, String what) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    static void run(String name, Check c) {
        try {
            c.run();
            passed++;
            System.out.println("ok - " + name);
        } catch (Throwable e) {
            failed++;
            System.out.println("FAIL - " + name + ": " + e);
        }
    }

    // A check of a known gap (a DatabaseMetaData call, say): a failure prints as a visible
    // expected failure and does not fail the run; a pass prints "ok" (then promote it to run()).
    static void runKnownGap(String name, Check c) {
        try {
            c.run();
            passed++;
            System.out.println("ok - " + name);
        } catch (Throwable e) {
            expectedFailed++;
            String state = e instanceof SQLException ? " [SQLSTATE " + ((SQLException) e).getSQLState() + "]" : "";
            System.out.println("EXPECTED-FAIL - " + name + ": " + e.toString().replace('\n', ' ') + state);
        }
    }

    static String sqlState(String sql) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeQuery(sql).close();
        } catch (SQLException e) {
            return e.getSQLState();
        }
        throw new AssertionError("no error from: " + sql);
    }

    public static void main(String[] args) {
        if (URL == null) {
            System.err.println("WEIR_JDBC_URL is not set");
            System.exit(2);
        }

        run("connect; application_name set by the driver", () -> {
            try (Connection c = connect()) {
                DatabaseMetaData md = c.getMetaData();
                if (md.getDatabaseProductVersion() == null) throw new AssertionError("no server version");
                try (Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT 1")) {
                        rs.next();
                        eq(rs.getInt(1), 1, "SELECT 1");
                    }
                    // pgjdbc sets application_name with SET right after connecting.
                    try (ResultSet rs = s.executeQuery("SHOW application_name")) {
                        rs.next();
                        eq(rs.getString(1), "PostgreSQL JDBC Driver", "application_name");
                    }
                }
            }
        });

        run("float8 round-trips exactly (text and parameter)", () -> {
            try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS float8), 0.1::float8 + 0.2::float8")) {
                double x = Math.PI / 3;
                ps.setDouble(1, x);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    eq(rs.getDouble(1), x, "parameter");
                    eq(rs.getDouble(2), 0.1 + 0.2, "computed");
                }
            }
        });

        run("CREATE TABLE and MATERIALIZED VIEW", () -> {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + T + " (id int PRIMARY KEY, big bigint, amount numeric(12,3),"
                        + " label text, flag bool, at timestamp, day date)");
                s.execute("CREATE MATERIALIZED VIEW " + V + " AS SELECT id, big, amount, label, flag, at, day FROM "
                        + T + " WHERE id > 0");
            }
        });

        run("PreparedStatement INSERT x10 (named server-side statement from the 5th)", () -> {
            try (Connection c = connect();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + T
                         + " (id, big, amount, label, flag, at, day) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= 10; i++) {
                    ps.setInt(1, i);
                    ps.setLong(2, 9007199254740993L + i);
                    ps.setBigDecimal(3, new BigDecimal("12.345").add(BigDecimal.valueOf(i)));
                    ps.setString(4, "héllo 'q' " + i);
                    ps.setBoolean(5, i % 2 == 0);
                    ps.setTimestamp(6, Timestamp.valueOf("2024-02-29 13:45:06.123456"));
                    ps.setDate(7, java.sql.Date.valueOf("1999-12-31"));
                    eq(ps.executeUpdate(), 1, "update count of execution " + i);
                }
                org.postgresql.PGStatement pg = ps.unwrap(org.postgresql.PGStatement.class);
                if (!pg.isUseServerPrepare()) throw new AssertionError("not using a server-side prepared statement");
            }
        });

        run("executeBatch of 100 rows", () -> {
            try (Connection c = connect();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + T + " (id, big, label, flag) VALUES (?, ?, ?, ?)")) {
                for (int i = 1000; i < 1100; i++) {
                    ps.setInt(1, i);
                    ps.setLong(2, i * 10L);
                    ps.setString(3, "batch " + i);
                    ps.setBoolean(4, true);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                eq(counts.length, 100, "batch result length");
                for (int n : counts) if (n != 1 && n != Statement.SUCCESS_NO_INFO) throw new AssertionError("count " + n);
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM " + T + " WHERE id >= 1000")) {
                    rs.next();
                    eq(rs.getLong(1), 100L, "rows after batch");
                }
            }
        });

        run("SELECT from the view: getInt/getLong/getBigDecimal/getString/getBoolean/getTimestamp/getDate", () -> {
            try (Connection c = connect();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT id, big, amount, label, flag, at, day FROM " + V + " WHERE id <= ? ORDER BY id")) {
                ps.setInt(1, 10);
                try (ResultSet rs = ps.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        n++;
                        eq(rs.getInt(1), n, "id");
                        eq(rs.getLong(2), 9007199254740993L + n, "big");
                        eq(rs.getBigDecimal(3), new BigDecimal("12.345").add(BigDecimal.valueOf(n)), "amount");
                        eq(rs.getString(4), "héllo 'q' " + n, "label");
                        eq(rs.getBoolean(5), n % 2 == 0, "flag");
                        eq(rs.getTimestamp(6), Timestamp.valueOf("2024-02-29 13:45:06.123456"), "at");
                        eq(rs.getDate(7), java.sql.Date.valueOf("1999-12-31"), "day");
                    }
                    eq(n, 10, "row count");
                }
                // NULLs read back as SQL NULL.
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT amount, at, day FROM " + V + " WHERE id = 1000")) {
                    rs.next();
                    eq(rs.getBigDecimal(1), null, "null amount");
                    eq(rs.getTimestamp(2), null, "null at");
                    eq(rs.getDate(3), null, "null day");
                }
            }
        });

        run("transaction: setAutoCommit(false), commit, rollback", () -> {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + TX + " (id int PRIMARY KEY, v text)");
                c.setAutoCommit(false);
                s.executeUpdate("INSERT INTO " + TX + " VALUES (1, 'kept')");
                c.commit();
                s.executeUpdate("INSERT INTO " + TX + " VALUES (2, 'dropped')");
                c.rollback();
                c.setAutoCommit(true);
                try (ResultSet rs = s.executeQuery("SELECT id, v FROM " + TX + " ORDER BY id")) {
                    List<String> rows = new ArrayList<>();
                    while (rs.next()) rows.add(rs.getInt(1) + ":" + rs.getString(2));
                    eq(rows, List.of("1:kept"), "rows after commit + rollback");
                }
            }
        });

        run("SQLException.getSQLState() 22012 (division by zero)", () -> eq(sqlState("SELECT 1/0"), "22012", "sqlstate"));
        run("SQLException.getSQLState() 42P01 (undefined table)",
                () -> eq(sqlState("SELECT * FROM no_such_table_" + SUFFIX), "42P01", "sqlstate"));

        // weir evaluates a SELECT in slices of its inputs and yields to the event loop between
        // them (src/adapter/statements/one-shot.ts), so the CancelRequest that Statement.cancel()
        // sends on a second connection is read while this join runs, and stops it with 57014.
        run("Statement.cancel() of a running query gives 57014, connection still usable", () -> {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                // weir has no pg_sleep: a sum over a 200 x 200 x 200 cross join (8M rows, 2-5 s) runs long
                // enough (not count(*): with no column needed, the joined rows collapse to one).
                s.execute("CREATE TABLE " + SLOW + " (id int PRIMARY KEY)");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SLOW + " VALUES (?)")) {
                    for (int i = 0; i < 200; i++) {
                        ps.setInt(1, i);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                Thread canceller = new Thread(() -> {
                    try {
                        Thread.sleep(300);
                        s.cancel();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                canceller.start();
                long t0 = System.nanoTime();
                String state = null;
                try {
                    s.executeQuery("SELECT sum(a.id + b.id + c.id) FROM " + SLOW + " a, " + SLOW + " b, " + SLOW + " c").close();
                } catch (SQLException e) {
                    state = e.getSQLState();
                }
                canceller.join();
                eq(state, "57014", "sqlstate of the cancelled query");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (ms > 5_000) throw new AssertionError("cancel took " + ms + " ms");
                try (ResultSet rs = s.executeQuery("SELECT 2")) {
                    rs.next();
                    eq(rs.getInt(1), 2, "SELECT 2 after cancel");
                }
            }
        });

        run("DatabaseMetaData.getTables", () -> {
            try (Connection c = connect(); ResultSet rs = c.getMetaData().getTables(null, null, T, null)) {
                List<String> found = new ArrayList<>();
                while (rs.next()) found.add(rs.getString("TABLE_NAME") + "/" + rs.getString("TABLE_TYPE"));
                eq(found, List.of(T + "/TABLE"), "getTables(" + T + ")");
            }
        });
        run("DatabaseMetaData.getColumns", () -> {
            try (Connection c = connect(); ResultSet rs = c.getMetaData().getColumns(null, null, T, null)) {
                List<String> cols = new ArrayList<>();
                while (rs.next()) cols.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
                eq(cols, List.of("id:int4", "big:int8", "amount:numeric", "label:text", "flag:bool",
                        "at:timestamp", "day:date"), "getColumns(" + T + ")");
            }
        });
        run("DatabaseMetaData.getPrimaryKeys", () -> {
            try (Connection c = connect(); ResultSet rs = c.getMetaData().getPrimaryKeys(null, null, T)) {
                List<String> cols = new ArrayList<>();
                while (rs.next()) cols.add(rs.getString("COLUMN_NAME"));
                eq(cols, List.of("id"), "getPrimaryKeys(" + T + ")");
            }
        });

        run("DatabaseMetaData.getIndexInfo, getImportedKeys, getTypeInfo, getDefaultTransactionIsolation", () -> {
            try (Connection c = connect()) {
                DatabaseMetaData md = c.getMetaData();
                List<String> indexes = new ArrayList<>();
                try (ResultSet rs = md.getIndexInfo(null, null, T, false, false)) {
                    while (rs.next()) indexes.add(rs.getString("INDEX_NAME") + ":" + rs.getString("COLUMN_NAME") + ":" + rs.getBoolean("NON_UNIQUE"));
                }
                eq(indexes, List.of(T + "_pkey:id:false"), "getIndexInfo(" + T + ")");
                try (ResultSet rs = md.getImportedKeys(null, null, T)) {
                    if (rs.next()) throw new AssertionError("weir has no foreign keys, got one");
                }
                boolean int4 = false;
                try (ResultSet rs = md.getTypeInfo()) {
                    while (rs.next()) if ("int4".equals(rs.getString("TYPE_NAME"))) int4 = rs.getInt("DATA_TYPE") == Types.INTEGER;
                }
                if (!int4) throw new AssertionError("getTypeInfo has no int4 as INTEGER");
                eq(md.getDefaultTransactionIsolation(), Connection.TRANSACTION_SERIALIZABLE, "getDefaultTransactionIsolation");
            }
        });
        run("DatabaseMetaData.getSQLKeywords (pg_get_keywords() less SQL:2003's)", () -> {
            try (Connection c = connect()) {
                List<String> words = List.of(c.getMetaData().getSQLKeywords().split(","));
                if (!words.contains("ilike") || !words.contains("limit")) throw new AssertionError("getSQLKeywords() lacks ilike or limit: " + words);
                if (words.contains("select")) throw new AssertionError("getSQLKeywords() lists SQL:2003's select");
            }
        });

        System.out.println(passed + " passed, " + failed + " failed, " + expectedFailed + " expected failures");
        System.exit(failed == 0 ? 0 : 1);
    }
}
