// Package botfile is the bot file format as Go values: the fields that
// [github.com/parleybot/parley/story.Load] reads, in the order its docs
// list them, for programs that write bot files rather than read them
// (story.Export, the importers of parley import).
//
// A [File] marshals with encoding/json into a file that Load reads as
// JSON, and with [File.YAML] into the same file as YAML. Fields that the
// format lets a writer spell two ways (a text or a list of texts, a
// button as a string or a mapping) always take the longer spelling here,
// which Load reads the same.
//
// Nothing here validates: a File is only what it says. Load the result
// to check it.
package botfile

import (
	"bytes"
	"encoding/json"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A File is one bot file.
type File struct {
	Settings   *Settings `json:"settings,omitempty" yaml:"settings,omitempty"`
	Attributes []string  `json:"attributes,omitempty" yaml:"attributes,omitempty"`
	Entities   []Entity  `json:"entities,omitempty" yaml:"entities,omitempty"`
	Stories    []Story   `json:"stories,omitempty" yaml:"stories,omitempty"`
	// AutomatedMessages are the messages the bot sends first.
	AutomatedMessages []AutomatedMessage `json:"automated_messages,omitempty" yaml:"automated_messages,omitempty"`
}

// An AutomatedMessage is a message the bot sends first: a trigger, a
// condition, delivery rules (durations as Go durations) and a text with
// quick replies or a goto.
type AutomatedMessage struct {
	Name         string   `json:"name" yaml:"name"`
	Disabled     bool     `json:"disabled,omitempty" yaml:"disabled,omitempty"`
	Trigger      Trigger  `json:"trigger" yaml:"trigger"`
	Condition    string   `json:"condition,omitempty" yaml:"condition,omitempty"`
	Repeat       string   `json:"repeat,omitempty" yaml:"repeat,omitempty"`
	MaxTimes     int      `json:"max_times,omitempty" yaml:"max_times,omitempty"`
	MinInterval  string   `json:"min_interval,omitempty" yaml:"min_interval,omitempty"`
	DuringAgent  bool     `json:"during_agent,omitempty" yaml:"during_agent,omitempty"`
	Priority     int      `json:"priority,omitempty" yaml:"priority,omitempty"`
	Text         string   `json:"text,omitempty" yaml:"text,omitempty"`
	QuickReplies []string `json:"quick_replies,omitempty" yaml:"quick_replies,omitempty"`
	Goto         string   `json:"goto,omitempty" yaml:"goto,omitempty"`
}

// A Trigger is when an automated message is considered.
type Trigger struct {
	On    string   `json:"on" yaml:"on"`
	Event string   `json:"event,omitempty" yaml:"event,omitempty"`
	After string   `json:"after,omitempty" yaml:"after,omitempty"`
	At    string   `json:"at,omitempty" yaml:"at,omitempty"`
	Daily string   `json:"daily,omitempty" yaml:"daily,omitempty"`
	Days  []string `json:"days,omitempty" yaml:"days,omitempty"`
}

// Settings are a bot's settings; zero values are left out, and Load then
// uses its defaults.
type Settings struct {
	Language        string      `json:"language,omitempty" yaml:"language,omitempty"`
	Languages       []string    `json:"languages,omitempty" yaml:"languages,omitempty,flow"`
	Confidence      float64     `json:"confidence,omitempty" yaml:"confidence,omitempty"`
	Lifespan        int         `json:"lifespan,omitempty" yaml:"lifespan,omitempty"`
	SessionTimeout  string      `json:"session_timeout,omitempty" yaml:"session_timeout,omitempty"`
	TimeZone        string      `json:"timezone,omitempty" yaml:"timezone,omitempty"`
	DefaultStory    string      `json:"default_story,omitempty" yaml:"default_story,omitempty"`
	MessageLimit    int         `json:"message_limit,omitempty" yaml:"message_limit,omitempty"`
	Title           string      `json:"title,omitempty" yaml:"title,omitempty"`
	Description     string      `json:"description,omitempty" yaml:"description,omitempty"`
	QuickPrompts    []Prompt    `json:"quick_prompts,omitempty" yaml:"quick_prompts,omitempty"`
	FollowUpPrompts []Prompt    `json:"follow_up_prompts,omitempty" yaml:"follow_up_prompts,omitempty"`
	Personas        []Persona   `json:"personas,omitempty" yaml:"personas,omitempty"`
	Appearance      *Appearance `json:"appearance,omitempty" yaml:"appearance,omitempty"`
	Webhooks        Webhooks    `json:"webhooks,omitempty" yaml:"webhooks,omitempty"`
}

// Webhooks are the webhook actions fulfilled over HTTP, in order: they
// marshal as a mapping of names to {url, timeout} whose keys keep that
// order.
type Webhooks []Webhook

// A Webhook gives the webhook action Name its URL, and optionally a
// timeout (a Go duration).
type Webhook struct {
	Name    string
	URL     string
	Timeout string
}

// webhookJSON is a Webhook's value in the mapping.
type webhookJSON struct {
	URL     string `json:"url" yaml:"url"`
	Timeout string `json:"timeout,omitempty" yaml:"timeout,omitempty"`
}

// MarshalJSON writes the webhooks as one object, in order.
func (ws Webhooks) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(w.Name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(webhookJSON{URL: w.URL, Timeout: w.Timeout})
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// MarshalYAML writes the webhooks as one mapping, in order.
func (ws Webhooks) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, w := range ws {
		var v yaml.Node
		if err := v.Encode(webhookJSON{URL: w.URL, Timeout: w.Timeout}); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: w.Name}, &v)
	}
	return n, nil
}

