package badgerstore

import (
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// TestMemoryBudget checks what MemoryBudget gives Badger and the hot
// caches for a few budgets: the sizes documented, and memtables, caches
// and the records of recent sessions and users within three fifths of the
// budget, leaving the rest to the garbage collector and the engine; on a
// 32-bit system, as thirtyTwoBit adapts them.
func TestMemoryBudget(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		budget                 int64
		small                  bool
		memtable               int64
		memtables              int
		blockCache, indexCache int64
		table, valueLog, hot   int64
	}{
		{32 * mb, false, 2 * mb, 2, 4 * mb, 2 * mb, 256 << 10, 16 * mb, 2 * mb},
		{128 * mb, true, 8 * mb, 2, 0, 8 * mb, 512 << 10, 32 * mb, 8 * mb},
		{512 * mb, false, 32 * mb, 3, 64 * mb, 32 * mb, 2 * mb, 128 * mb, 32 * mb},
		{4096 * mb, false, 64 * mb, 3, 512 * mb, 256 * mb, 16 * mb, 256 * mb, 32 * mb},
	} {
		cfg := config{small: c.small}
		if err := MemoryBudget(c.budget)(&cfg); err != nil {
			t.Fatal(err)
		}
		o := cfg.badgerOptions(t.TempDir())
		if addressBits == 32 {
			// A 32-bit system caps the memtable and the value log and
			// gives every table one size (thirtyTwoBit).
			w := thirtyTwoBit(badger.DefaultOptions("").WithMemTableSize(c.memtable).
				WithBaseTableSize(c.table).WithValueLogFileSize(c.valueLog))
			c.memtable, c.table, c.valueLog = w.MemTableSize, w.BaseTableSize, w.ValueLogFileSize
		}
		got := []int64{o.MemTableSize, int64(o.NumMemtables), o.BlockCacheSize, o.IndexCacheSize, o.BaseTableSize, o.ValueLogFileSize, int64(cfg.hotBytes())}
		want := []int64{c.memtable, int64(c.memtables), c.blockCache, c.indexCache, c.table, c.valueLog, c.hot}
		names := []string{"MemTableSize", "NumMemtables", "BlockCacheSize", "IndexCacheSize", "BaseTableSize", "ValueLogFileSize", "hotBytes"}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("budget %d MB: %s = %d, want %d", c.budget/mb, names[i], got[i], want[i])
			}
		}
		if o.TableSizeMultiplier != 1 {
			t.Errorf("budget %d MB: TableSizeMultiplier = %d, want 1", c.budget/mb, o.TableSizeMultiplier)
		}
		if used := int64(o.NumMemtables)*o.MemTableSize + o.BlockCacheSize + o.IndexCacheSize + 2*int64(cfg.hotBytes()); used > c.budget*3/5 {
			t.Errorf("budget %d MB: memtables, caches and hot records take %d MB, over three fifths", c.budget/mb, used/mb)
		}
		// Badger accepts them.
		bdb, err := badger.Open(o)
		if err != nil {
			t.Fatalf("budget %d MB: %v", c.budget/mb, err)
		}
		bdb.Close()
	}
	for _, b := range []int64{-1, 0, MinMemoryBudget - 1} {
		if err := MemoryBudget(b)(&config{}); err == nil {
			t.Errorf("MemoryBudget(%d): no error", b)
		}
	}
}
