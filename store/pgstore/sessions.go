package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// sessionState is the part of a session kept in sessions.state, as JSON
// with names of its own, so that the column does not change with Go field
// names.
type sessionState struct {
	StoryID    string            `json:"story,omitempty"`
	Contexts   []contextState    `json:"contexts,omitempty"`
	Slot       *slotState        `json:"slot,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Blocked    []string          `json:"blocked,omitempty"`
	Failures   int               `json:"failures,omitempty"`
	// Verification is the one-time code the session waits for.
	Verification *verificationState `json:"verification,omitempty"`
}

type verificationState struct {
	Email     string    `json:"email"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expiresAt"`
	Attempts  int       `json:"attempts,omitempty"`
}

type contextState struct {
	InteractionID string            `json:"interaction"`
	Lifespan      int               `json:"lifespan"`
	Parameters    map[string]string `json:"parameters,omitempty"`
}

type slotState struct {
	InteractionID string            `json:"interaction"`
	Parameter     string            `json:"parameter"`
	Parameters    map[string]string `json:"parameters,omitempty"`
	Attempts      int               `json:"attempts,omitempty"`
}

func stateOf(s *store.Session) *sessionState {
	st := &sessionState{StoryID: s.StoryID, Attributes: s.Attributes, Blocked: s.Blocked, Failures: s.Failures}
	for _, c := range s.Contexts {
		st.Contexts = append(st.Contexts, contextState(c))
	}
	if s.Slot != nil {
		sl := slotState(*s.Slot)
		st.Slot = &sl
	}
	if s.Verification != nil {
		v := verificationState(*s.Verification)
		st.Verification = &v
	}
	return st
}

func (st *sessionState) apply(s *store.Session) {
	s.StoryID, s.Attributes, s.Blocked, s.Failures = st.StoryID, st.Attributes, st.Blocked, st.Failures
	s.Contexts = nil
	for _, c := range st.Contexts {
		s.Contexts = append(s.Contexts, store.Context(c))
	}
	s.Slot = nil
	if st.Slot != nil {
		sl := store.SlotFilling(*st.Slot)
		s.Slot = &sl
	}
	s.Verification = nil
	if st.Verification != nil {
		v := store.Verification(*st.Verification)
		v.ExpiresAt = v.ExpiresAt.UTC()
		s.Verification = &v
	}
}

// sessionColumns are the columns scanSession reads, of sessions s.
const sessionColumns = `s.id, coalesce(s.user_id, ''), s.thread_id, s.state, s.started_at, s.updated_at, s.expires_at`

// scanSession reads a row of sessionColumns; no row, or a session expired
// at now, is store.ErrNotFound.
func scanSession(row pgx.Row, now time.Time) (*store.Session, error) {
	s := new(store.Session)
	var st sessionState
	var expires *time.Time
	err := row.Scan(&s.ID, &s.UserID, &s.ThreadID, &st, &s.StartedAt, &s.UpdatedAt, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	st.apply(s)
	s.StartedAt, s.UpdatedAt = s.StartedAt.UTC(), s.UpdatedAt.UTC()
	if expires != nil {
		s.ExpiresAt = expires.UTC()
	}
	if s.Expired(now) {
		return nil, store.ErrNotFound
	}
	return s, nil
}

// nullTime is t, or NULL when t is zero.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// nullString is s, or NULL when s is "".
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// putSessionSQL writes a session whole.
const putSessionSQL = `
INSERT INTO sessions (id, user_id, thread_id, state, started_at, updated_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, thread_id = excluded.thread_id,
	state = excluded.state, started_at = excluded.started_at, updated_at = excluded.updated_at,
	expires_at = excluded.expires_at`

func sessionArgs(s *store.Session) []any {
	return []any{s.ID, nullString(s.UserID), s.ThreadID, stateOf(s), s.StartedAt, s.UpdatedAt, nullTime(s.ExpiresAt)}
}

// lockSessionSQL takes the advisory lock of session id, which the
// transaction holds until it ends.
func (db *DB) lockSessionSQL(id string) (string, int64) {
	return `SELECT pg_advisory_xact_lock($1)`, db.lockSpace ^ int64(hash64(id))
}

// turnBackend is what a store.Turn borrows while its transaction runs.
type turnBackend struct {
	db  *DB
	ctx context.Context
	tx  pgx.Tx
	// users are the users this turn read and locked, as read.
	users map[string]*store.User
}

func (b *turnBackend) LoadUser(id string) (*store.User, error) {
	if err := store.CheckID("userId", id); err != nil {
		return nil, err
	}
	if u, ok := b.users[id]; ok {
		c := u.Clone()
		return &c, nil
	}
	u, err := lockUser(b.ctx, b.tx, id)
	if err != nil {
		return nil, err
	}
	c := u.Clone()
	b.users[id] = &c
	return u, nil
}

func (b *turnBackend) NewID() string { return b.db.newID() }

// LoadThread reads a thread inside the turn's transaction and locks its
// row until the transaction ends.
func (b *turnBackend) LoadThread(id string) (*store.Thread, error) {
	if err := store.CheckID("threadId", id); err != nil {
		return nil, err
	}
	return lockThread(b.ctx, b.tx, id)
}

// A hookError carries the engine's function's error, or an error of the
// turn's own making, through the retry loop unchanged.
type hookError struct{ err error }

func (e *hookError) Error() string { return e.err.Error() }

func callTurn(fn func(*store.Turn) error, t *store.Turn) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &hookError{fmt.Errorf("pgstore: update function panicked: %v", r)}
		}
	}()
	if err := fn(t); err != nil {
		if retryable(err) {
			return err // a deadlock met by Turn.SetUser or Turn.UseThread: run the turn again
		}
		return &hookError{err}
	}
	return nil
}

