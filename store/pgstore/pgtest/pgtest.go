// Package pgtest gives each test a PostgreSQL store of its own: a fresh
// schema in the test database, dropped when the test ends, so that tests
// in parallel packages and repeated runs never see each other's data.
//
// The database is named by the environment variable PARLEY_POSTGRES, by
// default [DefaultConnString]. A test that cannot reach it fails, naming
// the command that starts the server; it is never skipped.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store/pgstore"
)

// DefaultConnString is the test database: the local server's database
// test, as user postgres with trust authentication.
const DefaultConnString = "postgres://postgres@127.0.0.1:5432/test"

// StartCommand starts the local PostgreSQL server of a Debian machine.
const StartCommand = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"

// schemaPrefix starts the names of the schemas tests create.
const schemaPrefix = "parley_test_"

// ConnString returns PARLEY_POSTGRES, or DefaultConnString.
func ConnString() string {
	if s := os.Getenv("PARLEY_POSTGRES"); s != "" {
		return s
	}
	return DefaultConnString
}

var sweep sync.Once

// Schema creates nothing yet but reserves a fresh schema name for tb, and
// drops the schema (if anything created it) when tb ends. It fails tb if
// the database cannot be reached. It returns the connection string and
// the schema's name.
func Schema(tb testing.TB) (connString, schema string) {
	tb.Helper()
	connString = ConnString()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		tb.Fatalf("pgtest: PostgreSQL is not reachable at %s: %v\n"+
			"start it with: %s\n(or name another database in PARLEY_POSTGRES)", connString, err, StartCommand)
	}
	defer conn.Close(ctx)
	sweep.Do(func() { dropStale(ctx, conn) })
	var b [6]byte
	rand.Read(b[:])
	schema = schemaPrefix + strconv.FormatInt(time.Now().Unix(), 10) + "_" + hex.EncodeToString(b[:])
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, connString)
		if err != nil {
			tb.Errorf("pgtest: drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
			tb.Errorf("pgtest: drop schema %s: %v", schema, err)
		}
	})
	return connString, schema
}

// dropStale drops the schemas that tests of killed runs left behind more
// than an hour ago.
func dropStale(ctx context.Context, conn *pgx.Conn) {
	rows, err := conn.Query(ctx, `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, schemaPrefix)
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, n := range names {
		var secs int64
		var rest string
		if _, err := fmt.Sscanf(n[len(schemaPrefix):], "%d_%s", &secs, &rest); err != nil {
			continue
		}
		if time.Since(time.Unix(secs, 0)) > time.Hour {
			conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+n+` CASCADE`)
		}
	}
}

// Open opens a store in a fresh schema (see [Schema]) with opts, and
// closes it and drops the schema when tb ends.
func Open(tb testing.TB, opts ...pgstore.Option) *pgstore.DB {
	tb.Helper()
	connString, schema := Schema(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pgstore.Open(ctx, connString, append([]pgstore.Option{pgstore.WithSchema(schema)}, opts...)...)
	if err != nil {
		tb.Fatalf("pgtest: open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("pgtest: close: %v", err)
		}
	})
	return db
}
