package engine_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

// TestTranscripts runs the conversations of testdata/*.txtar and compares
// them with the transcripts there. Each archive holds bot files (or names
// one with a "bot: PATH" line in its comment) and a file "chat": lines
// "> ..." are inputs, the indented lines after them what the engine
// answered. go test -update rewrites the answers.
//
// An input is a query, "!trigger NAME" or "!goto INTERACTION NAME",
// optionally preceded by request options in brackets:
// "[reset debug confidence=1 lifespan=1 story=NAME user=USERID p:KEY=VALUE]".
// Other directives:
//
//	!session ID             talk in another session
//	!wait DURATION          advance the clock
//	!clock RFC3339          set the clock
//	!user USERID K=V...     create a user
//	!attrs K=V...           update the session's attributes
//	!hook NAME [say=TEXT] [session:K=V] [user:K=V] [error=TEXT] [panic=TEXT]
//	!agent yes|no|error     what the hand-off hook answers
//	!thread                 print the session's current thread
//	!stats                  print today's counters
//	!reload FILE            reload with another bot file of the archive
func TestTranscripts(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no transcripts in testdata")
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runTranscript(t, path)
		})
	}
}

// hookSpec is what a test webhook answers.
type hookSpec struct {
	res   engine.WebhookResult
	err   string
	panic string
	calls int
}

type transcript struct {
	t       *testing.T
	fsys    fstest.MapFS
	db      *badgerstore.DB
	e       *engine.Engine
	ctx     context.Context
	mu      sync.Mutex
	now     time.Time
	session string
	hooks   map[string]*hookSpec
	agent   string
	out     *bytes.Buffer
	lastSP  string
	events  []string
}

func runTranscript(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := parseArchive(data)
	tr := &transcript{
		t:       t,
		fsys:    fstest.MapFS{},
		ctx:     context.Background(),
		now:     time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), // a Monday
		session: "session-0001",
		hooks:   make(map[string]*hookSpec),
		agent:   "no",
		out:     new(bytes.Buffer),
	}
	var botFiles []string
	chat := -1
	for i, f := range a.files {
		switch {
		case f.name == "chat":
			chat = i
		default:
			tr.fsys[f.name] = &fstest.MapFile{Data: f.data}
		}
	}
	if chat < 0 {
		t.Fatal("no chat file")
	}
	for _, line := range strings.Split(string(a.comment), "\n") {
		if p, ok := strings.CutPrefix(line, "bot: "); ok {
			b, err := os.ReadFile(filepath.Join("..", strings.TrimSpace(p)))
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(p)
			tr.fsys[name] = &fstest.MapFile{Data: b}
			botFiles = append(botFiles, name)
		}
	}
	if len(botFiles) == 0 {
		for _, f := range a.files {
			if f.name != "chat" && !strings.HasPrefix(f.name, "reload") {
				botFiles = append(botFiles, f.name)
			}
		}
	}
	bot, err := story.Load(tr.fsys, botFiles...)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		return tr.now
	}
	tr.db, err = badgerstore.Open("", badgerstore.InMemory(), badgerstore.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.db.Close() })
	opts := []engine.Option{engine.WithClock(clock), engine.WithSeed(1), engine.WithHandoff(tr.handoff)}
	for _, name := range bot.Webhooks() {
		if strings.HasPrefix(name, "unregistered") {
			continue
		}
		opts = append(opts, engine.WithWebhook(name, tr.webhook(name)))
	}
	tr.e, err = engine.New(tr.db, bot, opts...)
	if err != nil {
		t.Fatal(err)
	}
	tr.e.Subscribe(func(ev engine.Event) {
		s := ev.Kind.String()
		if ev.Kind == engine.EventHandoff {
			s += fmt.Sprintf("(agent=%v)", ev.Agent)
		}
		tr.events = append(tr.events, s)
	})

	for _, line := range strings.Split(strings.TrimRight(string(a.files[chat].data), "\n"), "\n") {
		if strings.HasPrefix(line, "  ") {
			continue // an answer, rewritten below
		}
		tr.out.WriteString(line + "\n")
		if in, ok := strings.CutPrefix(line, "> "); ok {
			tr.input(in)
		}
	}
	got := tr.out.Bytes()
	if *update {
		a.files[chat].data = got
		if err := os.WriteFile(path, formatArchive(a), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := a.files[chat].data; !bytes.Equal(got, want) {
		t.Errorf("transcript differs (go test -update rewrites it):\n%s", diffLines(string(want), string(got)))
	}
}

// diffLines shows the first lines where want and got differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			if b.Len() > 2000 {
				break
			}
		}
	}
	return b.String()
}

