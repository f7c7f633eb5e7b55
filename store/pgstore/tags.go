package pgstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// Tags implements [store.Tags]: a tag exists while a user has it, so the
// tags are counted from the users' tags.
func (db *DB) Tags(ctx context.Context) ([]store.Tag, error) {
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY tag`)
	if err != nil {
		return nil, db.wrap(ctx, "list tags", err)
	}
	tags, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Tag, error) {
		var t store.Tag
		err := row.Scan(&t.Name, &t.Users)
		t.ID = store.TagID(t.Name)
		return t, err
	})
	if err != nil {
		return nil, db.wrap(ctx, "list tags", err)
	}
	return tags, nil
}

// lockUsers locks the rows of users (sorted, so that two calls lock in one
// order) until tx ends, and returns store.ErrNotFound naming the first
// that does not exist.
func lockUsers(ctx context.Context, tx pgx.Tx, users []string) error {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR UPDATE`, users)
	if err != nil {
		return err
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, id := range users {
		if _, ok := slices.BinarySearch(found, id); !ok {
			return fmt.Errorf("user %s: %w", id, store.ErrNotFound)
		}
	}
	return nil
}

// AddTags implements [store.Tags], in one transaction that locks the
// users' rows, so that concurrent calls cannot together give a user more
// than 100 tags.
func (db *DB) AddTags(ctx context.Context, tags, userIDs []string) error {
	if err := store.CheckTagging(tags, userIDs); err != nil {
		return err
	}
	tags = slices.Compact(slices.Sorted(slices.Values(tags)))
	users := slices.Compact(slices.Sorted(slices.Values(userIDs)))
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockUsers(ctx, tx, users); err != nil {
			return err
		}
		var over *string
		err := tx.QueryRow(ctx, `
SELECT min(u) FROM unnest($1::text[]) u
WHERE (SELECT count(*) FROM (SELECT tag FROM tags WHERE user_id = u UNION SELECT unnest($2::text[])) t) > $3`,
			users, tags, store.MaxTagsPerUser).Scan(&over)
		if err != nil {
			return err
		}
		if over != nil {
			return &store.FieldError{Field: "tags", Rule: fmt.Sprintf("user %s would have more than %d tags", *over, store.MaxTagsPerUser)}
		}
		tag, err := tx.Exec(ctx, `INSERT INTO tags (user_id, tag) SELECT u, t FROM unnest($1::text[]) u, unnest($2::text[]) t
ON CONFLICT DO NOTHING`, users, tags)
		if err != nil {
			return err
		}
		return db.addCounters(ctx, tx, db.clock(), randomShard(), store.Counters{Tagged: tag.RowsAffected()})
	})
	return db.wrap(ctx, "add tags", err)
}

// RemoveTags implements [store.Tags].
func (db *DB) RemoveTags(ctx context.Context, tags, userIDs []string) error {
	if err := store.CheckTagging(tags, userIDs); err != nil {
		return err
	}
	users := slices.Compact(slices.Sorted(slices.Values(userIDs)))
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockUsers(ctx, tx, users); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM tags WHERE user_id = ANY($1) AND tag = ANY($2)`, users, tags)
		return err
	})
	return db.wrap(ctx, "remove tags", err)
}
