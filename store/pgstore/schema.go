package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Errors of Open.
var (
	// ErrNewer is returned by Open for a schema migrated by a newer version
	// of Parley, whose tables this version does not know.
	ErrNewer = errors.New("pgstore: schema has a newer version")
	// ErrForeign is returned by Open for a schema that holds tables but
	// not a Parley store.
	ErrForeign = errors.New("pgstore: schema holds tables that are not a parley store")
	// ErrUnsupported is returned by Open for a server the store does not
	// run on: PostgreSQL before 13, CockroachDB and YugabyteDB (see the
	// package doc).
	ErrUnsupported = errors.New("pgstore: unsupported database server")
)

// minServerVersion is the oldest PostgreSQL Open accepts (server_version_num).
const minServerVersion = 130000

// checkServer returns ErrUnsupported for a server the store cannot trust
// with its locks.
func checkServer(ctx context.Context, tx pgx.Tx) error {
	var num int
	var version string
	err := tx.QueryRow(ctx, `SELECT current_setting('server_version_num')::int, version()`).Scan(&num, &version)
	if err != nil {
		return err
	}
	switch {
	case strings.Contains(version, "CockroachDB"), strings.Contains(version, "-YB-"):
		return fmt.Errorf("%w: %s: its advisory locks, on which turn order and the outbox rely, are missing or differ from PostgreSQL's", ErrUnsupported, version)
	case num < minServerVersion:
		return fmt.Errorf("%w: %s: want PostgreSQL 13 or later", ErrUnsupported, version)
	}
	return nil
}

