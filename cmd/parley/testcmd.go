package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleybot/parley/console"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

const testUsage = `usage: parley test [-run REGEXP] [-v] [-update] FILE|DIR...

Runs conversation tests against the real engine on an in-memory store and
reports every step whose answer differs from what the test expects. A
directory stands for its *_test.txtar files. Exits 1 on any failure.

A test file is plain text in txtar form: a header, then one section per
test, each starting at a line "-- NAME --". The header names the bot:

  # a comment: a line starting with #
  bot: bot.yaml                 a bot file or directory, relative to this
                                file; repeat the line for a bot of several
  seed: 1                       the seed of response variants (default 1)
  clock: 2026-01-05T10:00:00Z   pin the time conditions see (default: now)
  user: K=V...                  tie each test's session to a new user with
                                these attributes (default: no user)
  webhook: NAME [say=TEXT] [session:K=V] [user:K=V] [error=TEXT]
                                what webhook NAME answers (default:
                                nothing; parley test never calls the
                                URLs the bot's settings give webhooks)

Each test talks in a new session. A line "> LINE" sends LINE as typed in
parley chat: a message, the number of a choice of the last reply,
"/trigger NAME", "/goto NAME" or "/reset [TEXT]". The lines after it say
what to expect of that turn; any left out is not checked:

  interaction: NAME             the interaction that answered
  action: ACTION                its action
  incomplete: true|false        whether it waits for a required parameter
  context: NAME                 the active context ("" at the root)
  actions: ACTION...            the actions the turn performed, in order:
                                setAttributes, webhook:NAME, goto:NAME,
                                handoff:available|unavailable, reset, end,
                                backtracking ("actions:" alone: none)
  params: K=V K="V W"...        the interaction's parameters (K= : unset)
  session: K=V...               the session parameters: user attributes
                                overlaid with the session's (K= : unset)
  < LINE                        the reply as parley chat prints it: the
                                "<" lines of a step are the whole reply
  ~ TEXT                        the reply contains TEXT
  error: TEXT                   the turn fails with an error containing TEXT

A webhook line inside a test changes the webhook's answer from there to
the end of the test.

With -update, the expectations a file has are rewritten to what the bot
answers now (the "<" lines, and the values of interaction, action,
incomplete, context, actions, params and session lines); "~" and error
lines stay. Review the change like code, then the tests pass again.
`

// runTest runs conversation test files.
func runTest(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runPattern := fs.String("run", "", "run only the tests whose name matches `REGEXP`")
	verbose := fs.Bool("v", false, "print every test's name and result")
	update := fs.Bool("update", false, "rewrite the expectations to what the bot answers now")
	fs.Usage = func() {
		fmt.Fprint(stderr, testUsage)
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	paths, code := parseInterspersed(fs, args)
	if code >= 0 {
		return code
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "parley test: no test file given")
		fs.Usage()
		return 2
	}
	var filter *regexp.Regexp
	if *runPattern != "" {
		var err error
		if filter, err = regexp.Compile(*runPattern); err != nil {
			fmt.Fprintf(stderr, "parley test: -run: %v\n", err)
			return 2
		}
	}
	files, err := testFiles(paths)
	if err != nil {
		fmt.Fprintln(stderr, "parley test:", err)
		return 1
	}
	code = 0
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			fmt.Fprintln(stderr, "parley test:", err)
			return 1
		}
		if *update {
			u := &testRun{path: path, filter: filter, out: io.Discard, update: make(map[int][]string)}
			u.run(ctx)
			if err := u.rewrite(); err != nil {
				fmt.Fprintln(stderr, "parley test:", err)
				code = 1
				continue
			}
		}
		r := &testRun{path: path, filter: filter, verbose: *verbose, out: stdout}
		if !r.run(ctx) {
			code = 1
		}
	}
	return code
}

