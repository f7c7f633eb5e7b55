package pgstore

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/parleybot/parley/store"
)

// counterShards is the number of rows each day's counters are spread over.
// Every turn adds to one of them in its transaction, holding the row's lock
// until it commits: one row a day would make all turns of all processes
// commit one after another.
const counterShards = 32

func randomShard() int { return rand.IntN(counterShards) }

// sessionShard is the shard of a session's turns, which its lock already
// serializes.
func sessionShard(sessionID string) int { return int(hash64(sessionID) % counterShards) }

// counterColumns are the columns of table counters, each with its field of
// store.Counters.
var counterColumns = []struct {
	name  string
	field func(c *store.Counters) *int64
}{
	{"messages", func(c *store.Counters) *int64 { return &c.Messages }},
	{"sessions", func(c *store.Counters) *int64 { return &c.Sessions }},
	{"new_users", func(c *store.Counters) *int64 { return &c.NewUsers }},
	{"fallbacks", func(c *store.Counters) *int64 { return &c.Fallbacks }},
	{"handoffs", func(c *store.Counters) *int64 { return &c.Handoffs }},
	{"positive", func(c *store.Counters) *int64 { return &c.Positive }},
	{"negative", func(c *store.Counters) *int64 { return &c.Negative }},
	{"neutral", func(c *store.Counters) *int64 { return &c.Neutral }},
	{"active_users", func(c *store.Counters) *int64 { return &c.ActiveUsers }},
	{"returning_users", func(c *store.Counters) *int64 { return &c.ReturningUsers }},
	{"feedback", func(c *store.Counters) *int64 { return &c.Feedback }},
	{"nps_negative", func(c *store.Counters) *int64 { return &c.NPSNegative }},
	{"nps_neutral", func(c *store.Counters) *int64 { return &c.NPSNeutral }},
	{"nps_positive", func(c *store.Counters) *int64 { return &c.NPSPositive }},
	{"tagged", func(c *store.Counters) *int64 { return &c.Tagged }},
	{"automated", func(c *store.Counters) *int64 { return &c.Automated }},
}

// addCountersSQL adds to one shard of a day's counters; statsSQL sums the
// shards of the days between $1 and $2.
var addCountersSQL, statsSQL = counterSQL()

func counterSQL() (add, stats string) {
	var names, params, sets, sums []string
	for i, c := range counterColumns {
		names = append(names, c.name)
		params = append(params, "$"+strconv.Itoa(i+3))
		sets = append(sets, c.name+" = counters."+c.name+" + excluded."+c.name)
		sums = append(sums, "sum("+c.name+")::bigint")
	}
	add = `INSERT INTO counters (day, shard, ` + strings.Join(names, ", ") + `)
VALUES ($1::date, $2, ` + strings.Join(params, ", ") + `)
ON CONFLICT (day, shard) DO UPDATE SET ` + strings.Join(sets, ", ")
	stats = `SELECT to_char(day, 'YYYY-MM-DD'), ` + strings.Join(sums, ", ") + `
FROM counters WHERE day BETWEEN $1::date AND $2::date GROUP BY day`
	return add, stats
}

func (db *DB) counterArgs(now time.Time, shard int, c store.Counters) []any {
	args := []any{store.DayOf(now, db.loc), shard}
	for _, col := range counterColumns {
		args = append(args, *col.field(&c))
	}
	return args
}

// addCounters adds c to today's counters inside tx.
func (db *DB) addCounters(ctx context.Context, tx pgx.Tx, now time.Time, shard int, c store.Counters) error {
	var b pgx.Batch
	db.queueCounters(&b, now, shard, c)
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, &b).Close()
}

// addGoalsSQL adds to one shard of a day's goals: $3 names them, $4 counts.
const addGoalsSQL = `INSERT INTO goals (day, shard, name, reached)
SELECT $1::date, $2, n, r FROM unnest($3::text[], $4::bigint[]) AS g(n, r)
ON CONFLICT (day, name, shard) DO UPDATE SET reached = goals.reached + excluded.reached`

// queueCounters queues the statements that add c to the counters of the
// day of now: its counters' row and, if any, its goals'.
func (db *DB) queueCounters(b *pgx.Batch, now time.Time, shard int, c store.Counters) {
	if c.IsZero() {
		return
	}
	b.Queue(addCountersSQL, db.counterArgs(now, shard, c)...)
	if len(c.Goals) > 0 {
		names := slices.Sorted(maps.Keys(c.Goals))
		reached := make([]int64, len(names))
		for i, name := range names {
			reached[i] = c.Goals[name]
		}
		b.Queue(addGoalsSQL, store.DayOf(now, db.loc), shard, names, reached)
	}
}

