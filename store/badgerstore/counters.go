package badgerstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Counters never make concurrent writers conflict over a shared total.
//
// A turn's counters are written with its commit (see group.go). When the
// turn commits alone or with one other, they go to its lock stripe's key of
// the day (c <day> \x02 <stripe>). Only turns holding that stripe's lock
// write the key, and one process has the directory open, so the store keeps
// the key's value in memory (DB.shards) and writes the new total without
// reading it: one key per turn, nothing to merge. The key is read once per
// stripe and day, and again after a failed commit.
//
// When three or more turns commit together, their counters go to the
// groups' key of the day (c <day> \x03), which only the group's leader
// writes, one group at a time: like a stripe's, its total is kept in
// memory. Other writes (AppendMessages, CreateUser) hold no stripe lock
// and do not lead a group: they add a key of their own (c <day> \x01
// <unique>), which a background loop merges into the day's total
// (c <day> \x00) and deletes. So does a group for a second day, when it
// spans midnight.
//
// Stats adds up every key of a day.

// A counterShard is the counters of one day at a stripe's key or at the
// groups' key, as last committed.
type counterShard struct {
	loaded bool
	day    uint32
	c      store.Counters
}

func shardKey(day uint32, stripe int) []byte {
	return append(dayKey(day), 2, byte(stripe))
}

func groupShardKey(day uint32) []byte { return append(dayKey(day), 3) }

// loadShard returns sh, or the shard of day at key as committed if sh is
// not loaded or of another day.
func loadShard(txn *badger.Txn, sh counterShard, key []byte, day uint32) (counterShard, error) {
	if sh.loaded && sh.day == day {
		return sh, nil
	}
	sh = counterShard{loaded: true, day: day}
	err := get(txn, key, func(v []byte) error { return decodeCounters(v, &sh.c) })
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return counterShard{}, err
	}
	return sh, nil
}

// sharedCounters is the number of turns in a commit from which their
// counters share one key.
const sharedCounters = 3

// writeCounters writes the counters of the batches of group that commit
// (those without an error) into txn, and sets the stripe totals that
// Update keeps once txn committed, and db.groupNext.
func (db *DB) writeCounters(txn *badger.Txn, group []*batch) error {
	db.groupNext = db.groupShard
	n := 0
	for _, b := range group {
		b.shardSet = false
		if b.err == nil && !b.counters.IsZero() {
			n++
		}
	}
	if n >= sharedCounters {
		var days []uint32
		var sums []store.Counters
		for _, b := range group {
			if b.err != nil || b.counters.IsZero() {
				continue
			}
			i := slices.Index(days, b.day)
			if i < 0 {
				i = len(days)
				days, sums = append(days, b.day), append(sums, store.Counters{})
			}
			sums[i].Add(b.counters)
		}
		sh, err := loadShard(txn, db.groupShard, groupShardKey(days[0]), days[0])
		if err != nil {
			return err
		}
		sh.c.Add(sums[0])
		if err := txn.Set(groupShardKey(days[0]), encodeCounters(make([]byte, 0, 16), &sh.c)); err != nil {
			return err
		}
		db.groupNext = sh
		for i, day := range days[1:] {
			if err := txn.Set(db.counterKey(day), encodeCounters(nil, &sums[i+1])); err != nil {
				return err
			}
		}
		return nil
	}
	for _, b := range group {
		if b.err != nil || b.counters.IsZero() {
			continue
		}
		k := shardKey(b.day, b.stripe)
		sh, err := loadShard(txn, db.shards[b.stripe], k, b.day)
		if err != nil {
			return err
		}
		sh.c.Add(b.counters)
		if err := txn.Set(k, encodeCounters(make([]byte, 0, 16), &sh.c)); err != nil {
			return err
		}
		b.shard, b.shardSet = sh, true
	}
	return nil
}

// mergeEvery is how often the background loop merges counter keys; every
// gcEvery rounds it also reclaims value log space.
const (
	mergeEvery = time.Second
	gcEvery    = 300
)