// testFiles expands directories into their *_test.txtar files.
func testFiles(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil || !info.IsDir() {
			files = append(files, a) // a missing file is reported when read
			continue
		}
		m, err := filepath.Glob(filepath.Join(a, "*_test.txtar"))
		if err != nil {
			return nil, err
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("%s: no *_test.txtar files", a)
		}
		files = append(files, m...)
	}
	return files, nil
}

// A testFile is a parsed conversation test file.
type testFile struct {
	bots  []string // paths of the operating system
	seed  uint64
	clock time.Time
	hooks []*hookStub
	user  map[string]string // attributes of each test's user; nil: none
	tests []*chatTest
}

type chatTest struct {
	name  string
	line  int
	steps []*step
}

// A step is a turn with what to expect of it, or a webhook line.
type step struct {
	line   int
	input  string
	hook   *hookStub
	expect expectation
	// lines are the expectation lines: number and key ("<" and "~" for
	// the reply lines), for -update.
	lines []expLine
}

type expLine struct {
	n   int
	key string
}

type expectation struct {
	interaction, action, context, err *string
	actions                           *string
	incomplete                        *bool
	params, session                   []pair
	reply                             []string // nil: not checked
	contains                          []string
}

type pair struct{ k, v string }

// A hookStub is what a webhook answers in a test.
type hookStub struct {
	name string
	res  engine.WebhookResult
	err  string
}

// parseTestFile parses a test file; path locates the bot files.
func parseTestFile(path string, data []byte) (*testFile, error) {
	tf := &testFile{seed: 1}
	var errs []error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", path, line, fmt.Sprintf(format, args...)))
	}
	var t *chatTest
	var cur *step
	for i, raw := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		n := i + 1
		if name, ok := sectionName(raw); ok {
			t = &chatTest{name: name, line: n}
			tf.tests = append(tf.tests, t)
			cur = nil
			continue
		}
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, _ := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		if key == "webhook" {
			h, err := parseHook(val)
			if err != nil {
				bad(n, "webhook: %v", err)
				continue
			}
			if t == nil {
				tf.hooks = append(tf.hooks, h)
			} else {
				t.steps = append(t.steps, &step{line: n, hook: h})
				cur = nil
			}
			continue
		}
		if t == nil { // the header
			switch key {
			case "bot":
				if val == "" {
					bad(n, "bot: needs a path")
					continue
				}
				bot := filepath.FromSlash(val)
				if !filepath.IsAbs(bot) {
					bot = filepath.Join(filepath.Dir(path), bot)
				}
				tf.bots = append(tf.bots, bot)
			case "seed":
				s, err := strconv.ParseUint(val, 10, 64)
				if err != nil {
					bad(n, "seed: %q is not a number", val)
				}
				tf.seed = s
			case "user":
				ps, err := parsePairs(val)
				if err != nil || len(ps) == 0 {
					bad(n, "user: want K=V...")
					continue
				}
				tf.user = make(map[string]string)
				for _, p := range ps {
					tf.user[p.k] = p.v
				}
			case "clock":
				c, err := time.Parse(time.RFC3339, val)
				if err != nil {
					bad(n, "clock: %q is not an RFC 3339 time such as 2026-01-05T10:00:00Z", val)
				}
				tf.clock = c
			default:
				bad(n, "unknown header line %q (want bot:, seed:, clock:, user: or webhook:)", line)
			}
			continue
		}
		if in, ok := strings.CutPrefix(line, ">"); ok {
			cur = &step{line: n, input: strings.TrimSpace(in)}
			if cur.input == "" {
				bad(n, "> needs a line to send")
			}
			t.steps = append(t.steps, cur)
			continue
		}
		if cur == nil {
			bad(n, "%q does not follow a \"> LINE\"", line)
			continue
		}
		if err := cur.expect.parse(line); err != nil {
			bad(n, "%v", err)
		}
		cur.lines = append(cur.lines, expLine{n, lineKey(line)})
	}
	if len(tf.bots) == 0 {
		bad(1, "no bot: line in the header")
	}
	if len(tf.tests) == 0 {
		bad(1, "no tests (sections starting at a line \"-- NAME --\")")
	}
	return tf, errors.Join(errs...)
}

