package badgerstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

var ctx = context.Background()

func TestSchema(t *testing.T) {
	for _, c := range []struct {
		name  string
		value string // of the schema key; "" writes another key instead
		want  error
	}{
		{"ErrNewer", schemaName + strconv.Itoa(schemaVersion+1), ErrNewer},
		{"ErrForeignValue", "someone-else 1", ErrForeign},
		{"ErrForeignVersion", "parley-badgerstore one", ErrForeign},
		{"ErrForeignNoSchema", "", ErrForeign},
		{"OK", schemaName + strconv.Itoa(schemaVersion), nil},
		{"Version15", "parley-badgerstore 15", nil},
		{"Version12", "parley-badgerstore 12", nil},
		{"Version11", "parley-badgerstore 11", nil},
		{"Version10", "parley-badgerstore 10", nil},
		{"Version9", "parley-badgerstore 9", nil},
		{"Version8", "parley-badgerstore 8", nil},
		{"Version7", "parley-badgerstore 7", nil},
		{"Version4", "parley-badgerstore 4", nil},
		{"Version3", "parley-badgerstore 3", nil},
		{"Version1", "parley-badgerstore 1", nil},
		{"Version2", "parley-badgerstore 2", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			bdb, err := badger.Open(rawOptions(dir))
			if err != nil {
				t.Fatal(err)
			}
			err = bdb.Update(func(txn *badger.Txn) error {
				if c.value == "" {
					return txn.Set([]byte("someone's key"), []byte("v"))
				}
				return txn.Set(schemaKey, []byte(c.value))
			})
			if err != nil {
				t.Fatal(err)
			}
			bdb.Close()
			db, err := Open(dir)
			if err == nil {
				db.Close()
			}
			if !errors.Is(err, c.want) {
				t.Errorf("Open: got %v, want %v", err, c.want)
			}
		})
	}
}

