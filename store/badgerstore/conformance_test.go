package badgerstore_test

import (
	"testing"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Run("InMemory", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Store {
			return open(t, "", badgerstore.InMemory(), badgerstore.WithClock(cfg.Now), badgerstore.WithLocation(cfg.Location), badgerstore.WithLogRetention(cfg.LogRetention))
		})
	})
	t.Run("OnDisk", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Store {
			return open(t, t.TempDir(), badgerstore.SmallDevice(), badgerstore.WithClock(cfg.Now), badgerstore.WithLocation(cfg.Location), badgerstore.WithLogRetention(cfg.LogRetention))
		})
	})
}

// open opens a store and closes it when the test ends.
func open(tb testing.TB, dir string, opts ...badgerstore.Option) *badgerstore.DB {
	tb.Helper()
	db, err := badgerstore.Open(dir, opts...)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}