func (tr *transcript) say(format string, args ...any) {
	fmt.Fprintf(tr.out, "  "+format+"\n", args...)
}

func (tr *transcript) handoff(ctx context.Context, call engine.HandoffCall) (bool, error) {
	switch tr.agent {
	case "yes":
		return true, nil
	case "error":
		return false, errors.New("agent service down")
	case "panic":
		panic("agent service exploded")
	}
	return false, nil
}

func (tr *transcript) webhook(name string) engine.Webhook {
	return func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
		h := tr.hooks[name]
		if h == nil {
			return engine.WebhookResult{}, nil
		}
		h.calls++
		if h.panic != "" {
			panic(h.panic)
		}
		if h.err != "" {
			return engine.WebhookResult{}, errors.New(h.err)
		}
		return h.res, nil
	}
}

// fields splits s at spaces, keeping "quoted strings" whole.
func fields(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		i := strings.IndexByte(s, ' ')
		if q := strings.IndexByte(s, '"'); q >= 0 && (i < 0 || q < i) {
			if p, err := strconv.QuotedPrefix(s[q:]); err == nil {
				uq, _ := strconv.Unquote(p)
				out = append(out, s[:q]+uq)
				s = s[q+len(p):]
				continue
			}
		}
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
	return out
}

func kv(fs []string) map[string]string {
	m := make(map[string]string)
	for _, f := range fs {
		k, v, _ := strings.Cut(f, "=")
		m[k] = v
	}
	return m
}

