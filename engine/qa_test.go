package engine_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

// answer chats query in a new session and returns the interaction that
// answered and its first text.
func answer(t testing.TB, e *engine.Engine, query string) (name, text string) {
	t.Helper()
	sessions++
	resp, err := e.Chat(context.Background(), engine.Request{SessionID: fmt.Sprintf("qa-session-%04d", sessions), Query: query})
	if err != nil {
		t.Fatal(err)
	}
	if f := resp.Result.Fulfillment; len(f) > 0 {
		text = f[0].Message
	}
	return resp.Result.Interaction.Name, text
}

var sessions int

// TestQA saves, matches, changes and deletes stored Q&A, restarting the
// engine and the store (Badger on disk) in between: what was saved
// survives, what was deleted stays deleted, and the bot file's
// interactions keep answering.
func TestQA(t *testing.T) {
	dir := t.TempDir()
	bot := loadFile(t, "../examples/coffee/bot.yaml")
	ctx := context.Background()
	var db *badgerstore.DB
	start := func() *engine.Engine {
		t.Helper()
		if db != nil {
			db.Close()
		}
		var err error
		if db, err = badgerstore.Open(dir); err != nil {
			t.Fatal(err)
		}
		e, err := engine.New(db, bot, engine.WithSeed(1))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	t.Cleanup(func() { db.Close() })
	e := start()
	if name, _ := answer(t, e, "what is the wifi password"); name == "wifi" {
		t.Fatalf("matched a Q&A before any was saved")
	}
	wifi, err := e.SaveQA(ctx, store.QA{Label: "wifi", Questions: []string{"what is the wifi password", "how do i get online"}, Answer: "The password is {{wifi|beans4all}}."})
	if err != nil {
		t.Fatal(err)
	}
	check := func(e *engine.Engine, query, wantName, wantText string) {
		t.Helper()
		name, text := answer(t, e, query)
		if name != wantName || wantText != "" && text != wantText {
			t.Errorf("%q: got %s %q, want %s %q", query, name, text, wantName, wantText)
		}
	}
	check(e, "what is the wifi password", "wifi", "The password is beans4all.")
	check(e, "how can i get online", "wifi", "")
	check(e, "i would like a latte", "Order drink", "")

	e = start()
	check(e, "what is the wifi password", "wifi", "The password is beans4all.")
	wifi.Answer = "Ask at the counter."
	wifi.Questions = []string{"wifi password please"}
	if _, err := e.SaveQA(ctx, wifi); err != nil {
		t.Fatal(err)
	}
	check(e, "wifi password please", "wifi", "Ask at the counter.")
	hours, err := e.SaveQA(ctx, store.QA{Label: "hours", Questions: []string{"when do you open", "what are your opening hours"}, Answer: "From 7 to 7."})
	if err != nil {
		t.Fatal(err)
	}
	check(e, "what are your opening hours", "hours", "From 7 to 7.")

	e = start()
	check(e, "wifi password please", "wifi", "Ask at the counter.")
	check(e, "when do you open", "hours", "From 7 to 7.")
	if err := e.DeleteQA(ctx, wifi.ID); err != nil {
		t.Fatal(err)
	}
	if name, _ := answer(t, e, "wifi password please"); name == "wifi" {
		t.Errorf("a deleted Q&A answered")
	}
	check(e, "when do you open", "hours", "From 7 to 7.")
	// Reload keeps the stored Q&A.
	if err := e.Reload(bot); err != nil {
		t.Fatal(err)
	}
	check(e, "when do you open", "hours", "From 7 to 7.")

	e = start()
	if name, _ := answer(t, e, "wifi password please"); name == "wifi" {
		t.Errorf("a deleted Q&A answered after a restart")
	}
	check(e, "what are your opening hours", "hours", "From 7 to 7.")
	page, err := e.SearchQA(ctx, engine.QASearch{Query: "OPEN"})
	if err != nil || page.Count != 1 || page.QAs[0].ID != hours.ID {
		t.Errorf("SearchQA: got %+v, %v, want hours", page, err)
	}
	if q, err := e.QAByLabel(ctx, "hours"); err != nil || q.ID != hours.ID {
		t.Errorf("QAByLabel: got %+v, %v", q, err)
	}
}

func TestQAErrors(t *testing.T) {
	e, _ := newCoffee(t)
	ctx := context.Background()
	ok := store.QA{Label: "wifi", Questions: []string{"wifi?"}, Answer: "No."}
	if _, err := e.SaveQA(ctx, ok); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field string
		qa    store.QA
	}{
		{"answer", store.QA{Label: "a", Questions: []string{"a"}, Answer: "{{oops"}},
		{"questions[0]", store.QA{Label: "a", Questions: []string{"?!"}, Answer: "a"}},
		{"label", store.QA{Questions: []string{"a"}, Answer: "a"}},
		{"id", store.QA{ID: e.Bot().DefaultStory().Roots[1].ID, Label: "a", Questions: []string{"a"}, Answer: "a"}},
	} {
		_, err := e.SaveQA(ctx, c.qa)
		var fe *store.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: got %v, want a *store.FieldError for it", c.field, err)
		}
	}
	if _, err := e.SaveQA(ctx, ok); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a label in use: got %v, want ErrConflict", err)
	}
	if err := e.DeleteQA(ctx, "0123456789abcdef01234567"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete unknown: got %v, want ErrNotFound", err)
	}
	if _, err := e.QAByLabel(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("QAByLabel unknown: got %v, want ErrNotFound", err)
	}
	if _, err := e.SearchQA(ctx, engine.QASearch{Limit: 101}); err == nil {
		t.Errorf("SearchQA limit 101: got no error")
	}
	qas, _ := e.QAs(ctx)
	if len(qas) != 1 {
		t.Errorf("after refused saves: got %d Q&A, want 1", len(qas))
	}
}