// TestPurgeResumes leaves a deleted user's purge unfinished, as a crash
// would, and checks that Open finishes it.
func TestPurgeResumes(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, store.User{UserID: "gone"})
	if err != nil {
		t.Fatal(err)
	}
	var thread string
	err = db.Update(ctx, "session-purge", func(t *store.Turn) error {
		if err := t.SetUser(u.ID); err != nil {
			return err
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "forget me"})
		thread = t.Thread.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The first transaction of DeleteUser, without the purge after it.
	err = db.bdb.Update(func(txn *badger.Txn) error {
		if err := txn.Delete(key1(kUser, u.ID)); err != nil {
			return err
		}
		return txn.Set(purgeKey(kUser, u.ID), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, dir)
	if _, err := db.Session(ctx, "session-purge"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session after the purge: got %v, want ErrNotFound", err)
	}
	if _, err := db.Thread(ctx, thread); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("thread after the purge: got %v, want ErrNotFound", err)
	}
	err = db.bdb.View(func(txn *badger.Txn) error {
		for _, prefix := range [][]byte{key1(kMessage, thread), {kPurge}, key1(kUserSess, u.ID), key1(kUserThread, u.ID)} {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			it.Rewind()
			if it.Valid() {
				t.Errorf("key %q left after the purge", it.Item().KeyCopy(nil))
			}
			it.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSchemaVersion1 opens a store as version 1 left it, with one record per
// message, and checks that messages read, page and take reactions as
// before, that new messages append after them, and that Open wrote the
// current version.
func TestSchemaVersion1(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var thread string
	err = db.Update(ctx, "session-version1", func(t *store.Turn) error {
		thread = t.StartThread().ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// What version 1 wrote: three messages, a record each.
	err = db.bdb.Update(func(txn *badger.Txn) error {
		th, err := loadThread(txn, thread)
		if err != nil {
			return err
		}
		for i, text := range []string{"one", "two", "three"} {
			m := store.Message{Type: store.UserMessage, Text: text, CreatedAt: time.Unix(int64(i), 0).UTC()}
			if err := txn.Set(messageKey(thread, i+1), encodeMessageV1(nil, &m)); err != nil {
				return err
			}
		}
		th.Messages = 3
		if err := txn.Set(key1(kThread, thread), encodeThread(nil, th)); err != nil {
			return err
		}
		// Sessions carry no copy of their thread before version 4.
		var s store.Session
		err = get(txn, strKey(kSession, "session-version1"), func(v []byte) error {
			_, err := decodeSession(v, "session-version1", &s)
			return err
		})
		if err != nil {
			return err
		}
		if err := txn.Set(strKey(kSession, s.ID), encodeSession(nil, &s, nil)); err != nil {
			return err
		}
		return txn.Set(schemaKey, []byte("parley-badgerstore 1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, dir)
	var version string
	db.bdb.View(func(txn *badger.Txn) error {
		return get(txn, schemaKey, func(v []byte) error { version = string(v); return nil })
	})
	if want := schemaName + strconv.Itoa(schemaVersion); version != want {
		t.Errorf("schema after Open: got %q, want %q", version, want)
	}
	if _, err := db.AppendMessages(ctx, thread, store.Message{Type: store.AgentMessage, Text: "four"}, store.Message{Type: store.AgentMessage, Text: "five"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetReaction(ctx, thread, 2, store.Positive); err != nil {
		t.Fatal(err)
	}
	if err := db.SetReaction(ctx, thread, 5, store.Positive); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ after, limit int }{{0, 10}, {1, 2}, {3, 1}, {4, 5}} {
		msgs, err := db.Messages(ctx, thread, c.after, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range msgs {
			got = append(got, fmt.Sprintf("%d:%s:%s", m.Seq, m.Text, m.Reaction))
		}
		all := []string{"1:one:", "2:two:" + store.Positive, "3:three:", "4:four:", "5:five:" + store.Positive}
		want := all[c.after:min(len(all), c.after+c.limit)]
		if !slices.Equal(got, want) {
			t.Errorf("Messages(after %d, limit %d): got %q, want %q", c.after, c.limit, got, want)
		}
	}
}

// TestMessageRecords appends more messages at once than a record holds and
// checks that every page and reaction finds them.
func TestMessageRecords(t *testing.T) {
	db, err := Open("", InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var thread string
	err = db.Update(ctx, "session-records", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "m1"}, store.Message{Type: store.BotMessage, Text: "m2"})
		thread = t.Thread.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []store.Message
	for i := 3; i <= 40; i++ {
		msgs = append(msgs, store.Message{Type: store.AgentMessage, Text: "m" + itoa(i)})
	}
	if _, err := db.AppendMessages(ctx, thread, msgs...); err != nil {
		t.Fatal(err)
	}
	for _, seq := range []int{1, 2, 17, 18, 19, 33, 40} {
		if err := db.SetReaction(ctx, thread, seq, store.Negative); err != nil {
			t.Fatalf("SetReaction(%d): %v", seq, err)
		}
	}
	if err := db.SetReaction(ctx, thread, 41, store.Negative); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetReaction(41): got %v, want store.ErrNotFound", err)
	}
	for limit := 1; limit <= 17; limit += 4 {
		next := 1
		for after := 0; after < 40; after += limit {
			page, err := db.Messages(ctx, thread, after, limit)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range page {
				react := ""
				if slices.Contains([]int{1, 2, 17, 18, 19, 33, 40}, next) {
					react = store.Negative
				}
				if m.Seq != next || m.Text != "m"+itoa(next) || m.Reaction != react {
					t.Fatalf("limit %d, after %d: got message %d %q %q, want %d %q %q", limit, after, m.Seq, m.Text, m.Reaction, next, "m"+itoa(next), react)
				}
				next++
			}
		}
		if next != 41 {
			t.Errorf("limit %d: paged through %d messages, want 40", limit, next-1)
		}
	}
}

// TestThreadRecordNotRewritten checks that turns which only add messages
// leave the thread record alone, and that the thread's count and numbering
// still hold when its session is no longer in memory (after a reopen).
func TestThreadRecordNotRewritten(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const sid = "session-thread-record"
	chat := func(db *DB, text string) {
		t.Helper()
		err := db.Update(ctx, sid, func(t *store.Turn) error {
			t.Append(store.Message{Type: store.UserMessage, Text: text}, store.Message{Type: store.BotMessage, Text: "re: " + text})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	recordVersion := func(db *DB, thread string) (v uint64) {
		t.Helper()
		err := db.bdb.View(func(txn *badger.Txn) error {
			item, err := txn.Get(key1(kThread, thread))
			if err == nil {
				v = item.Version()
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	chat(db, "one")
	s, err := db.Session(ctx, sid)
	if err != nil {
		t.Fatal(err)
	}
	first := recordVersion(db, s.ThreadID)
	chat(db, "two")
	chat(db, "three")
	if v := recordVersion(db, s.ThreadID); v != first {
		t.Errorf("thread record rewritten by turns that only add messages: version %d, then %d", first, v)
	}
	db = reopen(t, db, dir)
	chat(db, "four")
	th, err := db.Thread(ctx, s.ThreadID)
	if err != nil {
		t.Fatal(err)
	}
	if th.Messages != 8 {
		t.Errorf("Thread.Messages: got %d, want 8", th.Messages)
	}
	msgs, err := db.Messages(ctx, s.ThreadID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for i, m := range msgs {
		if m.Seq != i+1 {
			t.Errorf("message %d: Seq %d", i, m.Seq)
		}
		texts = append(texts, m.Text)
	}
	if got, want := strings.Join(texts, ","), "one,re: one,two,re: two,three,re: three,four,re: four"; got != want {
		t.Errorf("messages: got %s, want %s", got, want)
	}
	if !th.UpdatedAt.Equal(msgs[len(msgs)-1].CreatedAt) {
		t.Errorf("Thread.UpdatedAt %v, last message at %v", th.UpdatedAt, msgs[len(msgs)-1].CreatedAt)
	}
}

// reopen closes db and opens dir again, with opts; the store it returns is
// closed when the test ends.
func reopen(t *testing.T, db *DB, dir string, opts ...Option) *DB {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestActivityBackfill opens a store of version 12, which kept no days of
// activity: Open gives each user who had a turn the day of their lastSeen.
func TestActivityBackfill(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, store.User{UserID: "came"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, store.User{UserID: "imported"}); err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, "session-backfill", func(t *store.Turn) error {
		if err := t.SetUser(u.ID); err != nil {
			return err
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	bdb, err := badger.Open(rawOptions(dir))
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(txn *badger.Txn) error {
		if err := txn.Delete(activityKey(u.ID, dayNumber(time.Now()))); err != nil {
			return err
		}
		return txn.Set(schemaKey, []byte("parley-badgerstore 12"))
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := db.UserActivity(ctx, time.Now(), time.Now())
	if err != nil || a != (store.Activity{New: 2, Active: 1}) {
		t.Errorf("activity after Open: got %+v, %v; want 2 new, 1 active", a, err)
	}
}
