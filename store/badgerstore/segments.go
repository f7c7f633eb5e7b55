package badgerstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

func loadSegment(txn *badger.Txn, id string) (*store.Segment, error) {
	s := new(store.Segment)
	err := get(txn, key1(kSegment, id), func(v []byte) error { return decodeSegment(v, id, s) })
	if err != nil {
		return nil, err
	}
	return s, nil
}

// CreateSegment implements [store.Segments].
func (db *DB) CreateSegment(ctx context.Context, name string) (store.Segment, error) {
	if err := store.CheckSegmentName(name); err != nil {
		return store.Segment{}, err
	}
	s := store.Segment{ID: db.newID(), Name: name, CreatedAt: db.now().UTC()}
	err := db.update(ctx, func(txn *badger.Txn) error {
		return txn.Set(key1(kSegment, s.ID), encodeSegment(nil, &s))
	})
	if err != nil {
		return store.Segment{}, db.wrap("create segment", err)
	}
	return s, nil
}

// CreateFilterSegment implements [store.Segments].
func (db *DB) CreateFilterSegment(ctx context.Context, name string, f store.SegmentFilter) (store.Segment, error) {
	if err := store.CheckSegmentName(name); err != nil {
		return store.Segment{}, err
	}
	f, err := f.Normalize()
	if err != nil {
		return store.Segment{}, err
	}
	s := store.Segment{ID: db.newID(), Name: name, CreatedAt: db.now().UTC(), Filter: f.Clone()}
	err = db.update(ctx, func(txn *badger.Txn) error {
		return txn.Set(key1(kSegment, s.ID), encodeSegment(nil, &s))
	})
	if err != nil {
		return store.Segment{}, db.wrap("create segment", err)
	}
	return s, nil
}

// SetSegmentFilter implements [store.Segments].
func (db *DB) SetSegmentFilter(ctx context.Context, id string, f store.SegmentFilter) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	f, err := f.Normalize()
	if err != nil {
		return err
	}
	err = db.update(ctx, func(txn *badger.Txn) error {
		s, err := loadSegment(txn, id)
		if err != nil {
			return err
		}
		if s.Filter == nil {
			return &store.FieldError{Field: "filter", Rule: "cannot be set on a segment of explicit members"}
		}
		s.Filter = f.Clone()
		return txn.Set(key1(kSegment, id), encodeSegment(nil, s))
	})
	return db.wrap2("set segment filter", err)
}

// ListSegments implements [store.Segments].
func (db *DB) ListSegments(ctx context.Context) ([]store.Segment, error) {
	var segs []store.Segment
	err := db.view(ctx, func(txn *badger.Txn) error {
		segs = segs[:0]
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kSegment}, PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if k := item.Key(); len(k) > 13 {
				// A change of the member count of the segment before
				// (see counts.go), or of a deleted one.
				if len(segs) == 0 || !bytes.Equal(k[1:13], rawID(segs[len(segs)-1].ID)) {
					continue
				}
				err := item.Value(func(v []byte) error {
					d, err := readDelta(v)
					segs[len(segs)-1].Members += int(d)
					return err
				})
				if err != nil {
					return err
				}
				continue
			}
			var s store.Segment
			if err := item.Value(func(v []byte) error { return decodeSegment(v, hexID(item.Key()[1:]), &s) }); err != nil {
				return err
			}
			segs = append(segs, s)
		}
		for i := range segs {
			segs[i].Members = max(0, segs[i].Members)
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("list segments", err)
	}
	return segs, nil
}

// RenameSegment implements [store.Segments].
func (db *DB) RenameSegment(ctx context.Context, id, name string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	if err := store.CheckSegmentName(name); err != nil {
		return err
	}
	err := db.update(ctx, func(txn *badger.Txn) error {
		s, err := loadSegment(txn, id)
		if err != nil {
			return err
		}
		s.Name = name
		return txn.Set(key1(kSegment, id), encodeSegment(nil, s))
	})
	return db.wrap2("rename segment", err)
}

