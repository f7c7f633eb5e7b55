package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// userColumns are the columns scanUser reads, of users u.
const userColumns = `u.id, u.user_id, u.banned, u.attributes, u.conversations, u.feedback, u.messages, u.session_id, u.created_at,
	u.last_seen, u.verified_email, array(SELECT m.segment_id FROM members m WHERE m.user_id = u.id ORDER BY m.segment_id),
	array(SELECT t.tag FROM tags t WHERE t.user_id = u.id ORDER BY t.tag)`

// scanUser reads a row of userColumns; no row is store.ErrNotFound.
func scanUser(row pgx.Row) (*store.User, error) {
	u := new(store.User)
	err := row.Scan(&u.ID, &u.UserID, &u.Banned, &u.Attributes, &u.Conversations, &u.Feedback, &u.Messages, &u.SessionID,
		&u.CreatedAt, &u.LastSeen, &u.VerifiedEmail, &u.Segments, &u.Tags)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	normUser(u)
	return u, nil
}

// normUser gives a user read from the database the form of one the store
// hands out: times in UTC, nil for no attributes or segments.
func normUser(u *store.User) {
	u.CreatedAt, u.LastSeen = u.CreatedAt.UTC(), u.LastSeen.UTC()
	if len(u.Attributes) == 0 {
		u.Attributes = nil
	}
	if len(u.Segments) == 0 {
		u.Segments = nil
	}
	if len(u.Tags) == 0 {
		u.Tags = nil
	}
}

// emailKey is the value of users.email for u: its default_email in lower
// case, or NULL.
func emailKey(u *store.User) *string {
	e := u.Email()
	if e == "" {
		return nil
	}
	e = strings.ToLower(e)
	return &e
}

