package engine

import (
	"fmt"
	"maps"
	"slices"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// An attrNote tells the bot's author that an attribute a set action or a
// webhook gave was left out. Chat logs the notes of a committed turn (a
// turn must not log from inside its transaction, which may run more than
// once).
type attrNote struct {
	from string // "set at bot.yaml:12:7", `webhook "profile"`
	attr string // "user.default_name", "session.x"
	rule string
}

// assign sets one attribute for a set action or a webhook's result: the
// one path by which a turn writes attributes, so that both keep the chat
// API's limits the same way. An empty value removes the attribute. User
// attributes go to the session's user, or to the session when it has
// none. A value longer than the store allows (checkValue) is an error
// wrapping ErrValueTooLong. A name that does not match ^[\w-]{1,128}$,
// an attribute that would make more than 99, and the removal of a user's
// last attribute (a user keeps 1 to 99, as the store's contract says) are
// left out: skipped says why, for the caller to note.
func (tr *turn) assign(scope story.Scope, name, value string) (skipped string, err error) {
	if !store.ValidAttributeKey(name) {
		return "the name must match ^[\\w-]{1,128}$; left out", nil
	}
	if err := checkValue(value, name); err != nil {
		return "", err
	}
	m := &tr.t.Session.Attributes
	user := scope == story.ScopeUser && tr.t.User != nil
	if user {
		m = &tr.t.User.Attributes
	}
	if value == "" {
		if _, ok := (*m)[name]; ok && user && len(*m) == 1 {
			return "it is the user's last attribute, and a user keeps at least 1; kept", nil
		}
		delete(*m, name)
		return "", nil
	}
	if _, ok := (*m)[name]; !ok && len(*m) >= store.MaxAttributes {
		return fmt.Sprintf("there are %d attributes already, the most there may be; left out", store.MaxAttributes), nil
	}
	if *m == nil {
		*m = make(map[string]string)
	}
	(*m)[name] = value
	return "", nil
}

func (tr *turn) note(from string, scope story.Scope, name, rule string) {
	tr.notes = append(tr.notes, attrNote{from: from, attr: scope.String() + "." + name, rule: rule})
}

// mergeHook merges the attributes of the result of webhook name through
// assign, in the order of their names, so that which ones a full map
// leaves out does not depend on the order of a Go map.
func (tr *turn) mergeHook(name string, res *WebhookResult) error {
	if len(res.SessionAttributes)+len(res.UserAttributes) == 0 {
		return nil
	}
	for _, a := range [...]struct {
		scope story.Scope
		attrs map[string]string
	}{{story.ScopeSession, res.SessionAttributes}, {story.ScopeUser, res.UserAttributes}} {
		for _, k := range slices.Sorted(maps.Keys(a.attrs)) {
			skipped, err := tr.assign(a.scope, k, a.attrs[k])
			if err != nil {
				return fmt.Errorf("engine: webhook %q: %s attribute %q: %w", name, a.scope, k, err)
			}
			if skipped != "" {
				tr.note(fmt.Sprintf("webhook %q", name), a.scope, k, skipped)
			}
		}
	}
	tr.seeAttributes()
	return nil
}

// seeAttributes lets the conditions and filters that follow see the
// attributes as the turn left them.
func (tr *turn) seeAttributes() {
	tr.env.Session = tr.t.Session.Attributes
	if tr.t.User != nil {
		tr.env.User = tr.t.User.Attributes
	}
}

// logNotes logs, after the commit, the attributes the turn left out.
func (tr *turn) logNotes() {
	for _, n := range tr.notes {
		tr.e.log.Warn("engine: an attribute the bot gave was left out",
			"from", n.from, "attribute", n.attr, "rule", n.rule,
			"session", tr.req.SessionID, "interaction", tr.resp.Result.Interaction.Name)
	}
}
