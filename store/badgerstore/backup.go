package badgerstore

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dgraph-io/badger/v4"
)

// Backup writes a consistent snapshot of the whole store to w while the
// store stays in use. Restore reads it back.
func (db *DB) Backup(ctx context.Context, w io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	if _, err := db.bdb.Backup(w, 0); err != nil {
		return fmt.Errorf("badgerstore: backup: %w", err)
	}
	return nil
}

// Restore creates a store in dir from a backup written by [DB.Backup]. dir
// must not hold a store yet (a missing or empty directory). opts are those of
// Open; InMemory makes no sense here and is an error. Open the store
// afterwards to use it.
func Restore(dir string, r io.Reader, opts ...Option) error {
	cfg := config{}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return err
		}
	}
	if cfg.inMemory {
		return errors.New("badgerstore: restore: InMemory store")
	}
	if err := checkDir(dir); err != nil {
		return err
	}
	bdb, err := badger.Open(cfg.badgerOptions(dir))
	if err != nil {
		return fmt.Errorf("badgerstore: restore %s: %w", dir, err)
	}
	empty := true
	bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		it.Rewind()
		empty = !it.Valid()
		it.Close()
		return nil
	})
	if !empty {
		bdb.Close()
		return fmt.Errorf("badgerstore: restore %s: directory already holds a store", dir)
	}
	// The backup's lastSeen index may be behind its user records
	// (lastseen.go): have Open rebuild it. First, so that a Restore
	// stopped halfway leaves a store that Open repairs.
	err = bdb.Update(func(txn *badger.Txn) error { return txn.Set(openKey, nil) })
	if err == nil {
		err = load(bdb, r)
	}
	if err != nil {
		bdb.Close()
		return fmt.Errorf("badgerstore: restore %s: %w", dir, err)
	}
	if err := bdb.Close(); err != nil {
		return fmt.Errorf("badgerstore: restore %s: %w", dir, err)
	}
	// Check what was restored the way Open does, and repair the index.
	db, err := Open(dir, opts...)
	if err != nil {
		return fmt.Errorf("badgerstore: restore %s: %w", dir, err)
	}
	return db.Close()
}

// load loads a backup into bdb. Badger panics on some malformed input; that
// becomes an error.
func load(bdb *badger.DB, r io.Reader) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("not a backup: %v", p)
		}
	}()
	return bdb.Load(r, 256)
}
