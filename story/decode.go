package story

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The fields of each object of the bot format, in the order the docs and
// the JSON Schema list them. The schema test keeps bot.schema.json in step.
var (
	botFields          = []string{"$schema", "settings", "attributes", "entities", "stories", "automated_messages"}
	settingsFields     = []string{"language", "languages", "confidence", "lifespan", "session_timeout", "timezone", "default_story", "message_limit", "title", "description", "quick_prompts", "follow_up_prompts", "personas", "appearance", "webhooks"}
	appearanceFields   = []string{"welcome_message", "placeholder_text", "brand_color", "brand_text_color", "rtl", "locale", "localization"}
	personaFields      = []string{"name", "title", "description", "instructions"}
	promptFields       = []string{"title", "description", "link", "escalation"}
	entityFields       = []string{"name", "values"}
	entityValueFields  = []string{"value", "synonyms"}
	storyFields        = []string{"id", "name", "interactions"}
	interactionFields  = []string{"id", "name", "role", "action", "parent", "anywhere", "reference", "says", "keywords", "triggers", "condition", "parameters", "responses"}
	parameterFields    = []string{"name", "entity", "required", "prompts", "retries", "give_up"}
	responseFields     = append(slices.Clone(kindNames[1:]), "filter", "language", "personas")
	titledButtonFields = []string{"title", "buttons"}
	cardFields         = []string{"title", "subtitle", "image", "buttons"}
	buttonFields       = []string{"title", "postback", "goto", "url"}
	quickReplyFields   = []string{"title", "postback", "goto"}
	setFields          = []string{"user", "session"}
	handoffFields      = []string{"success", "failure"}
	branchFields       = []string{"responses", "goto"}
	meetingFields      = []string{"title", "start", "minutes", "notes"}
	webhookURLFields   = []string{"url", "timeout"}
)

var idPattern = regexp.MustCompile(`^[0-9a-f]{24}$`)

// A dec decodes the node tree of one file into the bot model, reporting
// problems to its loader.
type dec struct {
	l    *loader
	file string
	// unknown reports whether the last call of fields met an unknown
	// field, so that callers skip "missing field" errors that the
	// unknown one explains.
	unknown bool
}

// languageRE is a language name or code: "german", "de", "pt-BR".
var languageRE = regexp.MustCompile(`^[A-Za-z][A-Za-z_-]*$`)

func (d *dec) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func (d *dec) errorf(n *yaml.Node, format string, args ...any) {
	d.l.errs = append(d.l.errs, &Error{File: d.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

func (d *dec) wrap(n *yaml.Node, err error, format string, args ...any) {
	d.l.errs = append(d.l.errs, &Error{File: d.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...), Err: err})
}

// fields checks that n is a mapping whose keys are known and unique, and
// returns its values by key.
func (d *dec) fields(n *yaml.Node, what string, known []string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping of fields", what)
		return nil
	}
	m := make(map[string]*yaml.Node, len(n.Content)/2)
	d.unknown = false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "a field name of %s must be a string", what)
			continue
		}
		if !slices.Contains(known, k.Value) {
			d.unknown = true
			d.errorf(k, "unknown field %q in %s; known fields: %s", k.Value, what, strings.Join(known, ", "))
			continue
		}
		if _, dup := m[k.Value]; dup {
			d.errorf(k, "duplicate field %q in %s", k.Value, what)
			continue
		}
		m[k.Value] = v
	}
	return m
}

// seq checks that n is a sequence of at most max items.
func (d *dec) seq(n *yaml.Node, what string, min, max int) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list", what)
		return nil
	}
	if len(n.Content) < min {
		d.errorf(n, "%s needs at least %d item(s), has %d", what, min, len(n.Content))
	}
	if len(n.Content) > max {
		d.errorf(n, "%s has %d items, more than %d", what, len(n.Content), max)
		return n.Content[:max]
	}
	return n.Content
}

// str decodes a non-empty string of at most max characters.
func (d *dec) str(n *yaml.Node, what string, max int) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%s must be a string", what)
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		d.errorf(n, "%s must not be empty", what)
		return "", false
	}
	if c := utf8.RuneCountInString(n.Value); c > max {
		d.errorf(n, "%s is %d characters long, more than %d", what, c, max)
		return "", false
	}
	return n.Value, true
}

// strs decodes a string or a list of strings.
func (d *dec) strs(n *yaml.Node, what string, min, maxItems, maxLen int) []string {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = d.seq(n, what, min, maxItems)
	}
	var out []string
	for _, c := range items {
		if s, ok := d.str(c, what, maxLen); ok {
			out = append(out, s)
		}
	}
	return out
}

func (d *dec) boolean(n *yaml.Node, what string) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.errorf(n, "%s must be true or false", what)
		return false, false
	}
	b, err := strconv.ParseBool(n.Value)
	if err != nil {
		// YAML 1.1 spellings such as "on" are tagged !!bool too.
		d.errorf(n, "%s must be true or false", what)
		return false, false
	}
	return b, true
}

func (d *dec) integer(n *yaml.Node, what string, min, max int) (int, bool) {
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
		d.errorf(n, "%s must be a whole number", what)
		return 0, false
	}
	if v < min || v > max {
		d.errorf(n, "%s is %d, outside %d to %d", what, v, min, max)
		return 0, false
	}
	return v, true
}

func (d *dec) number(n *yaml.Node, what string, min, max float64) (float64, bool) {
	v, err := strconv.ParseFloat(n.Value, 64)
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || err != nil {
		d.errorf(n, "%s must be a number", what)
		return 0, false
	}
	if !(v >= min && v <= max) {
		d.errorf(n, "%s is %v, outside %v to %v", what, v, min, max)
		return 0, false
	}
	return v, true
}