// attrsValue is u's attributes as stored: never NULL.
func attrsValue(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// userConflict translates a unique violation on users into
// store.ErrConflict naming the field, and returns other errors as they are.
func userConflict(err error, u *store.User) error {
	code, constraint := pgCode(err)
	if code != codeUnique {
		return err
	}
	switch constraint {
	case "users_user_id_key":
		return fmt.Errorf("%w: userId %q is in use", store.ErrConflict, u.UserID)
	case "users_email_key":
		return fmt.Errorf("%w: attributes.default_email %q is in use", store.ErrConflict, u.Email())
	}
	return fmt.Errorf("%w: %s", store.ErrConflict, constraint)
}

// newUser is store.NewUser with this DB's id, clock and normal form.
func (db *DB) newUser(in *store.User) (store.User, error) {
	u, err := store.NewUser(in, db.newID(), db.clock())
	normUser(&u)
	return u, err
}

// queueInsertUser queues the statements that write a new user u (from
// newUser), its memberships and its tags, and returns how many it queued.
func queueInsertUser(b *pgx.Batch, u *store.User) int {
	b.Queue(`
INSERT INTO users (id, user_id, email, banned, attributes, conversations, feedback, session_id, created_at, last_seen)
VALUES ($1, $2, $3, $4, $5, 0, 0, '', $6, $6)`,
		u.ID, u.UserID, emailKey(u), u.Banned, attrsValue(u.Attributes), u.CreatedAt)
	n := 1
	if len(u.Segments) > 0 {
		b.Queue(`INSERT INTO members (segment_id, user_id) SELECT unnest($1::text[]), $2`, u.Segments, u.ID)
		n++
	}
	if len(u.Tags) > 0 {
		b.Queue(`INSERT INTO tags (user_id, tag) SELECT $1, unnest($2::text[])`, u.ID, u.Tags)
		n++
	}
	return n
}

// checkSegments returns store.ErrNotFound naming the first of ids that is
// no segment, or a *store.FieldError for a saved filter's segment, which
// has no explicit members.
func checkSegments(ctx context.Context, tx pgx.Tx, field string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var missing, saved *string
	err := tx.QueryRow(ctx, `
SELECT (SELECT min(i) FROM unnest($1::text[]) i WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.id = i)),
       (SELECT min(s.id) FROM segments s WHERE s.id = ANY($1) AND s.filter IS NOT NULL)`, ids).Scan(&missing, &saved)
	switch {
	case err != nil:
		return err
	case missing != nil:
		return fmt.Errorf("segment %s: %w", *missing, store.ErrNotFound)
	case saved != nil:
		return &store.FieldError{Field: field, Rule: fmt.Sprintf("segment %s is a saved filter: its members cannot be added or removed", *saved)}
	}
	return nil
}

// CreateUser implements [store.Users].
func (db *DB) CreateUser(ctx context.Context, in store.User) (store.User, error) {
	u, err := db.newUser(&in)
	if err != nil {
		return store.User{}, err
	}
	err = db.tx(ctx, func(tx pgx.Tx) error {
		if err := checkSegments(ctx, tx, "segments", u.Segments); err != nil {
			return err
		}
		var b pgx.Batch
		queueInsertUser(&b, &u)
		b.Queue(addCountersSQL, db.counterArgs(u.CreatedAt, randomShard(), store.Counters{NewUsers: 1, Tagged: int64(len(u.Tags))})...)
		return insertErr(tx.SendBatch(ctx, &b).Close(), &u)
	})
	if err != nil {
		return store.User{}, db.wrap(ctx, "create user", err)
	}
	return u, nil
}

// insertErr translates the errors of inserting u: its userId or email in
// use, or a segment deleted meanwhile.
func insertErr(err error, u *store.User) error {
	if code, _ := pgCode(err); code == codeForeignKey {
		return fmt.Errorf("a segment of %v: %w", u.Segments, store.ErrNotFound)
	}
	return userConflict(err, u)
}

// CreateUsers implements [store.Users], in one transaction: all or none.
func (db *DB) CreateUsers(ctx context.Context, in []store.User) ([]store.User, error) {
	if len(in) < 1 || len(in) > store.MaxUsersPerOp {
		return nil, &store.FieldError{Field: "users", Rule: fmt.Sprintf("must have 1 to %d entries", store.MaxUsersPerOp)}
	}
	users := make([]store.User, len(in))
	var segs []string
	var c store.Counters
	for i := range in {
		u, err := db.newUser(&in[i])
		if err != nil {
			return nil, store.InBatch(i, err)
		}
		users[i] = u
		segs = append(segs, u.Segments...)
		c.NewUsers++
		c.Tagged += int64(len(u.Tags))
	}
	if err := store.DistinctInBatch(users); err != nil {
		return nil, err
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := checkSegments(ctx, tx, "segments", segs); err != nil {
			// Name the first user with that segment.
			for i := range users {
				if e := checkSegments(ctx, tx, "segments", users[i].Segments); e != nil {
					return store.InBatch(i, e)
				}
			}
			return err
		}
		var b pgx.Batch
		var owner []int // the user of each statement queued
		for i := range users {
			for range queueInsertUser(&b, &users[i]) {
				owner = append(owner, i)
			}
		}
		b.Queue(addCountersSQL, db.counterArgs(users[0].CreatedAt, randomShard(), c)...)
		br := tx.SendBatch(ctx, &b)
		defer br.Close()
		for _, i := range owner {
			if _, err := br.Exec(); err != nil {
				return store.InBatch(i, insertErr(err, &users[i]))
			}
		}
		if _, err := br.Exec(); err != nil {
			return err
		}
		return br.Close()
	})
	if err != nil {
		return nil, db.wrap(ctx, "create users", err)
	}
	return users, nil
}

// User implements [store.Users].
func (db *DB) User(ctx context.Context, id string) (store.User, error) {
	if err := store.CheckID("id", id); err != nil {
		return store.User{}, err
	}
	return db.readUser(ctx, "get user", `u.id = $1`, id)
}

// UserByUserID implements [store.Users].
func (db *DB) UserByUserID(ctx context.Context, userID string) (store.User, error) {
	if err := store.CheckUserID(userID); err != nil {
		return store.User{}, err
	}
	return db.readUser(ctx, "get user by userId", `u.user_id = $1`, userID)
}

