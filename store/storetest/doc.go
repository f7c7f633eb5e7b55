// Package storetest is the conformance suite for [store.Store] backends, in
// the manner of testing/slogtest: every backend runs [Run] from its tests and
// passes it unchanged.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Store {
//			db, err := badgerstore.Open("", badgerstore.InMemory(),
//				badgerstore.WithClock(cfg.Now), badgerstore.WithLocation(cfg.Location))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { db.Close() })
//			return db
//		})
//	}
//
// Each case runs as a subtest on a fresh store and reports every violation it
// finds, not just the first.
//
// # Caveats
//
// The suite checks behaviour, not speed or durability: backends test crash
// safety and measure themselves with their own tests and benchmarks.
package storetest
