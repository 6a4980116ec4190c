// A Go pgx v5 client run against weir (issue 5, "client matrix as tests").
//
// Run by test/clients/pgx.test.ts with WEIR_URL set to an in-process server. pgx uses the
// extended protocol throughout: it Describes each statement to learn parameter types (so
// the server must infer them) and asks for binary results for every type it knows. Each
// check prints one line ("ok <name>" or "FAIL <name>: <why>"); any failure exits 1.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

var failed int

func check(name string, fn func() error) {
	if err := fn(); err != nil {
		failed++
		fmt.Printf("FAIL %s: %v\n", name, err)
		return
	}
	fmt.Printf("ok   %s\n", name)
}

func main() {
	url := os.Getenv("WEIR_URL")
	if url == "" {
		fmt.Println("FAIL WEIR_URL is not set")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var conn *pgx.Conn
	check("connect", func() error {
		var err error
		conn, err = pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		return conn.Ping(ctx)
	})
	if conn == nil {
		os.Exit(1)
	}
	defer conn.Close(context.Background())

	check("create table and materialized view", func() error {
		if _, err := conn.Exec(ctx, `CREATE TABLE things (
			id int PRIMARY KEY, big bigint, f float8, name text, flag bool,
			ts timestamp, tstz timestamptz, d date, amount numeric(10,2), raw bytea, doc jsonb)`); err != nil {
			return err
		}
		_, err := conn.Exec(ctx, `CREATE MATERIALIZED VIEW things_v AS
			SELECT id, big, f, name, flag, ts, tstz, d, amount, raw, doc FROM things`)
		return err
	})

	ts := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	tstz := time.Date(2024, 3, 1, 1, 2, 3, 0, time.UTC)
	d := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	raw := []byte{0, 1, 2, 0xfe, 0xff}
	check("insert with server-inferred $n parameter types", func() error {
		tag, err := conn.Exec(ctx,
			`INSERT INTO things VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			int32(1), int64(9007199254740993), 2.5, "héllo", true, ts, tstz, d,
			"12.34", raw, map[string]any{"a": 1, "b": []any{"x", true}})
		if err != nil {
			return err
		}
		if tag.String() != "INSERT 0 1" {
			return fmt.Errorf("command tag %q, want INSERT 0 1", tag.String())
		}
		return nil
	})

	// By default pgx asks for each column in its codec's preferred format: binary for most
	// types, text for text and jsonb. The first read takes those defaults; the second forces
	// every column to binary, so weir's binary text and jsonb encodings are exercised too.
	want := row{1, 9007199254740993, 2.5, "héllo", true, ts, tstz, d,
		pgtype.Numeric{Int: big.NewInt(1234), Exp: -2, Valid: true}, raw,
		map[string]any{"a": float64(1), "b": []any{"x", true}}}
	check("select from the view in pgx's preferred formats", func() error {
		return readRow(ctx, conn, want, false, 1)
	})
	check("select from the view, every column forced to binary", func() error {
		return readRow(ctx, conn, want, true, pgx.QueryResultFormats{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 1)
	})

	check("batch of queued inserts", func() error {
		b := &pgx.Batch{}
		for i := 2; i <= 21; i++ {
			b.Queue(`INSERT INTO things (id, name) VALUES ($1, $2)`, i, fmt.Sprintf("n%d", i))
		}
		b.Queue(`SELECT count(*) FROM things_v`)
		br := conn.SendBatch(ctx, b)
		for i := 2; i <= 21; i++ {
			tag, err := br.Exec()
			if err != nil {
				br.Close()
				return fmt.Errorf("insert %d: %w", i, err)
			}
			if tag.RowsAffected() != 1 {
				br.Close()
				return fmt.Errorf("insert %d: tag %q", i, tag.String())
			}
		}
		var n int64
		if err := br.QueryRow().Scan(&n); err != nil {
			br.Close()
			return err
		}
		if err := br.Close(); err != nil {
			return err
		}
		if n != 21 {
			return fmt.Errorf("count %d after batch, want 21", n)
		}
		return nil
	})

	check("NULLs scan into pointers and invalid pgtype values", func() error {
		var big *int64
		var amount pgtype.Numeric
		var doc map[string]any
		var ts pgtype.Timestamptz
		err := conn.QueryRow(ctx, `SELECT big, amount, doc, tstz FROM things_v WHERE id = $1`, 2).Scan(&big, &amount, &doc, &ts)
		if err != nil {
			return err
		}
		if big != nil || amount.Valid || doc != nil || ts.Valid {
			return fmt.Errorf("got %v %+v %v %+v, want all NULL", big, amount, doc, ts)
		}
		return nil
	})

	check("transaction commit", func() error {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO things (id, name) VALUES ($1, $2)`, 100, "committed"); err != nil {
			tx.Rollback(ctx)
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		var name string
		if err := conn.QueryRow(ctx, `SELECT name FROM things_v WHERE id = $1`, 100).Scan(&name); err != nil {
			return err
		}
		if name != "committed" {
			return fmt.Errorf("name %q", name)
		}
		return nil
	})

	check("transaction rollback", func() error {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO things (id, name) VALUES ($1, $2)`, 101, "rolled back"); err != nil {
			tx.Rollback(ctx)
			return err
		}
		if err := tx.Rollback(ctx); err != nil {
			return err
		}
		var n int64
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM things_v WHERE id = $1`, 101).Scan(&n); err != nil {
			return err
		}
		if n != 0 {
			return fmt.Errorf("%d rows after rollback, want 0", n)
		}
		return nil
	})

	check("division by zero is a *pgconn.PgError with code 22012", func() error {
		var n int32
		err := conn.QueryRow(ctx, `SELECT 1/0`).Scan(&n)
		return wantCode(err, "22012")
	})

	check("unknown table is a *pgconn.PgError with code 42P01", func() error {
		_, err := conn.Exec(ctx, `SELECT * FROM no_such_table`)
		return wantCode(err, "42P01")
	})

	check("connection still usable after errors", func() error {
		var n int64
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM things_v`).Scan(&n); err != nil {
			return err
		}
		if n != 22 {
			return fmt.Errorf("count %d, want 22", n)
		}
		return nil
	})

	if failed > 0 {
		fmt.Printf("%d check(s) failed\n", failed)
		os.Exit(1)
	}
	fmt.Println("all checks passed")
}

type row struct {
	id     int32
	big    int64
	f      float64
	name   string
	flag   bool
	ts     time.Time
	tstz   time.Time
	d      time.Time
	amount pgtype.Numeric
	raw    []byte
	doc    map[string]any
}

// readRow selects row 1 from the view with the given query arguments (which may begin with
// pgx.QueryResultFormats), checks every column came back in the format pgx asked for, and
// compares the scanned values with want.
func readRow(ctx context.Context, conn *pgx.Conn, want row, allBinary bool, args ...any) error {
	rows, err := conn.Query(ctx, `SELECT id, big, f, name, flag, ts, tstz, d, amount, raw, doc FROM things_v WHERE id = $1`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if rows.Err() != nil {
			return rows.Err()
		}
		return errors.New("no row")
	}
	for i, fd := range rows.FieldDescriptions() {
		wantFormat := int16(pgtype.BinaryFormatCode)
		if !allBinary {
			t, ok := conn.TypeMap().TypeForOID(fd.DataTypeOID)
			if !ok {
				return fmt.Errorf("column %d (%s) has type OID %d, unknown to pgx", i, fd.Name, fd.DataTypeOID)
			}
			wantFormat = t.Codec.PreferredFormat()
		}
		if fd.Format != wantFormat {
			return fmt.Errorf("column %d (%s) came back in format %d, want %d", i, fd.Name, fd.Format, wantFormat)
		}
	}
	var got row
	if err := rows.Scan(&got.id, &got.big, &got.f, &got.name, &got.flag, &got.ts, &got.tstz, &got.d, &got.amount, &got.raw, &got.doc); err != nil {
		return err
	}
	if rows.Next() {
		return errors.New("more than one row")
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if got.id != want.id || got.big != want.big || got.f != want.f || got.name != want.name || got.flag != want.flag {
		return fmt.Errorf("scalars: %v %v %v %q %v", got.id, got.big, got.f, got.name, got.flag)
	}
	if !got.ts.Equal(want.ts) {
		return fmt.Errorf("timestamp %v, want %v", got.ts, want.ts)
	}
	if !got.tstz.Equal(want.tstz) {
		return fmt.Errorf("timestamptz %v, want %v", got.tstz, want.tstz)
	}
	if !got.d.Equal(want.d) {
		return fmt.Errorf("date %v, want %v", got.d, want.d)
	}
	if !got.amount.Valid || got.amount.NaN || ratOf(got.amount).Cmp(ratOf(want.amount)) != 0 {
		return fmt.Errorf("numeric %+v, want %s", got.amount, ratOf(want.amount).FloatString(2))
	}
	if !bytes.Equal(got.raw, want.raw) {
		return fmt.Errorf("bytea %x, want %x", got.raw, want.raw)
	}
	if !reflect.DeepEqual(got.doc, want.doc) {
		return fmt.Errorf("jsonb %#v, want %#v", got.doc, want.doc)
	}
	return nil
}

func ratOf(n pgtype.Numeric) *big.Rat {
	r := new(big.Rat).SetInt(n.Int)
	e := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(n.Exp))), nil)
	if n.Exp < 0 {
		return r.Quo(r, new(big.Rat).SetInt(e))
	}
	return r.Mul(r, new(big.Rat).SetInt(e))
}

func abs(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

func wantCode(err error, code string) error {
	if err == nil {
		return fmt.Errorf("no error, want SQLSTATE %s", code)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return fmt.Errorf("error %T (%v), want *pgconn.PgError", err, err)
	}
	if pgErr.Code != code {
		return fmt.Errorf("SQLSTATE %s (%s), want %s", pgErr.Code, pgErr.Message, code)
	}
	return nil
}
