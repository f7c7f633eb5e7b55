package badgerstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// loadSession reads a session, from hot if not nil (see hot.go), and the
// record of its current thread that the session's record carries (nil if
// none); an expired session is store.ErrNotFound.
func loadSession(txn kv, id string, now time.Time, hot *hotSession) (*store.Session, []byte, error) {
	s := new(store.Session)
	var thread []byte
	var err error
	if hot != nil {
		thread, err = decodeSession(hot.session, id, s)
	} else {
		err = get(txn, strKey(kSession, id), func(v []byte) error {
			var err error
			thread, err = decodeSession(v, id, s)
			thread = bytes.Clone(thread) // v is Badger's
			return err
		})
	}
	if err != nil {
		return nil, nil, err
	}
	if s.Expired(now) {
		return nil, nil, store.ErrNotFound
	}
	return s, thread, nil
}

// loadThread reads a thread. Its record is not written at every turn: the
// number of messages and the time of the last one come from its last
// message record.
func loadThread(txn kv, id string) (*store.Thread, error) {
	t := new(store.Thread)
	err := get(txn, key1(kThread, id), func(v []byte) error { return decodeThread(v, id, t) })
	if err != nil {
		return nil, err
	}
	prefix := key1(kMessage, id)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true})
	defer it.Close()
	// The highest key a message of this thread can have.
	it.Seek(binary.BigEndian.AppendUint32(prefix, math.MaxUint32))
	if !it.ValidForPrefix(prefix) {
		return t, nil
	}
	item := it.Item()
	seq, err := messageSeq(item.Key())
	if err != nil {
		return nil, err
	}
	var msgs []store.Message
	err = item.Value(func(v []byte) error {
		msgs, err = decodeMessages(v, id, seq, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	if last := msgs[len(msgs)-1]; last.Seq > t.Messages {
		t.Messages = last.Seq
		if last.CreatedAt.After(t.UpdatedAt) {
			t.UpdatedAt = last.CreatedAt
		}
	}
	return t, nil
}

// threadChanged reports whether th differs from old in more than its
// messages tell (Messages and UpdatedAt): only then is its record written.
func threadChanged(old, th *store.Thread) bool {
	a, b := *old, *th
	a.Messages, b.Messages = 0, 0
	a.UpdatedAt, b.UpdatedAt = time.Time{}, time.Time{}
	return a != b
}

// putSession writes s, with a Badger TTL past its expiry so that Badger
// eventually drops expired sessions by itself. The record carries thread,
// the record of the session's current thread (nil if none) as the same
// transaction writes or keeps it, so that a turn reads its session and
// thread in one read. Whoever writes the thread of a session holds the
// session's lock and writes the session too. It returns the record.
func (db *DB) putSession(txn kv, s *store.Session, thread []byte, now time.Time) ([]byte, error) {
	v := encodeSession(nil, s, thread)
	e := badger.NewEntry(strKey(kSession, s.ID), v)
	if !s.ExpiresAt.IsZero() {
		// The TTL runs on the real clock; the expiry on db.now. Keep the
		// record a day longer than needed, and never less than a day.
		e = e.WithTTL(max(s.ExpiresAt.Sub(now), 0) + 24*time.Hour)
	}
	return v, txn.SetEntry(e)
}

// turnBackend is what a store.Turn borrows while a turn's transaction runs.
type turnBackend struct {
	db     *DB
	txn    *batch
	old    *store.User // the user as read, for index maintenance
	oldRec []byte      // its record, when kept in memory (hot.go)

	sessionID string
	tiedUser  string // the session's user when the turn began

	stripe     int        // the session's lock stripe
	userStripe int        // the user lock stripe the turn holds, or -1
	hot        hotSession // the session's records this turn writes
	userRec    []byte     // the record this turn leaves of user old.ID
	// userWritten tells whether the turn writes userRec, or leaves it
	// behind or unchanged (lastseen.go).
	userWritten bool
	thread      store.Thread // the session's thread as read
}

func (b *turnBackend) LoadUser(id string) (*store.User, error) {
	if err := store.CheckID("userId", id); err != nil {
		return nil, err
	}
	var u *store.User
	var err error
	rec := b.heldUser(id)
	if rec != nil {
		u = new(store.User)
		err = decodeUser(rec, id, u)
	} else if u, err = loadUser(b.txn, id); err == nil {
		// Not holding the user's lock, the turn cannot write the user
		// (see commitTurn); it sees the latest lastSeen all the same.
		b.db.lastSeen.latest(u)
	}
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", id, err)
	}
	old := u.Clone()
	b.old, b.oldRec = &old, rec
	return u, nil
}

// heldUser returns the record kept in memory of user id if the turn holds
// the user's lock, or nil.
func (b *turnBackend) heldUser(id string) []byte {
	if b.userStripe < 0 || b.db.stripe(id) != b.userStripe {
		return nil
	}
	if rec := b.db.hotUsers[b.userStripe].find(id); rec != nil {
		return *rec
	}
	return b.db.lastSeen.noted(id)
}

func (b *turnBackend) NewID() string { return b.db.newID() }

// A relockError stops a turn's transaction that needs the lock of a user
// whose lock it does not hold (see hot.go).
type relockError struct{ user string }

func (e *relockError) Error() string { return "badgerstore: turn needs the lock of user " + e.user }

// maxRelocks bounds how often a turn changes its user lock.
const maxRelocks = 4

// Update implements [store.Sessions].
func (db *DB) Update(ctx context.Context, sessionID string, fn func(*store.Turn) error) error {
	if err := store.CheckSessionID(sessionID); err != nil {
		return err
	}
	if err := db.enter(); err != nil {
		return err
	}
	defer db.exit()
	stripe := db.stripe(sessionID)
	mu := &db.locks[stripe]
	mu.Lock()
	defer mu.Unlock()
	userStripe := -1
	defer func() {
		if userStripe >= 0 {
			db.userLocks[userStripe].Unlock()
		}
	}()
	if e := db.hotSessions[stripe].find(sessionID); e != nil && e.userID != "" {
		userStripe = db.stripe(e.userID)
		db.userLocks[userStripe].Lock()
	}
	var last *turnBackend // of the last attempt
	var bt *batch
	var err error
	for range maxRelocks {
		if err = ctx.Err(); err != nil {
			break
		}
		bt = newBatch(db, stripe)
		var t *store.Turn
		t, last, err = db.beginTurn(bt, sessionID, stripe, userStripe)
		if err == nil {
			err = callTurn(fn, t)
		}
		if err == nil {
			err = db.commitTurn(bt, t, last)
		}
		// beginTurn, commitTurn and commit return relockError and
		// hookError unwrapped: a type assertion, which allocates nothing.
		if rl, ok := err.(*relockError); ok {
			bt.discard()
			if userStripe >= 0 {
				db.userLocks[userStripe].Unlock()
			}
			userStripe = db.stripe(rl.user)
			db.userLocks[userStripe].Lock()
			continue
		}
		if err == nil {
			err = db.commit(bt)
			_, failedAlone := err.(*hookError) // a batch that failed alone was not written
			if err != nil && last.userWritten && !failedAlone {
				// The user's record may have been written or not (Badger
				// can fail a commit whose entries are already visible):
				// the index must follow whichever it is.
				db.reconcile(last.old.ID, last.old.LastSeen, bt.user.lastSeen)
			}
		} else {
			bt.discard()
		}
		break
	}
	if err == nil {
		if bt.shardSet {
			db.shards[stripe] = bt.shard
		}
		db.hotSessions[stripe].put(sessionID, last.hot)
		if last.userRec != nil {
			db.hotUsers[userStripe].put(last.old.ID, last.userRec)
		}
	} else {
		// The commit may have reached the disk or not: read the shard,
		// the session and the user again next time.
		db.shards[stripe] = counterShard{}
		db.hotSessions[stripe].drop(sessionID)
		if last != nil && last.userRec != nil {
			db.hotUsers[userStripe].drop(last.old.ID)
		}
	}
	if err != nil {
		var he *hookError
		var rl *relockError
		switch {
		case errors.As(err, &he):
			return he.err
		case errors.As(err, &rl):
			err = store.ErrBusy
		}
		return db.wrap(fmt.Sprintf("update session %q", sessionID), err)
	}
	return nil
}

// A hookError carries the error of the engine's function through the
// retry loop unchanged.
type hookError struct{ err error }

func (e *hookError) Error() string { return e.err.Error() }

func callTurn(fn func(*store.Turn) error, t *store.Turn) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &hookError{fmt.Errorf("badgerstore: update function panicked: %v", r)}
		}
	}()
	if err := fn(t); err != nil {
		return &hookError{err}
	}
	return nil
}