// name decodes a name: an attribute, parameter, entity or webhook name.
func (d *dec) name(n *yaml.Node, what string) (string, bool) {
	s, ok := d.str(n, what, MaxAttributeNameLen)
	if ok && !validAttributeName(s) {
		d.errorf(n, "%s %q may contain only letters, digits, '_' and '-'", what, s)
		return "", false
	}
	return s, ok
}

// template decodes a template of at most max characters. Its names are
// checked once the whole bot is known; in is the interaction whose
// parameters it may name.
func (d *dec) template(n *yaml.Node, what string, max int, in *Interaction) *Template {
	s, ok := d.str(n, what, max)
	if !ok {
		return nil
	}
	t, err := ParseTemplate(s)
	if err != nil {
		d.wrap(n, err, "%s", what)
		return nil
	}
	if len(t.parts) > 1 || len(t.parts) == 1 && t.parts[0].name != "" {
		d.l.templates = append(d.l.templates, templateUse{t: t, pos: d.pos(n), in: in})
	}
	return t
}

func (d *dec) condition(n *yaml.Node, what string) *Condition {
	s, ok := d.str(n, what, MaxConditionLen)
	if !ok {
		return nil
	}
	c, err := CompileCondition(s)
	if err != nil {
		d.wrap(n, err, "%s does not compile", what)
		return nil
	}
	return c
}

// target records a reference to an interaction by name or id, resolved
// once all stories are known.
func (d *dec) target(n *yaml.Node, what string, s *Story, set func(*Interaction)) {
	name, ok := d.str(n, what, MaxNameLen)
	if !ok {
		return
	}
	d.l.targets = append(d.l.targets, target{name: name, what: what, pos: d.pos(n), story: s, set: set})
}

func (d *dec) file1(root *yaml.Node) {
	f := d.fields(root, "bot file", botFields)
	if f == nil {
		return
	}
	if n := f["settings"]; n != nil {
		d.settings(n)
	}
	if n := f["attributes"]; n != nil {
		for _, c := range d.seq(n, "attributes", 0, MaxAttributes) {
			if s, ok := d.name(c, "attribute"); ok {
				d.l.bot.Attributes = append(d.l.bot.Attributes, s)
				d.l.attrs[s] = true
			}
		}
	}
	if n := f["entities"]; n != nil {
		for _, c := range d.seq(n, "entities", 0, MaxEntities) {
			d.entity(c)
		}
	}
	if n := f["stories"]; n != nil {
		for _, c := range d.seq(n, "stories", 0, MaxStories) {
			d.story(c)
		}
	}
	if n := f["automated_messages"]; n != nil {
		for _, c := range d.seq(n, "automated_messages", 0, MaxAutomatedMessages-len(d.l.bot.AutomatedMessages)) {
			d.automated(c)
		}
	}
}

func (d *dec) settings(n *yaml.Node) {
	if d.l.settingsPos.File != "" {
		p := d.l.settingsPos
		d.errorf(n, "settings are already given at %s:%d:%d", p.File, p.Line, p.Col)
		return
	}
	d.l.settingsPos = d.pos(n)
	f := d.fields(n, "settings", settingsFields)
	s := &d.l.bot.Settings
	if v := f["language"]; v != nil {
		if l, ok := d.languageName(v); ok {
			s.Language, s.LanguageGiven = l, true
			d.warnMisspeltLanguage(v, l)
		}
	}
	if v := f["languages"]; v != nil {
		for _, c := range d.seq(v, "languages", 1, MaxLanguages) {
			if l, ok := d.languageName(c); ok && !slices.Contains(d.l.languages, l) {
				d.l.languages = append(d.l.languages, l)
				d.warnMisspeltLanguage(c, l)
			}
		}
	}
	if v := f["confidence"]; v != nil {
		if c, ok := d.number(v, "confidence", MinConfidence, MaxConfidence); ok {
			s.Confidence = c
		}
	}
	if v := f["lifespan"]; v != nil {
		if l, ok := d.integer(v, "lifespan", MinLifespan, MaxLifespan); ok {
			s.Lifespan = l
		}
	}
	if v := f["session_timeout"]; v != nil {
		if t, ok := d.str(v, "session_timeout", 32); ok {
			dur, err := time.ParseDuration(t)
			switch {
			case err != nil:
				d.errorf(v, "session_timeout %q is not a duration such as 10m or 1h30m", t)
			case dur < MinSessionTimeout || dur > MaxSessionTimeout:
				d.errorf(v, "session_timeout is %v, outside %v to %v", dur, MinSessionTimeout, MaxSessionTimeout)
			default:
				s.SessionTimeout = dur
			}
		}
	}
	if v := f["timezone"]; v != nil {
		if name, ok := d.str(v, "timezone", MaxNameLen); ok {
			if loc, err := time.LoadLocation(name); err != nil || name == "Local" {
				d.errorf(v, "timezone %q is not a time zone of the IANA database, such as Europe/Rome or UTC", name)
			} else {
				s.TimeZone = loc
			}
		}
	}
	if v := f["message_limit"]; v != nil {
		if n, ok := d.integer(v, "message_limit", 0, MaxMessageLimit); ok {
			s.MessageLimit = n
		}
	}
	if v := f["title"]; v != nil {
		if t, ok := d.str(v, "title", MaxPromptLen); ok {
			s.Title = t
		}
	}
	if v := f["description"]; v != nil {
		if t, ok := d.str(v, "description", MaxDescriptionLen); ok {
			s.Description = t
		}
	}
	if v := f["quick_prompts"]; v != nil {
		for _, c := range d.seq(v, "quick_prompts", 0, MaxPromptButtons) {
			if p, ok := d.prompt(c, "quick prompt", false); ok {
				s.QuickPrompts = append(s.QuickPrompts, p)
			}
		}
	}
	if v := f["follow_up_prompts"]; v != nil {
		for _, c := range d.seq(v, "follow_up_prompts", 0, MaxPromptButtons) {
			if p, ok := d.prompt(c, "follow-up prompt", true); ok {
				s.FollowUpPrompts = append(s.FollowUpPrompts, p)
			}
		}
	}
	if v := f["appearance"]; v != nil {
		d.appearance(v, &s.Appearance)
	}
	if v := f["personas"]; v != nil {
		seen := map[string]bool{}
		for _, c := range d.seq(v, "personas", 0, MaxPersonas) {
			p, ok := d.persona(c)
			if !ok {
				continue
			}
			if seen[p.Name] {
				d.errorf(c, "persona %q is declared twice", p.Name)
				continue
			}
			seen[p.Name] = true
			s.Personas = append(s.Personas, p)
		}
	}
	if v := f["webhooks"]; v != nil {
		s.Webhooks = d.webhookURLs(v)
	}
	if v := f["default_story"]; v != nil {
		if name, ok := d.str(v, "default_story", MaxNameLen); ok {
			s.DefaultStory = name
			d.l.defaultStoryPos = d.pos(v)
		}
	}
}