// migrations are the schema's versions: migrations[i] takes a schema of
// version i to version i+1. A released migration is never edited; a change
// is a new one, appended.
var migrations = []string{
	// 1: users, segments (explicit and saved filters), tags, feedback,
	// sessions, threads (with aliases), messages, counters.
	`
CREATE TABLE users (
	id            text COLLATE "C" PRIMARY KEY,
	user_id       text NOT NULL CONSTRAINT users_user_id_key UNIQUE,
	email         text CONSTRAINT users_email_key UNIQUE, -- attributes.default_email in lower case
	banned        boolean NOT NULL,
	attributes    jsonb NOT NULL,
	conversations integer NOT NULL,
	feedback      integer NOT NULL,
	session_id    text NOT NULL,
	created_at    timestamptz NOT NULL,
	last_seen     timestamptz NOT NULL
);
CREATE INDEX users_last_seen ON users (last_seen, id);

CREATE TABLE segments (
	id         text COLLATE "C" PRIMARY KEY,
	name       text NOT NULL,
	created_at timestamptz NOT NULL,
	filter     jsonb -- a saved filter's; NULL for a segment of explicit members
);

CREATE TABLE members (
	segment_id text COLLATE "C" NOT NULL REFERENCES segments ON DELETE CASCADE,
	user_id    text COLLATE "C" NOT NULL REFERENCES users ON DELETE CASCADE,
	PRIMARY KEY (segment_id, user_id)
);
CREATE INDEX members_user_id ON members (user_id, segment_id);

CREATE TABLE tags (
	user_id text COLLATE "C" NOT NULL REFERENCES users ON DELETE CASCADE,
	tag     text COLLATE "C" NOT NULL,
	PRIMARY KEY (user_id, tag)
);
CREATE INDEX tags_tag ON tags (tag, user_id);

CREATE TABLE feedback (
	id         text COLLATE "C" PRIMARY KEY,
	user_id    text COLLATE "C" NOT NULL REFERENCES users ON DELETE CASCADE,
	kind       text NOT NULL,
	thread_id  text NOT NULL,
	seq        integer NOT NULL,
	reaction   text NOT NULL,
	score      integer NOT NULL,
	comment    text NOT NULL,
	created_at timestamptz NOT NULL
);
CREATE INDEX feedback_user_id ON feedback (user_id, id);

CREATE TABLE sessions (
	id         text PRIMARY KEY,
	user_id    text COLLATE "C" REFERENCES users ON DELETE CASCADE,
	thread_id  text NOT NULL,
	state      jsonb NOT NULL, -- story, contexts, slot filling, attributes, backtracking, failures
	started_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL,
	expires_at timestamptz
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE threads (
	id            text COLLATE "C" PRIMARY KEY,
	user_id       text COLLATE "C" REFERENCES users ON DELETE CASCADE,
	session_id    text NOT NULL,
	mode          text NOT NULL,
	escalated     boolean NOT NULL,
	started_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL,
	ended_at      timestamptz,
	first_message text NOT NULL,
	messages      integer NOT NULL,
	alias         text COLLATE "C" CONSTRAINT threads_alias_key UNIQUE,
	read          integer NOT NULL,
	webhook_url   text NOT NULL,
	webhook_token text NOT NULL
);
CREATE INDEX threads_user_id ON threads (user_id, id);

CREATE TABLE messages (
	thread_id      text COLLATE "C" NOT NULL REFERENCES threads ON DELETE CASCADE,
	seq            integer NOT NULL,
	type           text NOT NULL,
	system_type    text NOT NULL,
	text           text NOT NULL,
	fulfillment    bytea,
	interaction_id text NOT NULL,
	score          double precision NOT NULL,
	reaction       text NOT NULL,
	agent_id       text NOT NULL,
	agent_name     text NOT NULL,
	icon_url       text NOT NULL,
	created_at     timestamptz NOT NULL,
	PRIMARY KEY (thread_id, seq)
);

CREATE TABLE counters (
	day             date NOT NULL,
	shard           smallint NOT NULL,
	messages        bigint NOT NULL,
	sessions        bigint NOT NULL,
	new_users       bigint NOT NULL,
	fallbacks       bigint NOT NULL,
	handoffs        bigint NOT NULL,
	positive        bigint NOT NULL,
	negative        bigint NOT NULL,
	neutral         bigint NOT NULL,
	active_users    bigint NOT NULL,
	returning_users bigint NOT NULL,
	feedback        bigint NOT NULL,
	nps_negative    bigint NOT NULL,
	nps_neutral     bigint NOT NULL,
	nps_positive    bigint NOT NULL,
	tagged          bigint NOT NULL,
	PRIMARY KEY (day, shard)
);
`,
	// 2: the webhook outbox.
	`
CREATE TABLE outbox (
	id         text COLLATE "C" PRIMARY KEY,
	key        text NOT NULL,
	event      text NOT NULL,
	url        text NOT NULL,
	token      text NOT NULL,
	payload    bytea NOT NULL,
	attempts   integer NOT NULL,
	last_error text NOT NULL,
	created_at timestamptz NOT NULL,
	next_at    timestamptz NOT NULL
);
CREATE INDEX outbox_key ON outbox (key, id);
`,
	// 3: the number of messages each user sent.
	`
ALTER TABLE users ADD COLUMN messages integer NOT NULL DEFAULT 0;
`,
	// 4: automated messages, their deliveries, and a counter of them.
	`
CREATE TABLE automated_messages (
	id   text COLLATE "C" PRIMARY KEY,
	data jsonb NOT NULL
);

CREATE TABLE automated_deliveries (
	recipient  text COLLATE "C" NOT NULL,
	message_id text COLLATE "C" NOT NULL REFERENCES automated_messages ON DELETE CASCADE,
	count      integer NOT NULL,
	last       timestamptz,
	session_id text NOT NULL,
	PRIMARY KEY (recipient, message_id)
);
CREATE INDEX automated_deliveries_message_id ON automated_deliveries (message_id);

ALTER TABLE counters ADD COLUMN automated bigint NOT NULL DEFAULT 0;
`,
	// 4 → 5: email verification (the address a user proved theirs) and
	// the persona a thread answers with.
	`
ALTER TABLE users ADD COLUMN verified_email text NOT NULL DEFAULT '';
ALTER TABLE threads ADD COLUMN persona text NOT NULL DEFAULT '';
`,
	// 5 → 6: the messages fallbacks answered, counted per day.
	`
CREATE TABLE fallback_queries (
	day   date NOT NULL,
	text  text COLLATE "C" NOT NULL,
	count bigint NOT NULL,
	PRIMARY KEY (day, text)
);
`,
	// 6 → 7: stored Q&A.
	`
CREATE TABLE qas (
	id    text COLLATE "C" PRIMARY KEY,
	label text NOT NULL UNIQUE,
	data  jsonb NOT NULL
);
`,
	// 7 → 8: the goals reached per day, by name, sharded like counters.
	`
CREATE TABLE goals (
	day     date NOT NULL,
	shard   integer NOT NULL,
	name    text COLLATE "C" NOT NULL,
	reached bigint NOT NULL,
	PRIMARY KEY (day, name, shard)
);
`,
	// 8 → 9: the days each user had a turn; before it, only the day of
	// each user's lastSeen is known (taken in UTC).
	`
CREATE TABLE activity (
	user_id text COLLATE "C" NOT NULL REFERENCES users ON DELETE CASCADE,
	day     date NOT NULL,
	PRIMARY KEY (user_id, day)
);
INSERT INTO activity (user_id, day) SELECT id, (last_seen AT TIME ZONE 'UTC')::date FROM users WHERE session_id <> '';
`,
	// 9 → 10: visits, the pages users (or sessions) viewed.
	`
CREATE TABLE visits (
	id         text COLLATE "C" PRIMARY KEY,
	visitor    text COLLATE "C" NOT NULL, -- a user's id or a session id
	session_id text NOT NULL,
	url        text NOT NULL,
	title      text NOT NULL,
	referrer   text NOT NULL,
	landed_at  timestamptz NOT NULL,
	left_at    timestamptz
);
CREATE INDEX visits_visitor ON visits (visitor, id);
`,
	// 10 → 11: companies (leads), their people and tags.
	`
CREATE TABLE companies (
	domain      text COLLATE "C" PRIMARY KEY,
	name        text NOT NULL,
	tags        text[] NOT NULL,
	visits      integer NOT NULL,
	first_seen  timestamptz NOT NULL,
	last_active timestamptz NOT NULL
);
CREATE INDEX companies_last_active ON companies (last_active DESC, domain DESC);

CREATE TABLE company_people (
	user_id text COLLATE "C" PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	domain  text COLLATE "C" NOT NULL REFERENCES companies ON DELETE CASCADE
);
CREATE INDEX company_people_domain ON company_people (domain, user_id);
`,
	// 11 → 12: meetings.
	`
CREATE TABLE meetings (
	id         text COLLATE "C" PRIMARY KEY,
	user_id    text COLLATE "C" REFERENCES users ON DELETE CASCADE,
	session_id text NOT NULL,
	thread_id  text NOT NULL,
	title      text NOT NULL,
	start_at   timestamptz NOT NULL,
	end_at     timestamptz NOT NULL,
	status     text NOT NULL,
	notes      text NOT NULL,
	event_id   text NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX meetings_start ON meetings (start_at, id);
CREATE INDEX meetings_user_id ON meetings (user_id, start_at);
`,
	// 12 → 13: the event log (see log.go), with its id and the last
	// position retention dropped.
	`
CREATE TABLE event_log (
	xid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
	pos       bigint GENERATED ALWAYS AS IDENTITY,
	kind      smallint NOT NULL,
	thread_id text COLLATE "C" NOT NULL,
	seq       integer NOT NULL,
	alias     text NOT NULL,
	PRIMARY KEY (xid, pos)
);

CREATE TABLE event_log_meta (
	id          text NOT NULL,
	trimmed_xid xid8 NOT NULL,
	trimmed_pos bigint NOT NULL
);
INSERT INTO event_log_meta VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 16), '0', 0);
`,
	// 13 → 14: how a user's message was sent when it was not typed: the
	// goto of a button, or a trigger.
	`
ALTER TABLE messages ADD COLUMN goto text NOT NULL DEFAULT '', ADD COLUMN trigger text NOT NULL DEFAULT '';
`,
}