// Update implements [store.Sessions]. A turn is one transaction that
// first takes the session's advisory lock (see the package doc), then
// reads the session and locks its user's and its thread's rows, calls fn,
// and writes everything fn left in the Turn in one round trip.
func (db *DB) Update(ctx context.Context, sessionID string, fn func(*store.Turn) error) error {
	if err := store.CheckSessionID(sessionID); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		t, b, err := db.beginTurn(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if err := callTurn(fn, t); err != nil {
			return err
		}
		return db.commitTurn(ctx, tx, t, b)
	})
	var he *hookError
	if errors.As(err, &he) {
		return he.err
	}
	return db.wrap(ctx, fmt.Sprintf("update session %q", sessionID), err)
}

// beginTurn reads what a turn of a session starts from, in one round trip:
// the session's lock, the session, and its user and thread, locked.
func (db *DB) beginTurn(ctx context.Context, tx pgx.Tx, sessionID string) (*store.Turn, *turnBackend, error) {
	b := &turnBackend{db: db, ctx: ctx, tx: tx, users: map[string]*store.User{}}
	t := store.NewTurn(b)
	t.Now = db.clock()
	var batch pgx.Batch
	lockSQL, key := db.lockSessionSQL(sessionID)
	batch.Queue(lockSQL, key)
	// Each statement reads what was committed when it starts: the reads
	// run after the lock is taken, so they see the last turn's commit.
	sessionQ := batch.Queue(`SELECT `+sessionColumns+` FROM sessions s WHERE s.id = $1`, sessionID)
	userQ := batch.Queue(`SELECT `+userColumns+` FROM users u
WHERE u.id = (SELECT user_id FROM sessions WHERE id = $1) FOR UPDATE OF u`, sessionID)
	threadQ := batch.Queue(`SELECT `+threadColumns+` FROM threads t
WHERE t.id = (SELECT thread_id FROM sessions WHERE id = $1) FOR UPDATE`, sessionID)
	var s *store.Session
	var u *store.User
	var th *store.Thread
	var sErr, uErr, thErr error
	sessionQ.QueryRow(func(row pgx.Row) error { s, sErr = scanSession(row, t.Now); return nil })
	userQ.QueryRow(func(row pgx.Row) error { u, uErr = scanUser(row); return nil })
	threadQ.QueryRow(func(row pgx.Row) error { th, thErr = scanThread(row); return nil })
	if err := tx.SendBatch(ctx, &batch).Close(); err != nil {
		return nil, nil, err
	}
	for _, err := range []error{sErr, uErr, thErr} {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, nil, err
		}
	}
	if s != nil && s.UserID != "" && u == nil {
		// The user was deleted, and with it everything of theirs: this
		// turn starts afresh, as it would once the session is gone.
		s = nil
	}
	if s == nil {
		t.Session = &store.Session{ID: sessionID}
		t.New = true
		return t, b, nil
	}
	t.Session = s
	if u != nil {
		t.User = u
		c := u.Clone()
		b.users[u.ID] = &c
	}
	if s.ThreadID != "" {
		if th == nil {
			s.ThreadID = ""
		} else {
			t.SetThread(th)
		}
	}
	return t, b, nil
}