// beginTurn reads what a turn of session sessionID starts from. The turn
// holds the session's lock stripe, and the user lock stripe userStripe (-1
// for none).
func (db *DB) beginTurn(txn *batch, sessionID string, stripe, userStripe int) (*store.Turn, *turnBackend, error) {
	b := &turnBackend{db: db, txn: txn, sessionID: sessionID, stripe: stripe, userStripe: userStripe}
	t := store.NewTurn(b)
	t.Now = db.now().UTC()
	hot := db.hotSessions[stripe].find(sessionID)
	s, threadRec, err := loadSession(txn, sessionID, t.Now, hot)
	switch {
	case errors.Is(err, store.ErrNotFound):
		s = &store.Session{ID: sessionID}
		t.New = true
	case err != nil:
		return nil, nil, err
	}
	t.Session = s
	if s.UserID != "" {
		if userStripe < 0 {
			return nil, nil, &relockError{s.UserID}
		}
		// Holding another user's lock (an earlier attempt of this turn
		// tied the session to that user), the turn reads this user
		// without its lock: it cannot write the user without starting
		// again with the lock (commitTurn).
		u, err := b.LoadUser(s.UserID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.UserID = "" // the user was deleted
		case err != nil:
			return nil, nil, err
		default:
			t.User = u
			b.tiedUser = u.ID
		}
	}
	if s.ThreadID != "" {
		var th *store.Thread
		if threadRec != nil {
			th = new(store.Thread)
			err = decodeThread(threadRec, s.ThreadID, th)
		} else {
			th, err = loadThread(txn, s.ThreadID) // a schema 3 record
		}
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.ThreadID = ""
		case err != nil:
			return nil, nil, err
		default:
			t.SetThread(th)
			b.thread = *th
		}
	}
	return t, b, nil
}