func (tr *transcript) input(in string) {
	t := tr.t
	req := engine.Request{SessionID: tr.session}
	if strings.HasPrefix(in, "[") {
		end := strings.IndexByte(in, ']')
		for _, f := range fields(in[1:end]) {
			k, v, _ := strings.Cut(f, "=")
			switch {
			case k == "reset":
				req.Reset = true
			case k == "debug":
				req.Debug = true
			case k == "confidence":
				req.Confidence, _ = strconv.ParseFloat(v, 64)
			case k == "lifespan":
				req.Lifespan, _ = strconv.Atoi(v)
			case k == "story":
				if s := tr.e.Bot().StoryByName(v); s != nil {
					req.StoryID = s.ID
				} else {
					req.StoryID = v
				}
			case k == "user":
				req.UserID = v
			case k == "session":
				req.SessionID = v
			case strings.HasPrefix(k, "p:"):
				if req.Parameters == nil {
					req.Parameters = map[string]string{}
				}
				req.Parameters[k[2:]] = v
			default:
				t.Fatalf("unknown request option %q", f)
			}
		}
		in = strings.TrimSpace(in[end+1:])
	}
	cmd, arg, _ := strings.Cut(in, " ")
	switch cmd {
	case "!trigger":
		req.Trigger = arg
	case "!goto":
		req.Goto = arg
		for _, s := range tr.e.Bot().Stories {
			if in := s.InteractionByName(arg); in != nil {
				req.Goto = in.ID
			}
		}
	case "!session":
		tr.session = arg
		return
	case "!wait":
		d, err := time.ParseDuration(arg)
		if err != nil {
			t.Fatal(err)
		}
		tr.mu.Lock()
		tr.now = tr.now.Add(d)
		tr.mu.Unlock()
		return
	case "!clock":
		c, err := time.Parse(time.RFC3339, arg)
		if err != nil {
			t.Fatal(err)
		}
		tr.mu.Lock()
		tr.now = c
		tr.mu.Unlock()
		return
	case "!user":
		fs := fields(arg)
		u, err := tr.e.CreateUser(tr.ctx, store.User{UserID: fs[0], Attributes: kv(fs[1:])})
		if err != nil {
			tr.say("error: %v", err)
			return
		}
		tr.say("created user %s", u.UserID)
		return
	case "!attrs":
		s, err := tr.e.UpdateSessionAttributes(tr.ctx, tr.session, kv(fields(arg)))
		if err != nil {
			tr.say("error: %v", err)
			return
		}
		tr.say("session: %s", formatMap(s.Attributes))
		return
	case "!hook":
		fs := fields(arg)
		h := &hookSpec{}
		for _, f := range fs[1:] {
			k, v, _ := strings.Cut(f, "=")
			switch {
			case k == "say":
				h.res.Messages = append(h.res.Messages, v)
			case k == "error":
				h.err = v
			case k == "panic":
				h.panic = v
			case strings.HasPrefix(k, "session:"):
				if h.res.SessionAttributes == nil {
					h.res.SessionAttributes = map[string]string{}
				}
				h.res.SessionAttributes[k[len("session:"):]] = v
			case strings.HasPrefix(k, "user:"):
				if h.res.UserAttributes == nil {
					h.res.UserAttributes = map[string]string{}
				}
				h.res.UserAttributes[k[len("user:"):]] = v
			default:
				t.Fatalf("unknown hook option %q", f)
			}
		}
		tr.hooks[fs[0]] = h
		return
	case "!agent":
		tr.agent = arg
		return
	case "!thread":
		tr.printThread()
		return
	case "!stats":
		tr.mu.Lock()
		now := tr.now
		tr.mu.Unlock()
		days, err := tr.db.Stats(tr.ctx, now, now)
		if err != nil {
			tr.say("error: %v", err)
			return
		}
		c := days[0].Counters
		tr.say("stats: sessions=%d messages=%d fallbacks=%d handoffs=%d", c.Sessions, c.Messages, c.Fallbacks, c.Handoffs)
		return
	case "!reload":
		bot, err := story.Load(tr.fsys, arg)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.e.Reload(bot); err != nil {
			tr.say("error: %v", err)
			return
		}
		tr.say("reloaded")
		return
	default:
		if strings.HasPrefix(cmd, "!") {
			t.Fatalf("unknown directive %q", cmd)
		}
		req.Query = in
	}
	tr.events = tr.events[:0]
	resp, err := tr.e.Chat(tr.ctx, req)
	if err != nil {
		tr.say("error: %v", err)
		if len(tr.events) > 0 {
			tr.say("events: %s (after a failed turn!)", strings.Join(tr.events, " "))
		}
		return
	}
	tr.printResponse(resp)
}

// formatScore rounds a score to two decimals, so that a change of the
// matcher's scores shows in the transcripts' diffs without noise.
func formatScore(s float64) string {
	return strconv.FormatFloat(math.Round(s*100)/100, 'f', -1, 64)
}

// topCandidates is how many of a debug result's candidates a transcript
// prints, in rank order.
const topCandidates = 3

func formatMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s=%q", k, m[k])
	}
	return b.String()
}

func (tr *transcript) name(id string) string {
	if in := tr.e.Bot().Interaction(id); in != nil {
		return in.Name
	}
	return id
}

