package engine_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

func ExampleCheckCondition() {
	for _, src := range []string{
		`"vip" in tags && page.path == "/pricing"`,
		"time_on_page > 30 &&\n  hour >",
		`user.plan == "gold" && nps > 8`,
	} {
		fmt.Println(engine.CheckCondition(engine.ConditionAutomated, src))
	}
	// Output:
	// <nil>
	// line 2, column 8: unexpected token EOF
	// line 1, column 24: unknown name "nps"; known names: user, session, tags, segments, first_seen, last_seen, visits, pages, page_counts, page, time_on_page, page_views, event, messages, conversations, meeting, meeting_in, sent, agent, hour, minute, weekday, day, month, year
}

func TestCheckCondition(t *testing.T) {
	for _, c := range []struct {
		name, kind, src string
		line, col       int // 0, 0: valid
		msg             string
	}{
		{"AutomatedOK", engine.ConditionAutomated, `messages > 2 || weekday == "monday"`, 0, 0, ""},
		{"Empty", engine.ConditionAutomated, "", 0, 0, ""},
		{"InteractionOK", engine.ConditionInteraction, `user.default_city == "Paris"`, 0, 0, ""},
		{"Syntax", engine.ConditionAutomated, "messages >", 1, 10, "unexpected token EOF"},
		{"UnknownName", engine.ConditionInteraction, "page_views > 1", 1, 1, "page_views"},
		{"NotBool", engine.ConditionAutomated, "messages + 1", 0, 0, "bool"},
		{"Blank", engine.ConditionAutomated, "   ", 0, 0, "empty"},
		{"TooLong", engine.ConditionInteraction, strings.Repeat("1 == 1 && ", 200) + "true", 0, 0, "characters long"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := engine.CheckCondition(c.kind, c.src)
			if c.msg == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var ce *engine.ConditionError
			if !errors.As(err, &ce) {
				t.Fatalf("got %#v, want a *ConditionError", err)
			}
			if ce.Line != c.line || (c.col != 0 && ce.Column != c.col) || !strings.Contains(ce.Message, c.msg) {
				t.Errorf("got %d:%d %q, want %d:%d and %q", ce.Line, ce.Column, ce.Message, c.line, c.col, c.msg)
			}
		})
	}
	t.Run("UnknownKind", func(t *testing.T) {
		var fe *store.FieldError
		if err := engine.CheckCondition("story", "true"); !errors.As(err, &fe) || fe.Field != "kind" {
			t.Errorf("got %v, want a FieldError on kind", err)
		}
	})
}