// sectionName returns NAME for a line "-- NAME --".
func sectionName(line string) (string, bool) {
	if !strings.HasPrefix(line, "-- ") || !strings.HasSuffix(line, " --") || len(line) < 7 {
		return "", false
	}
	return strings.TrimSpace(line[3 : len(line)-3]), true
}

// parse adds one expectation line to e.
func (e *expectation) parse(line string) error {
	if r, ok := strings.CutPrefix(line, "<"); ok {
		e.reply = append(e.reply, strings.TrimPrefix(r, " "))
		return nil
	}
	if c, ok := strings.CutPrefix(line, "~"); ok {
		e.contains = append(e.contains, strings.TrimSpace(c))
		return nil
	}
	key, val, ok := strings.Cut(line, ":")
	if !ok {
		return fmt.Errorf("unknown line %q", line)
	}
	val = strings.TrimSpace(val)
	switch key {
	case "interaction":
		e.interaction = &val
	case "action":
		e.action = &val
	case "context":
		v := unquote(val)
		e.context = &v
	case "error":
		e.err = &val
	case "actions":
		v := strings.Join(strings.Fields(val), " ")
		e.actions = &v
	case "incomplete":
		b, err := strconv.ParseBool(val)
		if err != nil {
			return fmt.Errorf("incomplete: %q is not true or false", val)
		}
		e.incomplete = &b
	case "params", "session":
		ps, err := parsePairs(val)
		if err != nil {
			return fmt.Errorf("%s: %v", key, err)
		}
		if key == "params" {
			e.params = append(e.params, ps...)
		} else {
			e.session = append(e.session, ps...)
		}
	default:
		return fmt.Errorf("unknown expectation %q (want interaction, action, incomplete, context, actions, params, session, error, < or ~)", key)
	}
	return nil
}

func unquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

// parsePairs parses K=V K="V W"... (values in Go's double quotes when they
// hold spaces).
func parsePairs(s string) ([]pair, error) {
	var ps []pair
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		k, rest, ok := strings.Cut(s, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t\"") {
			return nil, fmt.Errorf("want K=V, got %q", s)
		}
		var v string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, fmt.Errorf("bad quoted value in %q", s)
			}
			v, _ = strconv.Unquote(q)
			rest = rest[len(q):]
		} else {
			v, rest, _ = strings.Cut(rest, " ")
		}
		ps = append(ps, pair{k, v})
		s = rest
	}
	return ps, nil
}

// parseHook parses NAME [say=TEXT] [session:K=V] [user:K=V] [error=TEXT].
func parseHook(s string) (*hookStub, error) {
	name, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
	if name == "" {
		return nil, errors.New("needs a name")
	}
	ps, err := parsePairs(rest)
	if err != nil {
		return nil, err
	}
	h := &hookStub{name: name}
	for _, p := range ps {
		scope, k, scoped := strings.Cut(p.k, ":")
		switch {
		case scoped && scope == "session":
			h.res.SessionAttributes = setPair(h.res.SessionAttributes, k, p.v)
		case scoped && scope == "user":
			h.res.UserAttributes = setPair(h.res.UserAttributes, k, p.v)
		case p.k == "say":
			h.res.Messages = append(h.res.Messages, p.v)
		case p.k == "error":
			h.err = p.v
		default:
			return nil, fmt.Errorf("unknown %q (want say=, session:K=, user:K= or error=)", p.k)
		}
	}
	return h, nil
}

func setPair(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = make(map[string]string)
	}
	m[k] = v
	return m
}

// A testRun runs one test file and reports on it.
type testRun struct {
	path    string
	filter  *regexp.Regexp
	verbose bool
	out     io.Writer
	// update, when not nil, collects the lines that replace expectation
	// lines, by line number; nil replaces a line by nothing.
	update map[int][]string
	data   []byte               // the file
	lines  []string             // its lines
	hooks  map[string]*hookStub // what each webhook answers now
}