func (tr *transcript) printResponse(resp engine.Response) {
	r := resp.Result
	if r.Source != engine.SourceBot {
		tr.say("(source %s: the bot is silent)", r.Source)
	} else {
		line := fmt.Sprintf("= %s score=%s lifespan=%d", r.Interaction.Name, formatScore(r.Score), r.Lifespan)
		if r.Incomplete {
			line += " incomplete"
		}
		if r.Interaction.Action != "" {
			line += " action=" + r.Interaction.Action
		}
		tr.say("%s", line)
	}
	if len(r.Parameters) > 0 {
		tr.say("params: %s", formatMap(r.Parameters))
	}
	var ctxs []string
	for _, c := range r.Contexts {
		ctxs = append(ctxs, c.Name)
	}
	if len(ctxs) > 0 {
		tr.say("contexts: %s", strings.Join(ctxs, ", "))
	}
	if sp := formatMap(r.SessionParameters); sp != tr.lastSP {
		tr.say("sessionParameters: %s", sp)
		tr.lastSP = sp
	}
	if len(r.Candidates) > 0 {
		// The top candidates in rank order, a ranking regression shows;
		// then how many others.
		var cs []string
		for i, c := range r.Candidates {
			if i == topCandidates {
				cs = append(cs, fmt.Sprintf("+%d more", len(r.Candidates)-i))
				break
			}
			e := ""
			if !c.Eligible {
				e = " not eligible"
			}
			cs = append(cs, fmt.Sprintf("%s(%s%s)", c.Name, formatScore(c.Score), e))
		}
		tr.say("candidates: %s", strings.Join(cs, " "))
	}
	for _, f := range r.Fulfillment {
		tr.printFulfillment(f, "")
	}
	if len(tr.events) > 0 {
		tr.say("events: %s", strings.Join(tr.events, " "))
	}
}

func (tr *transcript) buttons(bs []engine.Button) string {
	var out []string
	for _, b := range bs {
		v := b.Value
		if b.Type == engine.ButtonGoto {
			v = tr.name(v)
		}
		out = append(out, fmt.Sprintf("[%s → %s %s]", b.Title, b.Type, v))
	}
	return strings.Join(out, " ")
}

func (tr *transcript) printFulfillment(f engine.Fulfillment, indent string) {
	delay := ""
	if f.Delay > 0 {
		delay = fmt.Sprintf(" (after %dms)", f.Delay)
	}
	switch f.Type {
	case engine.TypeText:
		tr.say("%stext%s: %s", indent, delay, f.Message)
	case engine.TypeImage:
		tr.say("%simage%s: %s", indent, delay, f.Message)
	case engine.TypeQuickReplies, engine.TypeButtons:
		tr.say("%s%s%s: %s %s", indent, f.Type, delay, f.Title, tr.buttons(f.Buttons))
	case engine.TypeCard:
		tr.say("%scard%s: %s / %s / %s %s", indent, delay, f.Title, f.Subtitle, f.Image, tr.buttons(f.Buttons))
	case engine.TypeCarousel:
		tr.say("%scarousel%s:", indent, delay)
		for _, c := range f.Cards {
			tr.printFulfillment(c, indent+"  ")
		}
	default:
		data := f.Data
		if f.Type == engine.TypeGoto {
			data = map[string]string{"to": data["name"], "followed": data["followed"]}
		}
		tr.say("%s[%s]", indent, strings.TrimSpace(f.Type+" "+formatMap(data)))
	}
}

func (tr *transcript) printThread() {
	s, err := tr.e.Session(tr.ctx, tr.session)
	if err != nil {
		tr.say("error: %v", err)
		return
	}
	th, err := tr.db.Thread(tr.ctx, s.ThreadID)
	if err != nil {
		tr.say("error: %v", err)
		return
	}
	tr.say("thread: mode=%s escalated=%v messages=%d first=%q", th.Mode, th.Escalated, th.Messages, th.FirstMessage)
	msgs, err := tr.db.Messages(tr.ctx, th.ID, 0, 100)
	if err != nil {
		tr.say("error: %v", err)
		return
	}
	for _, m := range msgs {
		line := fmt.Sprintf("%d %s", m.Seq, m.Type)
		if m.SystemType != "" {
			line += " " + m.SystemType
		}
		if m.InteractionID != "" {
			line += " [" + tr.name(m.InteractionID) + "]"
		}
		if m.Text != "" {
			line += " " + strconv.Quote(m.Text)
		}
		if m.Goto != "" {
			line += " (goto " + tr.name(m.Goto) + ")"
		}
		if m.Trigger != "" {
			line += " (trigger " + m.Trigger + ")"
		}
		tr.say("  %s", line)
	}
}
