package pgstore

import (
	"errors"
	"fmt"
	"time"
)

// An Option configures Open.
type Option func(*config) error

type config struct {
	now          func() time.Time
	loc          *time.Location
	schema       string
	logRetention int
}

// WithLogRetention sets about how many entries of the event log the store
// keeps (see [store.EventLog]): a live reader away for longer than that
// many messages and thread changes starts again instead of resuming. The
// default is store.DefaultLogRetention (100,000).
func WithLogRetention(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return errors.New("pgstore: WithLogRetention: must be positive")
		}
		c.logRetention = n
		return nil
	}
}

// DefaultSchema is the schema a store uses without [WithSchema].
const DefaultSchema = "parley"

// WithSchema keeps the store's tables in the PostgreSQL schema name
// instead of [DefaultSchema], creating it if needed. Each bot of a
// deployment opens its own schema: the bots then share the database and
// its connections' server, but never their users, sessions, threads or
// counters, and dropping the schema deletes one bot. name is 1–63
// characters of lowercase letters, digits and underscores, starting with a
// letter or an underscore, and must not start with "pg_".
func WithSchema(name string) Option {
	return func(c *config) error {
		if err := checkSchemaName(name); err != nil {
			return err
		}
		c.schema = name
		return nil
	}
}

func checkSchemaName(name string) error {
	ok := len(name) >= 1 && len(name) <= 63 && (name[0] == '_' || 'a' <= name[0] && name[0] <= 'z')
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = c == '_' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
	}
	if !ok || len(name) >= 3 && name[:3] == "pg_" {
		return fmt.Errorf("pgstore: WithSchema: %q must be 1 to 63 lowercase letters, digits or underscores, start with a letter or underscore, and not start with pg_", name)
	}
	return nil
}

// WithClock sets the clock that stamps records and picks the day of the
// counters. The default is time.Now. Times are kept to the microsecond, as
// PostgreSQL keeps them.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("pgstore: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithLocation sets the time zone of the per-day counters. The default is
// UTC. Every process sharing a schema must use the same.
func WithLocation(loc *time.Location) Option {
	return func(c *config) error {
		if loc == nil {
			return errors.New("pgstore: WithLocation: nil location")
		}
		c.loc = loc
		return nil
	}
}
