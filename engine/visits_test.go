package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

func TestVisits(t *testing.T) {
	ctx := context.Background()
	a := newAutoEngine(t)
	ada := a.user("ada", nil)
	start := a.clk.Now()
	a.view("session-ada-01", "ada", "https://shop.example/")
	a.clk.Advance(40 * time.Second)
	a.view("session-ada-01", "", "https://shop.example/pricing") // the session's user
	a.clk.Advance(20 * time.Second)
	if _, err := a.e.PageView(ctx, engine.PageVisit{SessionID: "session-ada-01", Left: true}); err != nil {
		t.Fatalf("PageView left: %v", err)
	}
	for _, who := range []string{"ada", ada.ID} {
		got, err := a.e.Visits(ctx, who)
		if err != nil {
			t.Fatalf("Visits(%s): %v", who, err)
		}
		if len(got) != 2 {
			t.Fatalf("Visits(%s): got %d, want 2", who, len(got))
		}
		if got[0].URL != "https://shop.example/pricing" || got[0].Title != "A page" || got[0].Visitor != ada.ID {
			t.Errorf("newest: got %+v", got[0])
		}
		if !got[0].LandedAt.Equal(start.Add(40*time.Second)) || !got[0].LeftAt.Equal(start.Add(time.Minute)) {
			t.Errorf("newest: landed %v, left %v", got[0].LandedAt, got[0].LeftAt)
		}
		if !got[1].LandedAt.Equal(start) || !got[1].LeftAt.Equal(start.Add(40*time.Second)) {
			t.Errorf("oldest: landed %v, left %v", got[1].LandedAt, got[1].LeftAt)
		}
	}
	// A session without a user keeps its own.
	a.view("session-anon-01", "", "https://shop.example/blog")
	if got, err := a.e.Visits(ctx, "session-anon-01"); err != nil || len(got) != 1 {
		t.Errorf("Visits(session): got %d, %v; want 1", len(got), err)
	}
	if _, err := a.e.Visits(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Visits(nobody): got %v, want ErrNotFound", err)
	}
	for _, c := range []struct {
		name  string
		v     engine.PageVisit
		field string
	}{
		{"ErrURL", engine.PageVisit{SessionID: "session-ada-01", Page: engine.Page{URL: "ftp://shop.example/"}}, "url"},
		{"ErrNoURL", engine.PageVisit{SessionID: "session-ada-01"}, "url"},
		{"ErrSession", engine.PageVisit{SessionID: "short", Page: engine.Page{URL: "https://shop.example/"}}, "sessionId"},
		{"ErrThread", engine.PageVisit{ThreadID: "no-such-thread", Page: engine.Page{URL: "https://shop.example/"}}, "threadId"},
		{"ErrUser", engine.PageVisit{SessionID: "session-ada-01", UserID: "nobody", Page: engine.Page{URL: "https://shop.example/"}}, "userId"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := a.e.PageView(ctx, c.v)
			var fe *store.FieldError
			var nf *engine.NotFoundError
			switch {
			case errors.As(err, &fe):
				if fe.Field != c.field {
					t.Errorf("got field %s, want %s", fe.Field, c.field)
				}
			case errors.As(err, &nf):
				if nf.Field != c.field {
					t.Errorf("got field %s, want %s", nf.Field, c.field)
				}
			default:
				t.Errorf("got %v, want an error naming %s", err, c.field)
			}
		})
	}
	if got, _ := a.e.Visits(ctx, "ada"); len(got) != 2 {
		t.Errorf("after refused page views: got %d visits, want 2", len(got))
	}
}

// TestVisitConditions: stored visits feed conditions across sessions.
func TestVisitConditions(t *testing.T) {
	a := newAutoEngine(t)
	a.user("ada", nil)
	a.save(store.AutomatedMessage{Name: "demo", Trigger: store.Trigger{On: store.OnPageView},
		Condition: `page.path == "/pricing" && page_counts["/pricing"] >= 3 && "/features" in pages && visits >= 4`,
		Text:      "You have looked at our prices three times: want a demo?"})
	a.view("session-ada-01", "ada", "https://shop.example/pricing")
	a.view("session-ada-01", "ada", "https://shop.example/features")
	a.clk.Advance(24 * time.Hour)
	a.view("session-ada-02", "ada", "https://shop.example/pricing?plan=team")
	a.want("twice", "")
	a.view("session-ada-03", "ada", "https://shop.example/pricing")
	a.want("three times", "session-ada-03: You have looked at our prices three times: want a demo?")
}

// TestPageViewThreadAfterTime: a page view naming a thread speaks in that thread,
// also later, after a time on the page.
func TestPageViewThreadAfterTime(t *testing.T) {
	ctx := context.Background()
	a := newAutoEngine(t)
	a.save(store.AutomatedMessage{Name: "hello", Trigger: store.Trigger{On: store.OnPageView}, Text: "Hi there"})
	a.save(store.AutomatedMessage{Name: "stuck", Trigger: store.Trigger{On: store.OnPageView, After: 30 * time.Second}, Text: "Still there?"})
	th, err := a.e.CreateThread(ctx, engine.NewThread{})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := a.e.PageView(ctx, engine.PageVisit{ThreadID: th.ID, Page: engine.Page{URL: "https://shop.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].ThreadID != th.ID {
		t.Fatalf("sent: got %+v, want one message in thread %s", msgs, th.ID)
	}
	a.clk.Advance(31 * time.Second)
	a.tick()
	got, err := a.e.Messages(ctx, th.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if s := types(got); s != "NORMAL_MESSAGE(Hi there) NORMAL_MESSAGE(Still there?)" {
		t.Errorf("thread: got %s", s)
	}
}
