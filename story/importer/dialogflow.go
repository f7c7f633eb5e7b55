package importer

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/parleybot/parley/story"
	"github.com/parleybot/parley/story/botfile"
)

// Dialogflow imports a Dialogflow ES agent, as its export writes it (the
// contents of the zip: agent.json, intents/ and entities/, at the root
// of fsys or in one directory below it) into one story.
//
// Intents become interactions: training phrases with their annotated
// parameters marked [text](parameter), parameters (required ones with
// their prompts), text, quick replies, card and image messages, the
// action, events as triggers, a follow-up intent as a child of its
// parent, the webhook flag as a webhook response named after the intent's
// action (or name), and resetContexts as a reset. The intent with the
// WELCOME event is the welcome, the root fallback intent the story's
// fallback (its phrases are negative examples), a follow-up fallback the
// contextual fallback of its parent's children. Entities with their
// synonyms become custom entities; system entities map to Parley's where
// one exists and to sys.any otherwise. The agent's supportedLanguages
// become the bot's languages, with their phrases and messages, and their
// entity entries join the default language's. A Dialogflow CX export is
// refused with an error that says so.
func Dialogflow(fsys fs.FS) (*Result, error) {
	root, err := agentRoot(fsys)
	if err != nil {
		return nil, err
	}
	var agent dfAgent
	if err := readJSON(root, "agent.json", &agent); err != nil {
		return nil, err
	}
	lang := agent.Language
	if lang == "" {
		lang = "en"
	}
	r := &Result{File: &botfile.File{Settings: &botfile.Settings{}}}
	r.File.Settings.Language = r.language("agent.json", lang)
	im := &dfImport{r: r, fsys: root, lang: lang, entities: map[string]string{}, named: map[string]bool{},
		codes: map[string]string{lang: r.File.Settings.Language}}
	// The other languages the agent supports: their phrases, messages
	// and entity entries come along, in languages of the bot.
	for _, l := range agent.SupportedLanguages {
		code := r.language("agent.json", l)
		if l == "" || slices.Contains(slices.Collect(maps.Values(im.codes)), code) {
			if l != "" && l != lang {
				r.note("agent.json", "supported language %s: another of the agent's languages is read as %s too: not imported", l, code)
			}
			continue
		}
		im.codes[l] = code
		im.others = append(im.others, l)
		r.File.Settings.Languages = append(r.File.Settings.Languages, code)
	}
	if agent.MLMinConfidence != 0 {
		r.note("agent.json", "mlMinConfidence %v: Parley's scores are not Dialogflow's; the default confidence applies (parley eval -bot suggests one)", agent.MLMinConfidence)
	}
	if agent.DefaultTimezone != "" {
		r.note("agent.json", "defaultTimezone %s: conditions read the time in the user's default_timezone", agent.DefaultTimezone)
	}
	if agent.Webhook.Available {
		r.note("agent.json", "the fulfillment webhook: Parley posts its own JSON, not Dialogflow's, so give each webhook response's name a service that reads it, under settings webhooks or with parley serve -webhook NAME=URL")
	}
	if len(im.others) > 0 {
		r.note("agent.json", "supportedLanguages %s: parameters ask their prompts in the default language %s; entity entries of every language are values and synonyms of one entity", strings.Join(im.others, ", "), lang)
	}
	if err := im.readEntities(); err != nil {
		return nil, err
	}
	if err := im.readIntents(); err != nil {
		return nil, err
	}
	storyName := agent.DisplayName
	if storyName == "" {
		storyName = "Agent"
	}
	r.File.Stories = []botfile.Story{{Name: name(storyName), Interactions: im.interactions()}}
	r.fit("agent.json")
	return r, nil
}