// TestSyncQA runs two engines on one store, as two processes on one
// database do: what one saves or deletes, the other applies when it syncs.
func TestSyncQA(t *testing.T) {
	db := openMemory(t)
	bot := loadFile(t, "../examples/coffee/bot.yaml")
	a, err := engine.New(db, bot)
	if err != nil {
		t.Fatal(err)
	}
	b, err := engine.New(db, bot)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q, err := a.SaveQA(ctx, store.QA{Label: "wifi", Questions: []string{"what is the wifi password"}, Answer: "beans4all"})
	if err != nil {
		t.Fatal(err)
	}
	if name, _ := answer(t, b, "what is the wifi password"); name == "wifi" {
		t.Fatalf("b matched the Q&A before syncing")
	}
	if err := b.SyncQA(ctx); err != nil {
		t.Fatal(err)
	}
	if name, text := answer(t, b, "what is the wifi password"); name != "wifi" || text != "beans4all" {
		t.Errorf("b after sync: got %s %q, want wifi", name, text)
	}
	q.Answer = "Ask at the counter."
	if _, err := a.SaveQA(ctx, q); err != nil {
		t.Fatal(err)
	}
	if err := b.SyncQA(ctx); err != nil {
		t.Fatal(err)
	}
	if _, text := answer(t, b, "what is the wifi password"); text != "Ask at the counter." {
		t.Errorf("b after the change: got %q", text)
	}
	if err := a.DeleteQA(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.SyncQA(ctx); err != nil {
		t.Fatal(err)
	}
	if name, _ := answer(t, b, "what is the wifi password"); name == "wifi" {
		t.Errorf("b matched a deleted Q&A after syncing")
	}
}

// TestQAWithModel saves Q&A on an engine whose matchers come from a
// compiled model, which cannot learn: the first save trains the default
// story with its Q&A, later ones only theirs; a restart with stored Q&A
// trains rather than load the model, which does not know them.
func TestQAWithModel(t *testing.T) {
	bot := loadFile(t, "../examples/coffee/bot.yaml")
	model, err := engine.BuildModel(bot)
	if err != nil {
		t.Fatal(err)
	}
	db := openMemory(t)
	e, err := engine.New(db, bot, engine.WithModel(model))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range []store.QA{
		{Label: "wifi", Questions: []string{"what is the wifi password"}, Answer: "beans4all"},
		{Label: "hours", Questions: []string{"when do you open"}, Answer: "At 7."},
	} {
		if _, err := e.SaveQA(ctx, q); err != nil {
			t.Fatal(err)
		}
		if name, _ := answer(t, e, q.Questions[0]); name != q.Label {
			t.Errorf("%q: got %s, want %s", q.Questions[0], name, q.Label)
		}
	}
	if name, _ := answer(t, e, "i would like a latte"); name != "Order drink" {
		t.Errorf("the bot's own interaction: got %s", name)
	}
	if e, err = engine.New(db, bot, engine.WithModel(model)); err != nil {
		t.Fatal(err)
	}
	if name, _ := answer(t, e, "what is the wifi password"); name != "wifi" {
		t.Errorf("after a restart: got %s, want wifi", name)
	}
}
