package story

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// An AutomationCondition is the compiled condition of an automated message
// (a message the bot sends first): an expr-lang expression that yields a
// bool over an [AutomationEnv]. It is compiled when the message is saved,
// under the same guard as a bot's conditions (only the environment's names
// and [ConditionFunctions], no methods, no predicates, ranges or let, at
// most MaxConditionNodes nodes and MaxConditionLen characters), and is
// immutable and safe for concurrent use.
type AutomationCondition struct {
	src   string
	prog  *vm.Program
	names map[string]bool // the names it reads
}

// AutomationEnv is what the condition of an automated message sees. Inside
// a condition the fields have the lowercase names of their expr tags;
// Time is seen through hour, minute, weekday ("monday" … "sunday"), day,
// month and year, in Time's location (the user's time zone if known, else
// the bot's). Durations are in whole seconds.
type AutomationEnv struct {
	User          map[string]string // the user's attributes and variables ("user.plan")
	Session       map[string]string // the session's attributes
	Tags          []string          // the user's tags ("'vip' in tags")
	Segments      []string          // the names of the user's segments
	FirstSeen     int               // seconds since the user was first seen (0 without a user)
	LastSeen      int               // seconds since the user's last turn before now
	Visits        int               // pages the user (or the session without one) viewed, as far as kept (the last 100)
	Pages         []string          // the paths of those pages, newest first, each once ("'/pricing' in pages")
	PageCounts    map[string]int    // how many of those visits were to each path ("page_counts['/pricing'] >= 3")
	Page          map[string]string // the current page: url, path, host, query, title, referrer
	TimeOnPage    int               // seconds on the current page
	PageViews     int               // pages viewed in this session
	Event         string            // what happened: start, page_view, idle, schedule, meeting or the host's event name
	Messages      int               // messages in the session's thread
	Conversations int               // the user's threads
	Meeting       map[string]string // the user's next scheduled meeting (or the one a meeting trigger names): id, title, start (RFC 3339), status; empty if none
	MeetingIn     int               // seconds until that meeting starts, -1 if none
	Sent          int               // times this message was sent to the user (or session) before
	Agent         bool              // an agent has the conversation
	Time          time.Time         // now

	prepared *automationExprEnv // what the last Eval ran on, reused
	at       time.Time          // the Time prepared was filled from
}

// automationExprEnv is the typed environment automation conditions are
// compiled against. It has no methods.
type automationExprEnv struct {
	User          map[string]string `expr:"user"`
	Session       map[string]string `expr:"session"`
	Tags          []string          `expr:"tags"`
	Segments      []string          `expr:"segments"`
	FirstSeen     int               `expr:"first_seen"`
	LastSeen      int               `expr:"last_seen"`
	Visits        int               `expr:"visits"`
	Pages         []string          `expr:"pages"`
	PageCounts    map[string]int    `expr:"page_counts"`
	Page          map[string]string `expr:"page"`
	TimeOnPage    int               `expr:"time_on_page"`
	PageViews     int               `expr:"page_views"`
	Event         string            `expr:"event"`
	Messages      int               `expr:"messages"`
	Conversations int               `expr:"conversations"`
	Meeting       map[string]string `expr:"meeting"`
	MeetingIn     int               `expr:"meeting_in"`
	Sent          int               `expr:"sent"`
	Agent         bool              `expr:"agent"`
	Hour          int               `expr:"hour"`
	Minute        int               `expr:"minute"`
	Weekday       string            `expr:"weekday"`
	Day           int               `expr:"day"`
	Month         int               `expr:"month"`
	Year          int               `expr:"year"`
}

// AutomationNames are the names an automated message's condition may use.
var AutomationNames = []string{
	"user", "session", "tags", "segments", "first_seen", "last_seen", "visits", "pages", "page_counts", "page", "time_on_page",
	"page_views", "event", "messages", "conversations", "meeting", "meeting_in", "sent", "agent",
	"hour", "minute", "weekday", "day", "month", "year",
}

var automationNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range AutomationNames {
		m[n] = true
	}
	return m
}()

// CompileAutomationCondition compiles the condition of an automated
// message. An error is a *file.Error from expr with the position of the
// problem (Line, Column) and a snippet, or says which limit src breaks.
func CompileAutomationCondition(src string) (*AutomationCondition, error) {
	prog, tree, err := compileGuarded(src, automationExprEnv{}, guard{names: automationNames, known: strings.Join(AutomationNames, ", ")})
	if err != nil {
		return nil, err
	}
	c := &AutomationCondition{src: src, prog: prog, names: map[string]bool{}}
	ast.Walk(&tree.Node, nameCollector(c.names))
	return c, nil
}

// nameCollector records the environment's names a tree reads.
type nameCollector map[string]bool

func (n nameCollector) Visit(node *ast.Node) {
	if id, ok := (*node).(*ast.IdentifierNode); ok {
		n[id.Value] = true
	}
}

// vms are expr's virtual machines, reused between evaluations.
var vms = sync.Pool{New: func() any { return new(vm.VM) }}

// String returns the condition's source, "" for a nil condition.
func (c *AutomationCondition) String() string {
	if c == nil {
		return ""
	}
	return c.src
}

// Uses reports whether the condition reads name (such as "segments"), so
// that the engine computes only what a condition reads.
func (c *AutomationCondition) Uses(name string) bool { return c.names[name] }

// Eval evaluates the condition. An error (such as int("abc")) means the
// condition cannot be decided; the engine treats it as false.
//
// Evaluating many conditions on one env costs no allocation per condition:
// the env keeps what it prepared for expr, and the virtual machines are
// pooled. An env must not be used by two goroutines at once.
func (c *AutomationCondition) Eval(env *AutomationEnv) (bool, error) {
	e := env.prepared
	if e == nil {
		e = new(automationExprEnv)
		env.prepared = e
	}
	if e.Year == 0 || !env.at.Equal(env.Time) {
		e.Hour, e.Minute, e.Weekday = env.Time.Hour(), env.Time.Minute(), weekdays[env.Time.Weekday()]
		e.Day, e.Month, e.Year = env.Time.Day(), int(env.Time.Month()), env.Time.Year()
		env.at = env.Time
	}
	e.User, e.Session, e.Tags, e.Segments = env.User, env.Session, env.Tags, env.Segments
	e.FirstSeen, e.LastSeen, e.Visits, e.Page = env.FirstSeen, env.LastSeen, env.Visits, env.Page
	e.Pages, e.PageCounts, e.Meeting, e.MeetingIn = env.Pages, env.PageCounts, env.Meeting, env.MeetingIn
	e.TimeOnPage, e.PageViews, e.Event = env.TimeOnPage, env.PageViews, env.Event
	e.Messages, e.Conversations, e.Sent, e.Agent = env.Messages, env.Conversations, env.Sent, env.Agent
	m := vms.Get().(*vm.VM)
	out, err := m.Run(c.prog, e)
	vms.Put(m)
	if err != nil {
		return false, fmt.Errorf("condition %q: %w", c.src, err)
	}
	b, _ := out.(bool)
	return b, nil
}