// agentRoot finds the directory holding agent.json: the root of fsys, or
// its only directory that has one.
func agentRoot(fsys fs.FS) (fs.FS, error) {
	if _, err := fs.Stat(fsys, "agent.json"); err == nil {
		return fsys, nil
	}
	matches, err := fs.Glob(fsys, "*/agent.json")
	if err != nil {
		return nil, err
	}
	if len(matches) != 1 {
		return nil, errors.New("importer: no agent.json: not a Dialogflow ES agent export")
	}
	return fs.Sub(fsys, path.Dir(matches[0]))
}

func readJSON(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("importer: %w", err)
	}
	// Files saved by some editors start with a byte order mark, which
	// encoding/json refuses.
	if err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\uFEFF")), v); err != nil {
		return fmt.Errorf("importer: %s: %w", name, err)
	}
	return nil
}

type dfAgent struct {
	DisplayName        string   `json:"displayName"`
	Language           string   `json:"language"`
	SupportedLanguages []string `json:"supportedLanguages"`
	DefaultTimezone    string   `json:"defaultTimezone"`
	MLMinConfidence    float64  `json:"mlMinConfidence"`
	Webhook            struct {
		Available bool `json:"available"`
	} `json:"webhook"`
}

type dfEntity struct {
	Name                 string    `json:"name"`
	Entries              []dfEntry `json:"entries"` // older exports list them here
	IsRegexp             bool      `json:"isRegexp"`
	AutomatedExpansion   bool      `json:"automatedExpansion"`
	AllowFuzzyExtraction bool      `json:"allowFuzzyExtraction"`
}

type dfEntry struct {
	Value    string   `json:"value"`
	Synonyms []string `json:"synonyms"`
}

type dfIntent struct {
	ID             string       `json:"id"`
	ParentID       string       `json:"parentId"`
	Name           string       `json:"name"`
	Contexts       []string     `json:"contexts"`
	Responses      []dfResponse `json:"responses"`
	Priority       *int         `json:"priority"`
	WebhookUsed    bool         `json:"webhookUsed"`
	WebhookForSlot bool         `json:"webhookForSlotFilling"`
	FallbackIntent bool         `json:"fallbackIntent"`
	Events         []struct {
		Name string `json:"name"`
	} `json:"events"`
	// UserSays are the phrases of older exports, which keep them in the
	// intent's file.
	UserSays []dfUserSays `json:"userSays"`
	file     string
	saysFile string
	says     map[string][]dfUserSays // by language, as the files name it
	phrase   map[string][]string
	params   []botfile.Parameter
	cycle    bool
}

type dfResponse struct {
	ResetContexts    bool   `json:"resetContexts"`
	Action           string `json:"action"`
	EndInteraction   bool   `json:"endInteraction"`
	AffectedContexts []struct {
		Name     string `json:"name"`
		Lifespan int    `json:"lifespan"`
	} `json:"affectedContexts"`
	Parameters []struct {
		Name         string     `json:"name"`
		DataType     string     `json:"dataType"`
		Value        string     `json:"value"`
		Required     bool       `json:"required"`
		IsList       bool       `json:"isList"`
		DefaultValue string     `json:"defaultValue"`
		Prompts      []dfPrompt `json:"prompts"`
	} `json:"parameters"`
	Messages []dfMessage `json:"messages"`
	// Speech is the text of older exports, which have no messages.
	Speech json.RawMessage `json:"speech"`
}

type dfMessage struct {
	Type     any             `json:"type"` // a number, or a name for platform messages
	Platform string          `json:"platform"`
	Lang     string          `json:"lang"`
	Speech   json.RawMessage `json:"speech"`
	Title    string          `json:"title"`
	Subtitle string          `json:"subtitle"`
	ImageURL string          `json:"imageUrl"`
	Buttons  []struct {
		Text     string `json:"text"`
		Postback string `json:"postback"`
	} `json:"buttons"`
	Replies     []string `json:"replies"`
	Suggestions []struct {
		Title string `json:"title"`
	} `json:"suggestions"`
}