// DeleteSegment implements [store.Segments]. The segment goes at once; its
// memberships go in batches afterwards (finished by Open after a crash).
func (db *DB) DeleteSegment(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	err := db.retry(ctx, func(txn *badger.Txn) error {
		if _, err := loadSegment(txn, id); err != nil {
			return err
		}
		if err := txn.Delete(key1(kSegment, id)); err != nil {
			return err
		}
		return txn.Set(purgeKey(kSegment, id), nil)
	})
	if err == nil {
		err = db.purgeSegment(id)
	}
	return db.wrap2("delete segment", err)
}

// AddToSegments implements [store.Segments]. The users are changed in
// batches, one transaction each; a call that fails part way can be repeated.
func (db *DB) AddToSegments(ctx context.Context, segmentIDs, userIDs []string) error {
	return db.membership(ctx, "add to segments", segmentIDs, userIDs, true)
}

// RemoveFromSegments implements [store.Segments], in batches like
// AddToSegments.
func (db *DB) RemoveFromSegments(ctx context.Context, segmentIDs, userIDs []string) error {
	return db.membership(ctx, "remove from segments", segmentIDs, userIDs, false)
}

func (db *DB) membership(ctx context.Context, op string, segmentIDs, userIDs []string, add bool) error {
	if err := store.CheckMembership(segmentIDs, userIDs); err != nil {
		return err
	}
	segs := slices.Compact(slices.Sorted(slices.Values(segmentIDs)))
	users := slices.Compact(slices.Sorted(slices.Values(userIDs)))
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	// Check every id first, so that an unknown one changes nothing.
	err := db.bdb.View(func(txn *badger.Txn) error {
		for _, id := range segs {
			s, err := loadSegment(txn, id)
			if err != nil {
				return fmt.Errorf("segment %s: %w", id, err)
			}
			if s.Filter != nil {
				return &store.FieldError{Field: "segments", Rule: fmt.Sprintf("segment %s is a saved filter: its members cannot be added or removed", id)}
			}
		}
		for _, id := range users {
			if _, err := txn.Get(key1(kUser, id)); err != nil {
				return fmt.Errorf("user %s: %w", id, store.ErrNotFound)
			}
		}
		return nil
	})
	if err != nil {
		return db.wrap(op, err)
	}
	per := max(1, batchKeys/(len(segs)+1))
	for start := 0; start < len(users); {
		batch := users[start:min(start+per, len(users))]
		unlock, err := db.lockUsers(batch...)
		if err != nil {
			return db.wrap(op, err)
		}
		err = db.retry(ctx, func(txn *badger.Txn) error {
			counts := make([]int, len(segs))
			for _, uid := range batch {
				old, err := loadUser(txn, uid)
				if err != nil {
					return fmt.Errorf("user %s: %w", uid, err)
				}
				u := old.Clone()
				for i, seg := range segs {
					has := old.InSegment(seg)
					switch {
					case add && !has:
						u.Segments = append(u.Segments, seg)
						err = txn.Set(key2(kMember, seg, uid), nil)
						counts[i]++
					case !add && has:
						u.Segments = removeID(u.Segments, seg)
						err = txn.Delete(key2(kMember, seg, uid))
						counts[i]--
					}
					if err != nil {
						return err
					}
				}
				slices.Sort(u.Segments)
				if _, err := putUser(txn, old, &u); err != nil {
					return err
				}
			}
			for i, seg := range segs {
				if counts[i] != 0 {
					if err := db.addMembers(txn, seg, counts[i]); err != nil {
						return err
					}
				}
			}
			return nil
		})
		unlock()
		if errors.Is(err, badger.ErrTxnTooBig) && per > 1 {
			per /= 2 // big user records: fewer users per transaction
			continue
		}
		if err != nil {
			return db.wrap(op, err)
		}
		start += len(batch)
	}
	return nil
}

// wrap2 is wrap for operations that return only an error.
func (db *DB) wrap2(op string, err error) error {
	if err == nil {
		return nil
	}
	return db.wrap(op, err)
}
