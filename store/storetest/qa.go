package storetest

import (
	"errors"
	"sync"
	"time"

	"github.com/parleybot/parley/store"
)

// testQAs saves, lists, replaces and deletes stored Q&A: labels stay
// unique, also under concurrent saves, and bad input stores nothing.
func testQAs(e *env) {
	q, err := e.s.SaveQA(ctx, store.QA{Label: " wifi ", Questions: []string{"what is the wifi password ", "is there wifi"}, Answer: "It is {{wifi|coffee123}}."})
	if !e.noErr("SaveQA", err) {
		return
	}
	if !store.ValidID(q.ID) {
		e.Errorf("ID: got %q, want 24 hex", q.ID)
	}
	e.equal("label trimmed", q.Label, "wifi")
	e.equal("questions trimmed", q.Questions, []string{"what is the wifi password", "is there wifi"})
	e.equal("CreatedAt", q.CreatedAt, start)
	e.clk.Advance(time.Minute)
	h, err := e.s.SaveQA(ctx, store.QA{Label: "hours", Questions: []string{"when are you open"}, Answer: "From 8 to 6."})
	e.noErr("SaveQA 2", err)

	_, err = e.s.SaveQA(ctx, store.QA{Label: "wifi", Questions: []string{"wifi?"}, Answer: "no"})
	e.wantErr("a label in use", err, store.ErrConflict)

	q.Label, q.Answer, q.Questions = "internet", "Ask at the counter.", []string{"can i get online"}
	q2, err := e.s.SaveQA(ctx, q)
	if e.noErr("SaveQA replace", err) {
		e.equal("replaced ID", q2.ID, q.ID)
		e.equal("replaced CreatedAt", q2.CreatedAt, start)
		e.equal("replaced UpdatedAt", q2.UpdatedAt, start.Add(time.Minute))
	}
	// The old label is free again, the new one taken.
	free, err := e.s.SaveQA(ctx, store.QA{Label: "wifi", Questions: []string{"wifi?"}, Answer: "See internet."})
	e.noErr("the old label again", err)
	h.Label = "internet"
	_, err = e.s.SaveQA(ctx, h)
	e.wantErr("renaming to a label in use", err, store.ErrConflict)

	all, err := e.s.QAs(ctx)
	if e.noErr("QAs", err) && len(all) == 3 {
		e.equal("order", []string{all[0].ID, all[1].ID, all[2].ID}, []string{q.ID, h.ID, free.ID})
		e.equal("stored", []any{all[0].Label, all[0].Questions, all[0].Answer}, []any{"internet", []string{"can i get online"}, "Ask at the counter."})
		e.equal("hours kept its label", all[1].Label, "hours")
	} else {
		e.Errorf("QAs: got %d, want 3", len(all))
	}

	unknown := store.QA{ID: "0123456789abcdef01234567", Label: "x", Questions: []string{"x"}, Answer: "x"}
	_, err = e.s.SaveQA(ctx, unknown)
	e.wantErr("replace unknown", err, store.ErrNotFound)
	long := make([]string, store.MaxQAQuestions+1)
	for i := range long {
		long[i] = "q"
	}
	for _, c := range []struct {
		field string
		qa    store.QA
	}{
		{"label", store.QA{Label: " ", Questions: []string{"a"}, Answer: "a"}},
		{"label", store.QA{Label: "<wifi>", Questions: []string{"a"}, Answer: "a"}},
		{"questions", store.QA{Label: "a", Answer: "a"}},
		{"questions", store.QA{Label: "a", Questions: long, Answer: "a"}},
		{"questions[1]", store.QA{Label: "a", Questions: []string{"a", "  "}, Answer: "a"}},
		{"answer", store.QA{Label: "a", Questions: []string{"a"}}},
		{"id", store.QA{ID: "nope", Label: "a", Questions: []string{"a"}, Answer: "a"}},
	} {
		_, err := e.s.SaveQA(ctx, c.qa)
		var fe *store.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			e.Errorf("invalid %s: got %v, want a *store.FieldError for %s", c.field, err, c.field)
		}
	}
	all, _ = e.s.QAs(ctx)
	e.equal("after invalid saves", len(all), 3)

	// Concurrent saves of one new label: one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.s.SaveQA(ctx, store.QA{Label: "menu", Questions: []string{"what do you have"}, Answer: "Coffee."})
			switch {
			case err == nil:
				mu.Lock()
				won++
				mu.Unlock()
			case !errors.Is(err, store.ErrConflict):
				e.Errorf("concurrent SaveQA: %v", err)
			}
		}()
	}
	wg.Wait()
	e.equal("concurrent saves won", won, 1)

	e.noErr("DeleteQA", e.s.DeleteQA(ctx, h.ID))
	e.wantErr("delete again", e.s.DeleteQA(ctx, h.ID), store.ErrNotFound)
	e.wantErr("delete bad id", e.s.DeleteQA(ctx, "nope"), store.ErrInvalid)
	_, err = e.s.SaveQA(ctx, store.QA{Label: "hours", Questions: []string{"opening hours"}, Answer: "8 to 6."})
	e.noErr("a deleted Q&A's label again", err)
	all, _ = e.s.QAs(ctx)
	e.equal("after delete and save", len(all), 4)
}