func (db *DB) commitTurn(txn *batch, t *store.Turn, b *turnBackend) error {
	now := t.Now
	s := t.Session
	s.ID = b.sessionID
	if err := store.CheckAttributes("sessionAttributes", s.Attributes); err != nil {
		return &hookError{err}
	}
	if err := store.CheckTurn(t); err != nil {
		return &hookError{err}
	}
	for i := range t.Messages {
		if err := store.CheckMessage(&t.Messages[i]); err != nil {
			return &hookError{fmt.Errorf("messages[%d]: %w", i, err)}
		}
	}
	counters := t.Counters
	if t.New {
		s.StartedAt = now
		counters.Sessions++
	}
	s.UpdatedAt = now
	if u := t.User; u != nil {
		if err := store.CheckAttributes("attributes", u.Attributes); err != nil {
			return &hookError{err}
		}
		s.UserID = u.ID
		if t.NewThread() {
			u.Conversations++
		}
		u.SessionID = s.ID
		if b.old == nil || b.old.ID != u.ID {
			return &hookError{errors.New("badgerstore: Turn.User must be set with Turn.SetUser")}
		}
		if db.stripe(u.ID) != b.userStripe {
			return &relockError{u.ID}
		}
		u.LastSeen = now
		for i := range t.Messages {
			if t.Messages[i].Type == store.UserMessage {
				u.Messages++
			}
		}
		// The user's first turn of the day, in the counters' time zone,
		// counts the user as active that day.
		today := dayNumber(now.In(db.loc))
		newDay := b.old.SessionID == "" || dayNumber(b.old.LastSeen.In(db.loc)) != today
		if newDay {
			counters.ActiveUsers++
			if dayNumber(u.CreatedAt.In(db.loc)) != today {
				counters.ReturningUsers++
			}
			if err := txn.Set(activityKey(u.ID, today), nil); err != nil {
				return err
			}
		}
		// Never back, when the clock goes back: the records may be behind,
		// and reads, flushes and Open take the latest lastSeen noted.
		// A new day always moves it, so that the user is counted once.
		if since := now.Sub(b.old.LastSeen); since < db.cfg.lastSeenEvery && !newDay {
			u.LastSeen = b.old.LastSeen // see WithLastSeenEvery
		}
		switch {
		case sameUser(b.old, u):
			b.userRec = b.oldRec
			if b.userRec == nil {
				b.userRec = encodeUser(nil, u)
			}
		case sameButLastSeen(b.old, u):
			// Written behind, with a journal entry (lastseen.go).
			b.userRec = encodeUser(nil, u)
			txn.noteUser(userNote{id: u.ID, indexed: b.old.LastSeen, lastSeen: u.LastSeen, messages: u.Messages, rec: b.userRec, behind: true})
		default:
			// The lastSeen index follows behind (lastseen.go).
			rec, err := putUserRecord(txn, b.old, u)
			if err != nil {
				if errors.Is(err, store.ErrConflict) {
					return &hookError{err}
				}
				return err
			}
			b.userRec, b.userWritten = rec, true
			txn.noteUser(userNote{id: u.ID, indexed: b.old.LastSeen, lastSeen: u.LastSeen, messages: u.Messages, rec: rec})
		}
		if u.ID != b.tiedUser {
			if err := txn.Set(userSessionKey(u.ID, s.ID), nil); err != nil {
				return err
			}
		}
	} else {
		s.UserID = ""
	}
	if th := t.EndedThread(); th != nil {
		if err := txn.Set(key1(kThread, th.ID), encodeThread(nil, th)); err != nil {
			return err
		}
	}
	var threadRec []byte
	if th := t.Thread; th != nil {
		if th.UserID == "" && s.UserID != "" || t.NewThread() {
			th.UserID = s.UserID
			if th.UserID != "" {
				if err := txn.Set(key2(kUserThread, th.UserID, th.ID), nil); err != nil {
					return err
				}
			}
		}
		s.ThreadID = th.ID
		if err := db.appendMessages(txn, th, t.Messages, now); err != nil {
			return err
		}
		threadRec = encodeThread(nil, th)
		if t.NewThread() || threadChanged(&b.thread, th) {
			if err := txn.Set(key1(kThread, th.ID), threadRec); err != nil {
				return err
			}
		}
		counters.Messages += int64(len(t.Messages))
		txn.log = t.TurnLog()
	}
	if len(t.Deliveries) > 0 {
		if err := db.putDeliveries(txn, t.Deliveries, now); err != nil {
			if errors.Is(err, store.ErrInvalid) {
				return &hookError{err}
			}
			return err
		}
	}
	txn.day, txn.counters = dayNumber(now.In(db.loc)), counters
	if t.Fallback != "" {
		if err := store.CheckFallback(t.Fallback); err != nil {
			return &hookError{err}
		}
		if err := txn.Set(db.fallbackKey(txn.day, t.Fallback), nil); err != nil {
			return err
		}
	}
	v, err := db.putSession(txn, s, threadRec, now)
	b.hot.session, b.hot.userID = v, s.UserID
	return err
}