type dfUserSays struct {
	Data []struct {
		Text  string `json:"text"`
		Alias string `json:"alias"`
		Meta  string `json:"meta"`
	} `json:"data"`
	IsTemplate bool `json:"isTemplate"`
}

type dfImport struct {
	r        *Result
	fsys     fs.FS
	lang     string            // the agent's default language, as its files name it
	others   []string          // its other languages, as its files name them
	codes    map[string]string // a language as files name it -> as the bot does
	entities map[string]string // Dialogflow entity name -> Parley entity, "" if not imported
	named    map[string]bool   // Parley entity names taken
	intents  []*dfIntent
}

func (im *dfImport) readEntities() error {
	files, _ := fs.Glob(im.fsys, "entities/*.json")
	for _, f := range files {
		if strings.Contains(path.Base(f), "_entries_") {
			continue
		}
		var e dfEntity
		if err := readJSON(im.fsys, f, &e); err != nil {
			return err
		}
		if strings.HasPrefix(e.Name, "sys.") {
			// An agent may add entries to a system entity; Parley's own
			// system entities read what they read.
			im.r.note(f, "the entries the agent adds to system entity %s are not imported: parameters of @%s take what Parley's %s reads", e.Name, e.Name, cmp.Or(systemEntities[e.Name], "sys.any"))
			continue
		}
		if e.IsRegexp {
			im.r.note(f, "entity %s is a regular expression: its parameters take any text (sys.any)", e.Name)
			im.entities[e.Name] = ""
			continue
		}
		if e.AutomatedExpansion {
			im.r.note(f, "entity %s: automated expansion (values not listed) is not matched", e.Name)
		}
		entries := e.Entries
		entriesFile := strings.TrimSuffix(f, ".json") + "_entries_" + im.lang + ".json"
		if err := readJSON(im.fsys, entriesFile, &entries); err != nil && len(e.Entries) == 0 {
			im.r.note(f, "entity %s has no entries in %s: its parameters take any text (sys.any)", e.Name, im.lang)
			im.entities[e.Name] = ""
			continue
		}
		if im.named[ident(e.Name)] {
			im.r.note(f, "entity %s is defined twice: the first is kept", e.Name)
			continue
		}
		im.named[ident(e.Name)] = true
		d := newDictionary(ident(e.Name))
		for _, en := range entries {
			if strings.Contains(en.Value, "@") {
				im.r.note(entriesFile, "composite value %q of entity %s is not imported", en.Value, e.Name)
				continue
			}
			for _, c := range d.add(en.Value, en.Synonyms...) {
				im.r.note(entriesFile, "entity %s: %s is left out", e.Name, c)
			}
		}
		for _, l := range im.others {
			var more []dfEntry
			file := strings.TrimSuffix(f, ".json") + "_entries_" + l + ".json"
			if _, err := fs.Stat(im.fsys, file); err != nil {
				continue
			}
			if err := readJSON(im.fsys, file, &more); err != nil {
				return err
			}
			for _, en := range more {
				if strings.Contains(en.Value, "@") {
					continue // noted in the default language
				}
				for _, c := range d.add(en.Value, en.Synonyms...) {
					im.r.note(file, "entity %s: %s is left out", e.Name, c)
				}
			}
		}
		if len(d.entity.Values) == 0 {
			im.entities[e.Name] = ""
			continue
		}
		im.entities[e.Name] = d.entity.Name
		im.r.File.Entities = append(im.r.File.Entities, d.entity)
	}
	return nil
}