// SchemaVersion is the version of the schema this package writes and
// reads.
var SchemaVersion = len(migrations)

// migrateLock is the advisory lock that one Open at a time holds while it
// creates or migrates a schema.
var migrateLock = int64(hash64("parley-pgstore-migrate"))

// migrate creates the store's schema, or brings it to SchemaVersion, in
// one transaction under migrateLock: processes opening the store at once
// migrate it once, and a migration that fails leaves the schema as it was.
func (db *DB) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := checkServer(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
			return err
		}
		var exists, versioned bool
		var tables int
		err := tx.QueryRow(ctx, `
SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1),
       EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'parley_schema'),
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1)`,
			db.schema).Scan(&exists, &versioned, &tables)
		if err != nil {
			return err
		}
		if exists && !versioned && tables > 0 {
			return ErrForeign
		}
		if !exists {
			if _, err := tx.Exec(ctx, `CREATE SCHEMA `+quoteIdent(db.schema)); err != nil {
				return err
			}
		}
		if !versioned {
			_, err := tx.Exec(ctx, `CREATE TABLE parley_schema (
	version     integer PRIMARY KEY,
	migrated_at timestamptz NOT NULL DEFAULT now()
)`)
			if err != nil {
				return err
			}
		}
		var version int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM parley_schema`).Scan(&version); err != nil {
			return err
		}
		if version > SchemaVersion {
			return fmt.Errorf("%w: version %d, this program knows %d", ErrNewer, version, SchemaVersion)
		}
		for v := version; v < SchemaVersion; v++ {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migrate to version %d: %w", v+1, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO parley_schema (version) VALUES ($1)`, v+1); err != nil {
				return err
			}
		}
		return nil
	})
}
