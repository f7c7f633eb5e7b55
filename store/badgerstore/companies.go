package badgerstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/parleybot/parley/store"
)

// Companies: a JSON record under C <domain>, indexed by activity under
// L <lastActive> <domain>; a company's people under
// P <domain length: 2> <domain> <user>, and each user's company under
// W <user> (→ the domain), so that a user moves from one company to
// another and DeleteUser finds their membership.

// companyRecord is a company as stored.
type companyRecord struct {
	Name   string   `json:"n,omitempty"`
	Tags   []string `json:"t,omitempty"`
	Visits int      `json:"v,omitempty"`
	First  int64    `json:"f"` // Unix nanoseconds
	Last   int64    `json:"l"`
}

func leadActivityKey(last int64, domain string) []byte {
	k := appendTime([]byte{kLeadActivity}, time.Unix(0, last))
	return append(k, domain...)
}

func peoplePrefix(domain string) []byte {
	k := binary.BigEndian.AppendUint16([]byte{kPeople}, uint16(len(domain)))
	return append(k, domain...)
}

func loadCompany(txn kv, domain string) (*companyRecord, error) {
	r := new(companyRecord)
	if err := get(txn, strKey(kCompany, domain), func(v []byte) error { return json.Unmarshal(v, r) }); err != nil {
		return nil, err
	}
	return r, nil
}

func putCompany(txn kv, domain string, r *companyRecord) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return txn.Set(strKey(kCompany, domain), b)
}

// company returns the company of r, with its people counted.
func company(txn *badger.Txn, domain string, r *companyRecord) store.Company {
	c := store.Company{Domain: domain, Name: r.Name, Tags: slices.Clone(r.Tags), Visits: r.Visits,
		FirstSeen: time.Unix(0, r.First).UTC(), LastActive: time.Unix(0, r.Last).UTC()}
	it := txn.NewIterator(badger.IteratorOptions{Prefix: peoplePrefix(domain)})
	for it.Rewind(); it.Valid(); it.Next() {
		c.People++
	}
	it.Close()
	return c
}

// RecordActivity implements [store.Companies].
func (db *DB) RecordActivity(ctx context.Context, a store.CompanyActivity) (store.Company, bool, error) {
	if err := store.CheckActivity(&a); err != nil {
		return store.Company{}, false, err
	}
	now := db.now().UTC()
	var out store.Company
	var isNew bool
	err := db.update(ctx, func(txn *badger.Txn) error {
		r, err := loadCompany(txn, a.Domain)
		isNew = errors.Is(err, store.ErrNotFound)
		switch {
		case isNew:
			r = &companyRecord{First: now.UnixNano()}
			ds := slices.Clone(a.NewLead)
			if err := db.putDeliveries(txn, ds, now); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if err := txn.Delete(leadActivityKey(r.Last, a.Domain)); err != nil {
				return err
			}
		}
		if a.Name != "" {
			r.Name = a.Name
		}
		r.Last = max(now.UnixNano(), r.First)
		if a.PageView {
			r.Visits++
		}
		if a.UserID != "" {
			if err := db.join(txn, a.UserID, a.Domain); err != nil {
				return err
			}
		}
		if err := putCompany(txn, a.Domain, r); err != nil {
			return err
		}
		if err := txn.Set(leadActivityKey(r.Last, a.Domain), nil); err != nil {
			return err
		}
		out = company(txn, a.Domain, r)
		return nil
	})
	if err != nil {
		return store.Company{}, false, db.wrap("record activity", err)
	}
	return out, isNew, nil
}

// join makes user one of domain's people, and no longer of the company
// they were of.
func (db *DB) join(txn *badger.Txn, user, domain string) error {
	if ok, err := exists(txn, key1(kUser, user)); err != nil {
		return err
	} else if !ok {
		return store.ErrNotFound
	}
	var old string
	err := get(txn, key1(kUserCompany, user), func(v []byte) error { old = string(v); return nil })
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if old == domain {
		return nil
	}
	if old != "" {
		if err := txn.Delete(appendID(peoplePrefix(old), user)); err != nil {
			return err
		}
	}
	if err := txn.Set(key1(kUserCompany, user), []byte(domain)); err != nil {
		return err
	}
	return txn.Set(appendID(peoplePrefix(domain), user), nil)
}

// Company implements [store.Companies].
func (db *DB) Company(ctx context.Context, domain string) (store.Company, error) {
	if err := store.CheckDomain("domain", domain); err != nil {
		return store.Company{}, err
	}
	var out store.Company
	err := db.view(ctx, func(txn *badger.Txn) error {
		r, err := loadCompany(txn, domain)
		if err != nil {
			return err
		}
		out = company(txn, domain, r)
		return nil
	})
	if err != nil {
		return store.Company{}, db.wrap("company", err)
	}
	return out, nil
}

// ListCompanies implements [store.Companies]: it walks the activity
// index from the newest end.
func (db *DB) ListCompanies(ctx context.Context, q store.CompanyQuery) ([]store.Company, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	var out []store.Company
	err = db.view(ctx, func(txn *badger.Txn) error {
		out = out[:0]
		skip := q.Offset
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{kLeadActivity}, Reverse: true})
		defer it.Close()
		for it.Seek([]byte{kLeadActivity + 1}); it.Valid() && len(out) < q.Limit; it.Next() {
			domain := string(it.Item().Key()[9:])
			r, err := loadCompany(txn, domain)
			if err != nil {
				return err
			}
			if q.Tag != "" && !slices.Contains(r.Tags, q.Tag) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, company(txn, domain, r))
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("list companies", err)
	}
	return out, nil
}

// CompanyPeople implements [store.Companies].
func (db *DB) CompanyPeople(ctx context.Context, domain string) ([]string, error) {
	if err := store.CheckDomain("domain", domain); err != nil {
		return nil, err
	}
	var out []string
	err := db.view(ctx, func(txn *badger.Txn) error {
		out = out[:0]
		if ok, err := exists(txn, strKey(kCompany, domain)); err != nil {
			return err
		} else if !ok {
			return store.ErrNotFound
		}
		prefix := peoplePrefix(domain)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid() && len(out) < store.MaxPeople; it.Next() {
			out = append(out, hexID(it.Item().Key()[len(prefix):]))
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("company people", err)
	}
	return out, nil
}

// TagCompany implements [store.Companies].
func (db *DB) TagCompany(ctx context.Context, domain string, add, remove []string) (store.Company, error) {
	if err := store.CheckDomain("domain", domain); err != nil {
		return store.Company{}, err
	}
	var out store.Company
	err := db.update(ctx, func(txn *badger.Txn) error {
		r, err := loadCompany(txn, domain)
		if err != nil {
			return err
		}
		if r.Tags, err = store.EditTags(r.Tags, add, remove); err != nil {
			return err
		}
		if err := putCompany(txn, domain, r); err != nil {
			return err
		}
		out = company(txn, domain, r)
		return nil
	})
	if err != nil {
		return store.Company{}, db.wrap("tag company", err)
	}
	return out, nil
}

// purgeCompany takes a deleted user out of their company's people.
func (db *DB) purgeCompany(user string) error {
	return db.bdb.Update(func(txn *badger.Txn) error {
		var domain string
		err := get(txn, key1(kUserCompany, user), func(v []byte) error { domain = string(v); return nil })
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := txn.Delete(appendID(peoplePrefix(domain), user)); err != nil {
			return err
		}
		return txn.Delete(key1(kUserCompany, user))
	})
}