func (im *dfImport) readIntents() error {
	files, _ := fs.Glob(im.fsys, "intents/*.json")
	for _, f := range files {
		if strings.Contains(path.Base(f), "_usersays_") {
			continue
		}
		in := &dfIntent{file: f}
		if err := readJSON(im.fsys, f, in); err != nil {
			return err
		}
		in.saysFile = strings.TrimSuffix(f, ".json") + "_usersays_" + im.lang + ".json"
		in.says, in.phrase = map[string][]dfUserSays{}, map[string][]string{}
		for _, l := range append([]string{im.lang}, im.others...) {
			file := strings.TrimSuffix(f, ".json") + "_usersays_" + l + ".json"
			if _, err := fs.Stat(im.fsys, file); err == nil {
				var says []dfUserSays
				if err := readJSON(im.fsys, file, &says); err != nil {
					return err
				}
				in.says[l] = says
			}
		}
		if len(in.says[im.lang]) == 0 && len(in.UserSays) > 0 {
			in.says[im.lang] = in.UserSays
		}
		im.intents = append(im.intents, in)
	}
	if len(im.intents) == 0 {
		if isDir(im.fsys, "flows") || len(dirs(im.fsys, "intents")) > 0 {
			return errors.New("importer: a Dialogflow CX agent export (flows/, intents/NAME/ directories): Parley imports Dialogflow ES agents (intents/NAME.json), not CX ones")
		}
		return errors.New("importer: the agent has no intents (intents/*.json)")
	}
	// Parameters first: a prompt or a phrase may name a parent's.
	for _, in := range im.intents {
		im.params(in)
	}
	for _, in := range im.intents {
		im.phrases(in)
	}
	return nil
}

// phrases maps an intent's training phrases, marking the annotated
// parameters. A parameter that takes any text is not marked: any message
// would hold a value of it, which would count as evidence for the intent.
func (im *dfImport) phrases(in *dfIntent) {
	for _, l := range append([]string{im.lang}, im.others...) {
		file := strings.TrimSuffix(in.file, ".json") + "_usersays_" + l + ".json"
		for _, s := range in.says[l] {
			var b, plain strings.Builder
			for _, d := range s.Data {
				plain.WriteString(d.Text)
				if s.IsTemplate {
					b.WriteString(d.Text)
				} else if d.Alias != "" && slices.ContainsFunc(in.params, func(p botfile.Parameter) bool { return p.Name == ident(d.Alias) && p.Entity != "sys.any" }) {
					b.WriteString(botfile.Mark(d.Text, ident(d.Alias)))
				} else {
					b.WriteString(botfile.Escape(d.Text))
				}
			}
			if s.IsTemplate {
				im.r.note(file, "template-mode phrase %q is not imported", b.String())
				continue
			}
			if !story.HasWords(plain.String()) {
				if strings.TrimSpace(plain.String()) != "" {
					im.r.note(file, "phrase %q has no word, number or symbol: Parley cannot train on it: left out", plain.String())
				}
				continue
			}
			if p := strings.TrimSpace(b.String()); p != "" {
				if im.r.fits(file, p) {
					in.phrase[l] = append(in.phrase[l], p)
				}
			}
		}
	}
}

// saysOf returns an intent's phrases: a list in the default language, or
// lists by language when it has some in another.
func (im *dfImport) saysOf(in *dfIntent) botfile.Phrases {
	var by botfile.Keyed
	for _, l := range im.others {
		if len(in.phrase[l]) > 0 {
			by = append(by, botfile.KeyedList{Key: im.codes[l], List: in.phrase[l]})
		}
	}
	if len(by) == 0 {
		return botfile.Phrases{List: in.phrase[im.lang]}
	}
	if def := in.phrase[im.lang]; len(def) > 0 {
		by = append(botfile.Keyed{{Key: im.codes[im.lang], List: def}}, by...)
	}
	return botfile.Phrases{ByLanguage: by}
}