// collectValueLog rewrites value log files that are mostly garbage (values
// over 4 KB live there: users and sessions with many long attributes).
func (db *DB) collectValueLog() {
	if db.isFull() {
		return // rewriting the value log takes space first
	}
	for range 4 {
		select {
		case <-db.closing:
			return
		default:
		}
		if err := db.bdb.RunValueLogGC(0.5); err != nil {
			return // badger.ErrNoRewrite: nothing worth rewriting
		}
	}
}

// addCounters records c for the day of now.
func (db *DB) addCounters(txn *badger.Txn, now time.Time, c store.Counters) error {
	if c.IsZero() {
		return nil
	}
	return txn.Set(db.counterKey(dayNumber(now.In(db.loc))), encodeCounters(nil, &c))
}

// counterKey returns a new key for counters of day, to be merged.
func (db *DB) counterKey(day uint32) []byte {
	k := append(dayKey(day), 1)
	k = append(k, db.counterPfx[:]...)
	return binary.BigEndian.AppendUint64(k, db.counterSeq.Add(1))
}

// Stats implements [store.Stats].
func (db *DB) Stats(ctx context.Context, from, to time.Time) ([]store.Day, error) {
	noons, err := store.DayRange(from, to, db.loc)
	if err != nil {
		return nil, err
	}
	first, last := noons[0], noons[len(noons)-1]
	days := make([]store.Day, len(noons))
	index := map[uint32]int{}
	for i, d := range noons {
		index[dayNumber(d)] = i
		days[i].Date = d.Format(time.DateOnly)
	}
	err = db.view(ctx, func(txn *badger.Txn) error {
		for i := range days {
			days[i].Counters = store.Counters{}
		}
		prefix := []byte{kCounter}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		end := dayKey(dayNumber(last) + 1)
		for it.Seek(dayKey(dayNumber(first))); it.ValidForPrefix(prefix) && bytes.Compare(it.Item().Key(), end) < 0; it.Next() {
			item := it.Item()
			i, ok := index[binary.BigEndian.Uint32(item.Key()[1:5])]
			if !ok {
				continue
			}
			var c store.Counters
			if err := item.Value(func(v []byte) error { return decodeCounters(v, &c) }); err != nil {
				return err
			}
			days[i].Counters.Add(c)
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("read stats", err)
	}
	return days, nil
}

// mergeLoop merges counter keys every mergeEvery until Close.
func (db *DB) mergeLoop() {
	defer db.loops.Done()
	t := time.NewTicker(mergeEvery)
	defer t.Stop()
	for i := 1; ; i++ {
		select {
		case <-db.closing:
			return
		case <-t.C:
			if err := db.mergeCounters(); err != nil && db.cfg.logger != nil {
				db.cfg.logger.Warn("badgerstore: merge counters", "err", err)
			}
			if db.deltas.Load() >= foldAt {
				db.deltas.Store(0)
				if err := db.foldCounts(false); err != nil && db.cfg.logger != nil {
					db.cfg.logger.Warn("badgerstore: fold counts", "err", err)
				}
			}
			if i%gcEvery == 0 && !db.cfg.inMemory {
				db.collectValueLog()
			}
		}
	}
}

// mergeCounters folds unmerged counter keys into their days' totals, up to
// a few thousand per transaction, one day per transaction. It resumes where
// the previous round stopped, so as not to walk again over the deleted keys
// that Badger keeps until compaction; every fullScanEvery rounds it starts
// from the beginning, to catch keys written behind the cursor (by another
// process, or with a clock set back).
func (db *DB) mergeCounters() error {
	db.mergeMu.Lock()
	defer db.mergeMu.Unlock()
	db.mergeRound++
	if db.mergeRound%fullScanEvery == 1 || db.mergeFrom == nil {
		db.mergeFrom = []byte{kCounter}
	}
	for range 16 {
		select {
		case <-db.closing:
			return nil
		default:
		}
		merged, next, err := db.mergeBatch(db.mergeFrom)
		if err != nil {
			return err
		}
		if next != nil {
			db.mergeFrom = next
		}
		if merged < mergeBatch {
			return nil
		}
	}
	return nil
}

const (
	mergeBatch    = 2000
	fullScanEvery = 60
)

// mergeBatch merges the first run of unmerged keys of one day at or after
// from. It returns how many it merged and the key to resume from.
//
// The keys are read outside the transaction that deletes them: they never
// change once written and only this loop deletes them, so the transaction
// reads just the day's total and stays cheap for Badger's conflict checks
// while turns commit around it.
func (db *DB) mergeBatch(from []byte) (int, []byte, error) {
	var keys [][]byte
	var day []byte
	var sum store.Counters
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kCounter}, PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Seek(from); it.Valid() && len(keys) < mergeBatch; it.Next() {
			item := it.Item()
			k := item.Key()
			if len(k) < 6 || k[5] != 1 {
				continue // a total
			}
			if day != nil && !bytes.Equal(k[:5], day) {
				break
			}
			if day == nil {
				day = bytes.Clone(k[:5])
			}
			var c store.Counters
			if err := item.Value(func(v []byte) error { return decodeCounters(v, &c) }); err != nil {
				return fmt.Errorf("counter key %x: %w", k, err)
			}
			sum.Add(c)
			keys = append(keys, item.KeyCopy(nil))
		}
		return nil
	})
	if err != nil || len(keys) == 0 {
		return 0, nil, err
	}
	err = db.retry(context.Background(), func(txn *badger.Txn) error {
		total := append(bytes.Clone(day), 0)
		var c store.Counters
		if err := get(txn, total, func(v []byte) error { return decodeCounters(v, &c) }); err != nil && err != store.ErrNotFound {
			return err
		}
		c.Add(sum)
		if err := txn.Set(total, encodeCounters(nil, &c)); err != nil {
			return err
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return len(keys), append(bytes.Clone(keys[len(keys)-1]), 0), nil
}

// Fallback queries are counted like the counters that no lock guards: a
// key of their own per fallback (n <day: 4> <length: 2> <text> <unique:
// 16>), written with the turn, so that turns never conflict over a total;
// FallbackQueries counts the keys of the days asked for.

// fallbackKey returns a new key for one fallback of text on day.
func (db *DB) fallbackKey(day uint32, text string) []byte {
	k := binary.BigEndian.AppendUint32([]byte{kFallback}, day)
	k = binary.BigEndian.AppendUint16(k, uint16(len(text)))
	k = append(k, text...)
	k = append(k, db.counterPfx[:]...)
	return binary.BigEndian.AppendUint64(k, db.counterSeq.Add(1))
}

// FallbackQueries implements [store.Stats].
func (db *DB) FallbackQueries(ctx context.Context, from, to time.Time, limit int) ([]store.FallbackQuery, error) {
	first, last, err := store.FallbackPeriod(from, to, db.loc, limit)
	if err != nil {
		return nil, err
	}
	counts := map[string]int64{}
	err = db.view(ctx, func(txn *badger.Txn) error {
		clear(counts)
		prefix := []byte{kFallback}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		end := binary.BigEndian.AppendUint32([]byte{kFallback}, dayNumber(last)+1)
		start := binary.BigEndian.AppendUint32([]byte{kFallback}, dayNumber(first))
		for it.Seek(start); it.ValidForPrefix(prefix) && bytes.Compare(it.Item().Key(), end) < 0; it.Next() {
			k := it.Item().Key()
			if len(k) < 7 {
				continue
			}
			n := int(binary.BigEndian.Uint16(k[5:7]))
			if len(k) < 7+n {
				continue
			}
			counts[string(k[7:7+n])]++
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("read fallback queries", err)
	}
	return store.TopFallbacks(counts, limit), nil
}
