package badgerstore

import (
	"errors"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

func TestSchema(t *testing.T) {
	for _, c := range []struct {
		name  string
		value string // of the schema key; "" writes another key instead
		want  error
	}{
		{"ErrNewer", "parley-badgerstore 2", ErrNewer},
		{"ErrForeignValue", "someone-else 1", ErrForeign},
		{"ErrForeignVersion", "parley-badgerstore one", ErrForeign},
		{"ErrForeignNoSchema", "", ErrForeign},
		{"OK", "parley-badgerstore 1", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			bdb, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
			if err != nil {
				t.Fatal(err)
			}
			err = bdb.Update(func(txn *badger.Txn) error {
				if c.value == "" {
					return txn.Set([]byte("someone's key"), []byte("v"))
				}
				return txn.Set(schemaKey, []byte(c.value))
			})
			if err != nil {
				t.Fatal(err)
			}
			bdb.Close()
			db, err := Open(dir)
			if err == nil {
				db.Close()
			}
			if !errors.Is(err, c.want) {
				t.Errorf("Open: got %v, want %v", err, c.want)
			}
		})
	}
}
