package story_test

import (
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr/file"
	"github.com/parleybot/parley/story"
)

func TestAutomationCondition(t *testing.T) {
	env := &story.AutomationEnv{
		User:     map[string]string{"plan": "pro", "default_name": "Ada"},
		Tags:     []string{"vip"},
		Segments: []string{"Returning buyers"},
		Page:     map[string]string{"path": "/pricing", "url": "https://example.com/pricing?x=1"},
		Visits:   3, TimeOnPage: 40, Event: "page_view", FirstSeen: 8 * 86400,
		Time: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
	}
	for _, c := range []struct {
		src  string
		want bool
	}{
		{`page.path == "/pricing" && visits >= 3`, true},
		{`"vip" in tags && "Returning buyers" in segments`, true},
		{`time_on_page > 30 and hour < 12 and weekday == "saturday"`, true},
		{`first_seen > 7 * 86400`, true},
		{`page.url matches "^https://example\\.com/"`, true},
		{`user.missing == "" && !agent`, true},
		{`event == "drink_ready"`, false},
		{`int(user.plan) > 1`, false}, // an error reads as false
	} {
		cond, err := story.CompileAutomationCondition(c.src)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		got, _ := cond.Eval(env)
		if got != c.want {
			t.Errorf("%s: got %v, want %v", c.src, got, c.want)
		}
	}
}

// TestAutomationConditionHostile checks that conditions that could call
// methods, loop, build large values or read outside their environment are
// refused when saved, with the position of the problem.
func TestAutomationConditionHostile(t *testing.T) {
	for _, c := range []struct {
		src, msg string
		col      int
	}{
		{`user.plan == "pro" && params.size == "L"`, `unknown name "params"`, 22},
		{`page.path.Trim() == ""`, "method calls are not allowed", 0},
		{`all(tags, {# == "vip"})`, "are not allowed", 0},
		{`len(filter(1..1000000, # > 0)) > 0`, "", 0},
		{`let x = 1; x > 0`, "let and ; are not allowed", 0},
		{`now() > 0`, "function now is not allowed", 0},
		{`page.url matches user.pattern`, "the pattern of matches must be a string literal", 0},
		{strings.Repeat("visits + ", 300) + "1 > 0", "", 0},
		{`visits`, "", 0}, // not a bool
		{strings.Repeat("x", 2000), "characters long", 0},
	} {
		_, err := story.CompileAutomationCondition(c.src)
		if err == nil {
			t.Errorf("%.40s: compiled, want an error", c.src)
			continue
		}
		if c.msg != "" && !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%.40s: got %v, want %q", c.src, err, c.msg)
		}
		if c.col > 0 {
			fe, ok := err.(*file.Error)
			if !ok || fe.Column != c.col || fe.Line != 1 {
				t.Errorf("%.40s: got %#v, want a *file.Error at 1:%d", c.src, err, c.col)
			}
		}
	}
}