// Appearance is how a chat page shows the bot.
type Appearance struct {
	WelcomeMessage  string            `json:"welcome_message,omitempty" yaml:"welcome_message,omitempty"`
	PlaceholderText string            `json:"placeholder_text,omitempty" yaml:"placeholder_text,omitempty"`
	BrandColor      string            `json:"brand_color,omitempty" yaml:"brand_color,omitempty"`
	BrandTextColor  string            `json:"brand_text_color,omitempty" yaml:"brand_text_color,omitempty"`
	RTL             bool              `json:"rtl,omitempty" yaml:"rtl,omitempty"`
	Locale          string            `json:"locale,omitempty" yaml:"locale,omitempty"`
	Localization    map[string]string `json:"localization,omitempty" yaml:"localization,omitempty"`
}

// A Persona is a named response style.
type Persona struct {
	Name         string `json:"name" yaml:"name"`
	Title        string `json:"title" yaml:"title"`
	Description  string `json:"description,omitempty" yaml:"description,omitempty"`
	Instructions string `json:"instructions,omitempty" yaml:"instructions,omitempty"`
}

// A Prompt is a quick or a follow-up prompt.
type Prompt struct {
	Title       string `json:"title" yaml:"title"`
	Description string `json:"description" yaml:"description"`
	Link        string `json:"link,omitempty" yaml:"link,omitempty"`
	Escalation  bool   `json:"escalation,omitempty" yaml:"escalation,omitempty"`
}

// An Entity is a custom entity and its values.
type Entity struct {
	Name   string  `json:"name" yaml:"name"`
	Values []Value `json:"values" yaml:"values"`
}

// A Value is one value of an entity and its synonyms.
type Value struct {
	Value    string   `json:"value" yaml:"value"`
	Synonyms []string `json:"synonyms,omitempty" yaml:"synonyms,omitempty,flow"`
}

// A Story is a story and its interactions.
type Story struct {
	ID           string        `json:"id,omitempty" yaml:"id,omitempty"`
	Name         string        `json:"name" yaml:"name"`
	Interactions []Interaction `json:"interactions" yaml:"interactions"`
}