// params maps an intent's parameters.
func (im *dfImport) params(in *dfIntent) {
	if len(in.Responses) == 0 {
		return
	}
	for _, p := range in.Responses[0].Parameters {
		fp := botfile.Parameter{Name: ident(p.Name), Required: p.Required}
		if fp.Name != p.Name {
			im.r.note(in.file, "parameter %q is named %s", p.Name, fp.Name)
		}
		dt := strings.TrimPrefix(p.DataType, "@")
		switch e, ok := im.entities[dt]; {
		case ok && e != "":
			fp.Entity = e
		case ok:
			fp.Entity = "sys.any"
		case systemEntities[dt] != "":
			fp.Entity = systemEntities[dt]
		default:
			fp.Entity = "sys.any"
			im.r.note(in.file, "parameter %s: entity %s has no Parley equivalent: it takes any text (sys.any)", p.Name, p.DataType)
		}
		if p.Value != "" && p.Value != "$"+p.Name {
			im.r.note(in.file, "parameter %s: value %q is not imported; the parameter takes the entity's value", p.Name, p.Value)
		}
		if p.IsList {
			im.r.note(in.file, "parameter %s is a list: it takes one value", p.Name)
		}
		if p.DefaultValue != "" {
			im.r.note(in.file, "parameter %s: default value %q is not imported", p.Name, p.DefaultValue)
		}
		for _, pr := range p.Prompts {
			if (pr.Lang == "" || pr.Lang == im.lang) && strings.TrimSpace(pr.Value) != "" {
				fp.Prompts = append(fp.Prompts, cut(im.template(in, pr.Value), story.MaxTextLen))
			}
		}
		if fp.Required && len(fp.Prompts) == 0 {
			fp.Prompts = []string{"What is the " + p.Name + "?"}
			im.r.note(in.file, "required parameter %s has no prompt: it asks %q", p.Name, fp.Prompts[0])
		}
		in.params = append(in.params, fp)
	}
}

var (
	dfParamRef   = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_-]*)(\.original)?`)
	dfContextRef = regexp.MustCompile(`#([A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_-]*)`)
)

// template turns a Dialogflow text into a template: $param and
// #context.param become {{param}} when the parameter belongs to the
// intent or to one of its parents; anything else stays text.
func (im *dfImport) template(in *dfIntent, s string) string {
	inScope := func(p string) bool {
		for cur := in; cur != nil; cur = im.parent(cur) {
			if slices.ContainsFunc(cur.params, func(fp botfile.Parameter) bool { return fp.Name == p }) {
				return true
			}
		}
		return false
	}
	s = literal(strings.TrimSpace(s))
	replace := func(re *regexp.Regexp, param func([]string) string) {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			p := ident(param(re.FindStringSubmatch(m)))
			if !inScope(p) {
				im.r.note(in.file, "%s in a response names no parameter of the intent or its parents: it stays text", m)
				return m
			}
			return "{{" + p + "}}"
		})
	}
	replace(dfContextRef, func(m []string) string { return m[2] })
	replace(dfParamRef, func(m []string) string { return m[1] })
	return s
}

func (im *dfImport) byID(id string) *dfIntent {
	if id == "" {
		return nil
	}
	for _, in := range im.intents {
		if in.ID == id {
			return in
		}
	}
	return nil
}

// parent returns an intent's parent, or nil for a root, or for an intent
// whose parents lead back to it (noted: Parley refuses a cycle).
func (im *dfImport) parent(in *dfIntent) *dfIntent {
	p := im.byID(in.ParentID)
	for cur, n := p, 0; cur != nil; cur, n = im.byID(cur.ParentID), n+1 {
		if cur == in || n > len(im.intents) {
			if !in.cycle {
				in.cycle = true
				im.r.note(in.file, "its parents lead back to it: the intent is a root")
			}
			return nil
		}
	}
	return p
}

