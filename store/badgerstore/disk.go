package badgerstore

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleybot/parley/store"
)

// The free space a store keeps on its filesystem by default: room for
// Badger's memtables to reach the disk and a compaction to finish once
// writes stop. Badger writes through memory-mapped files, and a process
// writing to a mapped page of a full filesystem is killed (SIGBUS): the
// store must stop writing before the disk is full, not when it is.
const (
	DefaultDiskReserve      = 512 << 20
	DefaultDiskReserveSmall = 64 << 20
)

// diskCheckEvery is how often a store looks at its filesystem's free space.
var diskCheckEvery = time.Second

// WithDiskReserve sets the free space, in bytes, the store keeps on its
// filesystem: while less is free, every write returns store.ErrFull and
// reads go on; writes resume, without a restart, within a second of space
// being freed. Open fails, saying what to do, when less is free to begin
// with. The default is DefaultDiskReserve (DefaultDiskReserveSmall with
// SmallDevice); 0 turns the check off. It does not apply InMemory, nor on
// systems without statfs (Windows), where the free space is not known.
func WithDiskReserve(bytes int64) Option {
	return func(c *config) error {
		if bytes < 0 {
			return fmt.Errorf("badgerstore: WithDiskReserve: %d bytes is negative", bytes)
		}
		c.reserve, c.reserveSet = bytes, true
		return nil
	}
}

// diskReserve returns the reserve c asks for.
func (c *config) diskReserve() int64 {
	switch {
	case c.inMemory:
		return 0
	case c.reserveSet:
		return c.reserve
	case c.small:
		return DefaultDiskReserveSmall
	}
	return DefaultDiskReserve
}

// checkSpace fails when dir's filesystem has less than reserve free.
func checkSpace(dir string, reserve int64) error {
	if reserve == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	free, err := freeSpace(dir)
	if err != nil {
		return nil // no statfs here: the check is off
	}
	if free < reserve {
		return fmt.Errorf("%w: %d MiB free on the filesystem, less than the %d MiB reserve that keeps the store from filling it: free some space (or lower the reserve) and open it again",
			store.ErrFull, free>>20, reserve>>20)
	}
	return nil
}

// diskLoop marks the store full or not from its filesystem's free space,
// every diskCheckEvery until Close. Once less than twice the reserve is
// free, writes look again themselves before each commit (a statfs call,
// about a microsecond), since a second of writes can take more than the
// reserve.
func (db *DB) diskLoop(dir string, reserve int64) {
	defer db.loops.Done()
	t := time.NewTicker(diskCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-db.closing:
			return
		case <-t.C:
		}
		db.checkDisk()
	}
}

// disk is what checkDisk needs.
type disk struct {
	dir     string
	reserve int64
	low     atomic.Bool // less than twice the reserve free: check before writes
	mu      sync.Mutex  // one statfs at a time
}

// checkDisk looks at the free space and marks the store full or not.
func (db *DB) checkDisk() {
	d := &db.disk
	d.mu.Lock()
	defer d.mu.Unlock()
	free, err := freeSpace(d.dir)
	if err != nil {
		return
	}
	d.low.Store(free < 2*d.reserve)
	full := free < d.reserve
	if was := db.full.Swap(full); was != full && db.cfg.logger != nil {
		if full {
			db.cfg.logger.Error("badgerstore: the disk is nearly full: writes are refused until space is freed",
				"dir", d.dir, "free_mib", free>>20, "reserve_mib", d.reserve>>20)
		} else {
			db.cfg.logger.Info("badgerstore: space freed: writes resume", "dir", d.dir, "free_mib", free>>20)
		}
	}
}

// errFull is the error of a write refused for want of space.
var errFull = fmt.Errorf("badgerstore: %w: less free space than the reserve", store.ErrFull)

// isFull reports whether writes are refused for want of space, looking
// at the disk first when space is low.
func (db *DB) isFull() bool {
	if db.disk.low.Load() {
		db.checkDisk()
	}
	return db.full.Load()
}