// run runs the file's tests and reports whether they all passed.
func (r *testRun) run(ctx context.Context) bool {
	data, err := os.ReadFile(r.path)
	if err != nil {
		fmt.Fprintf(r.out, "FAIL %s: %v\n", r.path, unwrapPath(err))
		return false
	}
	r.data = data
	r.lines = strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	tf, err := parseTestFile(r.path, data)
	if err != nil {
		fmt.Fprintln(r.out, err)
		fmt.Fprintf(r.out, "FAIL %s: bad test file\n", r.path)
		return false
	}
	e, closeStore, err := r.engine(tf)
	if err != nil {
		fmt.Fprintf(r.out, "FAIL %s: %v\n", r.path, err)
		return false
	}
	defer closeStore()

	var ran, failed, steps, differ int
	for i, t := range tf.tests {
		if r.filter != nil && !r.filter.MatchString(t.name) {
			continue
		}
		ran++
		r.hooks = make(map[string]*hookStub)
		for _, h := range tf.hooks {
			r.hooks[h.name] = h
		}
		c := &console.Chat{Engine: e, SessionID: fmt.Sprintf("parley-test-%04d", i+1), Debug: true}
		if tf.user != nil {
			u, err := e.CreateUser(ctx, store.User{UserID: fmt.Sprintf("parley-test-user-%04d", i+1), Attributes: tf.user})
			if err != nil {
				fmt.Fprintf(r.out, "FAIL %s: user: %v\n", r.path, err)
				return false
			}
			c.UserID = u.ID
		}
		var report strings.Builder
		for _, s := range t.steps {
			if s.hook != nil {
				r.hooks[s.hook.name] = s.hook
				continue
			}
			steps++
			if d := r.step(ctx, c, s); d != "" {
				differ++
				fmt.Fprintf(&report, "    %s:%d: > %s\n%s", r.path, s.line, s.input, d)
			}
			if ctx.Err() != nil {
				break
			}
		}
		switch {
		case report.Len() > 0:
			failed++
			fmt.Fprintf(r.out, "--- FAIL: %s (%s:%d)\n%s", t.name, r.path, t.line, report.String())
		case r.verbose:
			fmt.Fprintf(r.out, "--- ok: %s\n", t.name)
		}
	}
	summary := fmt.Sprintf("%s, %s", plural(ran, "test", "tests"), plural(steps, "step", "steps"))
	if failed > 0 {
		fmt.Fprintf(r.out, "FAIL %s: %d of %s failed, %s of %d differ\n", r.path, failed, plural(ran, "test", "tests"), plural(differ, "step", "steps"), steps)
		return false
	}
	fmt.Fprintf(r.out, "ok   %s: %s\n", r.path, summary)
	return true
}

// unwrapPath drops the operation of a *fs.PathError: "open x: no such
// file" becomes "no such file" (the path is printed already).
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// engine builds the engine for tf on an in-memory store.
func (r *testRun) engine(tf *testFile) (*engine.Engine, func(), error) {
	bot, err := loadBot(tf.bots...)
	if err != nil {
		var b strings.Builder
		for _, e := range flatten(err) {
			b.WriteString("\n    " + e.Error())
		}
		return nil, nil, fmt.Errorf("cannot load the bot:%s", b.String())
	}
	var sopts []badgerstore.Option
	eopts := []engine.Option{engine.WithSeed(tf.seed)}
	if !tf.clock.IsZero() {
		now := func() time.Time { return tf.clock }
		sopts = append(sopts, badgerstore.WithClock(now))
		eopts = append(eopts, engine.WithClock(now))
	}
	for _, name := range bot.Webhooks() {
		eopts = append(eopts, engine.WithWebhook(name, r.webhook(name)))
	}
	db, err := badgerstore.Open("", append(sopts, badgerstore.InMemory())...)
	if err != nil {
		return nil, nil, err
	}
	e, err := engine.New(db, bot, eopts...)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return e, func() { db.Close() }, nil
}

