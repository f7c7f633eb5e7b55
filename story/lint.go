package story

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// LintOptions say what [Lint] knows of the host beyond the bot files.
type LintOptions struct {
	// Webhooks, when not nil, are the names of the webhooks the host
	// registers; a webhook the bot calls outside them, with no URL in the
	// settings, is reported. When nil, webhooks are not checked.
	Webhooks []string
}

// Lint returns the warnings of a loaded bot: what loads and runs but is
// most likely a mistake. Each is an *[Error] with the position of the
// interaction, response or story concerned, in file order:
//
//   - a condition or filter reads user.X or session.X that no set action
//     assigns, that attributes does not declare and that is no default_*
//     attribute, so it always reads "";
//   - one training phrase (case and spacing aside) in two interactions of
//     a story, which the matcher cannot tell apart;
//   - a phrase of an interaction that is also a negative example of the
//     story's fallback;
//   - an interaction that nothing in the bot reaches: no says, keywords
//     or triggers, not a welcome or a fallback, and no goto, button,
//     reference or hand-off branch leading to it (only a request's goto
//     can);
//   - a webhook outside [LintOptions.Webhooks] whose URL the settings do
//     not give;
//   - a URL under the settings' webhooks for a name no webhook action
//     calls (a misspelt name, most likely), or that the host registers a
//     function for (the host's function answers, never the URL);
//   - a story matched at the default confidence with fewer than 5
//     phrases an interaction, or fewer than 10 interactions with fewer
//     than 10 phrases each on average, in any of the bot's languages
//     (each has a matcher of its own): at that size the default refuses
//     little of what is out of scope (6 % to 31 % on bots sampled from
//     CLINC150 of 5 × 5, 2 × 3 and 150 × 5, against 58 % at 10 × 10: the
//     README's calibration table), so the bot should set its own
//     confidence or get more phrases and out-of-scope examples.
//
// Template placeholders need no check here: Load refuses a name that
// nothing can fill.
func Lint(b *Bot, opts LintOptions) []*Error {
	var out []*Error
	warn := func(p Pos, format string, args ...any) {
		out = append(out, &Error{File: p.File, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)})
	}
	set := map[string]bool{}
	for _, a := range b.Attributes {
		set[a] = true
	}
	reached := map[*Interaction]bool{}
	for _, s := range b.Stories {
		for _, in := range s.Interactions {
			if in.Reference != nil {
				reached[in.Reference] = true
			}
			walkResponses(in.Responses, func(r *Response) {
				for _, a := range r.Set {
					set[a.Name] = true
				}
				for _, t := range targets(r) {
					reached[t] = true
				}
			})
		}
	}
	for _, s := range b.Stories {
		owner := map[string]*Interaction{} // normalised phrase -> interaction
		negative := map[string]bool{}
		if s.Fallback != nil {
			for _, p := range s.Fallback.Phrases {
				negative[normalPhrase(p.Text)] = true
			}
		}
		for _, in := range s.Interactions {
			if in.Condition != nil {
				for _, ref := range attributeReads(in.Condition) {
					if !set[ref.name] && !slices.Contains(DefaultAttributes, ref.name) {
						warn(in.Pos, "interaction %q: its condition reads %s.%s, which nothing sets (declare it under attributes if the host sets it)", in.Name, ref.scope, ref.name)
					}
				}
			}
			walkResponses(in.Responses, func(r *Response) {
				if r.Filter != nil {
					for _, ref := range attributeReads(r.Filter) {
						if !set[ref.name] && !slices.Contains(DefaultAttributes, ref.name) {
							warn(r.Pos, "interaction %q: a filter reads %s.%s, which nothing sets (declare it under attributes if the host sets it)", in.Name, ref.scope, ref.name)
						}
					}
				}
				if _, hasURL := b.WebhookURL(r.Webhook); r.Kind == KindWebhook && opts.Webhooks != nil && !hasURL && !slices.Contains(opts.Webhooks, r.Webhook) {
					warn(r.Pos, "interaction %q calls webhook %s, which the host does not register (%s): the bot skips it", in.Name, r.Webhook, strings.Join(opts.Webhooks, ", "))
				}
			})
			if in.Role != RoleElse {
				for _, p := range in.Phrases {
					if p.Keyword {
						continue
					}
					k := normalPhrase(p.Text)
					if prev := owner[k]; prev != nil && prev != in {
						warn(in.Pos, "interaction %q: the phrase %q is also a phrase of %q (%s:%d): the matcher cannot tell them apart", in.Name, p.Text, prev.Name, prev.Pos.File, prev.Pos.Line)
					} else {
						owner[k] = in
					}
					if negative[k] {
						warn(in.Pos, "interaction %q: the phrase %q is also an out-of-scope example of the fallback %q", in.Name, p.Text, s.Fallback.Name)
					}
				}
			}
			if in.Role == RoleNone && len(in.Phrases) == 0 && len(in.Triggers) == 0 && !reached[in] {
				warn(in.Pos, "interaction %q: nothing in the bot reaches it (no says, keywords or triggers, and no goto, button, reference or hand-off to it)", in.Name)
			}
		}
		if b.Settings.Confidence == DefaultConfidence {
			for _, lang := range b.Settings.Languages {
				n, phrases := languageSize(s, lang, b.Settings.Language)
				if n > 0 && (n < 10 && phrases < 10*n || phrases < 5*n) {
					in := ""
					if len(b.Settings.Languages) > 1 {
						in = " in " + lang
					}
					warn(s.Pos, "story %q: %d interaction(s) with %.1f phrases each on average%s, matched at the default confidence %.1f, which at this size lets most out-of-scope messages through; set settings.confidence (parley eval -bot suggests one), or add phrases and out-of-scope examples to the fallback", s.Name, n, float64(phrases)/float64(n), in, DefaultConfidence)
				}
			}
		}
	}
	calls := "none"
	if len(b.webhooks) > 0 {
		calls = strings.Join(b.webhooks, ", ")
	}
	for _, w := range b.Settings.Webhooks {
		switch {
		case !slices.Contains(b.webhooks, w.Name):
			warn(w.Pos, "webhook %s has a URL under settings webhooks, but no webhook action calls it (the bot calls: %s)", w.Name, calls)
		case slices.Contains(opts.Webhooks, w.Name):
			warn(w.Pos, "webhook %s has a URL under settings webhooks, but the host registers it: the host's function answers, never the URL", w.Name)
		}
	}
	slices.SortStableFunc(out, func(a, b *Error) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	return out
}

