package story

import (
	"cmp"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley/story/botfile"
)

// Export returns the bot as one bot file: loading what it returns gives
// the same bot, but for the positions of its parts. Settings are written
// with their defaults filled in, but for the language, written only where
// the files give one ([Settings.LanguageGiven]); an id is written only where it differs
// from the one derived from the names; a goto names its target in its
// own story and gives the id of one in another.
func Export(b *Bot) *botfile.File {
	s := b.Settings
	f := &botfile.File{
		Settings: &botfile.Settings{
			Confidence: s.Confidence, Lifespan: s.Lifespan,
			SessionTimeout: duration(s.SessionTimeout), DefaultStory: s.DefaultStory,
			MessageLimit: s.MessageLimit, Title: s.Title, Description: s.Description,
			QuickPrompts: exportPrompts(s.QuickPrompts), FollowUpPrompts: exportPrompts(s.FollowUpPrompts),
		},
		Attributes: b.Attributes,
	}
	if s.LanguageGiven {
		f.Settings.Language = s.Language
	}
	if s.TimeZone != nil {
		f.Settings.TimeZone = s.TimeZone.String()
	}
	if len(s.Languages) > 1 {
		f.Settings.Languages = s.Languages[1:]
	}
	if a := s.Appearance; !reflect.DeepEqual(a, Appearance{}) {
		f.Settings.Appearance = &botfile.Appearance{
			WelcomeMessage: a.WelcomeMessage, PlaceholderText: a.PlaceholderText, BrandColor: a.BrandColor,
			BrandTextColor: a.BrandTextColor, RTL: a.RTL, Locale: a.Locale, Localization: a.Localization,
		}
	}
	for _, w := range s.Webhooks {
		fw := botfile.Webhook{Name: w.Name, URL: w.URL}
		if w.Timeout > 0 {
			fw.Timeout = duration(w.Timeout)
		}
		f.Settings.Webhooks = append(f.Settings.Webhooks, fw)
	}
	for _, p := range s.Personas {
		f.Settings.Personas = append(f.Settings.Personas, botfile.Persona{Name: p.Name, Title: p.Title, Description: p.Description, Instructions: p.Instructions})
	}
	for _, e := range b.Entities {
		fe := botfile.Entity{Name: e.Name}
		for _, v := range e.Values {
			fe.Values = append(fe.Values, botfile.Value{Value: v.Value, Synonyms: v.Synonyms})
		}
		f.Entities = append(f.Entities, fe)
	}
	for _, st := range b.Stories {
		fs := botfile.Story{Name: st.Name}
		if st.ID != deriveID("story", st.Name) {
			fs.ID = st.ID
		}
		for _, in := range st.Interactions {
			fs.Interactions = append(fs.Interactions, exportInteraction(in, s.Language))
		}
		f.Stories = append(f.Stories, fs)
	}
	for _, m := range b.AutomatedMessages {
		f.AutomatedMessages = append(f.AutomatedMessages, exportAutomated(b, m))
	}
	return f
}

func exportAutomated(b *Bot, m *AutomatedMessage) botfile.AutomatedMessage {
	fm := botfile.AutomatedMessage{Name: m.Name, Disabled: m.Disabled, Repeat: m.Repeat, MaxTimes: m.MaxTimes,
		DuringAgent: m.DuringAgent, Priority: m.Priority, Text: m.Text, QuickReplies: m.QuickReplies,
		Condition: m.Condition.String(), Trigger: botfile.Trigger{On: m.On, Event: m.Event, Daily: m.Daily, Days: m.Days}}
	if m.MinInterval > 0 {
		fm.MinInterval = duration(m.MinInterval)
	}
	if m.After > 0 {
		fm.Trigger.After = duration(m.After)
	}
	if !m.At.IsZero() {
		fm.Trigger.At = m.At.Format(time.RFC3339)
	}
	if m.Goto != nil {
		fm.Goto = m.Goto.ID
		if d := b.DefaultStory(); d != nil && d.byName[m.Goto.Name] == m.Goto {
			fm.Goto = m.Goto.Name
		}
	}
	return fm
}

func exportPrompts(ps []Prompt) []botfile.Prompt {
	var out []botfile.Prompt
	for _, p := range ps {
		out = append(out, botfile.Prompt{Title: p.Title, Description: p.Description, Link: p.Link, Escalation: p.Escalation})
	}
	return out
}

func exportInteraction(in *Interaction, def string) botfile.Interaction {
	fi := botfile.Interaction{
		Name: in.Name, Role: in.Role.String(), Action: in.Action, Anywhere: in.Anywhere,
		Triggers: in.Triggers, Condition: in.Condition.String(),
	}
	if in.ID != deriveID(in.Story.Name, in.Name) {
		fi.ID = in.ID
	}
	if in.Parent != nil {
		fi.Parent = in.Parent.Name
	}
	if in.Reference != nil {
		fi.Reference = targetName(in, in.Reference)
	}
	fi.Says, fi.Keywords = exportPhrases(in.Phrases, false, def), exportPhrases(in.Phrases, true, def)
	for _, p := range in.Parameters {
		fp := botfile.Parameter{Name: p.Name, Entity: p.Entity, Required: p.Required, GiveUp: p.GiveUp.String()}
		if p.Retries != DefaultRetries {
			fp.Retries = &p.Retries
		}
		for _, t := range p.Prompts {
			fp.Prompts = append(fp.Prompts, t.String())
		}
		fi.Parameters = append(fi.Parameters, fp)
	}
	fi.Responses = exportResponses(in, in.Responses)
	return fi
}