// interactions maps the intents, parents before their children, and adds
// a welcome or a fallback when the agent has none.
func (im *dfImport) interactions() []botfile.Interaction {
	names := map[string]bool{}
	nameOf := map[*dfIntent]string{}
	for _, in := range im.intents {
		nameOf[in] = uniqueName(name(in.Name), names)
	}
	var welcome, fallback *dfIntent
	for _, in := range im.intents {
		if in.ParentID != "" {
			continue
		}
		if in.FallbackIntent && fallback == nil {
			fallback = in
		}
		isWelcome := slices.ContainsFunc(in.Events, func(e struct {
			Name string `json:"name"`
		}) bool {
			return e.Name == "WELCOME"
		}) || len(in.Responses) > 0 && in.Responses[0].Action == "input.welcome"
		if isWelcome && welcome == nil && in != fallback {
			welcome = in
		}
	}
	var out []botfile.Interaction
	if welcome == nil {
		out = append(out, botfile.Interaction{Name: uniqueName("Welcome", names), Role: "start"})
		im.r.note("intents", "no welcome intent (event WELCOME): the bot's welcome says nothing")
	}
	if fallback == nil {
		out = append(out, botfile.Interaction{Name: uniqueName("Fallback", names), Role: "else",
			Responses: []botfile.Response{{Text: []string{"Sorry, I did not get that."}}}})
		im.r.note("intents", "no fallback intent: the bot's fallback says \"Sorry, I did not get that.\"")
	}
	// Parents come before children in the bot file, so that the order of
	// the files does not matter.
	done := map[*dfIntent]bool{}
	var visit func(in *dfIntent)
	visit = func(in *dfIntent) {
		if done[in] {
			return
		}
		done[in] = true
		parent := im.parent(in)
		if in.ParentID != "" && parent == nil && !in.cycle {
			im.r.note(in.file, "parent intent %s is not in the export: the intent is a root", in.ParentID)
		}
		if parent != nil {
			visit(parent)
		}
		fi := im.interaction(in, parent, nameOf)
		switch {
		case in == welcome:
			fi.Role = "start"
		case in.FallbackIntent && (parent != nil || in == fallback):
			fi.Role = "else"
		case in.FallbackIntent:
			im.r.note(in.file, "a second root fallback intent: imported as an ordinary interaction")
		}
		out = append(out, fi)
	}
	for _, in := range im.intents {
		visit(in)
	}
	return out
}

// interaction maps one intent.
func (im *dfImport) interaction(in, parent *dfIntent, nameOf map[*dfIntent]string) botfile.Interaction {
	fi := botfile.Interaction{Name: nameOf[in], Says: im.saysOf(in), Parameters: in.params}
	if fi.Name != in.Name {
		im.r.note(in.file, "intent %q is named %q", in.Name, fi.Name)
	}
	if parent != nil {
		fi.Parent = nameOf[parent]
	}
	for _, e := range in.Events {
		if t := strings.TrimSpace(e.Name); t != "" {
			fi.Triggers = append(fi.Triggers, cut(t, story.MaxTriggerLen))
		}
	}
	followup := map[string]bool{}
	if parent != nil {
		// The console names the context a follow-up intent waits for
		// after its parent: "Order Pizza" gives "OrderPizza-followup".
		followup[contextKey(parent.Name+"-followup")] = true
		if len(parent.Responses) > 0 {
			for _, c := range parent.Responses[0].AffectedContexts {
				followup[contextKey(c.Name)] = true
			}
		}
	}
	for _, c := range in.Contexts {
		if !followup[contextKey(c)] {
			im.r.note(in.file, "input context %s: Parley reaches an intent from its parent's context only (parentId)", c)
		}
	}
	if in.Priority != nil && *in.Priority != 500000 {
		im.r.note(in.file, "priority %d is not imported", *in.Priority)
	}
	if in.WebhookForSlot {
		im.r.note(in.file, "webhook for slot filling: the webhook is called once the parameters are filled")
	}
	if len(in.Responses) == 0 {
		return fi
	}
	resp := in.Responses[0]
	action := strings.TrimSpace(resp.Action)
	fi.Action = cut(action, story.MaxActionLen)
	for _, c := range resp.AffectedContexts {
		if !im.isFollowupContext(in, c.Name) {
			im.r.note(in.file, "output context %s (lifespan %d) is not imported: a follow-up intent (parentId) is how Parley continues", c.Name, c.Lifespan)
		}
	}
	if in.WebhookUsed {
		hook := snake(in.Name)
		if action != "" {
			hook = snake(action)
		}
		fi.Responses = append(fi.Responses, botfile.Response{Webhook: hook})
	}
	msgs := resp.Messages
	if len(msgs) == 0 && len(resp.Speech) > 0 {
		msgs = []dfMessage{{Type: 0, Speech: resp.Speech}} // an older export
	}
	fi.Responses = append(fi.Responses, im.messages(in, msgs, im.lang)...)
	for _, l := range im.others {
		for _, r := range im.messages(in, msgs, l) {
			r.Language = im.codes[l]
			fi.Responses = append(fi.Responses, r)
		}
	}
	if resp.ResetContexts {
		fi.Responses = append(fi.Responses, botfile.Response{Reset: true})
	}
	if resp.EndInteraction {
		fi.Responses = append(fi.Responses, botfile.Response{End: true})
	}
	return fi
}