// walkResponses calls fn on each response, hand-off branches included.
func walkResponses(rs []*Response, fn func(*Response)) {
	for _, r := range rs {
		fn(r)
		if r.Handoff != nil {
			walkResponses(r.Handoff.Success.Responses, fn)
			walkResponses(r.Handoff.Failure.Responses, fn)
		}
	}
}

// targets returns the interactions a response leads to.
func targets(r *Response) []*Interaction {
	var out []*Interaction
	add := func(bs []*Button) {
		for _, b := range bs {
			if b.Goto != nil {
				out = append(out, b.Goto)
			}
		}
	}
	switch {
	case r.Goto != nil:
		out = append(out, r.Goto)
	case r.QuickReplies != nil:
		add(r.QuickReplies.Buttons)
	case r.Buttons != nil:
		add(r.Buttons.Buttons)
	case r.Card != nil:
		add(r.Card.Buttons)
	case r.Handoff != nil:
		for _, br := range []Branch{r.Handoff.Success, r.Handoff.Failure} {
			if br.Goto != nil {
				out = append(out, br.Goto)
			}
		}
	}
	for _, c := range r.Carousel {
		add(c.Buttons)
	}
	return out
}

func normalPhrase(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

type attributeRef struct{ scope, name string }

// attributeReads returns the attributes a condition reads by name:
// user.X, session.X, user["X"] and session["X"].
func attributeReads(c *Condition) []attributeRef {
	tree, err := parser.Parse(c.src)
	if err != nil {
		return nil
	}
	v := &readVisitor{}
	ast.Walk(&tree.Node, v)
	return v.refs
}

type readVisitor struct{ refs []attributeRef }

func (v *readVisitor) Visit(node *ast.Node) {
	m, ok := (*node).(*ast.MemberNode)
	if !ok {
		return
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	if !ok || id.Value != "user" && id.Value != "session" {
		return
	}
	if s, ok := m.Property.(*ast.StringNode); ok && !slices.Contains(v.refs, attributeRef{id.Value, s.Value}) {
		v.refs = append(v.refs, attributeRef{id.Value, s.Value})
	}
}

// languageSize returns how many interactions of s the matcher of language
// lang learns and how many training phrases (not keyword patterns) they
// give it: an interaction with no phrase in lang lends it those of the
// default language def, as the engine trains.
func languageSize(s *Story, lang, def string) (n, phrases int) {
	for _, in := range s.Interactions {
		if in.Role != RoleNone {
			continue
		}
		from := def
		for _, p := range in.Phrases {
			if cmp.Or(p.Language, def) == lang {
				from = lang
				break
			}
		}
		k := 0
		for _, p := range in.Phrases {
			if !p.Keyword && cmp.Or(p.Language, def) == from {
				k++
			}
		}
		if k > 0 {
			n++
			phrases += k
		}
	}
	return n, phrases
}
