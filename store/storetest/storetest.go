package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
)

// Config is what a backend under test must be opened with.
type Config struct {
	// Now is the clock the backend must use for every timestamp.
	Now func() time.Time
	// Location is the time zone of the per-day counters.
	Location *time.Location
	// LogRetention is how many entries of the event log the backend must
	// keep (its option for [store.DefaultLogRetention]).
	LogRetention int
}

// logRetention is the suite's Config.LogRetention.
const logRetention = 100

// Run runs the conformance suite. open returns a fresh, empty store
// configured with cfg, and registers its closing with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T, cfg Config) store.Store) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk := &clock{t: start}
			s := open(t, Config{Now: clk.Now, Location: zone, LogRetention: logRetention})
			c.run(&env{T: t, s: s, clk: clk})
		})
	}
}

// start is the suite's initial time: 21:30 UTC, 23:30 in zone, so that
// advancing the clock by an hour crosses a day in zone but not in UTC.
var (
	start = time.Date(2026, 3, 14, 21, 30, 0, 0, time.UTC)
	zone  = time.FixedZone("UTC+2", 2*3600)
)

// A clock is a manual clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	*testing.T
	s   store.Store
	clk *clock
}

type testCase struct {
	name string
	run  func(e *env)
}

// cases are the suite, in order.
var cases = []testCase{
	{"CreateUser", testCreateUser},
	{"CreateUserIdentity", testCreateUserIdentity},
	{"CreateUserConflict", testCreateUserConflict},
	{"CreateUserInvalid", testCreateUserInvalid},
	{"GetUser", testGetUser},
	{"UpdateUser", testUpdateUser},
	{"SetBanned", testSetBanned},
	{"DeleteUser", testDeleteUser},
	{"Canceled", testCanceled},
	{"ListUsersSort", testListUsersSort},
	{"ListUsersFilters", testListUsersFilters},
	{"ListUsersCursorStable", testListUsersCursorStable},
	{"ListUsersInvalid", testListUsersInvalid},
	{"Segments", testSegments},
	{"SegmentMembers", testSegmentMembers},
	{"SegmentMembersLimits", testSegmentMembersLimits},
	{"TurnNewSession", testTurnNewSession},
	{"TurnError", testTurnError},
	{"TurnUserAndThread", testTurnUserAndThread},
	{"TurnInvalid", testTurnInvalid},
	{"TurnConcurrent", testTurnConcurrent},
	{"TurnAfterUserChanges", testTurnAfterUserChanges},
	{"TurnUserConcurrent", testTurnUserConcurrent},
	{"TurnEmailRace", testTurnEmailRace},
	{"TurnChangesUser", testTurnChangesUser},
	{"SessionExpiry", testSessionExpiry},
	{"SessionAttributes", testSessionAttributes},
	{"CreateThread", testCreateThread},
	{"ThreadTurn", testThreadTurn},
	{"ListThreads", testListThreads},
	{"UpdateThread", testUpdateThread},
	{"VerificationAndPersona", testVerificationAndPersona},
	{"DeleteThread", testDeleteThread},
	{"MessageAgents", testMessageAgents},
	{"MessageSentBy", testMessageSentBy},
	{"ReactionCounters", testReactionCounters},
	{"Outbox", testOutbox},
	{"TurnDeliveries", testTurnDeliveries},
	{"Stats", testStats},
	{"StatsConcurrent", testStatsConcurrent},
	{"FallbackQueries", testFallbackQueries},
	{"StatsActiveUsers", testStatsActiveUsers},
	{"ListUsersOffset", testListUsersOffset},
	{"CreateUsers", testCreateUsers},
	{"UpsertUsers", testUpsertUsers},
	{"UpsertUsersConcurrent", testUpsertUsersConcurrent},
	{"CountUsers", testCountUsers},
	{"Tags", testTags},
	{"SegmentFilters", testSegmentFilters},
	{"Feedback", testFeedback},
	{"MessageCounts", testMessageCounts},
	{"AutomatedMessages", testAutomatedMessages},
	{"AutomatedDeliveries", testDeliveries},
	{"AutomatedCounter", testAutomatedCounter},
	{"Visits", testVisits},
	{"Companies", testCompanies},
	{"Meetings", testMeetings},
	{"QAs", testQAs},
	{"Goals", testGoals},
	{"UserActivity", testUserActivity},
	{"EventLog", testEventLog},
	{"EventLogConcurrent", testEventLogConcurrent},
	{"EventLogRetention", testEventLogRetention},
}
