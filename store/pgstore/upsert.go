package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// UpsertUsers implements [store.Users] in one transaction: one query reads
// and locks every user the upserts name, store.PlanUpserts decides, and
// one round trip of multi-row statements (unnest of arrays) writes the new
// users, the changed ones, their tags and memberships and the day's
// counters. Users another transaction creates meanwhile with a userId or
// email of the batch make it run again, and find them then.
func (db *DB) UpsertUsers(ctx context.Context, ups []store.UserUpsert) ([]store.Upserted, error) {
	if len(ups) < 1 || len(ups) > store.MaxUsersPerOp {
		return nil, &store.FieldError{Field: "upserts", Rule: fmt.Sprintf("must have 1 to %d entries", store.MaxUsersPerOp)}
	}
	var plan *store.UpsertPlan
	var err error
	for range maxAttempts {
		err = db.tx(ctx, func(tx pgx.Tx) error {
			var err error
			plan, err = db.planUpserts(ctx, tx, ups)
			if err != nil {
				return err
			}
			return db.writePlan(ctx, tx, plan)
		})
		if code, _ := pgCode(err); code != codeUnique && code != codeForeignKey {
			break
		}
	}
	if err != nil {
		return nil, db.wrap(ctx, "upsert users", err)
	}
	return plan.Results, nil
}

// planUpserts reads the users and segments ups name, locking the users,
// and plans the upserts.
func (db *DB) planUpserts(ctx context.Context, tx pgx.Tx, ups []store.UserUpsert) (*store.UpsertPlan, error) {
	var userIDs, emails, segIDs []string
	for i := range ups {
		if ups[i].UserID != "" {
			userIDs = append(userIDs, ups[i].UserID)
		}
		if e := ups[i].Attributes[store.AttrEmail]; e != "" {
			userIDs = append(userIDs, e) // a new user's userId, if it has none
			emails = append(emails, strings.ToLower(e))
		}
		segIDs = append(segIDs, ups[i].Segments...)
	}
	rows, err := tx.Query(ctx, `SELECT `+userColumns+` FROM users u WHERE u.user_id = ANY($1) OR u.email = ANY($2) ORDER BY u.id FOR UPDATE OF u`,
		userIDs, emails)
	if err != nil {
		return nil, err
	}
	byUserID := map[string]*store.User{}
	byEmail := map[string]*store.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byUserID[u.UserID] = u
		if e := u.Email(); e != "" {
			byEmail[strings.ToLower(e)] = u
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	segs := map[string]bool{} // id → a saved filter's
	rows, err = tx.Query(ctx, `SELECT id, filter IS NOT NULL FROM segments WHERE id = ANY($1) FOR KEY SHARE`, segIDs)
	if err != nil {
		return nil, err
	}
	var id string
	var saved bool
	_, err = pgx.ForEachRow(rows, []any{&id, &saved}, func() error { segs[id] = saved; return nil })
	if err != nil {
		return nil, err
	}
	return store.PlanUpserts(ups, store.UpsertLookup{
		ByUserID: func(userID string) (*store.User, error) { return byUserID[userID], nil },
		ByEmail:  func(email string) (*store.User, error) { return byEmail[email], nil },
		Segment: func(id string) error {
			saved, ok := segs[id]
			switch {
			case !ok:
				return fmt.Errorf("segment %s: %w", id, store.ErrNotFound)
			case saved:
				return &store.FieldError{Field: "segments", Rule: fmt.Sprintf("segment %s is a saved filter: its members cannot be added", id)}
			}
			return nil
		},
		NewUser: db.newUser,
	})
}

// writePlan writes plan in one batch of statements: emails that change
// are cleared first, since one user may take another's old email.
func (db *DB) writePlan(ctx context.Context, tx pgx.Tx, plan *store.UpsertPlan) error {
	var (
		c                                 store.Counters
		newIDs, newUserIDs, newAttrs      []string
		newEmails, changedEmails          []*string
		changedIDs, changedAttrs, cleared []string
		tagUsers, tags, segs, members     []string
	)
	for _, pu := range plan.Users {
		u := &pu.New
		attrs, err := json.Marshal(attrsValue(u.Attributes))
		if err != nil {
			return err
		}
		emailChanged, old, _ := pu.EmailChanged()
		switch {
		case pu.Old == nil:
			newIDs, newUserIDs = append(newIDs, u.ID), append(newUserIDs, u.UserID)
			newAttrs, newEmails = append(newAttrs, string(attrs)), append(newEmails, emailKey(u))
			c.NewUsers++
		case emailChanged || !maps.Equal(pu.Old.Attributes, u.Attributes):
			changedIDs, changedAttrs = append(changedIDs, u.ID), append(changedAttrs, string(attrs))
			changedEmails = append(changedEmails, emailKey(u))
			if emailChanged && old != "" {
				cleared = append(cleared, u.ID)
			}
		}
		addedTags, addedSegs := pu.Added()
		for _, t := range addedTags {
			tagUsers, tags = append(tagUsers, u.ID), append(tags, t)
		}
		c.Tagged += int64(len(addedTags))
		for _, s := range addedSegs {
			segs, members = append(segs, s), append(members, u.ID)
		}
	}
	now := db.clock()
	var b pgx.Batch
	if len(cleared) > 0 {
		b.Queue(`UPDATE users SET email = NULL WHERE id = ANY($1)`, cleared)
	}
	if len(newIDs) > 0 {
		b.Queue(`
INSERT INTO users (id, user_id, email, banned, attributes, conversations, feedback, session_id, created_at, last_seen)
SELECT i, u, e, false, a::jsonb, 0, 0, '', $5, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(i, u, e, a)`,
			newIDs, newUserIDs, newEmails, newAttrs, now)
	}
	if len(changedIDs) > 0 {
		b.Queue(`UPDATE users u SET attributes = x.a::jsonb, email = x.e
FROM unnest($1::text[], $2::text[], $3::text[]) AS x(i, a, e) WHERE u.id = x.i`, changedIDs, changedAttrs, changedEmails)
	}
	if len(tags) > 0 {
		b.Queue(`INSERT INTO tags (user_id, tag) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, tagUsers, tags)
	}
	if len(segs) > 0 {
		b.Queue(`INSERT INTO members (segment_id, user_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, segs, members)
	}
	if !c.IsZero() {
		b.Queue(addCountersSQL, db.counterArgs(now, randomShard(), c)...)
	}
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, &b).Close()
}