// webhook answers as the test says, or does nothing.
func (r *testRun) webhook(name string) engine.Webhook {
	return func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
		h := r.hooks[name]
		if h == nil {
			return engine.WebhookResult{}, nil
		}
		if h.err != "" {
			return engine.WebhookResult{}, errors.New(h.err)
		}
		return h.res, nil
	}
}

// step runs one turn and returns how it differs from what s expects,
// indented for the report, or "".
func (r *testRun) step(ctx context.Context, c *console.Chat, s *step) string {
	var d strings.Builder
	want := s.expect
	res, err := c.Say(ctx, s.input)
	if r.update != nil && err == nil {
		r.updateStep(s, res)
	}
	if err != nil {
		if want.err == nil || !strings.Contains(err.Error(), *want.err) {
			fmt.Fprintf(&d, "        error: got %q, want %s\n", err.Error(), orNone(want.err))
		}
		return d.String()
	}
	if want.err != nil {
		fmt.Fprintf(&d, "        error: got none, want %q\n", *want.err)
	}
	got := res.Result
	diffField(&d, "interaction", got.Interaction.Name, want.interaction)
	diffField(&d, "action", got.Interaction.Action, want.action)
	if want.incomplete != nil && got.Incomplete != *want.incomplete {
		fmt.Fprintf(&d, "        incomplete: got %v, want %v\n", got.Incomplete, *want.incomplete)
	}
	var ctxName string
	if len(got.Contexts) > 0 {
		ctxName = got.Contexts[0].Name
	}
	diffField(&d, "context", ctxName, want.context)
	if want.actions != nil {
		if acts := actions(got.Fulfillment); acts != *want.actions {
			fmt.Fprintf(&d, "        actions: got %q, want %q\n", acts, *want.actions)
		}
	}
	diffPairs(&d, "params", got.Parameters, want.params)
	diffPairs(&d, "session", got.SessionParameters, want.session)

	var b strings.Builder
	console.Render(&b, messages(res))
	reply := strings.TrimSuffix(b.String(), "\n")
	if want.reply != nil {
		if w := strings.Join(want.reply, "\n"); w != reply {
			d.WriteString("        reply: (- want, + got)\n")
			for _, l := range diffLines(want.reply, strings.Split(reply, "\n")) {
				d.WriteString("          " + l + "\n")
			}
		}
	}
	for _, c := range want.contains {
		if !strings.Contains(reply, c) {
			fmt.Fprintf(&d, "        reply: got\n%s\n        want it to contain %q\n", indent(reply, "          "), c)
		}
	}
	return d.String()
}

func orNone(s *string) string {
	if s == nil {
		return "none"
	}
	return strconv.Quote(*s)
}

func diffField(d *strings.Builder, name, got string, want *string) {
	if want != nil && got != *want {
		fmt.Fprintf(d, "        %s: got %q, want %q\n", name, got, *want)
	}
}

func diffPairs(d *strings.Builder, name string, got map[string]string, want []pair) {
	for _, p := range want {
		if g := got[p.k]; g != p.v {
			fmt.Fprintf(d, "        %s: %s: got %q, want %q\n", name, p.k, g, p.v)
		}
	}
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// diffLines returns a line diff of want and got: common lines start with
// " ", lines only in want with "-", lines only in got with "+". Replies are
// short, so the quadratic longest common subsequence is fine.
func diffLines(want, got []string) []string {
	n, m := len(want), len(got)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if want[i] == got[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && want[i] == got[j]:
			out = append(out, "  "+want[i])
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "- "+want[i])
			i++
		default:
			out = append(out, "+ "+got[j])
			j++
		}
	}
	return slices.Clip(out)
}

// messageTypes are the fulfillment types of messages; the others are the
// actions of a debug result.
var messageTypes = map[string]bool{
	engine.TypeText: true, engine.TypeImage: true, engine.TypeQuickReplies: true,
	engine.TypeButtons: true, engine.TypeCard: true, engine.TypeCarousel: true,
}