// Stats implements [store.Stats].
func (db *DB) Stats(ctx context.Context, from, to time.Time) ([]store.Day, error) {
	noons, err := store.DayRange(from, to, db.loc)
	if err != nil {
		return nil, err
	}
	days := make([]store.Day, len(noons))
	index := map[string]int{}
	for i, d := range noons {
		days[i].Date = d.Format(time.DateOnly)
		index[days[i].Date] = i
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, statsSQL, days[0].Date, days[len(days)-1].Date)
	if err != nil {
		return nil, db.wrap(ctx, "read stats", err)
	}
	defer rows.Close()
	for rows.Next() {
		var date string
		var c store.Counters
		dest := []any{&date}
		for _, col := range counterColumns {
			dest = append(dest, col.field(&c))
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, db.wrap(ctx, "read stats", err)
		}
		if i, ok := index[date]; ok {
			days[i].Counters = c
		}
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap(ctx, "read stats", err)
	}
	rows, err = db.pool.Query(ctx, `SELECT to_char(day, 'YYYY-MM-DD'), name, sum(reached)::bigint FROM goals
WHERE day BETWEEN $1::date AND $2::date GROUP BY day, name`, days[0].Date, days[len(days)-1].Date)
	if err != nil {
		return nil, db.wrap(ctx, "read stats", err)
	}
	var date, name string
	var reached int64
	_, err = pgx.ForEachRow(rows, []any{&date, &name, &reached}, func() error {
		if i, ok := index[date]; ok && reached != 0 {
			days[i].Add(store.Counters{Goals: map[string]int64{name: reached}})
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap(ctx, "read stats", err)
	}
	return days, nil
}

// addFallbackSQL counts one fallback query of a day. Turns that fall back
// on the same text at once wait for each other's commit on its row; other
// texts do not.
const addFallbackSQL = `
INSERT INTO fallback_queries (day, text, count) VALUES ($1::date, $2, 1)
ON CONFLICT (day, text) DO UPDATE SET count = fallback_queries.count + 1`

// FallbackQueries implements [store.Stats].
func (db *DB) FallbackQueries(ctx context.Context, from, to time.Time, limit int) ([]store.FallbackQuery, error) {
	first, last, err := store.FallbackPeriod(from, to, db.loc, limit)
	if err != nil {
		return nil, err
	}
	if err := db.enter(ctx); err != nil {
		return nil, err
	}
	defer db.exit()
	rows, err := db.pool.Query(ctx, `
SELECT text, sum(count)::bigint AS n FROM fallback_queries
WHERE day BETWEEN $1::date AND $2::date
GROUP BY text ORDER BY n DESC, text LIMIT $3`,
		first.Format(time.DateOnly), last.Format(time.DateOnly), limit)
	if err != nil {
		return nil, db.wrap(ctx, "read fallback queries", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.FallbackQuery, error) {
		var q store.FallbackQuery
		return q, r.Scan(&q.Text, &q.Count)
	})
	if err != nil {
		return nil, db.wrap(ctx, "read fallback queries", err)
	}
	return out, nil
}

// UserActivity implements [store.Stats]: one query counts the users
// created in the period and, probing table activity's primary key once
// per user, those who had a turn in it.
func (db *DB) UserActivity(ctx context.Context, from, to time.Time) (store.Activity, error) {
	start, end, err := store.Period(from, to, db.loc)
	if err != nil {
		return store.Activity{}, err
	}
	if err := db.enter(ctx); err != nil {
		return store.Activity{}, err
	}
	defer db.exit()
	var a store.Activity
	err = db.pool.QueryRow(ctx, `
SELECT (SELECT count(*) FROM users WHERE created_at >= $1 AND created_at < $2),
       count(*), count(*) FILTER (WHERE u.created_at < $1)
FROM users u
WHERE EXISTS (SELECT 1 FROM activity a WHERE a.user_id = u.id AND a.day BETWEEN $3::date AND $4::date)`,
		start, end, store.DayOf(start, db.loc), store.DayOf(end.AddDate(0, 0, -1), db.loc)).Scan(&a.New, &a.Active, &a.Returning)
	if err != nil {
		return store.Activity{}, db.wrap(ctx, "read user activity", err)
	}
	return a, nil
}