// webhookURLs decodes the settings' webhooks: a mapping of webhook names
// to a URL, or to {url, timeout}.
func (d *dec) webhookURLs(n *yaml.Node) []WebhookURL {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "webhooks must be a mapping of webhook names to URLs (name: https://...) or to {url, timeout}")
		return nil
	}
	if c := len(n.Content) / 2; c > MaxWebhookURLs {
		d.errorf(n, "webhooks has %d webhooks, more than %d", c, MaxWebhookURLs)
		return nil
	}
	var out []WebhookURL
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name, ok := d.name(k, "webhook name")
		if !ok {
			continue
		}
		if slices.ContainsFunc(out, func(w WebhookURL) bool { return w.Name == name }) {
			d.errorf(k, "webhook %q is given twice", name)
			continue
		}
		w := WebhookURL{Name: name, Pos: d.pos(k)}
		u := v
		if v.Kind == yaml.MappingNode {
			what := fmt.Sprintf("webhook %q", name)
			f := d.fields(v, what, webhookURLFields)
			if u = f["url"]; u == nil {
				if !d.unknown {
					d.errorf(v, "%s needs a url", what)
				}
				continue
			}
			if t := f["timeout"]; t != nil {
				if w.Timeout, ok = d.webhookTimeout(t, name); !ok {
					continue
				}
			}
		}
		if w.URL, ok = d.webhookURL(u, name); ok {
			out = append(out, w)
		}
	}
	return out
}

// webhookURL decodes the URL of the webhook name: http or https, with a
// host and without user information.
func (d *dec) webhookURL(n *yaml.Node, name string) (string, bool) {
	s, ok := d.str(n, fmt.Sprintf("webhook %q url", name), MaxWebhookURLLen)
	if !ok {
		return "", false
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "":
		d.errorf(n, "webhook %q url %q is not an http or https URL with a host", name, s)
		return "", false
	case u.User != nil:
		d.errorf(n, "webhook %q url has user information (user:password@): keep secrets out of the bot file; the host signs each call with its webhook token", name)
		return "", false
	}
	return s, true
}

// webhookTimeout decodes the timeout of the webhook name: a Go duration
// from MinWebhookTimeout to MaxWebhookTimeout.
func (d *dec) webhookTimeout(n *yaml.Node, name string) (time.Duration, bool) {
	s, ok := d.str(n, fmt.Sprintf("webhook %q timeout", name), 32)
	if !ok {
		return 0, false
	}
	t, err := time.ParseDuration(s)
	switch {
	case err != nil:
		d.errorf(n, "webhook %q timeout %q is not a duration such as 3s or 500ms", name, s)
		return 0, false
	case t < MinWebhookTimeout || t > MaxWebhookTimeout:
		d.errorf(n, "webhook %q timeout is %v, outside %v to %v", name, t, MinWebhookTimeout, MaxWebhookTimeout)
		return 0, false
	}
	return t, true
}

// personaName decodes the name of a persona.
func (d *dec) personaName(n *yaml.Node, what string) (string, bool) {
	s, ok := d.str(n, what, MaxPersonaNameLen)
	if ok && !validAttributeName(s) {
		d.errorf(n, "%s %q may contain only letters, digits, '_' and '-'", what, s)
		return "", false
	}
	return s, ok
}

// persona decodes a persona of the settings: a name and a title, an
// optional description and instructions.
func (d *dec) persona(n *yaml.Node) (Persona, bool) {
	f := d.fields(n, "persona", personaFields)
	if f == nil {
		return Persona{}, false
	}
	p := Persona{Pos: d.pos(n)}
	ok := true
	if v := f["name"]; v == nil {
		if !d.unknown {
			d.errorf(n, "persona needs a name")
		}
		ok = false
	} else if p.Name, ok = d.personaName(v, "persona name"); ok && p.Name == DefaultPersona {
		d.errorf(v, "persona name %q is kept for the bot's own style; choose another", DefaultPersona)
		ok = false
	}
	if v := f["title"]; v == nil {
		if !d.unknown {
			d.errorf(n, "persona needs a title")
		}
		ok = false
	} else if t, good := d.str(v, "persona title", MaxPromptLen); good {
		p.Title = t
	} else {
		ok = false
	}
	for _, k := range []struct {
		name string
		to   *string
	}{{"description", &p.Description}, {"instructions", &p.Instructions}} {
		if v := f[k.name]; v != nil {
			t, good := d.str(v, "persona "+k.name, MaxDescriptionLen)
			*k.to, ok = t, ok && good
		}
	}
	return p, ok
}