// messages returns res without the actions of its debug result, as a
// request without debug would have it.
func messages(res engine.Response) engine.Response {
	var fs []engine.Fulfillment
	for _, f := range res.Result.Fulfillment {
		if messageTypes[f.Type] {
			fs = append(fs, f)
		}
	}
	res.Result.Fulfillment = fs
	return res
}

// actions lists the actions of a debug result as the actions: line of a
// test file writes them.
func actions(fs []engine.Fulfillment) string {
	var as []string
	for _, f := range fs {
		switch {
		case messageTypes[f.Type]:
		case f.Type == engine.TypeGoto:
			as = append(as, "goto:"+f.Data["name"])
		case f.Type == engine.TypeWebhook:
			as = append(as, "webhook:"+f.Data["name"])
		case f.Type == engine.TypeHandoff && f.Data["available"] == "true":
			as = append(as, "handoff:available")
		case f.Type == engine.TypeHandoff:
			as = append(as, "handoff:unavailable")
		default:
			as = append(as, f.Type)
		}
	}
	return strings.Join(as, " ")
}

// lineKey returns the key of an expectation line.
func lineKey(line string) string {
	if line[0] == '<' || line[0] == '~' {
		return line[:1]
	}
	key, _, _ := strings.Cut(line, ":")
	return key
}

// updateStep records what replaces the expectation lines of s, given the
// response the turn got.
func (r *testRun) updateStep(s *step, res engine.Response) {
	got := res.Result
	replied := false
	for _, l := range s.lines {
		var repl []string
		switch l.key {
		case "interaction":
			repl = []string{"interaction: " + got.Interaction.Name}
		case "action":
			repl = []string{strings.TrimSpace("action: " + got.Interaction.Action)}
		case "incomplete":
			repl = []string{"incomplete: " + strconv.FormatBool(got.Incomplete)}
		case "context":
			name := `""`
			if len(got.Contexts) > 0 {
				name = got.Contexts[0].Name
			}
			repl = []string{"context: " + name}
		case "actions":
			repl = []string{strings.TrimSpace("actions: " + actions(got.Fulfillment))}
		case "params", "session":
			m := got.Parameters
			if l.key == "session" {
				m = got.SessionParameters
			}
			var b strings.Builder
			b.WriteString(l.key + ":")
			for _, p := range pairsOfLine(r.lines[l.n-1]) {
				b.WriteString(" " + p.k + "=" + quoteValue(m[p.k]))
			}
			repl = []string{b.String()}
		case "<":
			if replied {
				r.update[l.n] = nil
				continue
			}
			replied = true
			var b strings.Builder
			console.Render(&b, messages(res))
			for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				repl = append(repl, strings.TrimRight("< "+line, " "))
			}
		default:
			continue
		}
		indent := r.lines[l.n-1]
		indent = indent[:len(indent)-len(strings.TrimLeft(indent, " \t"))]
		for i := range repl {
			repl[i] = indent + repl[i]
		}
		r.update[l.n] = repl
	}
}

// pairsOfLine returns the pairs a params: or session: line holds.
func pairsOfLine(line string) []pair {
	_, val, _ := strings.Cut(strings.TrimSpace(line), ":")
	ps, _ := parsePairs(val)
	return ps
}

// quoteValue writes a value of a K=V pair.
func quoteValue(v string) string {
	if strings.ContainsAny(v, " \t\"") {
		return strconv.Quote(v)
	}
	return v
}

// rewrite writes the file with the collected replacements.
func (r *testRun) rewrite() error {
	if r.data == nil || len(r.update) == 0 {
		return nil
	}
	var out []string
	for i, l := range r.lines {
		if repl, ok := r.update[i+1]; ok {
			out = append(out, repl...)
			continue
		}
		out = append(out, l)
	}
	data := []byte(strings.Join(out, "\n"))
	if string(data) == string(r.data) {
		return nil
	}
	return os.WriteFile(r.path, data, 0o644)
}
