package badgerstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// The number of users with a tag and the number of members of a segment
// are additive, so that writers never conflict over them: two batches of
// an import that tag their users "vip" commit side by side.
//
// Each count is a base and changes after it. The base of a tag is its key
// (k <name>: a uvarint), that of a segment the Members of its record
// (g <segment>). A transaction that changes a count reads neither: it adds
// a key of its own right after the base, the base's key followed by a
// unique suffix (tag names hold no control characters, so k <name> \x00
// <unique> sorts between k <name> and the next tag; a segment's is
// g <segment> <unique>), holding the change as a varint. A read adds the
// changes to the base in the same pass over the keys. foldCounts folds
// them into the base, one transaction per count: at Open every change,
// and, every mergeEvery once foldAt changes were written, those of the
// tags that have tagFoldAt or more and of the segments that have foldAt
// or more. A read thus adds up fewer than tagFoldAt changes a tag and
// foldAt a segment.
//
// The suffix is a fresh id (a strictly increasing timestamp and the
// process's random bytes), so that changes sort in the order they were
// written: a transaction that removes a tag from a user starts after the
// one that gave it committed, so a fold of the first changes in key order
// never takes a removal without its addition, and a base never goes
// below zero, even when a fold takes only the first foldMax changes.

// Bounds of folding.
const (
	// foldAt is how many changes are written before the background loop
	// looks for counts to fold, and how many a segment gathers before it
	// is folded. An import's transaction reads the record of each segment
	// it adds members to, so a fold of a segment makes the one under way
	// start again: once per foldAt batches.
	foldAt = 256
	// tagFoldAt is how many changes a tag gathers before it is folded;
	// no writer reads the count of a tag.
	tagFoldAt = 16
	// foldMax is the most changes one fold transaction takes.
	foldMax = 1000
)

// deltaKey returns a new key for a change of the count at base.
func (db *DB) deltaKey(base []byte, sep bool) []byte {
	k := make([]byte, 0, len(base)+14)
	k = append(k, base...)
	if sep {
		k = append(k, 0)
	}
	return appendID(k, db.newID())
}

// tagDeltaPrefix returns the prefix of the changes of tag name's count.
func tagDeltaPrefix(name string) []byte { return append(tagKey(name), 0) }

// addTagUsers adds delta to the number of users with tag name.
func (db *DB) addTagUsers(txn *badger.Txn, name string, delta int) error {
	if delta == 0 {
		return nil
	}
	db.deltas.Add(1)
	return txn.Set(db.deltaKey(tagKey(name), true), binary.AppendVarint(nil, int64(delta)))
}

// addMembers adds delta to a segment's member count. The segment must
// exist, and be one of explicit members if delta adds.
func (db *DB) addMembers(txn *badger.Txn, id string, delta int) error {
	s, err := loadSegment(txn, id)
	if err != nil {
		return fmt.Errorf("segment %s: %w", id, err)
	}
	if s.Filter != nil && delta > 0 {
		return &store.FieldError{Field: "segments", Rule: fmt.Sprintf("segment %s is a saved filter: its members cannot be added", id)}
	}
	if delta == 0 {
		return nil
	}
	db.deltas.Add(1)
	return txn.Set(db.deltaKey(key1(kSegment, id), false), binary.AppendVarint(nil, int64(delta)))
}

// readDelta decodes a change of a count.
func readDelta(v []byte) (int64, error) {
	n, k := binary.Varint(v)
	if k <= 0 {
		return 0, errCorrupt
	}
	return n, nil
}

// foldCounts folds the changes of counts into their bases: all of them,
// or those of the counts that have enough (see tagFoldAt and foldAt).
func (db *DB) foldCounts(all bool) error {
	type group struct {
		base, prefix []byte
		tag          bool
	}
	var groups []group
	err := db.bdb.View(func(txn *badger.Txn) error {
		for _, kind := range []byte{kTag, kSegment} {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kind}})
			least := 1
			if !all {
				least = foldAt
				if kind == kTag {
					least = tagFoldAt
				}
			}
			var base []byte
			n := 0
			flush := func() {
				if n >= least && base != nil {
					g := group{base: base, prefix: base, tag: kind == kTag}
					if g.tag {
						g.prefix = append(bytes.Clone(base), 0)
					}
					groups = append(groups, g)
				}
				base, n = nil, 0
			}
			for it.Rewind(); it.Valid(); it.Next() {
				k := it.Item().Key()
				b := k
				if kind == kTag {
					if i := bytes.IndexByte(k, 0); i >= 0 {
						b = k[:i]
					}
				} else if len(k) > 13 {
					b = k[:13]
				}
				if !bytes.Equal(b, base) {
					flush()
					base = bytes.Clone(b)
				}
				if len(b) < len(k) {
					n++
				}
			}
			flush()
			it.Close()
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, g := range groups {
		for {
			n, err := db.fold(g.base, g.prefix, g.tag)
			if err != nil {
				return fmt.Errorf("fold count %q: %w", g.base, err)
			}
			if n < foldMax {
				break
			}
		}
	}
	return nil
}

// fold adds the first foldMax changes under prefix to the base at key (a
// tag's count, or a segment's record) and deletes them, in one
// transaction. It returns how many it folded.
func (db *DB) fold(key, prefix []byte, tag bool) (int, error) {
	n := 0
	err := db.retry(context.Background(), func(txn *badger.Txn) error {
		n = 0
		var sum int64
		var keys [][]byte
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		for it.Rewind(); it.Valid() && len(keys) < foldMax; it.Next() {
			item := it.Item()
			if len(item.Key()) == len(key) {
				continue // the segment's record
			}
			err := item.Value(func(v []byte) error {
				d, err := readDelta(v)
				sum += d
				return err
			})
			if err != nil {
				it.Close()
				return err
			}
			keys = append(keys, item.KeyCopy(nil))
		}
		it.Close()
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		n = len(keys)
		if tag {
			return setTagBase(txn, key, sum)
		}
		s, err := loadSegment(txn, hexID(key[1:]))
		if errors.Is(err, store.ErrNotFound) {
			return nil // deleted: its changes go with it
		}
		if err != nil {
			return err
		}
		s.Members = int(max(0, int64(s.Members)+sum))
		return txn.Set(key, encodeSegment(nil, s))
	})
	return n, err
}

// setTagBase adds sum to the base count of a tag at key, which goes when
// it reaches zero.
func setTagBase(txn *badger.Txn, key []byte, sum int64) error {
	var n int64
	err := get(txn, key, func(v []byte) error {
		u, k := binary.Uvarint(v)
		if k <= 0 {
			return errCorrupt
		}
		n = int64(u)
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if n += sum; n <= 0 {
		return txn.Delete(key)
	}
	return txn.Set(key, binary.AppendUvarint(nil, uint64(n)))
}
