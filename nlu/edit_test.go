package nlu_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/parleybot/parley/internal/clinc150"
	"github.com/parleybot/parley/internal/testbed"
	"github.com/parleybot/parley/nlu"
)

func wifiExamples(label string) []nlu.Example {
	return []nlu.Example{
		{Label: label, Text: "what is the wifi password"},
		{Label: label, Text: "how do i connect to the wifi"},
		{Label: label, Text: "is there internet access here"},
	}
}

// best is the best match of q.
func best(m *nlu.Matcher, q string) nlu.Match { return top(m.Predict(q, nlu.Set{})) }

func TestWith(t *testing.T) {
	base, err := nlu.Train(coffeeExamples)
	if err != nil {
		t.Fatal(err)
	}
	m, err := base.With(wifiExamples("wifi"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		query, label string
		exact        bool
	}{
		{"what is the wifi password", "wifi", true},
		{"what's the wifi password please", "wifi", false},
		{"what is the wfii password", "wifi", false}, // a typo
		{"can i connect to your internet", "wifi", false},
		{"can I get a latte", "order", true},
		{"goodbye", "bye", true},
	} {
		got := best(m, tt.query)
		if got.Label != tt.label || got.Score < 0.5 {
			t.Errorf("%q: got %q %.2f, want %q at 0.5 or more", tt.query, got.Label, got.Score, tt.label)
		}
		if tt.exact && got.Score != 1 {
			t.Errorf("%q: got score %.2f, want 1 (a training phrase)", tt.query, got.Score)
		}
	}
	if got := best(base, "what is the wifi password"); got.Label == "wifi" {
		t.Errorf("the base matcher changed: it predicts %q", got.Label)
	}
	if got, want := fmt.Sprint(m.Labels()), "[order hours bye refund wifi]"; got != want {
		t.Errorf("Labels: got %s, want %s", got, want)
	}
	// A Set of the edited matcher reaches the added label.
	if ms := m.Predict("what is the wifi password", m.Set("hours")); len(ms) > 0 && ms[0].Label == "wifi" {
		t.Errorf("an ineligible added label was predicted")
	}
	if ms := m.Predict("what is the wifi password", m.Set("wifi")); len(ms) == 0 || ms[0].Label != "wifi" {
		t.Errorf("Set(wifi): got %v, want wifi", ms)
	}

	// Replace the added label, then remove it and a base label.
	m2, err := m.With([]nlu.Example{{Label: "wifi", Text: "where are the toilets"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := best(m2, "where are the toilets"); got.Label != "wifi" || got.Score != 1 {
		t.Errorf("replaced: got %v, want wifi at 1", got)
	}
	if got := best(m2, "what is the wifi password"); got.Label == "wifi" && got.Score == 1 {
		t.Errorf("replaced: the old phrase still scores 1")
	}
	m3, err := m2.With(nil, []string{"wifi", "bye", "nothing"})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"where are the toilets", "goodbye"} {
		for _, got := range m3.Predict(q, nlu.Set{}) {
			if got.Label == "wifi" || got.Label == "bye" {
				t.Errorf("%q: a removed label was predicted: %v", q, got)
			}
		}
	}
	if got, want := fmt.Sprint(m3.Labels()), "[order hours refund]"; got != want {
		t.Errorf("Labels after removal: got %s, want %s", got, want)
	}
	// A removed base label comes back as an added one.
	m4, err := m3.With([]nlu.Example{{Label: "bye", Text: "ciao"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := best(m4, "ciao"); got.Label != "bye" || got.Score != 1 {
		t.Errorf("bye again: got %v, want bye at 1", got)
	}
	if got := best(m4, "goodbye"); got.Label == "bye" && got.Score == 1 {
		t.Errorf("bye again: its old phrase still scores 1")
	}
}

func TestWithErrors(t *testing.T) {
	base, err := nlu.Train(coffeeExamples)
	if err != nil {
		t.Fatal(err)
	}
	for name, add := range map[string][]nlu.Example{
		"empty label":  {{Label: " ", Text: "hello"}},
		"no words":     {{Label: "x", Text: "?!"}},
		"out of scope": {{Label: nlu.OutOfScope, Text: "hello"}},
		"bad mark":     {{Label: "x", Text: "hello", Marks: []nlu.Mark{{Start: 0, End: 3, Entity: "drink"}}}},
	} {
		if _, err := base.With(add, nil); err == nil {
			t.Errorf("%s: got no error", name)
		}
	}
	if _, err := base.With(nil, []string{nlu.OutOfScope}); err == nil {
		t.Errorf("removing out of scope: got no error")
	}
	b, err := base.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := nlu.Load(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loaded.With(wifiExamples("wifi"), nil); !errors.Is(err, nlu.ErrNotEditable) {
		t.Errorf("a loaded matcher: got %v, want ErrNotEditable", err)
	}
	m, err := base.With(wifiExamples("wifi"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.MarshalBinary(); err == nil {
		t.Errorf("MarshalBinary of an edited matcher: got no error")
	}
}

// TestWithConcurrent edits a matcher while other goroutines predict on
// every version (run it with -race).
func TestWithConcurrent(t *testing.T) {
	m, err := nlu.Train(coffeeExamples)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		cur  = m
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				mu.Lock()
				mm := cur
				mu.Unlock()
				mm.Predict("what is the wifi password", nlu.Set{})
				mm.Predict("i would like a latte", mm.Set("order", "wifi3"))
			}
		}()
	}
	for i := range 10 {
		label := fmt.Sprintf("wifi%d", i%4)
		next, err := cur.With(wifiExamples(label), []string{fmt.Sprintf("wifi%d", (i+1)%4)})
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		cur = next
		mu.Unlock()
	}
	close(done)
	wg.Wait()
}

// TestWithCLINC150 trains a matcher on CLINC150's first 140 intents, adds
// the last 10 one by one with With, and compares its top-1 accuracy on
// the val split with a matcher trained on the 150 at once: With must
// stay within half a point.
func TestWithCLINC150(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("trains CLINC150 twice")
	}
	path, err := clinc150.Path()
	if err != nil {
		t.Skipf("CLINC150 corpus not available: %v", err)
	}
	c, err := testbed.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	all, edited, err := testbed.Added(c, 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("val top-1 accuracy: trained at once %.2f %%, last 10 intents added one by one %.2f %% (%+.2f points)", 100*all, 100*edited, 100*(edited-all))
	if d := 100 * (edited - all); d < -0.5 || d > 0.5 {
		t.Errorf("accuracy with the last 10 intents added by With: %.2f %%, want within 0.5 points of %.2f %%", 100*edited, 100*all)
	}
}