// commitTurn checks what fn left in t and writes it in one round trip.
func (db *DB) commitTurn(ctx context.Context, tx pgx.Tx, t *store.Turn, b *turnBackend) error {
	now := t.Now
	s := t.Session
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
	var batch pgx.Batch
	u := t.User
	if u != nil {
		if err := store.CheckAttributes("attributes", u.Attributes); err != nil {
			return &hookError{err}
		}
		if old, ok := b.users[u.ID]; !ok || old.ID != u.ID {
			return &hookError{errors.New("pgstore: Turn.User must be set with Turn.SetUser")}
		}
		s.UserID = u.ID
		if t.NewThread() {
			u.Conversations++
		}
		// The user's first turn of the day, in the counters' time zone,
		// counts the user as active that day.
		old := b.users[u.ID]
		today := store.DayOf(now, db.loc)
		if old.SessionID == "" || store.DayOf(old.LastSeen, db.loc) != today {
			counters.ActiveUsers++
			if store.DayOf(u.CreatedAt, db.loc) != today {
				counters.ReturningUsers++
			}
			batch.Queue(`INSERT INTO activity (user_id, day) VALUES ($1, $2::date) ON CONFLICT DO NOTHING`, u.ID, today)
		}
		u.SessionID = s.ID
		u.LastSeen = now
		for i := range t.Messages {
			if t.Messages[i].Type == store.UserMessage {
				u.Messages++
			}
		}
		batch.Queue(`
UPDATE users SET attributes = $2, email = $3, banned = $4, conversations = $5, session_id = $6, last_seen = $7,
	messages = $8, verified_email = $9
WHERE id = $1`, u.ID, attrsValue(u.Attributes), emailKey(u), u.Banned, u.Conversations, u.SessionID, u.LastSeen, u.Messages,
			u.VerifiedEmail)
	} else {
		s.UserID = ""
	}
	if th := t.EndedThread(); th != nil {
		batch.Queue(`UPDATE threads SET ended_at = $2 WHERE id = $1`, th.ID, th.EndedAt)
	}
	if th := t.Thread; th != nil {
		if th.UserID == "" && s.UserID != "" || t.NewThread() {
			th.UserID = s.UserID
		}
		s.ThreadID = th.ID
		appendMessages(th, t.Messages, now)
		if t.NewThread() {
			batch.Queue(insertThreadSQL, threadArgs(th)...)
		} else {
			batch.Queue(updateThreadSQL, threadArgs(th)...)
		}
		if len(t.Messages) > 0 {
			batch.Queue(insertMessagesSQL, messageArgs(th.ID, t.Messages)...)
			db.queueNotify(&batch, th.ID, t.Messages[0].Seq, t.Messages[len(t.Messages)-1].Seq)
		}
		counters.Messages += int64(len(t.Messages))
		db.queueLog(&batch, t.TurnLog())
	}
	if len(t.Deliveries) > 0 {
		if err := db.queueDeliveries(&batch, t.Deliveries, now); err != nil {
			return &hookError{err}
		}
	}
	batch.Queue(putSessionSQL, sessionArgs(s)...)
	if t.Fallback != "" {
		if err := store.CheckFallback(t.Fallback); err != nil {
			return &hookError{err}
		}
		batch.Queue(addFallbackSQL, store.DayOf(now, db.loc), t.Fallback)
	}
	db.queueCounters(&batch, now, sessionShard(s.ID), counters)
	err := tx.SendBatch(ctx, &batch).Close()
	if code, _ := pgCode(err); code == codeUnique && u != nil {
		// Another user took the default_email this turn gives its user.
		return &hookError{userConflict(err, u)}
	}
	return err
}

// Session implements [store.Sessions].
func (db *DB) Session(ctx context.Context, id string) (store.Session, error) {
	if err := store.CheckSessionID(id); err != nil {
		return store.Session{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.Session{}, err
	}
	defer db.exit()
	s, err := scanSession(db.pool.QueryRow(ctx, `SELECT `+sessionColumns+` FROM sessions s WHERE s.id = $1`, id), db.clock())
	if err != nil {
		return store.Session{}, db.wrap(ctx, "get session", err)
	}
	return *s, nil
}

// UpdateSessionAttributes implements [store.Sessions]. It takes the
// session's lock, as a turn does.
func (db *DB) UpdateSessionAttributes(ctx context.Context, id string, attrs map[string]string) (store.Session, error) {
	if err := store.CheckSessionID(id); err != nil {
		return store.Session{}, err
	}
	if err := store.CheckAttributeUpdate("attributes", attrs); err != nil {
		return store.Session{}, err
	}
	var s *store.Session
	err := db.tx(ctx, func(tx pgx.Tx) error {
		lockSQL, key := db.lockSessionSQL(id)
		if _, err := tx.Exec(ctx, lockSQL, key); err != nil {
			return err
		}
		now := db.clock()
		var err error
		s, err = scanSession(tx.QueryRow(ctx, `SELECT `+sessionColumns+` FROM sessions s WHERE s.id = $1`, id), now)
		if err != nil {
			return err
		}
		s.Attributes = store.MergeAttributes(s.Attributes, attrs)
		if err := store.CheckAttributes("attributes", s.Attributes); err != nil {
			return err
		}
		s.UpdatedAt = now
		_, err = tx.Exec(ctx, `UPDATE sessions SET state = $2, updated_at = $3 WHERE id = $1`, id, stateOf(s), now)
		return err
	})
	if err != nil {
		return store.Session{}, db.wrap(ctx, "update session attributes", err)
	}
	return *s, nil
}

// ActiveSession implements [store.Sessions].
func (db *DB) ActiveSession(ctx context.Context, userID string) (store.Session, error) {
	if err := store.CheckID("userId", userID); err != nil {
		return store.Session{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.Session{}, err
	}
	defer db.exit()
	s, err := scanSession(db.pool.QueryRow(ctx, `SELECT `+sessionColumns+`
FROM users u JOIN sessions s ON s.id = u.session_id AND s.user_id = u.id WHERE u.id = $1`, userID), db.clock())
	if err != nil {
		return store.Session{}, db.wrap(ctx, "get active session", err)
	}
	return *s, nil
}
