package pgstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/pgstore"
	"github.com/parleybot/parley/store/pgstore/pgtest"
)

var ctx = context.Background()

// exec runs SQL on the test database outside any store.
func exec(t *testing.T, connString, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	connString, schema := pgtest.Schema(t)
	db, err := pgstore.Open(ctx, connString, pgstore.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	exec(t, connString, `INSERT INTO `+schema+`.parley_schema (version) VALUES ($1)`, pgstore.SchemaVersion+1)
	db, err = pgstore.Open(ctx, connString, pgstore.WithSchema(schema))
	if !errors.Is(err, pgstore.ErrNewer) {
		t.Errorf("Open of a newer schema: got %v, want ErrNewer", err)
	}
	if err == nil {
		db.Close()
	}
}

func TestOpenForeign(t *testing.T) {
	connString, schema := pgtest.Schema(t)
	exec(t, connString, `CREATE SCHEMA `+schema)
	exec(t, connString, `CREATE TABLE `+schema+`.orders (id int)`)
	db, err := pgstore.Open(ctx, connString, pgstore.WithSchema(schema))
	if !errors.Is(err, pgstore.ErrForeign) {
		t.Errorf("Open of a schema with other tables: got %v, want ErrForeign", err)
	}
	if err == nil {
		db.Close()
	}
}

// TestOpenConcurrent opens one new schema from many stores at once, as
// processes starting together do: every Open succeeds and the schema is
// migrated once.
func TestOpenConcurrent(t *testing.T) {
	connString, schema := pgtest.Schema(t)
	const n = 6
	dbs := make([]*pgstore.DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = pgstore.Open(ctx, connString, pgstore.WithSchema(schema))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		defer dbs[i].Close()
	}
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, max int
	if err := conn.QueryRow(ctx, `SELECT count(*), max(version) FROM `+schema+`.parley_schema`).Scan(&rows, &max); err != nil {
		t.Fatal(err)
	}
	if rows != pgstore.SchemaVersion || max != pgstore.SchemaVersion {
		t.Errorf("parley_schema: got %d rows up to version %d, want %d", rows, max, pgstore.SchemaVersion)
	}
}

// TestSchemasIsolated keeps two bots in two schemas of one database:
// neither sees the other's users, and each may use the same userId.
func TestSchemasIsolated(t *testing.T) {
	a, b := pgtest.Open(t), pgtest.Open(t)
	ua, err := a.CreateUser(ctx, store.User{UserID: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.User(ctx, ua.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other schema's user: got %v, want ErrNotFound", err)
	}
	if _, err := b.CreateUser(ctx, store.User{UserID: "ann"}); err != nil {
		t.Errorf("same userId in another schema: %v", err)
	}
	if a.Schema() == b.Schema() {
		t.Errorf("both stores in schema %s", a.Schema())
	}
}

func TestWithSchemaInvalid(t *testing.T) {
	for _, name := range []string{"", "Bots", "1bot", "pg_bot", "bot-1", "a\"b", string(make([]byte, 64))} {
		if _, err := pgstore.Open(ctx, pgtest.ConnString(), pgstore.WithSchema(name)); err == nil {
			t.Errorf("WithSchema(%q): got no error", name)
		}
	}
}

func TestOpenUnreachable(t *testing.T) {
	c, cancel := context.WithTimeout(ctx, 5e9)
	defer cancel()
	_, err := pgstore.Open(c, "postgres://postgres@127.0.0.1:1/test?connect_timeout=2")
	if err == nil {
		t.Fatal("Open of a closed port: got no error")
	}
}

func TestClose(t *testing.T) {
	connString, schema := pgtest.Schema(t)
	db, err := pgstore.Open(ctx, connString, pgstore.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := db.CreateUser(ctx, store.User{}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("CreateUser after Close: got %v, want ErrClosed", err)
	}
	if err := db.Update(ctx, "session-closed", func(*store.Turn) error { return nil }); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Update after Close: got %v, want ErrClosed", err)
	}
}
