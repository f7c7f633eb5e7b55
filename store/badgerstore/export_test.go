package badgerstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/parleybot/parley/store"
)

// FillUsers writes n users straight through a Badger WriteBatch, for
// benchmarks that need a big store quickly. attrs gives each user's
// attributes; lastSeen is spread over the month after creation. It returns
// the users' ids in creation order.
func (db *DB) FillUsers(n int, attrs func(i int) map[string]string) ([]string, error) {
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	ids := make([]string, n)
	now := db.now().UTC()
	for i := range n {
		u := store.User{ID: db.newID(), UserID: "fill-" + itoa(i), Attributes: attrs(i), CreatedAt: now}
		u.LastSeen = now.Add(time.Duration(uint64(i)*2654435761%(30*24*3600)) * time.Second)
		ids[i] = u.ID
		rec := encodeUser(nil, &u)
		for _, kv := range [][2][]byte{
			{key1(kUser, u.ID), rec},
			{strKey(kUserID, u.UserID), rawID(u.ID)},
			{emailKey(u.Email()), rawID(u.ID)},
			{lastSeenKey(u.LastSeen, u.ID), rec},
		} {
			if err := wb.Set(kv[0], kv[1]); err != nil {
				return nil, err
			}
		}
	}
	return ids, wb.Flush()
}

func itoa(i int) string {
	var b [20]byte
	p := len(b)
	for {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[p:])
		}
	}
}

// encodeMessageV1 encodes m as schema version 1 wrote it: one message in a
// record of format 1.
func encodeMessageV1(b []byte, m *store.Message) []byte {
	e := encoder{b}
	e.byte(recordFormat)
	e.message(m, recordFormat)
	return e.b
}

// Badger returns the Badger database under db, for benchmarks that measure
// Badger alone with the options Open chose.
func (db *DB) Badger() *badger.DB { return db.bdb }

// CheckLastSeenIndex reports how the lastSeen index, once the pending
// moves are flushed, differs from the user records: it must hold each user
// once, at its lastSeen, with a copy of its record, and nothing else.
func (db *DB) CheckLastSeenIndex() error {
	db.lastSeen.flushMu.Lock()
	defer db.lastSeen.flushMu.Unlock()
	if err := db.flushLastSeen(); err != nil {
		return err
	}
	return db.bdb.View(func(txn *badger.Txn) error {
		var problems []string
		seen := map[string]bool{}
		err := eachItem(txn, []byte{kLastSeen}, func(item *badger.Item) error {
			k := item.KeyCopy(nil)
			if len(k) != 1+8+12 {
				problems = append(problems, fmt.Sprintf("key %x: bad length", k))
				return nil
			}
			id := hexID(k[9:])
			var rec []byte
			err := get(txn, key1(kUser, id), func(v []byte) error { rec = bytes.Clone(v); return nil })
			if err != nil {
				problems = append(problems, fmt.Sprintf("user %s: in the index, record: %v", id, err))
				return nil
			}
			var u store.User
			if err := decodeUser(rec, id, &u); err != nil {
				return err
			}
			if !bytes.Equal(k, lastSeenKey(u.LastSeen, id)) {
				problems = append(problems, fmt.Sprintf("user %s: in the index at %v, lastSeen %v", id, time.Unix(0, int64(binary.BigEndian.Uint64(k[1:9])^(1<<63))).UTC(), u.LastSeen))
				return nil
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			if !bytes.Equal(v, rec) {
				problems = append(problems, fmt.Sprintf("user %s: the index holds a stale copy", id))
			}
			seen[id] = true
			return nil
		})
		if err != nil {
			return err
		}
		err = eachItem(txn, []byte{kUser}, func(item *badger.Item) error {
			if id := hexID(item.Key()[1:]); !seen[id] {
				problems = append(problems, fmt.Sprintf("user %s: not in the index", id))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return fmt.Errorf("lastSeen index: %s", strings.Join(problems, "; "))
		}
		return nil
	})
}

// PendingMoves returns the number of users noted (lastseen.go) whom no
// flush has forgotten yet.
func (db *DB) PendingMoves() int {
	db.lastSeen.mu.Lock()
	defer db.lastSeen.mu.Unlock()
	return len(db.lastSeen.pending)
}

// Crash stops db as a crash would: Badger is closed without writing what
// is noted, nor marking the store closed. Close then returns at once.
func (db *DB) Crash() error {
	db.mu.Lock()
	db.closed = true
	close(db.closing)
	db.mu.Unlock()
	db.loops.Wait()
	err := db.bdb.Close()
	db.mu.Lock()
	db.err, db.finished = err, true
	db.idle.Broadcast()
	db.mu.Unlock()
	return err
}

// RepairLastSeen rebuilds the lastSeen index as Open does after a crash.
func (db *DB) RepairLastSeen() error { return db.repairLastSeen() }

// rawOptions are Badger's defaults for opening a store's directory without
// the store, with a value log file small enough to map on 32-bit systems.
func rawOptions(dir string) badger.Options {
	return badger.DefaultOptions(dir).WithLogger(nil).WithValueLogFileSize(64 << 20)
}

// FillActivity marks each of ids active on days days of the year before
// now, spread evenly, through a Badger WriteBatch (see FillUsers).
func (db *DB) FillActivity(ids []string, days int) error {
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	now := db.now()
	for i, id := range ids {
		for d := range days {
			day := now.AddDate(0, 0, -((i + d*365/days) % 365))
			if err := wb.Set(activityKey(id, dayNumber(day.In(db.loc))), nil); err != nil {
				return err
			}
		}
	}
	return wb.Flush()
}
