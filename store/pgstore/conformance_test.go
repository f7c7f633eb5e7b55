package pgstore_test

import (
	"testing"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/pgstore"
	"github.com/parleybot/parley/store/pgstore/pgtest"
	"github.com/parleybot/parley/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Store {
		return pgtest.Open(t, pgstore.WithClock(cfg.Now), pgstore.WithLocation(cfg.Location), pgstore.WithLogRetention(cfg.LogRetention))
	})
}