// appendMessages numbers msgs as the next messages of thread th and writes
// them, messagesPerKey to a record. It updates th but does not write it.
func (db *DB) appendMessages(txn kv, th *store.Thread, msgs []store.Message, now time.Time) error {
	for i := range msgs {
		m := &msgs[i]
		th.Messages++
		m.ThreadID = th.ID
		m.Seq = th.Messages
		if m.CreatedAt.IsZero() {
			m.CreatedAt = now
		}
		if th.FirstMessage == "" && m.Type == store.UserMessage && m.Trigger == "" {
			th.FirstMessage = m.Text
		}
	}
	for rest := msgs; len(rest) > 0; {
		chunk := rest[:min(len(rest), messagesPerKey)]
		rest = rest[len(chunk):]
		// Badger keeps the key and value until commit: fresh slices.
		if err := txn.Set(messageKey(th.ID, chunk[0].Seq), encodeMessages(nil, chunk)); err != nil {
			return err
		}
	}
	if len(msgs) > 0 {
		th.UpdatedAt = now
	}
	return nil
}

// Session implements [store.Sessions].
func (db *DB) Session(ctx context.Context, id string) (store.Session, error) {
	if err := store.CheckSessionID(id); err != nil {
		return store.Session{}, err
	}
	var s *store.Session
	err := db.view(ctx, func(txn *badger.Txn) error {
		var err error
		s, _, err = loadSession(txn, id, db.now(), nil)
		return err
	})
	if err != nil {
		return store.Session{}, db.wrap("get session", err)
	}
	return *s, nil
}

// UpdateSessionAttributes implements [store.Sessions].
func (db *DB) UpdateSessionAttributes(ctx context.Context, id string, attrs map[string]string) (store.Session, error) {
	if err := store.CheckSessionID(id); err != nil {
		return store.Session{}, err
	}
	if err := store.CheckAttributeUpdate("attributes", attrs); err != nil {
		return store.Session{}, err
	}
	if err := db.enter(); err != nil {
		return store.Session{}, err
	}
	defer db.exit()
	defer db.lockSession(id)()
	var s *store.Session
	err := db.retry(ctx, func(txn *badger.Txn) error {
		now := db.now().UTC()
		var err error
		var thread []byte
		s, thread, err = loadSession(txn, id, now, nil)
		if err != nil {
			return err
		}
		s.Attributes = store.MergeAttributes(s.Attributes, attrs)
		if err := store.CheckAttributes("attributes", s.Attributes); err != nil {
			return err
		}
		s.UpdatedAt = now
		_, err = db.putSession(txn, s, thread, now)
		return err
	})
	if err != nil {
		return store.Session{}, db.wrap("update session attributes", err)
	}
	return *s, nil
}

// ActiveSession implements [store.Sessions].
func (db *DB) ActiveSession(ctx context.Context, userID string) (store.Session, error) {
	if err := store.CheckID("userId", userID); err != nil {
		return store.Session{}, err
	}
	var s *store.Session
	err := db.view(ctx, func(txn *badger.Txn) error {
		u, err := loadUser(txn, userID)
		if err != nil {
			return err
		}
		if u.SessionID == "" {
			return store.ErrNotFound
		}
		s, _, err = loadSession(txn, u.SessionID, db.now(), nil)
		if err == nil && s.UserID != userID {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return store.Session{}, db.wrap("get active session", err)
	}
	return *s, nil
}
