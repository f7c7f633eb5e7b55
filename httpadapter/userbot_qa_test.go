package httpadapter_test

import (
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
)

// TestUserbotQA saves, updates, finds and deletes Q&A over the socket and
// REST, and chats with them in between: a save answers the next message.
func TestUserbotQA(t *testing.T) {
	s := newServer(t)
	w := dialSocket(t, s)
	w.login()
	ask := func(query string) string {
		t.Helper()
		resp := s.chat(t, clientToken, engine.Request{SessionID: "qa-socket-session", Query: query})
		if len(resp.Result.Fulfillment) == 0 {
			return resp.Result.Interaction.Name
		}
		return resp.Result.Interaction.Name + ": " + resp.Result.Fulfillment[0].Message
	}
	var saved httpadapter.Interaction
	w.ok(`qeafilter.save {"label":"wifi","questions":["what is the wifi password","how do i get online"],"answer":"beans4all"}`, "qeafilter.save", &saved)
	if saved.ID == "" || saved.Label != "wifi" || len(saved.Questions) != 2 {
		t.Fatalf("qeafilter.save: got %+v", saved)
	}
	if got, want := ask("what is the wifi password"), "wifi: beans4all"; got != want {
		t.Errorf("after save: got %q, want %q", got, want)
	}
	var updated httpadapter.Interaction
	w.ok(`qeafilter save token <wifi> {"answer":"Ask at the counter."}`, "qeafilter.save.token", &updated)
	if updated.ID != saved.ID || updated.Answer != "Ask at the counter." || len(updated.Questions) != 2 {
		t.Errorf("qeafilter.save.token: got %+v", updated)
	}
	if got, want := ask("how do i get online"), "wifi: Ask at the counter."; got != want {
		t.Errorf("after save.token: got %q, want %q", got, want)
	}
	w.ok(`qeafilter.save {"label":"opening hours","questions":["when do you open"],"answer":"At 7."}`, "qeafilter.save", nil)
	w.ok(`qeafilter.save.token <opening hours> {"questions":["when do you open","what are your hours"]}`, "qeafilter.save.token", &updated)
	if len(updated.Questions) != 2 {
		t.Errorf("save.token with a label of two words: got %+v", updated)
	}
	var page struct {
		Interactions []httpadapter.Interaction
		Count        int
	}
	w.ok(`qeafilter.search.page-db-ai {"query":"WIFI"}`, "qeafilter.search.page-db-ai", &page)
	if page.Count != 1 || page.Interactions[0].ID != saved.ID {
		t.Errorf("search wifi: got %+v", page)
	}
	w.ok(`qeafilter.search {"limit":1,"offset":1}`, "qeafilter.search", &page)
	if page.Count != 2 || len(page.Interactions) != 1 || page.Interactions[0].Label != "opening hours" {
		t.Errorf("search page 2: got %+v", page)
	}
	for _, c := range []struct {
		frame, field string
		code         int
	}{
		{`qeafilter.save {"label":"wifi","questions":["wifi?"],"answer":"no"}`, "label", 409},
		{`qeafilter.save {"label":"<x>","questions":["x"],"answer":"no"}`, "label", 400},
		{`qeafilter.save {"label":"x","questions":["x"],"answer":"{{oops"}`, "answer", 400},
		{`qeafilter.save {"label":"x","questions":[],"answer":"no"}`, "questions", 400},
		{`qeafilter.save {"label":"x","questions":["x"],"answer":"no","extra":1}`, "extra", 400},
		{`qeafilter save token <nothing> {"answer":"x"}`, "token", 404},
		{`qeafilter save token {"answer":"x"}`, "token", 400},
		{`qeafilter.delete {"id":"0123456789abcdef01234567"}`, "id", 404},
		{`qeafilter.delete {}`, "id", 400},
		{`qeafilter.search {"limit":500}`, "limit", 400},
	} {
		if r := w.send(c.frame); r.Status.Code != c.code || r.Field != c.field {
			t.Errorf("%s: got %d on %q (%s), want %d on %q", c.frame, r.Status.Code, r.Field, r.Status.Message, c.code, c.field)
		}
	}
	var deleted struct {
		ID      string
		Deleted bool
	}
	w.ok(`qeafilter.delete {"label":"wifi"}`, "qeafilter.delete", &deleted)
	if deleted.ID != saved.ID || !deleted.Deleted {
		t.Errorf("qeafilter.delete: got %+v", deleted)
	}
	if got := ask("what is the wifi password"); got == "wifi: Ask at the counter." {
		t.Errorf("a deleted Q&A answered: %q", got)
	}

	// REST: the same operations.
	var res httpadapter.OperationResult
	s.dev(t, "POST", "/userbot/qeafilter.save", map[string]any{"label": "menu", "questions": []string{"what drinks do you have"}, "answer": "Coffee."}).decode(t, &res)
	s.dev(t, "POST", "/userbot/qeafilter.save.token", map[string]any{"token": "<menu>", "answer": "Coffee and tea."}).decode(t, &res)
	if got, want := ask("what drinks do you have"), "menu: Coffee and tea."; got != want {
		t.Errorf("after REST saves: got %q, want %q", got, want)
	}
}
