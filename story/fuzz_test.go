package story_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/story"
)

// FuzzLoad checks that any file yields either a bot or errors, each a
// *story.Error, and never panics, and that a bot exports losslessly. The seed corpus is testdata/load and the
// example bots; inputs the fuzzer finds go to testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/load/*")
	seeds = append(seeds, "../examples/coffee/bot.yaml", "../examples/support/bot.yaml")
	for _, name := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, strings.HasSuffix(name, ".json"))
	}
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		name := "bot.yaml"
		if isJSON {
			name = "bot.json"
		}
		b, err := story.Load(fstest.MapFS{name: {Data: data}}, name)
		if (b == nil) == (err == nil) {
			t.Fatalf("Load: got bot %v and error %v, want exactly one", b != nil, err)
		}
		if err != nil {
			for _, e := range unjoin(err) {
				var se *story.Error
				if !errors.As(e, &se) || se.File != name {
					t.Fatalf("error %q is not a *story.Error in %s", e, name)
				}
			}
			return
		}
		checkBot(t, b)
		// What loads exports to a file that loads as the same bot.
		out, err := story.Export(b).JSON()
		if err != nil {
			t.Fatalf("Export: %v", err)
		}
		again, err := story.Load(fstest.MapFS{"bot.json": {Data: out}}, "bot.json")
		if err != nil {
			t.Fatalf("the export does not load: %v\n%s", err, out)
		}
		if d := sameBot(reflect.ValueOf(b), reflect.ValueOf(again), "Bot", map[[2]uintptr]bool{}); d != "" {
			t.Fatalf("after export: %s", d)
		}
	})
}

// checkBot checks the invariants of a loaded bot that the engine relies on.
func checkBot(t *testing.T, b *story.Bot) {
	t.Helper()
	if b.DefaultStory() == nil {
		t.Fatal("no default story")
	}
	for _, s := range b.Stories {
		if s.Welcome == nil || s.Fallback == nil || s.Welcome.Parent != nil || s.Fallback.Parent != nil {
			t.Fatalf("story %q: welcome %v, fallback %v", s.Name, s.Welcome, s.Fallback)
		}
		if b.Story(s.ID) != s {
			t.Fatalf("Story(%q) is not story %q", s.ID, s.Name)
		}
		for _, in := range s.Interactions {
			if b.Interaction(in.ID) != in || in.Story != s {
				t.Fatalf("Interaction(%q) is not %q", in.ID, in.Name)
			}
			depth := 0
			for p := in.Parent; p != nil; p = p.Parent {
				if depth++; depth > len(s.Interactions) {
					t.Fatalf("interaction %q: a cycle of parents", in.Name)
				}
			}
			if in.Reference != nil && in.Reference.Reference != nil {
				t.Fatalf("interaction %q: a reference to a reference", in.Name)
			}
			for _, r := range in.Responses {
				if r.Kind == story.KindGoto && r.Goto == nil {
					t.Fatalf("interaction %q: a goto to nil", in.Name)
				}
			}
		}
	}
}

// FuzzCondition checks that compiling and evaluating any condition never
// panics, and that what compiles evaluates to a bool or an error.
func FuzzCondition(f *testing.F) {
	for _, s := range []string{
		`score > 0.5`, `user.plan == "premium" && hour >= 9`, `lower(message) contains "help"`,
		`message matches "^[0-9]+$"`, `int(params.n) > 3`, `weekday in ["saturday", "sunday"]`,
		`filter([1], # > 0) == []`, `1..10 == []`, `len(session) > 0 ? true : false`, `user?.x ?? "" == ""`,
		`message[0:2] == "hi"`, `-failures < +1 || not (day == 1)`, `now().Year() > 0`,
	} {
		f.Add(s)
	}
	env := &story.Env{
		User: map[string]string{"plan": "premium"}, Session: map[string]string{}, Params: map[string]string{"n": "4"},
		Score: 0.7, Message: "Hello", Failures: 1, Time: time.Date(2026, 11, 21, 10, 30, 0, 0, time.UTC),
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := story.CompileCondition(src)
		if err != nil {
			return
		}
		_, _ = c.Eval(env)
	})
}
