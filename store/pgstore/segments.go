package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// CreateSegment implements [store.Segments].
func (db *DB) CreateSegment(ctx context.Context, name string) (store.Segment, error) {
	if err := store.CheckSegmentName(name); err != nil {
		return store.Segment{}, err
	}
	s := store.Segment{ID: db.newID(), Name: name, CreatedAt: db.clock()}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO segments (id, name, created_at) VALUES ($1, $2, $3)`, s.ID, s.Name, s.CreatedAt)
		return err
	})
	if err != nil {
		return store.Segment{}, db.wrap(ctx, "create segment", err)
	}
	return s, nil
}

// filterState is a saved filter as kept in segments.filter, as JSON with
// names of its own.
type filterState struct {
	Match   string        `json:"match"`
	Filters []filterEntry `json:"filters"`
}

type filterEntry struct {
	Field string    `json:"field"`
	Op    string    `json:"op"`
	Value string    `json:"value,omitempty"`
	Time  time.Time `json:"time,omitzero"`
}

func filterOf(f *store.SegmentFilter) *filterState {
	fs := &filterState{Match: f.Match}
	for _, e := range f.Filters {
		fs.Filters = append(fs.Filters, filterEntry(e))
	}
	return fs
}

func (fs *filterState) segmentFilter() *store.SegmentFilter {
	f := &store.SegmentFilter{Match: fs.Match}
	for _, e := range fs.Filters {
		e.Time = e.Time.UTC()
		if e.Time.Equal(time.Time{}) {
			e.Time = time.Time{}
		}
		f.Filters = append(f.Filters, store.Filter(e))
	}
	return f
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
	s := store.Segment{ID: db.newID(), Name: name, CreatedAt: db.clock(), Filter: f.Clone()}
	err = db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO segments (id, name, created_at, filter) VALUES ($1, $2, $3, $4)`,
			s.ID, s.Name, s.CreatedAt, filterOf(&f))
		return err
	})
	if err != nil {
		return store.Segment{}, db.wrap(ctx, "create segment", err)
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
	err = db.tx(ctx, func(tx pgx.Tx) error {
		var saved bool
		err := tx.QueryRow(ctx, `SELECT filter IS NOT NULL FROM segments WHERE id = $1 FOR UPDATE`, id).Scan(&saved)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if !saved {
			return &store.FieldError{Field: "filter", Rule: "cannot be set on a segment of explicit members"}
		}
		_, err = tx.Exec(ctx, `UPDATE segments SET filter = $2 WHERE id = $1`, id, filterOf(&f))
		return err
	})
	return db.wrap(ctx, "set segment filter", err)
}

// ListSegments implements [store.Segments]. Members are counted from the
// memberships, so the count is never off.
func (db *DB) ListSegments(ctx context.Context) ([]store.Segment, error) {
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `
SELECT s.id, s.name, s.created_at, (SELECT count(*) FROM members m WHERE m.segment_id = s.id), s.filter
FROM segments s ORDER BY s.id`)
	if err != nil {
		return nil, db.wrap(ctx, "list segments", err)
	}
	segs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Segment, error) {
		var s store.Segment
		var f *filterState
		err := row.Scan(&s.ID, &s.Name, &s.CreatedAt, &s.Members, &f)
		s.CreatedAt = s.CreatedAt.UTC()
		if f != nil {
			s.Filter = f.segmentFilter()
		}
		return s, err
	})
	if err != nil {
		return nil, db.wrap(ctx, "list segments", err)
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
	return db.wrap(ctx, "rename segment", db.execOne(ctx, `UPDATE segments SET name = $2 WHERE id = $1`, id, name))
}

// DeleteSegment implements [store.Segments]; its memberships go with it,
// in the same transaction.
func (db *DB) DeleteSegment(ctx context.Context, id string) error {
	if err := store.CheckID("id", id); err != nil {
		return err
	}
	return db.wrap(ctx, "delete segment", db.execOne(ctx, `DELETE FROM segments WHERE id = $1`, id))
}

// execOne runs a statement that must change one row: none is
// store.ErrNotFound.
func (db *DB) execOne(ctx context.Context, sql string, args ...any) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, args...)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
}

// AddToSegments implements [store.Segments], in one transaction.
func (db *DB) AddToSegments(ctx context.Context, segmentIDs, userIDs []string) error {
	return db.membership(ctx, "add to segments", segmentIDs, userIDs,
		`INSERT INTO members (segment_id, user_id) SELECT s, u FROM unnest($1::text[]) s, unnest($2::text[]) u
ON CONFLICT DO NOTHING`)
}

// RemoveFromSegments implements [store.Segments], in one transaction.
func (db *DB) RemoveFromSegments(ctx context.Context, segmentIDs, userIDs []string) error {
	return db.membership(ctx, "remove from segments", segmentIDs, userIDs,
		`DELETE FROM members WHERE segment_id = ANY($1) AND user_id = ANY($2)`)
}

// membership checks that every segment and user exists, then runs sql
// with the segments and users as $1 and $2.
func (db *DB) membership(ctx context.Context, op string, segmentIDs, userIDs []string, sql string) error {
	if err := store.CheckMembership(segmentIDs, userIDs); err != nil {
		return err
	}
	segs := slices.Compact(slices.Sorted(slices.Values(segmentIDs)))
	users := slices.Compact(slices.Sorted(slices.Values(userIDs)))
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := checkSegments(ctx, tx, "segments", segs); err != nil {
			return err
		}
		if err := missing(ctx, tx, "user", "users", users); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sql, segs, users)
		if code, _ := pgCode(err); code == codeForeignKey {
			return fmt.Errorf("a user deleted meanwhile: %w", store.ErrNotFound)
		}
		return err
	})
	return db.wrap(ctx, op, err)
}

// missing returns store.ErrNotFound naming the first of ids (sorted) that
// table lacks.
func missing(ctx context.Context, tx pgx.Tx, what, table string, ids []string) error {
	var first *string
	err := tx.QueryRow(ctx, `SELECT min(i) FROM unnest($1::text[]) i WHERE NOT EXISTS (SELECT 1 FROM `+table+` t WHERE t.id = i)`, ids).Scan(&first)
	if err != nil {
		return err
	}
	if first != nil {
		return fmt.Errorf("%s %s: %w", what, *first, store.ErrNotFound)
	}
	return nil
}