// UserByEmail implements [store.Users].
func (db *DB) UserByEmail(ctx context.Context, email string) (store.User, error) {
	if email == "" {
		return store.User{}, &store.FieldError{Field: "email", Rule: "must not be empty"}
	}
	return db.readUser(ctx, "get user by email", `u.email = $1`, strings.ToLower(email))
}

func (db *DB) readUser(ctx context.Context, op, where string, arg string) (store.User, error) {
	if err := db.enter(ctx); err != nil {
		return store.User{}, err
	}
	defer db.exit()
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE `+where, arg))
	if err != nil {
		return store.User{}, db.wrap(ctx, op, err)
	}
	return *u, nil
}

// lockUser reads a user inside tx and locks its row until tx ends.
func lockUser(ctx context.Context, tx pgx.Tx, id string) (*store.User, error) {
	return scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1 FOR UPDATE OF u`, id))
}

// UpdateUser implements [store.Users].
func (db *DB) UpdateUser(ctx context.Context, id string, attrs map[string]string) (store.User, error) {
	if err := store.CheckID("id", id); err != nil {
		return store.User{}, err
	}
	if err := store.CheckAttributeUpdate("attributes", attrs); err != nil {
		return store.User{}, err
	}
	var u *store.User
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if u, err = lockUser(ctx, tx, id); err != nil {
			return err
		}
		u.Attributes = store.MergeAttributes(u.Attributes, attrs)
		if len(u.Attributes) == 0 {
			return &store.FieldError{Field: "attributes", Rule: "must leave the user at least 1 attribute"}
		}
		if err := store.CheckAttributes("attributes", u.Attributes); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE users SET attributes = $2, email = $3 WHERE id = $1`,
			id, attrsValue(u.Attributes), emailKey(u))
		return userConflict(err, u)
	})
	if err != nil {
		return store.User{}, db.wrap(ctx, "update user", err)
	}
	normUser(u)
	return *u, nil
}

// SetBanned implements [store.Users].
func (db *DB) SetBanned(ctx context.Context, id string, banned bool) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET banned = $2 WHERE id = $1`, id, banned)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	return db.wrap(ctx, "ban user", err)
}

// DeleteUser implements [store.Users]. One statement deletes the user; the
// foreign keys delete its sessions, threads, messages and memberships in
// the same transaction.
func (db *DB) DeleteUser(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		if err == nil {
			_, err = tx.Exec(ctx, `DELETE FROM automated_deliveries WHERE recipient = $1`, id)
		}
		if err == nil {
			_, err = tx.Exec(ctx, `DELETE FROM visits WHERE visitor = $1`, id)
		}
		return err
	})
	return db.wrap(ctx, "delete user", err)
}