// exportPhrases writes the says (or the keywords) of an interaction: a
// list when none names a language, else lists by language. (A file gives
// one or the other for each key, so the two never mix; def names the
// default language should they.)
func exportPhrases(ps []Phrase, keywords bool, def string) botfile.Phrases {
	var out botfile.Phrases
	byLang := false
	for _, p := range ps {
		if p.Keyword == keywords {
			out.List = append(out.List, phraseSource(p))
			byLang = byLang || p.Language != ""
		}
	}
	if !byLang {
		return out
	}
	for _, p := range ps {
		if p.Keyword != keywords {
			continue
		}
		lang := cmp.Or(p.Language, def)
		i := slices.IndexFunc(out.ByLanguage, func(kl botfile.KeyedList) bool { return kl.Key == lang })
		if i < 0 {
			i = len(out.ByLanguage)
			out.ByLanguage = append(out.ByLanguage, botfile.KeyedList{Key: lang})
		}
		out.ByLanguage[i].List = append(out.ByLanguage[i].List, phraseSource(p))
	}
	return out
}

// phraseSource writes a phrase as its source: marks as [value](parameter),
// and brackets and backslashes of the text escaped.
func phraseSource(p Phrase) string {
	if len(p.Marks) == 0 && !strings.ContainsAny(p.Text, `[]\`) {
		return p.Text
	}
	var b strings.Builder
	at := 0
	for _, m := range p.Marks {
		b.WriteString(botfile.Escape(p.Text[at:m.Start]))
		b.WriteString(botfile.Mark(p.Text[m.Start:m.End], m.Parameter))
		at = m.End
	}
	b.WriteString(botfile.Escape(p.Text[at:]))
	return b.String()
}

// targetName names to in the way a goto of from can: by name in the same
// story, else by id.
func targetName(from, to *Interaction) string {
	if to.Story == from.Story {
		return to.Name
	}
	return to.ID
}

func exportResponses(in *Interaction, rs []*Response) []botfile.Response {
	var out []botfile.Response
	for _, r := range rs {
		fr := botfile.Response{Filter: r.Filter.String(), Language: r.Language}
		switch r.Kind {
		case KindText:
			fr.Text = templates(r.Text)
			for _, name := range slices.Sorted(maps.Keys(r.Personas)) {
				fr.Personas = append(fr.Personas, botfile.KeyedList{Key: name, List: templates(r.Personas[name])})
			}
		case KindPersona:
			fr.Persona = r.Persona
		case KindImage:
			fr.Image = r.Image.String()
		case KindQuickReplies:
			fr.QuickReplies = &botfile.Titled{Title: r.QuickReplies.Title.String(), Buttons: exportButtons(in, r.QuickReplies.Buttons)}
		case KindButtons:
			fr.Buttons = &botfile.Titled{Title: r.Buttons.Title.String(), Buttons: exportButtons(in, r.Buttons.Buttons)}
		case KindCard:
			fr.Card = exportCard(in, r.Card)
		case KindCarousel:
			for _, c := range r.Carousel {
				fr.Carousel = append(fr.Carousel, *exportCard(in, c))
			}
		case KindDelay:
			fr.Delay = int(r.Delay.Milliseconds())
		case KindSet:
			fr.Set = &botfile.Set{}
			for _, a := range r.Set {
				to := &fr.Set.User
				if a.Scope == ScopeSession {
					to = &fr.Set.Session
				}
				*to = append(*to, botfile.Attr{Name: a.Name, Value: a.Value.String()})
			}
		case KindGoto:
			fr.Goto = targetName(in, r.Goto)
		case KindReset:
			fr.Reset = true
		case KindEnd:
			fr.End = true
		case KindBacktracking:
			fr.Backtracking = &r.Backtracking
		case KindHandoff:
			fr.Handoff = &botfile.Handoff{Success: exportBranch(in, r.Handoff.Success), Failure: exportBranch(in, r.Handoff.Failure)}
		case KindWebhook:
			fr.Webhook = r.Webhook
		case KindMeeting:
			fr.Meeting = &botfile.Meeting{Title: r.Meeting.Title.String(), Start: r.Meeting.Start.String(),
				Minutes: int(r.Meeting.Length / time.Minute), Notes: r.Meeting.Notes.String()}
		case KindGoal:
			fr.Goal = r.Goal
		}
		out = append(out, fr)
	}
	return out
}

func exportBranch(in *Interaction, b Branch) *botfile.Branch {
	switch {
	case b.Goto != nil:
		return &botfile.Branch{Goto: targetName(in, b.Goto)}
	case len(b.Responses) > 0:
		return &botfile.Branch{Responses: exportResponses(in, b.Responses)}
	}
	return nil
}

func exportCard(in *Interaction, c *Card) *botfile.Card {
	return &botfile.Card{Title: c.Title.String(), Subtitle: c.Subtitle.String(), Image: c.Image.String(), Buttons: exportButtons(in, c.Buttons)}
}

func exportButtons(in *Interaction, bs []*Button) []botfile.Button {
	var out []botfile.Button
	for _, b := range bs {
		fb := botfile.Button{Title: b.Title.String()}
		switch b.Kind {
		case ButtonPostback:
			fb.Postback = b.Postback.String()
		case ButtonGoto:
			fb.Goto = targetName(in, b.Goto)
		case ButtonURL:
			fb.URL = b.URL.String()
		}
		out = append(out, fb)
	}
	return out
}

func templates(ts []*Template) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.String())
	}
	return out
}

// duration writes d as a Go duration without zero units at its end:
// "5m", "1h30m", "90s".
func duration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
