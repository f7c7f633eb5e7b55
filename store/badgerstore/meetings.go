package badgerstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Meetings: a JSON record under N <meeting>, indexed by start time under
// Q <start> <meeting> and by user under R <user> <meeting> (so that
// DeleteUser finds them).

func meetingTimeKey(start time.Time, id string) []byte {
	return appendID(appendTime([]byte{kMeetingTime}, start), id)
}

func loadMeeting(txn kv, id string) (*store.Meeting, error) {
	m := new(store.Meeting)
	if err := get(txn, key1(kMeeting, id), func(v []byte) error { return json.Unmarshal(v, m) }); err != nil {
		return nil, err
	}
	return m, nil
}

// SaveMeeting implements [store.Meetings].
func (db *DB) SaveMeeting(ctx context.Context, m store.Meeting) (store.Meeting, error) {
	if err := store.CheckMeeting(&m); err != nil {
		return store.Meeting{}, err
	}
	m.Start, m.End = m.Start.UTC(), m.End.UTC()
	now := db.now().UTC()
	isNew := m.ID == ""
	if isNew {
		m.ID = db.newID()
	}
	out := m
	err := db.update(ctx, func(txn *badger.Txn) error {
		out = m
		if m.UserID != "" {
			if ok, err := exists(txn, key1(kUser, m.UserID)); err != nil {
				return err
			} else if !ok {
				return store.ErrNotFound
			}
		}
		out.CreatedAt = now
		if !isNew {
			old, err := loadMeeting(txn, m.ID)
			if err != nil {
				return err
			}
			out.CreatedAt = old.CreatedAt
			if err := txn.Delete(meetingTimeKey(old.Start, old.ID)); err != nil {
				return err
			}
			if old.UserID != "" {
				if err := txn.Delete(key2(kUserMeeting, old.UserID, old.ID)); err != nil {
					return err
				}
			}
		}
		out.UpdatedAt = now
		b, err := json.Marshal(&out)
		if err != nil {
			return err
		}
		if err := txn.Set(key1(kMeeting, out.ID), b); err != nil {
			return err
		}
		if out.UserID != "" {
			if err := txn.Set(key2(kUserMeeting, out.UserID, out.ID), nil); err != nil {
				return err
			}
		}
		return txn.Set(meetingTimeKey(out.Start, out.ID), nil)
	})
	if err != nil {
		return store.Meeting{}, db.wrap("save meeting", err)
	}
	return out, nil
}

// Meeting implements [store.Meetings].
func (db *DB) Meeting(ctx context.Context, id string) (store.Meeting, error) {
	if err := store.CheckID("id", id); err != nil {
		return store.Meeting{}, err
	}
	var out store.Meeting
	err := db.view(ctx, func(txn *badger.Txn) error {
		m, err := loadMeeting(txn, id)
		if err == nil {
			out = *m
		}
		return err
	})
	if err != nil {
		return store.Meeting{}, db.wrap("meeting", err)
	}
	return out, nil
}

// ListMeetings implements [store.Meetings]: it walks the start-time
// index from From, or from the meeting After names.
func (db *DB) ListMeetings(ctx context.Context, q store.MeetingQuery) (store.MeetingPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.MeetingPage{}, err
	}
	var page store.MeetingPage
	err = db.view(ctx, func(txn *badger.Txn) error {
		page = store.MeetingPage{}
		seek := []byte{kMeetingTime}
		if !q.From.IsZero() {
			seek = appendTime(seek, q.From)
		}
		if q.After != "" {
			after, err := loadMeeting(txn, q.After)
			if errors.Is(err, store.ErrNotFound) {
				return &store.FieldError{Field: "after", Rule: "must be the next of a page"}
			}
			if err != nil {
				return err
			}
			seek = append(meetingTimeKey(after.Start, after.ID), 0)
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kMeetingTime}})
		defer it.Close()
		for it.Seek(seek); it.Valid(); it.Next() {
			id := hexID(it.Item().Key()[9:])
			m, err := loadMeeting(txn, id)
			if err != nil {
				return err
			}
			if !q.To.IsZero() && !m.Start.Before(q.To) {
				break
			}
			if !q.Matches(m) {
				continue
			}
			if len(page.Meetings) == q.Limit {
				page.Next = page.Meetings[len(page.Meetings)-1].ID
				break
			}
			page.Meetings = append(page.Meetings, *m)
		}
		return nil
	})
	if err != nil {
		return store.MeetingPage{}, db.wrap("list meetings", err)
	}
	return page, nil
}

// purgeMeetings deletes the meetings of a deleted user.
func (db *DB) purgeMeetings(user string) error {
	prefix := key1(kUserMeeting, user)
	return db.eachBatch(context.Background(), prefix, func(txn *badger.Txn, k []byte) error {
		id := hexID(k[len(prefix):])
		m, err := loadMeeting(txn, id)
		if err == nil {
			if err := txn.Delete(meetingTimeKey(m.Start, id)); err != nil {
				return err
			}
			if err := txn.Delete(key1(kMeeting, id)); err != nil {
				return err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return txn.Delete(k)
	})
}
