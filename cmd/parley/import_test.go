package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/store/pgstore"
	"github.com/parleybot/parley/store/pgstore/pgtest"
)

func TestImportUsersCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	csv := filepath.Join(dir, "users.csv")
	os.WriteFile(csv, []byte("\ufeffuserId,email,plan,tags\nann,ann@x.com,gold,vip\n,,x,\nbob,bob@x.com,free,\"vip;new\"\n"), 0o644)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"import", "users", "-data", data, csv}, nil, &out, &errOut)
	if code != 1 {
		t.Errorf("exit code with a refused row: got %d, want 1 (stderr %q)", code, errOut.String())
	}
	for _, want := range []string{"3 rows: 2 created, 0 updated, 1 refused", "users.csv:3: gives neither a userId nor an email"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q lacks %q", out.String(), want)
		}
	}
	// Again, from stdin, without the bad row: everyone is updated.
	out.Reset()
	code = run(context.Background(), []string{"import", "users", "-data", data, "-memory-budget", "48MB", "-"}, strings.NewReader("userId,plan\nann,platinum\nbob,gold\n"), &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "2 rows: 0 created, 2 updated, 0 refused") {
		t.Errorf("second import: exit %d, output %q", code, out.String())
	}
	db, err := badgerstore.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.UserByUserID(context.Background(), "ann")
	if err != nil || u.Attributes["plan"] != "platinum" || len(u.Tags) != 1 {
		t.Errorf("ann: got %+v, %v", u, err)
	}
	tags, _ := db.Tags(context.Background())
	if len(tags) != 2 || tags[1] != (store.Tag{ID: store.TagID("vip"), Name: "vip", Users: 2}) {
		t.Errorf("tags: got %v", tags)
	}
}

func TestImportUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import"}, 2, "users"},
		{[]string{"import", "help"}, 0, "users"},
		{[]string{"import", "nothing"}, 2, `unknown kind "nothing"`},
		{[]string{"import", "users", "x.csv"}, 2, "-data DIR"},
		{[]string{"import", "users", "-data", "d"}, 2, "-data DIR"},
		{[]string{"import", "users", "-data", "d", "-store", "postgres://x@y/z", "x.csv"}, 2, "-data DIR|-store URL"},
		{[]string{"import", "users", "-store", "mysql://x", "x.csv"}, 2, "want a PostgreSQL URL"},
		{[]string{"import", "users", "-data", "d", "-profile", "huge", "x.csv"}, 2, "-profile small"},
		{[]string{"import", "users", "-data", "d", "-memory-budget", "16MB", "x.csv"}, 2, "-memory-budget 16MB: want at least 32MB"},
		{[]string{"import", "users", "-data", "d", "-memory-budget", "lots", "x.csv"}, 2, "want a size"},
	} {
		var out bytes.Buffer
		if code := run(context.Background(), c.args, nil, &out, &out); code != c.code || !strings.Contains(out.String(), c.want) {
			t.Errorf("%v: exit %d, output %q; want %d and %q", c.args, code, out.String(), c.code, c.want)
		}
	}
}

func TestImportUsersHeaderError(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"import", "users", "-data", t.TempDir(), "-"}, strings.NewReader("name,plan\nAnn,gold\n"), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "header") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestImportUsersPostgres imports into a PostgreSQL schema with -store,
// as parley serve -store would serve it.
func TestImportUsersPostgres(t *testing.T) {
	connString, schema := pgtest.Schema(t)
	var out, errOut bytes.Buffer
	args := []string{"import", "users", "-store", connString, "-schema", schema, "-"}
	code := run(context.Background(), args, strings.NewReader("userId,email,tags\nann,ann@x.com,vip\nbob,bob@x.com,\n"), &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "2 rows: 2 created, 0 updated, 0 refused") {
		t.Fatalf("exit %d, output %q, stderr %q", code, out.String(), errOut.String())
	}
	db, err := pgstore.Open(context.Background(), connString, pgstore.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if u, err := db.UserByEmail(context.Background(), "ann@x.com"); err != nil || u.UserID != "ann" || len(u.Tags) != 1 {
		t.Errorf("ann: got %+v, %v", u, err)
	}
}