// An Interaction is one interaction. Says holds training phrases with
// their marks written [value](parameter): in the bot's default language,
// or per language; likewise Keywords.
type Interaction struct {
	ID         string      `json:"id,omitempty" yaml:"id,omitempty"`
	Name       string      `json:"name" yaml:"name"`
	Role       string      `json:"role,omitempty" yaml:"role,omitempty"`
	Action     string      `json:"action,omitempty" yaml:"action,omitempty"`
	Parent     string      `json:"parent,omitempty" yaml:"parent,omitempty"`
	Anywhere   bool        `json:"anywhere,omitempty" yaml:"anywhere,omitempty"`
	Reference  string      `json:"reference,omitempty" yaml:"reference,omitempty"`
	Says       Phrases     `json:"says,omitzero" yaml:"says,omitempty"`
	Keywords   Phrases     `json:"keywords,omitzero" yaml:"keywords,omitempty"`
	Triggers   []string    `json:"triggers,omitempty" yaml:"triggers,omitempty,flow"`
	Condition  string      `json:"condition,omitempty" yaml:"condition,omitempty"`
	Parameters []Parameter `json:"parameters,omitempty" yaml:"parameters,omitempty"`
	Responses  []Response  `json:"responses,omitempty" yaml:"responses,omitempty"`
}

// Phrases are training phrases: a list in the bot's default language,
// or, when ByLanguage is set, lists by language (and List is ignored).
type Phrases struct {
	List       []string
	ByLanguage Keyed
}

// IsZero reports whether there are no phrases.
func (p Phrases) IsZero() bool { return len(p.List) == 0 && len(p.ByLanguage) == 0 }

// MarshalJSON writes a list, or an object of lists by language.
func (p Phrases) MarshalJSON() ([]byte, error) {
	if len(p.ByLanguage) > 0 {
		return p.ByLanguage.MarshalJSON()
	}
	return json.Marshal(p.List)
}

// MarshalYAML writes a list, or a mapping of lists by language.
func (p Phrases) MarshalYAML() (any, error) {
	if len(p.ByLanguage) > 0 {
		return p.ByLanguage.MarshalYAML()
	}
	return p.List, nil
}

// Keyed are lists of texts by key (a language, a persona), in order: they
// marshal as a mapping whose keys keep that order.
type Keyed []KeyedList

// A KeyedList is the list of one key.
type KeyedList struct {
	Key  string
	List []string
}

// MarshalJSON writes the lists as one object, in order.
func (k Keyed) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kl := range k {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(kl.Key)
		if err != nil {
			return nil, err
		}
		list, err := json.Marshal(kl.List)
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(list)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// MarshalYAML writes the lists as one mapping, in order.
func (k Keyed) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, kl := range k {
		v := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range kl.List {
			v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kl.Key}, v)
	}
	return n, nil
}

// A Parameter is a slot of an interaction.
type Parameter struct {
	Name     string   `json:"name" yaml:"name"`
	Entity   string   `json:"entity" yaml:"entity"`
	Required bool     `json:"required,omitempty" yaml:"required,omitempty"`
	Prompts  []string `json:"prompts,omitempty" yaml:"prompts,omitempty"`
	// Retries, when nil, is story.DefaultRetries.
	Retries *int   `json:"retries,omitempty" yaml:"retries,omitempty"`
	GiveUp  string `json:"give_up,omitempty" yaml:"give_up,omitempty"`
}

// A Response is one response or action: exactly one of its fields other
// than Filter is set.
type Response struct {
	Text         []string `json:"text,omitempty" yaml:"text,omitempty"`
	Image        string   `json:"image,omitempty" yaml:"image,omitempty"`
	QuickReplies *Titled  `json:"quick_replies,omitempty" yaml:"quick_replies,omitempty"`
	Card         *Card    `json:"card,omitempty" yaml:"card,omitempty"`
	Carousel     []Card   `json:"carousel,omitempty" yaml:"carousel,omitempty"`
	Buttons      *Titled  `json:"buttons,omitempty" yaml:"buttons,omitempty"`
	// Delay is in milliseconds.
	Delay        int      `json:"delay,omitempty" yaml:"delay,omitempty"`
	Set          *Set     `json:"set,omitempty" yaml:"set,omitempty"`
	Goto         string   `json:"goto,omitempty" yaml:"goto,omitempty"`
	Reset        bool     `json:"reset,omitempty" yaml:"reset,omitempty"`
	End          bool     `json:"end,omitempty" yaml:"end,omitempty"`
	Backtracking *bool    `json:"backtracking,omitempty" yaml:"backtracking,omitempty"`
	Handoff      *Handoff `json:"handoff,omitempty" yaml:"handoff,omitempty"`
	Webhook      string   `json:"webhook,omitempty" yaml:"webhook,omitempty"`
	Persona      string   `json:"persona,omitempty" yaml:"persona,omitempty"`
	Meeting      *Meeting `json:"meeting,omitempty" yaml:"meeting,omitempty"`
	Goal         string   `json:"goal,omitempty" yaml:"goal,omitempty"`
	Filter       string   `json:"filter,omitempty" yaml:"filter,omitempty"`
	Language     string   `json:"language,omitempty" yaml:"language,omitempty"`
	// Personas are a text response's variants by persona name.
	Personas Keyed `json:"personas,omitempty" yaml:"personas,omitempty"`
}