// ListUsers implements [store.Users]. Sorted by createdAt it walks the
// users' primary key (ids sort by creation); sorted by lastSeen, the
// users_last_seen index. Filters become a WHERE clause.
func (db *DB) ListUsers(ctx context.Context, q store.UserQuery) (store.UserPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.UserPage{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.UserPage{}, err
	}
	defer db.exit()
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var where []string
	cmp, dir := ">", "ASC"
	if q.Order == store.Desc {
		cmp, dir = "<", "DESC"
	}
	order := "u.id " + dir
	if q.Sort == store.SortLastSeen {
		order = "u.last_seen " + dir + ", u.id " + dir
	}
	if q.After != "" {
		if q.Sort == store.SortLastSeen {
			var seen time.Time
			err := db.pool.QueryRow(ctx, `SELECT last_seen FROM users WHERE id = $1`, q.After).Scan(&seen)
			if errors.Is(err, pgx.ErrNoRows) {
				return store.UserPage{}, db.wrap(ctx, "list users", fmt.Errorf("after: %w", store.ErrNotFound))
			}
			if err != nil {
				return store.UserPage{}, db.wrap(ctx, "list users", err)
			}
			where = append(where, "(u.last_seen, u.id) "+cmp+" ("+arg(seen)+", "+arg(q.After)+")")
		} else {
			where = append(where, "u.id "+cmp+" "+arg(q.After))
		}
	}
	if len(q.Filters) > 0 {
		where = append(where, filtersSQL(&q, arg))
	}
	sql := `SELECT ` + userColumns + ` FROM users u`
	if len(where) > 0 {
		sql += ` WHERE ` + strings.Join(where, " AND ")
	}
	sql += ` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(q.Limit) + ` OFFSET ` + strconv.Itoa(q.Offset)
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return store.UserPage{}, db.wrap(ctx, "list users", err)
	}
	var page store.UserPage
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return store.UserPage{}, db.wrap(ctx, "list users", err)
		}
		page.Users = append(page.Users, *u)
	}
	if err := rows.Err(); err != nil {
		return store.UserPage{}, db.wrap(ctx, "list users", err)
	}
	if len(page.Users) == q.Limit {
		page.Next = page.Users[len(page.Users)-1].ID
	}
	return page, nil
}

// filtersSQL is the condition of q's filters (at least one), their values
// passed through arg.
func filtersSQL(q *store.UserQuery, arg func(any) string) string {
	conds := make([]string, len(q.Filters))
	for i := range q.Filters {
		conds[i] = filterSQL(&q.Filters[i], arg)
	}
	join := " AND "
	if q.Match == store.MatchAny {
		join = " OR "
	}
	return "(" + strings.Join(conds, join) + ")"
}

// CountUsers implements [store.Users]: one scan of the users, counting
// each query's matches with an aggregate FILTER.
func (db *DB) CountUsers(ctx context.Context, qs ...store.UserQuery) ([]int, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	counts := make([]string, len(qs))
	for i := range qs {
		q, err := qs[i].Normalize()
		if err != nil {
			return nil, err
		}
		counts[i] = "count(*)"
		if len(q.Filters) > 0 {
			counts[i] += " FILTER (WHERE " + filtersSQL(&q, arg) + ")"
		}
	}
	out := make([]int, len(qs))
	if len(qs) == 0 {
		return out, nil
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	dest := make([]any, len(out))
	for i := range out {
		dest[i] = &out[i]
	}
	if err := db.pool.QueryRow(ctx, `SELECT `+strings.Join(counts, ", ")+` FROM users u`, args...).Scan(dest...); err != nil {
		return nil, db.wrap(ctx, "count users", err)
	}
	return out, nil
}

// filterSQL is the condition of a valid filter, its values passed through
// arg.
func filterSQL(f *store.Filter, arg func(any) string) string {
	switch f.Field {
	case store.FieldCreatedAt, store.FieldLastSeen:
		col := "u.created_at"
		if f.Field == store.FieldLastSeen {
			col = "u.last_seen"
		}
		if f.Op == store.OpBefore {
			return col + " < " + arg(f.Time)
		}
		return col + " > " + arg(f.Time)
	case store.FieldSegment:
		in := "EXISTS (SELECT 1 FROM members m WHERE m.user_id = u.id AND m.segment_id = " + arg(f.Value) + ")"
		if f.Op == store.OpNotEquals {
			return "NOT " + in
		}
		return in
	case store.FieldBanned:
		return "u.banned = " + arg(f.Value == "true")
	case store.FieldTag:
		has := "EXISTS (SELECT 1 FROM tags t WHERE t.user_id = u.id AND t.tag = " + arg(f.Value) + ")"
		if f.Op == store.OpNotEquals {
			return "NOT " + has
		}
		return has
	case store.FieldFeedback, store.FieldMessages:
		n, _ := strconv.Atoi(f.Value)
		col := "u.feedback"
		if f.Field == store.FieldMessages {
			col = "u.messages"
		}
		if f.Op == store.OpAtLeast {
			return col + " >= " + arg(n)
		}
		return col + " <= " + arg(n)
	}
	key := arg(strings.TrimPrefix(f.Field, store.FieldAttribute))
	switch f.Op {
	case store.OpEquals:
		return "u.attributes ->> " + key + " = " + arg(f.Value)
	case store.OpNotEquals:
		return "u.attributes ->> " + key + " IS DISTINCT FROM " + arg(f.Value)
	case store.OpContains:
		return "strpos(u.attributes ->> " + key + ", " + arg(f.Value) + ") > 0"
	}
	return "u.attributes ? " + key // OpExists
}