// personaVariants decodes the personas of a text response: a mapping of
// persona names to a text or a list of variants.
func (d *dec) personaVariants(n *yaml.Node, in *Interaction) map[string][]*Template {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "personas must be a mapping of persona names to texts")
		return nil
	}
	out := map[string][]*Template{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name, ok := d.personaName(k, "persona")
		if !ok {
			continue
		}
		if out[name] != nil {
			d.errorf(k, "persona %q is given twice", name)
			continue
		}
		d.l.personaUses = append(d.l.personaUses, personaUse{name, d.pos(k)})
		items := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			items = d.seq(v, "text", 1, MaxTextVariants)
		}
		var ts []*Template
		for _, c := range items {
			if t := d.template(c, "text", MaxTextLen, in); t != nil {
				ts = append(ts, t)
			}
		}
		if len(ts) > 0 {
			out[name] = ts
		}
	}
	return out
}

var (
	colorRE     = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
	localeRE    = regexp.MustCompile(`^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$`)
	wordKeyRE   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,31}$`)
	maxWordKeys = MaxWords
)

// MaxWords is how many words an appearance's Localization may replace.
const MaxWords = 64

// ValidColor reports whether s is a colour an Appearance accepts: "#rgb"
// or "#rrggbb".
func ValidColor(s string) bool { return colorRE.MatchString(s) }

// ValidLocale reports whether s is a language tag an Appearance accepts,
// such as "fr" or "pt-BR".
func ValidLocale(s string) bool { return localeRE.MatchString(s) }

// ValidWordKey reports whether s is a key of an Appearance's
// Localization, such as "send" or "startOver".
func ValidWordKey(s string) bool { return wordKeyRE.MatchString(s) }

// appearance decodes the settings' appearance: texts, colours, direction,
// language and the page's words.
func (d *dec) appearance(n *yaml.Node, a *Appearance) {
	f := d.fields(n, "appearance", appearanceFields)
	for _, k := range []struct {
		name string
		to   *string
		re   *regexp.Regexp
		rule string
	}{
		{"welcome_message", &a.WelcomeMessage, nil, ""},
		{"placeholder_text", &a.PlaceholderText, nil, ""},
		{"brand_color", &a.BrandColor, colorRE, "a colour such as #1d4ed8 or #fff"},
		{"brand_text_color", &a.BrandTextColor, colorRE, "a colour such as #ffffff or #000"},
		{"locale", &a.Locale, localeRE, "a language tag such as fr or pt-BR"},
	} {
		v := f[k.name]
		if v == nil {
			continue
		}
		if s, ok := d.str(v, "appearance "+k.name, MaxPromptLen); ok {
			if k.re != nil && !k.re.MatchString(s) {
				d.errorf(v, "appearance %s %q is not %s", k.name, s, k.rule)
				continue
			}
			*k.to = s
		}
	}
	if v := f["rtl"]; v != nil {
		a.RTL, _ = d.boolean(v, "appearance rtl")
	}
	v := f["localization"]
	if v == nil {
		return
	}
	if v.Kind != yaml.MappingNode {
		d.errorf(v, "appearance localization must be a mapping of words by key")
		return
	}
	if len(v.Content)/2 > maxWordKeys {
		d.errorf(v, "appearance localization has %d words, more than %d", len(v.Content)/2, maxWordKeys)
		return
	}
	a.Localization = make(map[string]string, len(v.Content)/2)
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, w := v.Content[i], v.Content[i+1]
		if k.Kind != yaml.ScalarNode || !wordKeyRE.MatchString(k.Value) {
			d.errorf(k, "appearance localization key %q is not a word's key such as send or startOver", k.Value)
			continue
		}
		if s, ok := d.str(w, "appearance localization "+k.Value, MaxPromptLen); ok {
			a.Localization[k.Value] = s
		}
	}
}

// prompt decodes a quick or follow-up prompt: a title and a description
// (the message it sends), an optional http(s) link, and for follow-ups
// an optional escalation flag.
func (d *dec) prompt(n *yaml.Node, what string, followUp bool) (Prompt, bool) {
	known := promptFields
	if !followUp {
		known = promptFields[:3]
	}
	f := d.fields(n, what, known)
	if f == nil {
		return Prompt{}, false
	}
	p := Prompt{Pos: d.pos(n)}
	ok := true
	for _, k := range []struct {
		name string
		to   *string
	}{{"title", &p.Title}, {"description", &p.Description}} {
		v := f[k.name]
		if v == nil {
			if !d.unknown {
				d.errorf(n, "%s needs a %s", what, k.name)
			}
			ok = false
			continue
		}
		s, good := d.str(v, what+" "+k.name, MaxPromptLen)
		*k.to, ok = s, ok && good
	}
	if v := f["link"]; v != nil {
		if s, good := d.str(v, what+" link", MaxImageURLLen); good {
			if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				d.errorf(v, "%s link %q is not an http or https URL", what, s)
				ok = false
			} else {
				p.Link = s
			}
		} else {
			ok = false
		}
	}
	if v := f["escalation"]; v != nil {
		b, good := d.boolean(v, what+" escalation")
		p.Escalation, ok = b, ok && good
	}
	return p, ok
}

func (d *dec) entity(n *yaml.Node) {
	f := d.fields(n, "entity", entityFields)
	if f == nil {
		return
	}
	e := &Entity{Pos: d.pos(n)}
	if v := f["name"]; v == nil {
		d.errorf(n, "entity needs a name")
	} else if name, ok := d.name(v, "entity name"); ok {
		e.Name = name
		if prev := d.l.bot.entityByName[name]; prev != nil {
			d.errorf(v, "duplicate entity %q, first defined at %s:%d:%d", name, prev.Pos.File, prev.Pos.Line, prev.Pos.Col)
		} else {
			d.l.bot.entityByName[name] = e
		}
	}
	v := f["values"]
	if v == nil {
		d.errorf(n, "entity %q needs values", e.Name)
		return
	}
	seen := map[string]string{} // lower-cased word -> its value
	for _, c := range d.seq(v, "values", 1, MaxEntityValues) {
		var ev EntityValue
		var words []*yaml.Node
		if c.Kind == yaml.ScalarNode {
			s, ok := d.str(c, "entity value", MaxEntityValueLen)
			if !ok {
				continue
			}
			ev.Value = s
			words = append(words, c)
		} else {
			vf := d.fields(c, "entity value", entityValueFields)
			if vf == nil {
				continue
			}
			if vv := vf["value"]; vv == nil {
				d.errorf(c, "entity value needs a value")
				continue
			} else if s, ok := d.str(vv, "entity value", MaxEntityValueLen); ok {
				ev.Value = s
				words = append(words, vv)
			} else {
				continue
			}
			if sv := vf["synonyms"]; sv != nil {
				items := []*yaml.Node{sv}
				if sv.Kind == yaml.SequenceNode {
					items = d.seq(sv, "synonyms", 0, MaxSynonyms)
				}
				for _, sn := range items {
					if s, ok := d.str(sn, "synonym", MaxEntityValueLen); ok {
						ev.Synonyms = append(ev.Synonyms, s)
						words = append(words, sn)
					}
				}
			}
		}
		for _, w := range words {
			key := strings.ToLower(strings.TrimSpace(w.Value))
			if prev, dup := seen[key]; dup {
				if prev == ev.Value {
					d.errorf(w, "%q is repeated in entity value %q", w.Value, ev.Value)
				} else {
					d.errorf(w, "%q is already a word for value %q of entity %q", w.Value, prev, e.Name)
				}
				continue
			}
			seen[key] = ev.Value
		}
		e.Values = append(e.Values, ev)
	}
	d.l.bot.Entities = append(d.l.bot.Entities, e)
}

func (d *dec) story(n *yaml.Node) {
	f := d.fields(n, "story", storyFields)
	if f == nil {
		return
	}
	s := &Story{Pos: d.pos(n), byName: map[string]*Interaction{}}
	nameNode := n
	if v := f["name"]; v == nil {
		d.errorf(n, "story needs a name")
		return
	} else if name, ok := d.str(v, "story name", MaxNameLen); ok {
		s.Name, nameNode = name, v
	} else {
		return
	}
	if prev := d.l.bot.storyByName[s.Name]; prev != nil {
		d.errorf(nameNode, "duplicate story %q, first defined at %s:%d:%d", s.Name, prev.Pos.File, prev.Pos.Line, prev.Pos.Col)
		return
	}
	d.l.bot.storyByName[s.Name] = s
	s.ID = deriveID("story", s.Name)
	idPos := d.pos(nameNode)
	if v := f["id"]; v != nil {
		if id, ok := d.id(v); ok {
			s.ID, idPos = id, d.pos(v)
		}
	}
	d.l.claimID(s.ID, idPos, "story "+strconv.Quote(s.Name))
	d.l.bot.Stories = append(d.l.bot.Stories, s)
	v := f["interactions"]
	if v == nil {
		d.errorf(n, "story %q needs interactions, at least a welcome (role: start) and a fallback (role: else)", s.Name)
		return
	}
	for _, c := range d.seq(v, "interactions", 0, MaxInteractions) {
		d.interaction(c, s)
	}
	d.l.storyNodes[s] = nameNode
}

func (d *dec) id(n *yaml.Node) (string, bool) {
	id, ok := d.str(n, "id", 24)
	if ok && !idPattern.MatchString(id) {
		d.errorf(n, "id %q must be 24 lowercase hexadecimal digits", id)
		return "", false
	}
	return id, ok
}

// languageName reads a language name, lower-cased, or the ISO 639-1
// code of one of [Languages] ("de") or of a language whose numbers, yes
// and no are read unstemmed ("zh"), read as its name ("german",
// "chinese"), so that
// a bot may name a language either way and still mean one language. A
// code with a region ("de-DE", "pt_BR"), as locales and browsers write
// them, is its language's code: the region does not change the stemmer.
func (d *dec) languageName(v *yaml.Node) (string, bool) {
	l, ok := d.str(v, "language", MaxNameLen)
	if !ok {
		return "", false
	}
	if !languageRE.MatchString(l) {
		d.errorf(v, "language %q is not a language name (such as %s)", l, strings.Join(Languages, ", "))
		return "", false
	}
	l = strings.ToLower(l)
	if name, ok := languageCodes[l]; ok {
		return name, true
	}
	if code, region, ok := strings.Cut(strings.ReplaceAll(l, "_", "-"), "-"); ok && region != "" {
		if name, ok := languageCodes[code]; ok {
			return name, true
		}
	}
	return l, true
}

// warnMisspeltLanguage warns about a language of the settings that has no
// stemmer but is one typo from one that has ("portugese", "germna"): it is
// accepted, and would match unstemmed words. (Two typos would take real
// languages for others: Persian for Serbian, Kurdish for Turkish.)
func (d *dec) warnMisspeltLanguage(v *yaml.Node, l string) {
	if slices.Contains(Languages, l) {
		return
	}
	for _, known := range Languages {
		if editDistance(l, known) <= 1 {
			d.warnAt(v, 0, "language %q has no stemmer, so its phrases match unstemmed words: did you mean %s?", l, known)
			return
		}
	}
}

// editDistance returns the number of typos between a and b, in runes: a
// rune added, dropped or changed, or two neighbours swapped.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// language reads the language of phrases or a response, which must be one
// of the bot's (checked once the settings are known).
func (d *dec) language(v *yaml.Node) string {
	l, ok := d.languageName(v)
	if ok {
		d.l.langUses = append(d.l.langUses, langUse{lang: l, pos: d.pos(v)})
	}
	return l
}

func (d *dec) interaction(n *yaml.Node, s *Story) {
	f := d.fields(n, "interaction", interactionFields)
	if f == nil {
		return
	}
	in := &Interaction{Story: s, Pos: d.pos(n)}
	v := f["name"]
	if v == nil {
		d.errorf(n, "interaction needs a name")
		return
	}
	name, ok := d.str(v, "interaction name", MaxNameLen)
	if !ok {
		return
	}
	in.Name = name
	if prev := s.byName[name]; prev != nil {
		d.errorf(v, "duplicate interaction %q in story %q, first defined at %s:%d:%d", name, s.Name, prev.Pos.File, prev.Pos.Line, prev.Pos.Col)
		return
	}
	s.byName[name] = in
	s.Interactions = append(s.Interactions, in)
	in.ID = deriveID(s.Name, name)
	idPos := d.pos(v)
	if v := f["id"]; v != nil {
		if id, ok := d.id(v); ok {
			in.ID, idPos = id, d.pos(v)
		}
	}
	d.l.claimID(in.ID, idPos, "interaction "+strconv.Quote(name))
	what := fmt.Sprintf("interaction %q", name)

	if v := f["role"]; v != nil {
		switch r, _ := d.str(v, "role", 16); r {
		case "start":
			in.Role = RoleStart
		case "else":
			in.Role = RoleElse
		case "":
		default:
			d.errorf(v, "role %q is neither start nor else", r)
		}
		d.l.roleNodes[in] = v
	}
	if v := f["action"]; v != nil {
		in.Action, _ = d.str(v, "action", MaxActionLen)
	}
	if v := f["parent"]; v != nil {
		if p, ok := d.str(v, "parent", MaxNameLen); ok {
			d.l.parents = append(d.l.parents, parentUse{in: in, name: p, node: v, file: d.file})
		}
	}
	if v := f["anywhere"]; v != nil {
		in.Anywhere, _ = d.boolean(v, "anywhere")
	}
	for _, key := range []string{"says", "keywords"} {
		v := f[key]
		if v == nil || v.Kind != yaml.MappingNode {
			if v != nil {
				d.phrases(v, key, in, "")
			}
			continue
		}
		// Phrases per language: {german: [...], french: [...]}.
		for i := 0; i+1 < len(v.Content); i += 2 {
			if l := d.language(v.Content[i]); l != "" {
				d.phrases(v.Content[i+1], key, in, l)
			}
		}
	}
	if len(in.Phrases) > MaxPhrases {
		d.errorf(n, "%s has %d training phrases (says and keywords), more than %d", what, len(in.Phrases), MaxPhrases)
	}
	if v := f["triggers"]; v != nil {
		in.Triggers = d.strs(v, "trigger", 0, MaxTriggers, MaxTriggerLen)
	}
	if v := f["condition"]; v != nil {
		in.Condition = d.condition(v, "condition")
	}
	if v := f["parameters"]; v != nil {
		for _, c := range d.seq(v, "parameters", 0, MaxParameters) {
			d.parameter(c, in)
		}
	}
	if v := f["responses"]; v != nil {
		for _, c := range d.seq(v, "responses", 0, MaxResponses) {
			if r := d.response(c, in, false); r != nil {
				in.Responses = append(in.Responses, r)
			}
		}
	}
	if v := f["reference"]; v != nil {
		for _, k := range []string{"role", "condition", "parameters", "responses"} {
			if f[k] != nil {
				d.errorf(v, "%s is a reference: it cannot also have %s (those of the referenced interaction apply)", what, k)
			}
		}
		d.target(v, "reference", s, func(t *Interaction) { in.Reference = t })
		d.l.references = append(d.l.references, refUse{in: in, pos: d.pos(v)})
	}
}

func (d *dec) parameter(n *yaml.Node, in *Interaction) {
	f := d.fields(n, "parameter", parameterFields)
	if f == nil {
		return
	}
	p := &Parameter{Pos: d.pos(n)}
	v := f["name"]
	if v == nil {
		d.errorf(n, "parameter needs a name")
		return
	}
	name, ok := d.name(v, "parameter name")
	if !ok {
		return
	}
	if in.Parameter(name) != nil {
		d.errorf(v, "duplicate parameter %q in interaction %q", name, in.Name)
		return
	}
	p.Name = name
	if v := f["entity"]; v == nil {
		d.errorf(n, "parameter %q needs an entity (sys.any, sys.number, ... or a custom entity)", name)
	} else if e, ok := d.str(v, "entity", MaxNameLen); ok {
		p.Entity = e
		if sys, ok := strings.CutPrefix(e, "sys."); ok {
			if slices.Contains(SystemEntities, sys) {
				p.System = sys
			} else {
				d.errorf(v, "unknown system entity %q; system entities: sys.%s", e, strings.Join(SystemEntities, ", sys."))
			}
		} else {
			d.l.entityUses = append(d.l.entityUses, entityUse{p: p, pos: d.pos(v)})
		}
	}
	if v := f["required"]; v != nil {
		p.Required, _ = d.boolean(v, "required")
	}
	if v := f["prompts"]; v != nil {
		items := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			items = d.seq(v, "prompts", 0, MaxPrompts)
		}
		for _, c := range items {
			if t := d.template(c, "prompt", MaxTextLen, in); t != nil {
				p.Prompts = append(p.Prompts, t)
			}
		}
	}
	if p.Required && f["prompts"] == nil {
		d.errorf(n, "required parameter %q needs prompts to ask for it", name)
	}
	if v := f["retries"]; v != nil {
		p.Retries, _ = d.integer(v, "retries", 0, MaxRetries)
	} else {
		p.Retries = DefaultRetries
	}
	if v := f["give_up"]; v != nil {
		p.GiveUp = d.template(v, "give_up", MaxTextLen, in)
	}
	in.Parameters = append(in.Parameters, p)
}

// response decodes one response or action. Inside a hand-off branch
// (nested), hand-offs are not allowed.
func (d *dec) response(n *yaml.Node, in *Interaction, nested bool) *Response {
	f := d.fields(n, "response", responseFields)
	if f == nil {
		return nil
	}
	r := &Response{Pos: d.pos(n)}
	var kinds []string
	for _, k := range responseFields {
		if k != "filter" && k != "language" && k != "personas" && f[k] != nil {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 && d.unknown {
		return nil
	}
	if len(kinds) != 1 {
		if len(kinds) == 0 {
			d.errorf(n, "response needs one of: %s", strings.Join(kindNames[1:], ", "))
		} else {
			d.errorf(n, "a response has exactly one kind, this one has %s; make one response of each", strings.Join(kinds, " and "))
		}
		return nil
	}
	if v := f["filter"]; v != nil {
		r.Filter = d.condition(v, "filter")
	}
	if v := f["language"]; v != nil {
		r.Language = d.language(v)
	}
	k := kinds[0]
	v := f[k]
	r.Kind = ResponseKind(slices.Index(kindNames[:], k))
	if v := f["personas"]; v != nil {
		if r.Kind != KindText {
			d.errorf(v, "personas gives variants of a text response; this response is %s", k)
		} else {
			r.Personas = d.personaVariants(v, in)
		}
	}
	s := in.Story
	switch r.Kind {
	case KindText:
		items := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			items = d.seq(v, "text", 1, MaxTextVariants)
		}
		for _, c := range items {
			if t := d.template(c, "text", MaxTextLen, in); t != nil {
				r.Text = append(r.Text, t)
			}
		}
	case KindImage:
		r.Image = d.template(v, "image", MaxImageURLLen, in)
	case KindQuickReplies:
		r.QuickReplies = &QuickReplies{}
		r.QuickReplies.Title, r.QuickReplies.Buttons = d.titled(v, "quick_replies", MaxQuickRepliesTitleLen, MaxQuickReplies, false, in)
	case KindButtons:
		r.Buttons = &Buttons{}
		r.Buttons.Title, r.Buttons.Buttons = d.titled(v, "buttons", MaxButtonsTitleLen, MaxButtons, true, in)
	case KindCard:
		r.Card = d.card(v, in)
	case KindCarousel:
		for _, c := range d.seq(v, "carousel", 1, MaxCarouselCards) {
			if card := d.card(c, in); card != nil {
				r.Carousel = append(r.Carousel, card)
			}
		}
	case KindDelay:
		if ms, ok := d.integer(v, "delay (milliseconds)", 1, int(MaxDelay/time.Millisecond)); ok {
			r.Delay = time.Duration(ms) * time.Millisecond
		}
	case KindSet:
		r.Set = d.set(v, in)
	case KindGoto:
		d.target(v, "goto", s, func(t *Interaction) { r.Goto = t })
	case KindReset, KindEnd:
		if b, ok := d.boolean(v, k); ok && !b {
			d.errorf(v, "%s: false does nothing; write %s: true or remove it", k, k)
		}
	case KindBacktracking:
		r.Backtracking, _ = d.boolean(v, "backtracking")
	case KindHandoff:
		if nested {
			d.errorf(v, "a hand-off branch cannot hand off again")
			return nil
		}
		hf := d.fields(v, "handoff", handoffFields)
		r.Handoff = &Handoff{}
		if c := hf["success"]; c != nil {
			d.branch(c, "success", &r.Handoff.Success, in)
		}
		if c := hf["failure"]; c != nil {
			d.branch(c, "failure", &r.Handoff.Failure, in)
		}
	case KindPersona:
		if name, ok := d.personaName(v, "persona"); ok {
			r.Persona = name
			if name != DefaultPersona {
				d.l.personaUses = append(d.l.personaUses, personaUse{name, d.pos(v)})
			}
		}
	case KindMeeting:
		r.Meeting = d.meeting(v, in)
	case KindGoal:
		r.Goal, _ = d.name(v, "goal")
	case KindWebhook:
		if name, ok := d.name(v, "webhook"); ok {
			r.Webhook = name
			if !slices.Contains(d.l.bot.webhooks, name) {
				d.l.bot.webhooks = append(d.l.bot.webhooks, name)
			}
		}
	}
	return r
}

// meeting decodes a meeting action: a title and a start (templates), and
// optional minutes and notes.
func (d *dec) meeting(n *yaml.Node, in *Interaction) *Meeting {
	f := d.fields(n, "meeting", meetingFields)
	if f == nil {
		return nil
	}
	m := &Meeting{Length: DefaultMeetingLength}
	for _, k := range []string{"title", "start"} {
		if f[k] == nil && !d.unknown {
			d.errorf(n, "meeting needs a %s", k)
		}
	}
	if v := f["title"]; v != nil {
		m.Title = d.template(v, "meeting title", MaxMeetingTitleLen, in)
	}
	if v := f["start"]; v != nil {
		m.Start = d.template(v, "meeting start", MaxMeetingTitleLen, in)
	}
	if v := f["notes"]; v != nil {
		m.Notes = d.template(v, "meeting notes", MaxMeetingNotesLen, in)
	}
	if v := f["minutes"]; v != nil {
		if min, ok := d.integer(v, "meeting minutes", int(MinMeetingLength/time.Minute), int(MaxMeetingLength/time.Minute)); ok {
			m.Length = time.Duration(min) * time.Minute
		}
	}
	return m
}

func (d *dec) branch(n *yaml.Node, what string, b *Branch, in *Interaction) {
	f := d.fields(n, what, branchFields)
	if f == nil {
		return
	}
	if f["responses"] == nil && f["goto"] == nil && d.unknown {
		return
	}
	if (f["responses"] == nil) == (f["goto"] == nil) {
		d.errorf(n, "hand-off %s needs either responses or goto", what)
		return
	}
	if v := f["goto"]; v != nil {
		d.target(v, "goto", in.Story, func(t *Interaction) { b.Goto = t })
		return
	}
	for _, c := range d.seq(f["responses"], "responses", 1, MaxResponses) {
		if r := d.response(c, in, true); r != nil {
			b.Responses = append(b.Responses, r)
		}
	}
}

func (d *dec) titled(n *yaml.Node, what string, maxTitle, maxButtons int, urls bool, in *Interaction) (*Template, []*Button) {
	f := d.fields(n, what, titledButtonFields)
	if f == nil {
		return nil, nil
	}
	var title *Template
	if v := f["title"]; v == nil {
		d.errorf(n, "%s needs a title", what)
	} else {
		title = d.template(v, what+" title", maxTitle, in)
	}
	return title, d.buttons(n, f["buttons"], what, 1, maxButtons, urls, in)
}

func (d *dec) card(n *yaml.Node, in *Interaction) *Card {
	f := d.fields(n, "card", cardFields)
	if f == nil {
		return nil
	}
	c := &Card{}
	if v := f["title"]; v == nil {
		d.errorf(n, "card needs a title")
	} else {
		c.Title = d.template(v, "card title", MaxCardTitleLen, in)
	}
	if v := f["subtitle"]; v != nil {
		c.Subtitle = d.template(v, "card subtitle", MaxCardSubtitleLen, in)
	}
	if v := f["image"]; v != nil {
		c.Image = d.template(v, "card image", MaxCardImageURLLen, in)
	}
	c.Buttons = d.buttons(n, f["buttons"], "card", 1, MaxCardButtons, true, in)
	return c
}

func (d *dec) buttons(parent, n *yaml.Node, what string, min, max int, urls bool, in *Interaction) []*Button {
	if n == nil {
		d.errorf(parent, "%s needs buttons", what)
		return nil
	}
	var out []*Button
	for _, c := range d.seq(n, what+" buttons", min, max) {
		if b := d.button(c, urls, in); b != nil {
			out = append(out, b)
		}
	}
	return out
}

// button decodes a button: a string (its title, sent as the postback) or
// a mapping with a title and one of postback, goto and url.
func (d *dec) button(n *yaml.Node, urls bool, in *Interaction) *Button {
	if n.Kind == yaml.ScalarNode {
		t := d.template(n, "button title", MaxButtonTitleLen, in)
		if t == nil {
			return nil
		}
		if utf8.RuneCountInString(n.Value) > MaxQueryLen {
			d.errorf(n, "button postback is longer than %d characters", MaxQueryLen)
		}
		return &Button{Kind: ButtonPostback, Title: t, Postback: t}
	}
	known, what := buttonFields, "button"
	if !urls {
		known, what = quickReplyFields, "quick reply"
	}
	f := d.fields(n, what, known)
	if f == nil {
		return nil
	}
	b := &Button{}
	if v := f["title"]; v == nil {
		d.errorf(n, "%s needs a title", what)
	} else {
		b.Title = d.template(v, what+" title", MaxButtonTitleLen, in)
	}
	var kinds []string
	for _, k := range known[1:] {
		if f[k] != nil {
			kinds = append(kinds, k)
		}
	}
	want := "postback, goto or url"
	if !urls {
		want = "postback or goto"
	}
	if len(kinds) == 0 && d.unknown {
		return nil
	}
	if len(kinds) != 1 {
		d.errorf(n, "%s needs exactly one of %s", what, want)
		return nil
	}
	switch v := f[kinds[0]]; kinds[0] {
	case "postback":
		b.Kind, b.Postback = ButtonPostback, d.template(v, "postback", MaxQueryLen, in)
	case "goto":
		b.Kind = ButtonGoto
		d.target(v, "goto", in.Story, func(t *Interaction) { b.Goto = t })
	case "url":
		b.Kind, b.URL = ButtonURL, d.template(v, "url", MaxButtonURLLen, in)
	}
	return b
}

func (d *dec) set(n *yaml.Node, in *Interaction) []Assignment {
	f := d.fields(n, "set", setFields)
	if f == nil {
		return nil
	}
	if len(f) == 0 && !d.unknown {
		d.errorf(n, "set needs user or session attributes")
	}
	before := len(d.l.errs)
	var out []Assignment
	for _, scope := range []Scope{ScopeUser, ScopeSession} {
		v := f[scope.String()]
		if v == nil {
			continue
		}
		if v.Kind != yaml.MappingNode {
			d.errorf(v, "set %s must be a mapping of attribute names to values", scope)
			continue
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], v.Content[i+1]
			name, ok := d.name(k, "attribute")
			if !ok {
				continue
			}
			if seen[name] {
				d.errorf(k, "attribute %q is set twice", name)
				continue
			}
			seen[name] = true
			d.l.attrs[name] = true
			if t := d.template(val, "attribute value", MaxAttributeValueLen, in); t != nil {
				out = append(out, Assignment{Scope: scope, Name: name, Value: t})
			}
		}
	}
	if len(out) == 0 && len(f) > 0 && len(d.l.errs) == before {
		d.errorf(n, "set assigns no attributes")
	}
	if len(out) > MaxAttributes {
		d.errorf(n, "set assigns %d attributes, more than %d", len(out), MaxAttributes)
	}
	return out
}
