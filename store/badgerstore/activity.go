package badgerstore

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Activity: a user's first turn of a day writes v <user> <day>, a key
// without a value and without a read (the turn knows from the user's
// lastSeen that the day is new). UserActivity walks those keys user by
// user, seeking to the period's first day and then to the next user, so
// it reads at most two keys per user who ever had a turn, whatever the
// period and however many days they came; whether a
// user is new or returning comes from the id, which starts with the time
// the user was created. DeleteUser's purge deletes the user's keys.

func activityKey(id string, day uint32) []byte {
	return binary.BigEndian.AppendUint32(key1(kActivity, id), day)
}

// idTime returns the creation time, in Unix nanoseconds, that a raw id
// starts with.
func idTime(raw []byte) int64 { return int64(binary.BigEndian.Uint64(raw)) }

// UserActivity implements [store.Stats].
func (db *DB) UserActivity(ctx context.Context, from, to time.Time) (store.Activity, error) {
	start, end, err := store.Period(from, to, db.loc)
	if err != nil {
		return store.Activity{}, err
	}
	first, last := dayNumber(start), dayNumber(end.AddDate(0, 0, -1))
	startNano, endNano := start.UnixNano(), end.UnixNano()
	var a store.Activity
	err = db.view(ctx, func(txn *badger.Txn) error {
		// New: the user keys whose ids fall in the period.
		users := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kUser}})
		lo := binary.BigEndian.AppendUint64([]byte{kUser}, uint64(startNano))
		for users.Seek(lo); users.Valid(); users.Next() {
			if k := users.Item().Key(); len(k) != 13 || idTime(k[1:]) >= endNano {
				break
			}
			a.New++
		}
		users.Close()
		// Active and returning: a seek or two per user.
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kActivity}})
		defer it.Close()
		var user [13]byte
		for it.Rewind(); it.Valid(); {
			if err := ctx.Err(); err != nil {
				return err
			}
			k := it.Item().Key()
			if len(k) != 17 {
				return errCorrupt
			}
			copy(user[:], k)
			switch day := binary.BigEndian.Uint32(k[13:]); {
			case day < first:
				skipTo(it, user[:], first)
				continue
			case day <= last:
				a.Active++
				if idTime(user[1:]) < startNano {
					a.Returning++
				}
			}
			skipTo(it, user[:], ^uint32(0)) // the next user
		}
		return nil
	})
	if err != nil {
		return store.Activity{}, db.wrap("read user activity", err)
	}
	return a, nil
}

// skipTo seeks it to the first key of user (kActivity and the id) on day
// or later, or past the user.
func skipTo(it *badger.Iterator, user []byte, day uint32) {
	it.Seek(binary.BigEndian.AppendUint32(slices.Clip(user), day))
}

// backfillKey marks a store migrated from before version 13, whose users'
// days of activity Open fills in.
var backfillKey = []byte("\x00backfill activity")

// backfillActivity gives each user who had a turn the day of their
// lastSeen as a day of activity, the one day of activity a store before
// version 13 knows of, if backfillKey asks for it.
func (db *DB) backfillActivity() error {
	if err := db.bdb.View(func(txn *badger.Txn) error { _, err := txn.Get(backfillKey); return err }); err != nil {
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		return err
	}
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kUser}, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			if len(k) != 13 {
				continue
			}
			id := hexID(k[1:])
			var u store.User
			if err := it.Item().Value(func(v []byte) error { return decodeUser(v, id, &u) }); err != nil {
				return err
			}
			if u.SessionID != "" {
				if err := wb.Set(activityKey(id, dayNumber(u.LastSeen.In(db.loc))), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil {
		err = wb.Delete(backfillKey)
	}
	if err == nil {
		err = wb.Flush()
	}
	return err
}
