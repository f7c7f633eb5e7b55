package story

import (
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// An AutomatedMessage is a message the bot sends first that a bot file
// declares under automated_messages (the engine's automated messages,
// which operators otherwise save at run time): a trigger, an optional
// condition, delivery rules and what to say. The engine stores the
// declared messages the store does not have yet, by name; see its
// documentation.
//
//	automated_messages:
//	  - name: Drink ready
//	    trigger: {on: event, event: drink_ready}
//	    condition: 'user.drink != ""'
//	    repeat: always
//	    goto: Drink ready
type AutomatedMessage struct {
	// Name names the message, unique among the declared ones.
	Name     string
	Disabled bool
	// On is start, page_view, idle, event or schedule; Event, After, At,
	// Daily and Days complete it as the store's Trigger does.
	On    string
	Event string
	After time.Duration
	At    time.Time
	Daily string
	Days  []string
	// Condition, if not nil, must hold for the message to be sent.
	Condition *AutomationCondition
	// Repeat ("once", "session", "always"; "" is once), MaxTimes,
	// MinInterval, DuringAgent and Priority are the delivery rules.
	Repeat      string
	MaxTimes    int
	MinInterval time.Duration
	DuringAgent bool
	Priority    int
	// Text with QuickReplies, or Goto (an interaction of the default
	// story, by name, or of any story by id), is what it says.
	Text         string
	QuickReplies []string
	Goto         *Interaction
	Pos          Pos
}

// Limits of declared automated messages.
const (
	MaxAutomatedMessages = 100
	MaxAutomatedText     = 4096
	MaxAutomatedPriority = 1000
)

var (
	automatedFields = []string{"name", "disabled", "trigger", "condition", "repeat", "max_times", "min_interval", "during_agent", "priority", "text", "quick_replies", "goto"}
	triggerFields   = []string{"on", "event", "after", "at", "daily", "days"}
	triggerKinds    = []string{"start", "page_view", "idle", "event", "schedule"}
)

// automatedGoto is the goto of a declared message, resolved in link
// against the default story.
type automatedGoto struct {
	m    *AutomatedMessage
	name string
	pos  Pos
}

func (d *dec) automated(n *yaml.Node) {
	f := d.fields(n, "automated message", automatedFields)
	if f == nil {
		return
	}
	m := &AutomatedMessage{Pos: d.pos(n)}
	if v := f["name"]; v == nil {
		d.errorf(n, "an automated message needs a name")
	} else if s, ok := d.str(v, "name", MaxNameLen); ok {
		m.Name = s
		if slices.ContainsFunc(d.l.bot.AutomatedMessages, func(o *AutomatedMessage) bool { return o.Name == s }) {
			d.errorf(v, "automated message %q is declared twice", s)
		}
	}
	if v := f["disabled"]; v != nil {
		m.Disabled, _ = d.boolean(v, "disabled")
	}
	if v := f["trigger"]; v == nil {
		d.errorf(n, "automated message %q needs a trigger", m.Name)
	} else {
		d.trigger(v, m)
	}
	if v := f["condition"]; v != nil {
		if s, ok := d.str(v, "condition", MaxConditionLen); ok {
			c, err := CompileAutomationCondition(s)
			if err != nil {
				d.wrap(v, err, "condition does not compile")
			}
			m.Condition = c
		}
	}
	if v := f["repeat"]; v != nil {
		if s, ok := d.str(v, "repeat", 16); ok {
			if !slices.Contains([]string{"once", "session", "always"}, s) {
				d.errorf(v, "repeat is %q; want once, session or always", s)
			}
			m.Repeat = s
		}
	}
	if v := f["max_times"]; v != nil {
		m.MaxTimes, _ = d.integer(v, "max_times", 0, 1<<30)
	}
	if v := f["min_interval"]; v != nil {
		m.MinInterval = d.duration(v, "min_interval", 0, 366*24*time.Hour)
	}
	if v := f["during_agent"]; v != nil {
		m.DuringAgent, _ = d.boolean(v, "during_agent")
	}
	if v := f["priority"]; v != nil {
		m.Priority, _ = d.integer(v, "priority", -MaxAutomatedPriority, MaxAutomatedPriority)
	}
	if v := f["text"]; v != nil {
		m.Text, _ = d.str(v, "text", MaxAutomatedText)
	}
	if v := f["quick_replies"]; v != nil {
		m.QuickReplies = d.strs(v, "quick_replies", 1, 10, 256)
		if f["text"] == nil {
			d.errorf(v, "quick_replies need a text")
		}
	}
	if v := f["goto"]; v != nil {
		if s, ok := d.str(v, "goto", MaxNameLen); ok {
			d.l.autoGotos = append(d.l.autoGotos, automatedGoto{m: m, name: s, pos: d.pos(v)})
		}
	}
	if f["text"] == nil && f["goto"] == nil {
		d.errorf(n, "automated message %q needs a text or a goto", m.Name)
	}
	d.l.bot.AutomatedMessages = append(d.l.bot.AutomatedMessages, m)
}

func (d *dec) trigger(n *yaml.Node, m *AutomatedMessage) {
	f := d.fields(n, "trigger", triggerFields)
	if f == nil {
		return
	}
	if v := f["on"]; v == nil {
		d.errorf(n, "a trigger needs on: %s", strings.Join(triggerKinds, ", "))
	} else if s, ok := d.str(v, "on", 16); ok {
		if !slices.Contains(triggerKinds, s) {
			d.errorf(v, "on is %q; want %s", s, strings.Join(triggerKinds, ", "))
		}
		m.On = s
	}
	if v := f["event"]; v != nil {
		if s, ok := d.str(v, "event", 128); ok {
			if !validEventName(s) {
				d.errorf(v, "event %q may contain only letters, digits, '_', '-' and '.'", s)
			}
			m.Event = s
		}
	}
	if v := f["after"]; v != nil {
		m.After = d.duration(v, "after", 0, 24*time.Hour)
	}
	if v := f["at"]; v != nil {
		if s, ok := d.str(v, "at", 64); ok {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				d.errorf(v, "at %q is not an RFC 3339 time such as 2026-12-24T18:00:00Z", s)
			}
			m.At = t
		}
	}
	if v := f["daily"]; v != nil {
		if s, ok := d.str(v, "daily", 5); ok {
			if t, err := time.Parse("15:04", s); err != nil || len(s) != 5 || t.IsZero() && s != "00:00" {
				d.errorf(v, "daily %q is not a time of day as HH:MM", s)
			}
			m.Daily = s
		}
	}
	if v := f["days"]; v != nil {
		for _, s := range d.strs(v, "days", 1, 7, 16) {
			if !slices.Contains(weekdays[:], s) {
				d.errorf(v, "days: %q is not a weekday in lowercase (monday ... sunday)", s)
			}
			m.Days = append(m.Days, s)
		}
	}
	switch m.On {
	case "event":
		if m.Event == "" {
			d.errorf(n, "an event trigger needs event")
		}
	case "idle":
		if m.After < time.Second {
			d.errorf(n, "an idle trigger needs after, at least 1s")
		}
	case "schedule":
		if m.At.IsZero() == (m.Daily == "") {
			d.errorf(n, "a schedule trigger needs either at or daily")
		}
	}
	if m.On != "event" && f["event"] != nil {
		d.errorf(f["event"], "event is only for on: event")
	}
	if m.On != "schedule" && (f["at"] != nil || f["daily"] != nil || f["days"] != nil) {
		d.errorf(n, "at, daily and days are only for on: schedule")
	}
}

// duration decodes a duration such as 90s or 1h30m within min and max.
func (d *dec) duration(n *yaml.Node, what string, min, max time.Duration) time.Duration {
	s, ok := d.str(n, what, 32)
	if !ok {
		return 0
	}
	dur, err := time.ParseDuration(s)
	switch {
	case err != nil:
		d.errorf(n, "%s %q is not a duration such as 90s or 1h30m", what, s)
	case dur < min || dur > max:
		d.errorf(n, "%s is %v, outside %v to %v", what, dur, min, max)
	default:
		return dur
	}
	return 0
}

func validEventName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return s != ""
}

// linkAutomated resolves the gotos of declared messages, once the default
// story is known.
func (l *loader) linkAutomated() {
	for _, g := range l.autoGotos {
		var in *Interaction
		if s := l.bot.defaultStory; s != nil {
			in = s.byName[g.name]
		}
		if in == nil && idPattern.MatchString(g.name) {
			in = l.bot.byID[g.name]
		}
		if in == nil {
			l.errorAt(g.pos, "goto to unknown interaction %q: no interaction of the default story has that name, and no interaction has that id", g.name)
			continue
		}
		g.m.Goto = in
	}
}