// isFollowupContext reports whether a context the intent sets is the
// input context of one of its follow-up intents, which Parley's parent
// and child interactions stand for.
func (im *dfImport) isFollowupContext(in *dfIntent, ctx string) bool {
	for _, c := range im.intents {
		if c.ParentID == in.ID && slices.Contains(c.Contexts, ctx) {
			return true
		}
	}
	return false
}

// messages maps an intent's messages in the agent's language: text,
// card, quick replies and image messages of the default platform, and
// suggestion chips of any platform as quick replies titled by the text
// before them.
func (im *dfImport) messages(in *dfIntent, msgs []dfMessage, lang string) []botfile.Response {
	var out []botfile.Response
	lastText := -1
	for _, m := range msgs {
		if m.Lang != lang && (m.Lang != "" || lang != im.lang) {
			continue
		}
		kind := fmt.Sprint(m.Type)
		if kind == "suggestion_chips" {
			var buttons []botfile.Button
			for _, s := range m.Suggestions {
				t := cut(literal(strings.TrimSpace(s.Title)), story.MaxButtonTitleLen)
				if t == "" {
					continue
				}
				buttons = append(buttons, botfile.Button{Title: t, Postback: t})
			}
			if len(buttons) == 0 {
				continue
			}
			buttons = buttons[:min(len(buttons), story.MaxQuickReplies)]
			if lastText < 0 {
				// The chips come first: the next text titles them.
				out = append(out, botfile.Response{QuickReplies: &botfile.Titled{Buttons: buttons}})
				continue
			}
			out[lastText] = botfile.Response{QuickReplies: &botfile.Titled{Title: cut(out[lastText].Text[0], story.MaxQuickRepliesTitleLen), Buttons: buttons}}
			lastText = -1
			continue
		}
		if m.Platform != "" {
			im.r.note(in.file, "a %s message for %s is not imported: Parley sends the default platform's messages to every channel", messageKind(kind), m.Platform)
			continue
		}
		switch kind {
		case "0":
			var texts []string
			if err := json.Unmarshal(m.Speech, &texts); err != nil {
				var one string
				if json.Unmarshal(m.Speech, &one) == nil {
					texts = []string{one}
				}
			}
			var variants []string
			for _, t := range texts {
				if strings.TrimSpace(t) != "" {
					variants = append(variants, cut(im.template(in, t), story.MaxTextLen))
				}
			}
			if len(variants) == 0 {
				continue
			}
			variants = variants[:min(len(variants), story.MaxTextVariants)]
			if n := len(out); n > 0 && out[n-1].QuickReplies != nil && out[n-1].QuickReplies.Title == "" {
				out[n-1].QuickReplies.Title = cut(variants[0], story.MaxQuickRepliesTitleLen)
				continue
			}
			out = append(out, botfile.Response{Text: variants})
			if len(variants) == 1 {
				lastText = len(out) - 1
			}
		case "1":
			c := &botfile.Card{Title: im.template(in, m.Title), Subtitle: im.template(in, m.Subtitle), Image: literal(strings.TrimSpace(m.ImageURL))}
			for _, b := range m.Buttons {
				fb := botfile.Button{Title: cut(literal(strings.TrimSpace(b.Text)), story.MaxButtonTitleLen)}
				pb := literal(strings.TrimSpace(b.Postback))
				switch {
				case fb.Title == "":
					continue
				case strings.HasPrefix(pb, "http://") || strings.HasPrefix(pb, "https://"):
					fb.URL = cut(pb, story.MaxButtonURLLen)
				case pb != "":
					fb.Postback = cut(pb, story.MaxQueryLen)
				default:
					fb.Postback = fb.Title
				}
				c.Buttons = append(c.Buttons, fb)
			}
			c.Buttons = c.Buttons[:min(len(c.Buttons), story.MaxCardButtons)]
			c.Title, c.Subtitle = cut(c.Title, story.MaxCardTitleLen), cut(c.Subtitle, story.MaxCardSubtitleLen)
			if len(c.Image) > story.MaxCardImageURLLen {
				c.Image = ""
			}
			if c.Title == "" || len(c.Buttons) == 0 {
				im.r.note(in.file, "a card without a title or buttons is not imported")
				continue
			}
			out = append(out, botfile.Response{Card: c})
		case "2":
			qr := &botfile.Titled{Title: cut(im.template(in, m.Title), story.MaxQuickRepliesTitleLen)}
			for _, rep := range m.Replies {
				t := cut(literal(strings.TrimSpace(rep)), story.MaxButtonTitleLen)
				if t == "" {
					continue
				}
				qr.Buttons = append(qr.Buttons, botfile.Button{Title: t, Postback: t})
			}
			if qr.Title == "" || len(qr.Buttons) == 0 {
				im.r.note(in.file, "quick replies without a title or replies are not imported")
				continue
			}
			qr.Buttons = qr.Buttons[:min(len(qr.Buttons), story.MaxQuickReplies)]
			out = append(out, botfile.Response{QuickReplies: qr})
		case "3":
			if u := literal(strings.TrimSpace(m.ImageURL)); u != "" && len(u) <= story.MaxImageURLLen {
				out = append(out, botfile.Response{Image: u})
			}
		default:
			im.r.note(in.file, "a %s message is not imported", messageKind(kind))
		}
	}
	for i := 0; i < len(out); i++ {
		if qr := out[i].QuickReplies; qr != nil && qr.Title == "" {
			im.r.note(in.file, "suggestion chips without a text to title them are not imported")
			out = slices.Delete(out, i, i+1)
			i--
		}
	}
	return out
}

// isDir reports whether name is a directory of fsys.
func isDir(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.IsDir()
}

// dirs returns the directories in the directory name of fsys.
func dirs(fsys fs.FS, name string) []string {
	entries, _ := fs.ReadDir(fsys, name)
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// A dfPrompt is a parameter's prompt: {"lang": ..., "value": ...}, or a
// bare string in older exports.
type dfPrompt struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

// UnmarshalJSON reads either form.
func (p *dfPrompt) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		p.Lang = ""
		return json.Unmarshal(data, &p.Value)
	}
	type plain dfPrompt
	return json.Unmarshal(data, (*plain)(p))
}

// contextKey reads a context name as Dialogflow matches it: ignoring
// case, spaces and punctuation.
func contextKey(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// messageKind names a message type of an export: a number, or the name
// the Actions on Google messages have.
func messageKind(kind string) string {
	switch kind {
	case "0":
		return "text"
	case "1":
		return "card"
	case "2":
		return "quick replies"
	case "3":
		return "image"
	case "4":
		return "custom payload"
	}
	return kind
}