// A Meeting is a meeting action: a title, a start, a length in minutes
// and notes.
type Meeting struct {
	Title   string `json:"title" yaml:"title"`
	Start   string `json:"start" yaml:"start"`
	Minutes int    `json:"minutes,omitempty" yaml:"minutes,omitempty"`
	Notes   string `json:"notes,omitempty" yaml:"notes,omitempty"`
}

// Titled is the content of quick replies and of buttons: a title and
// buttons.
type Titled struct {
	Title   string   `json:"title" yaml:"title"`
	Buttons []Button `json:"buttons" yaml:"buttons"`
}

// A Card has a title, an optional subtitle and image, and buttons.
type Card struct {
	Title    string   `json:"title" yaml:"title"`
	Subtitle string   `json:"subtitle,omitempty" yaml:"subtitle,omitempty"`
	Image    string   `json:"image,omitempty" yaml:"image,omitempty"`
	Buttons  []Button `json:"buttons" yaml:"buttons"`
}

// A Button has a title and one of a postback, a goto and a URL.
type Button struct {
	Title    string `json:"title" yaml:"title"`
	Postback string `json:"postback,omitempty" yaml:"postback,omitempty"`
	Goto     string `json:"goto,omitempty" yaml:"goto,omitempty"`
	URL      string `json:"url,omitempty" yaml:"url,omitempty"`
}

// A Set assigns user and session attributes, in order.
type Set struct {
	User    Attrs `json:"user,omitempty" yaml:"user,omitempty"`
	Session Attrs `json:"session,omitempty" yaml:"session,omitempty"`
}

// Attrs are attribute assignments in order: they marshal as a mapping
// whose keys keep that order.
type Attrs []Attr

// An Attr assigns Value (a template) to the attribute Name.
type Attr struct {
	Name, Value string
}

// MarshalJSON writes the assignments as one object, in order.
func (a Attrs) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		for _, s := range []string{kv.Name, kv.Value} {
			q, err := json.Marshal(s)
			if err != nil {
				return nil, err
			}
			b.Write(q)
			if s == kv.Name {
				b.WriteByte(':')
			}
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// MarshalYAML writes the assignments as one mapping, in order.
func (a Attrs) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, kv := range a {
		n.Content = append(n.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kv.Name},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kv.Value})
	}
	return n, nil
}

// A Handoff hands the conversation to an agent.
type Handoff struct {
	Success *Branch `json:"success,omitempty" yaml:"success,omitempty"`
	Failure *Branch `json:"failure,omitempty" yaml:"failure,omitempty"`
}

// A Branch of a hand-off: responses, or an interaction to continue at.
type Branch struct {
	Responses []Response `json:"responses,omitempty" yaml:"responses,omitempty"`
	Goto      string     `json:"goto,omitempty" yaml:"goto,omitempty"`
}

// Escape writes text so that a training phrase (says or keywords) holds
// it as it is: backslashes and square brackets, which write marks, are
// escaped with a backslash.
func Escape(text string) string { return phraseEscaper.Replace(text) }

var phraseEscaper = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)

// Mark writes a marked entity value, [value](parameter), its value
// escaped. A blank value, which a mark cannot hold, is written as text.
func Mark(value, parameter string) string {
	if strings.TrimSpace(value) == "" {
		return Escape(value)
	}
	return "[" + Escape(value) + "](" + parameter + ")"
}

// JSON returns the file as indented JSON.
func (f *File) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// YAML returns the file as YAML.
func (f *File) YAML() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
