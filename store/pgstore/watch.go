package pgstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

var _ store.ThreadWatcher = (*DB)(nil)

// channel is the schema's NOTIFY channel.
func (db *DB) channel() string { return "parley " + db.schema }

// queueNotify queues, in a transaction that appends messages first to
// last to a thread, the notification other processes receive when it
// commits (NOTIFY is transactional: nothing is sent if it rolls back).
func (db *DB) queueNotify(b *pgx.Batch, threadID string, first, last int) {
	b.Queue(`SELECT pg_notify($1, $2)`, db.channel(), fmt.Sprintf("%s %s %d %d", db.origin, threadID, first, last))
}

// WatchThreads implements [store.ThreadWatcher] with LISTEN on a
// connection of its own, outside the pool. When that connection fails it
// connects again, waiting up to a few seconds between attempts.
func (db *DB) WatchThreads(ctx context.Context, fn func(threadID string, first, last int)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-db.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	wait := 100 * time.Millisecond
	for {
		err := db.listen(ctx, fn)
		if ctx.Err() != nil {
			return nil
		}
		_ = err // the connection failed: connect again
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// listen receives notifications on one connection until it fails.
func (db *DB) listen(ctx context.Context, fn func(threadID string, first, last int)) error {
	cfg := db.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = "parley listen " + db.schema
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN `+quoteIdent(db.channel())); err != nil {
		return err
	}
	fn("", 0, 0) // listening: what came before is in the store

	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		f := strings.Fields(n.Payload)
		var first, last int
		if len(f) != 4 || f[0] == db.origin {
			continue // this DB's own, or not Parley's
		}
		if _, err := fmt.Sscan(f[2]+" "+f[3], &first, &last); err != nil || !store.ValidID(f[1]) {
			continue
		}
		fn(f[1], first, last)
	}
}
