package pgstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// companyColumns are a company's columns, with its people counted.
const companyColumns = `domain, name, tags, visits, first_seen, last_active,
	(SELECT count(*) FROM company_people p WHERE p.domain = c.domain)`

func scanCompany(row pgx.Row) (store.Company, error) {
	var c store.Company
	err := row.Scan(&c.Domain, &c.Name, &c.Tags, &c.Visits, &c.FirstSeen, &c.LastActive, &c.People)
	c.FirstSeen, c.LastActive = c.FirstSeen.UTC(), c.LastActive.UTC()
	if len(c.Tags) == 0 {
		c.Tags = nil
	}
	return c, err
}

// RecordActivity implements [store.Companies]. The insert that creates a
// company is the one that finds none, so a company is new to exactly one
// caller, whichever process it runs in.
func (db *DB) RecordActivity(ctx context.Context, a store.CompanyActivity) (store.Company, bool, error) {
	if err := store.CheckActivity(&a); err != nil {
		return store.Company{}, false, err
	}
	now := db.clock()
	visits := 0
	if a.PageView {
		visits = 1
	}
	var out store.Company
	var isNew bool
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO companies (domain, name, tags, visits, first_seen, last_active)
VALUES ($1, $2, '{}', 0, $3, $3) ON CONFLICT (domain) DO NOTHING`, a.Domain, a.Name, now)
		if err != nil {
			return err
		}
		isNew = tag.RowsAffected() == 1
		if isNew && len(a.NewLead) > 0 {
			var batch pgx.Batch
			if err := db.queueDeliveries(&batch, append([]store.Delivery(nil), a.NewLead...), now); err != nil {
				return err
			}
			if err := tx.SendBatch(ctx, &batch).Close(); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE companies SET name = CASE WHEN $2 = '' THEN name ELSE $2 END,
	last_active = greatest(last_active, $3), visits = visits + $4 WHERE domain = $1`, a.Domain, a.Name, now, visits); err != nil {
			return err
		}
		if a.UserID != "" {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, a.UserID).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return store.ErrNotFound
			}
			if _, err := tx.Exec(ctx, `INSERT INTO company_people (user_id, domain) VALUES ($1, $2)
ON CONFLICT (user_id) DO UPDATE SET domain = excluded.domain`, a.UserID, a.Domain); err != nil {
				return err
			}
		}
		out, err = scanCompany(tx.QueryRow(ctx, `SELECT `+companyColumns+` FROM companies c WHERE domain = $1`, a.Domain))
		return err
	})
	if err != nil {
		return store.Company{}, false, db.wrap(ctx, "record activity", err)
	}
	return out, isNew, nil
}

// Company implements [store.Companies].
func (db *DB) Company(ctx context.Context, domain string) (store.Company, error) {
	if err := store.CheckDomain("domain", domain); err != nil {
		return store.Company{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.Company{}, err
	}
	defer db.exit()
	c, err := scanCompany(db.pool.QueryRow(ctx, `SELECT `+companyColumns+` FROM companies c WHERE domain = $1`, domain))
	if errors.Is(err, pgx.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Company{}, db.wrap(ctx, "company", err)
	}
	return c, nil
}

// ListCompanies implements [store.Companies].
func (db *DB) ListCompanies(ctx context.Context, q store.CompanyQuery) ([]store.Company, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `SELECT `+companyColumns+` FROM companies c
WHERE $1 = '' OR $1 = ANY (tags) ORDER BY last_active DESC, domain DESC LIMIT $2 OFFSET $3`, q.Tag, q.Limit, q.Offset)
	if err != nil {
		return nil, db.wrap(ctx, "list companies", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Company, error) { return scanCompany(row) })
	if err != nil {
		return nil, db.wrap(ctx, "list companies", err)
	}
	return out, nil
}

// CompanyPeople implements [store.Companies].
func (db *DB) CompanyPeople(ctx context.Context, domain string) ([]string, error) {
	if _, err := db.Company(ctx, domain); err != nil {
		return nil, err
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `SELECT user_id FROM company_people WHERE domain = $1 ORDER BY user_id LIMIT $2`, domain, store.MaxPeople)
	if err != nil {
		return nil, db.wrap(ctx, "company people", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, db.wrap(ctx, "company people", err)
	}
	return out, nil
}

// TagCompany implements [store.Companies].
func (db *DB) TagCompany(ctx context.Context, domain string, add, remove []string) (store.Company, error) {
	if err := store.CheckDomain("domain", domain); err != nil {
		return store.Company{}, err
	}
	var out store.Company
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var tags []string
		err := tx.QueryRow(ctx, `SELECT tags FROM companies WHERE domain = $1 FOR UPDATE`, domain).Scan(&tags)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if tags, err = store.EditTags(tags, add, remove); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE companies SET tags = $2 WHERE domain = $1`, domain, tags); err != nil {
			return err
		}
		out, err = scanCompany(tx.QueryRow(ctx, `SELECT `+companyColumns+` FROM companies c WHERE domain = $1`, domain))
		return err
	})
	if err != nil {
		return store.Company{}, db.wrap(ctx, "tag company", err)
	}
	return out, nil
}
