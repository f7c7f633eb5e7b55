package story_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/story"
)

const automatedStory = `
stories:
  - name: Cafe
    interactions:
      - {name: Welcome, role: start, responses: [{text: hi}]}
      - {name: Ready, triggers: [drink_ready], responses: [{text: "Your drink is ready"}]}
      - {name: Fallback, role: else, responses: [{text: "?"}]}
`

func TestAutomatedMessages(t *testing.T) {
	b := loadTB(t, fstest.MapFS{"bot.yaml": {Data: []byte(automatedStory + `
automated_messages:
  - name: Drink ready
    trigger: {on: event, event: drink_ready}
    condition: 'user.drink != "" && hour < 20'
    repeat: always
    max_times: 3
    min_interval: 1h
    priority: 5
    goto: Ready
  - name: Pricing
    trigger: {on: page_view, after: 30s}
    text: Want a demo?
    quick_replies: [Yes, Later]
  - name: Morning
    disabled: true
    trigger: {on: schedule, daily: "08:30", days: [monday, friday]}
    text: Good morning
`)}}, "bot.yaml")
	if len(b.AutomatedMessages) != 3 {
		t.Fatalf("got %d automated messages, want 3", len(b.AutomatedMessages))
	}
	m := b.AutomatedMessages[0]
	if m.Name != "Drink ready" || m.On != "event" || m.Event != "drink_ready" || m.Repeat != "always" || m.MaxTimes != 3 ||
		m.MinInterval != time.Hour || m.Priority != 5 || m.Goto == nil || m.Goto.Name != "Ready" || m.Condition.String() != `user.drink != "" && hour < 20` {
		t.Errorf("first: got %+v", m)
	}
	p := b.AutomatedMessages[1]
	if p.After != 30*time.Second || p.Text != "Want a demo?" || len(p.QuickReplies) != 2 {
		t.Errorf("second: got %+v", p)
	}
	if s := b.AutomatedMessages[2]; !s.Disabled || s.Daily != "08:30" || len(s.Days) != 2 {
		t.Errorf("third: got %+v", s)
	}
}

func TestAutomatedMessageErrors(t *testing.T) {
	for _, c := range []struct {
		name, yaml, want string
		line             int
	}{
		{"Condition", `{name: a, trigger: {on: start}, text: x, condition: "user.plan =="}`, "condition does not compile", 10},
		{"Method", `{name: a, trigger: {on: start}, text: x, condition: 'page.url.Size() > 0'}`, "condition does not compile", 10},
		{"UnknownName", `{name: a, trigger: {on: start}, text: x, condition: 'secrets == 1'}`, "condition does not compile", 10},
		{"Goto", `{name: a, trigger: {on: start}, goto: Nowhere}`, `unknown interaction "Nowhere"`, 10},
		{"On", `{name: a, trigger: {on: sometimes}, text: x}`, `on is "sometimes"`, 10},
		{"Event", `{name: a, trigger: {on: event}, text: x}`, "an event trigger needs event", 10},
		{"Idle", `{name: a, trigger: {on: idle}, text: x}`, "an idle trigger needs after", 10},
		{"Schedule", `{name: a, trigger: {on: schedule}, text: x}`, "either at or daily", 10},
		{"Daily", `{name: a, trigger: {on: schedule, daily: "25:00"}, text: x}`, "not a time of day", 10},
		{"Nothing", `{name: a, trigger: {on: start}}`, "needs a text or a goto", 10},
		{"Field", `{name: a, trigger: {on: start}, text: x, colour: red}`, `unknown field "colour"`, 10},
		{"Twice", "{name: a, trigger: {on: start}, text: x}\n  - {name: a, trigger: {on: start}, text: y}", "declared twice", 11},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(automatedStory + "\nautomated_messages:\n  - " + c.yaml + "\n")}}, "bot.yaml")
			var se *story.Error
			if !errors.As(err, &se) || !strings.Contains(err.Error(), c.want) || se.Line != c.line {
				t.Errorf("got %v, want an error at line %d containing %q", err, c.line, c.want)
			}
		})
	}
}
