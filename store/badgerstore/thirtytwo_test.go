package badgerstore

import (
	"testing"

	"github.com/dgraph-io/badger/v4/options"
)

// TestThirtyTwoBit checks, on every system, the sizes Open gives Badger on
// a 32-bit one (see thirtyTwoBit): every memory map fits a 32-bit address
// space, and no table outgrows the first buffer of the allocator it is
// built in, which on 32-bit systems would overwrite the table. The qemu runs
// of .ci/run exercise the same on linux/arm.
func TestThirtyTwoBit(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  config
	}{
		{"Default", config{}},
		{"SmallDevice", config{small: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := thirtyTwoBit(c.cfg.badgerOptions(t.TempDir()))
			if maps := 2*o.ValueLogFileSize + int64(o.NumMemtables)*2*o.MemTableSize; maps > 256<<20 {
				t.Errorf("value log and memtable maps: got %d MB, want at most 256 MB", maps>>20)
			}
			if o.TableSizeMultiplier != 1 {
				t.Errorf("TableSizeMultiplier: got %d, want 1 (the allocator pool is shared by all levels)", o.TableSizeMultiplier)
			}
			if o.BaseTableSize < o.MemTableSize {
				t.Errorf("BaseTableSize %d < MemTableSize %d: a flushed memtable would outgrow its allocator", o.BaseTableSize, o.MemTableSize)
			}
			if o.Compression != options.None {
				t.Errorf("Compression: got %v, want none", o.Compression)
			}
			if int64(o.BlockSize) < 4*o.ValueThreshold {
				t.Errorf("BlockSize %d below 4 × ValueThreshold %d: blocks would grow", o.BlockSize, o.ValueThreshold)
			}
		})
	}
}
