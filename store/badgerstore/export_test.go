package badgerstore

import (
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
	e.message(m)
	return e.b
}

// Badger returns the Badger database under db, for benchmarks that measure
// Badger alone with the options Open chose.
func (db *DB) Badger() *badger.DB { return db.bdb }
