package badgerstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// counts returns the tags' numbers of users and the segments' members by
// name, and how many changes of counts are not folded yet.
func counts(t *testing.T, db *DB) (map[string]int, int) {
	t.Helper()
	got := map[string]int{}
	tags, err := db.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range tags {
		got["tag "+tg.Name] = tg.Users
	}
	segs, err := db.ListSegments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range segs {
		got["segment "+s.Name] = s.Members
	}
	deltas := 0
	db.bdb.View(func(txn *badger.Txn) error {
		for _, kind := range []byte{kTag, kSegment} {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kind}, PrefetchValues: false})
			for it.Rewind(); it.Valid(); it.Next() {
				k := it.Item().Key()
				if kind == kTag && bytes.IndexByte(k, 0) > 0 || kind == kSegment && len(k) > 13 {
					deltas++
				}
			}
			it.Close()
		}
		return nil
	})
	return got, deltas
}

func equalCounts(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// TestCountsVersion15 opens a store of version 15, whose tag keys and
// segment records hold the counts whole: they become the bases that the
// changes of version 16 add to, and Open folds those.
func TestCountsVersion15(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	seg, err := db.CreateSegment(ctx, "Beta")
	if err != nil {
		t.Fatal(err)
	}
	users, err := db.CreateUsers(ctx, []store.User{
		{UserID: "ann", Tags: []string{"vip"}, Segments: []string{seg.ID}},
		{UserID: "bob", Tags: []string{"vip", "lead"}, Segments: []string{seg.ID}},
		{UserID: "cy"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// What version 15 wrote: the counts whole, no changes.
	err = db.bdb.Update(func(txn *badger.Txn) error {
		for _, kind := range []byte{kTag, kSegment} {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kind}})
			var del [][]byte
			for it.Rewind(); it.Valid(); it.Next() {
				del = append(del, it.Item().KeyCopy(nil))
			}
			it.Close()
			for _, k := range del {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
		}
		txn.Set(tagKey("vip"), binary.AppendUvarint(nil, 2))
		txn.Set(tagKey("lead"), binary.AppendUvarint(nil, 1))
		s := seg
		s.Members = 2
		txn.Set(key1(kSegment, s.ID), encodeSegment(nil, &s))
		return txn.Set(schemaKey, []byte("parley-badgerstore 15"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, dir)
	got, _ := counts(t, db)
	equalCounts(t, "after Open", got, map[string]int{"tag vip": 2, "tag lead": 1, "segment Beta": 2})

	if err := db.AddTags(ctx, []string{"vip", "new"}, []string{users[2].ID}); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveTags(ctx, []string{"lead"}, []string{users[1].ID}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddToSegments(ctx, []string{seg.ID}, []string{users[2].ID}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteUser(ctx, users[0].ID); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"tag vip": 2, "tag new": 1, "segment Beta": 2}
	got, deltas := counts(t, db)
	equalCounts(t, "after changes", got, want)
	if deltas == 0 {
		t.Error("no changes of counts before Open folds them")
	}
	db = reopen(t, db, dir)
	got, deltas = counts(t, db)
	equalCounts(t, "after Open again", got, want)
	if deltas != 0 {
		t.Errorf("%d changes of counts left after Open", deltas)
	}
}

// TestFoldCounts writes more changes of one count than a fold takes,
// removals after additions as users would, and folds them in parts.
func TestFoldCounts(t *testing.T) {
	db, err := Open("", InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.deltas.Store(math.MinInt32) // the background loop folds nothing
	seg, err := db.CreateSegment(ctx, "Beta")
	if err != nil {
		t.Fatal(err)
	}
	n := foldMax*2 + foldMax/2
	for i := range n {
		err := db.bdb.Update(func(txn *badger.Txn) error {
			d := 1
			if i%3 == 2 {
				d = -1
			}
			if err := db.addTagUsers(txn, "vip", d); err != nil {
				return err
			}
			return db.addMembers(txn, seg.ID, d)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	want := n - 2*(n/3)
	got, _ := counts(t, db)
	equalCounts(t, "before folding", got, map[string]int{"tag vip": want, "segment Beta": want})
	if err := db.foldCounts(false); err != nil {
		t.Fatal(err)
	}
	got, deltas := counts(t, db)
	equalCounts(t, "after folding", got, map[string]int{"tag vip": want, "segment Beta": want})
	if deltas != 0 {
		t.Errorf("%d changes left after folding", deltas)
	}
	// The background loop folds a tag's few changes, not a segment's.
	for range tagFoldAt {
		err := db.bdb.Update(func(txn *badger.Txn) error {
			if err := db.addTagUsers(txn, "few", 1); err != nil {
				return err
			}
			return db.addMembers(txn, seg.ID, 1)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.foldCounts(false); err != nil {
		t.Fatal(err)
	}
	got, deltas = counts(t, db)
	equalCounts(t, "after a few changes", got, map[string]int{"tag vip": want, "tag few": tagFoldAt, "segment Beta": want + tagFoldAt})
	if deltas != tagFoldAt {
		t.Errorf("%d changes left after folding a few, want the segment's %d", deltas, tagFoldAt)
	}
	// A segment deleted with changes pending takes them with it.
	err = db.bdb.Update(func(txn *badger.Txn) error { return db.addMembers(txn, seg.ID, 1) })
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSegment(ctx, seg.ID); err != nil {
		t.Fatal(err)
	}
	got, deltas = counts(t, db)
	equalCounts(t, "after deleting the segment", got, map[string]int{"tag vip": want, "tag few": tagFoldAt})
	if deltas != 0 {
		t.Errorf("%d changes left after deleting the segment", deltas)
	}
}

// TestUpsertFit upserts batches too big for one transaction of
// SmallDevice's memtables: UpsertUsers splits them, and from the first
// transaction on knows how many upserts fit in one.
func TestUpsertFit(t *testing.T) {
	db, err := Open("", InMemory(), SmallDevice())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for b := range 2 {
		ups := make([]store.UserUpsert, store.MaxUsersPerOp)
		for i := range ups {
			ups[i] = store.UserUpsert{UserID: fmt.Sprintf("fit-%d-%d", b, i), Attributes: map[string]string{
				store.AttrEmail: fmt.Sprintf("fit-%d-%d@example.com", b, i), store.AttrName: "Someone", "plan": "free"}}
		}
		res, err := db.UpsertUsers(ctx, ups)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if !r.Created || r.Err != nil {
				t.Fatalf("batch %d, row %d: %+v", b, i, r)
			}
		}
		if fit := db.upsertFit.Load(); fit < 100 || fit >= store.MaxUsersPerOp {
			t.Errorf("batch %d: %d upserts fit in a transaction, want fewer than 1,000 and at least 100", b, fit)
		}
	}
}
