package story

import (
	"crypto/sha256"
	"slices"
	"time"
)

// A Bot is a loaded, validated bot: its settings, custom entities and
// stories. Load builds it; after that it is never modified, so it is safe
// for concurrent use by any number of goroutines, and so is everything it
// points to. Callers must not modify it either.
type Bot struct {
	// Settings are the bot-wide settings, with defaults filled in.
	Settings Settings
	// Attributes are the attribute names the bot files declare: user or
	// session attributes that the host sets and that templates may name.
	Attributes []string
	// Entities are the custom entities, in the order of the files.
	Entities []*Entity
	// Stories are the stories, in the order of the files. The default
	// story is [Bot.DefaultStory].
	Stories []*Story
	// AutomatedMessages are the messages the bot sends first that the
	// files declare, in file order.
	AutomatedMessages []*AutomatedMessage
	// Warnings are problems that do not stop the bot from loading, such
	// as template braces in a training phrase, which match only as text.
	Warnings []*Error

	defaultStory *Story
	storyByID    map[string]*Story
	storyByName  map[string]*Story
	byID         map[string]*Interaction
	entityByName map[string]*Entity
	webhooks     []string
	digest       [sha256.Size]byte
}

// Digest returns the SHA-256 digest of the bot's files: of their contents
// and syntax (JSON or YAML), in the order Load read them, not of their
// names. Bots loaded from the same files have the same digest, so a model
// trained on one serves the other (engine.BuildModel records it).
func (b *Bot) Digest() [sha256.Size]byte { return b.digest }

// DefaultStory returns the story that answers when a request names none:
// the story named by the default_story setting, or else the first story
// loaded (the first story of the first file that has stories).
func (b *Bot) DefaultStory() *Story { return b.defaultStory }

// Story returns the story with the given id, or nil.
func (b *Bot) Story(id string) *Story { return b.storyByID[id] }

// StoryByName returns the story with the given name, or nil.
func (b *Bot) StoryByName(name string) *Story { return b.storyByName[name] }

// Interaction returns the interaction with the given id in any story, or
// nil. Ids are unique in a bot.
func (b *Bot) Interaction(id string) *Interaction { return b.byID[id] }

// Entity returns the custom entity with the given name, or nil. System
// entities ("sys.number", ...) are not in this set.
func (b *Bot) Entity(name string) *Entity { return b.entityByName[name] }

// Webhooks returns the sorted names of the webhooks the bot calls. The host
// registers a Go function under each name, or the settings give its URL
// ([Settings.Webhooks]).
func (b *Bot) Webhooks() []string { return slices.Clone(b.webhooks) }

// WebhookURL returns the declaration of name under the settings' webhooks,
// and whether there is one.
func (b *Bot) WebhookURL(name string) (WebhookURL, bool) {
	i := slices.IndexFunc(b.Settings.Webhooks, func(w WebhookURL) bool { return w.Name == name })
	if i < 0 {
		return WebhookURL{}, false
	}
	return b.Settings.Webhooks[i], true
}

// Settings are a bot's settings. Each may be given in at most one file.
type Settings struct {
	// Language is the bot's default language, lower case: one of
	// [Languages], stemmed, by name however the file named it, or any
	// other, matched without stemming (loading warns about one a typo
	// from one of Languages, such as "portugese").
	// Default [DefaultLanguage]. Phrases given as a list are in it, and a
	// turn is in it unless the request or the user's default_language
	// names another of Languages.
	Language string
	// LanguageGiven reports whether the files give the language setting.
	// When they do not, Language is DefaultLanguage whatever the phrases'
	// language: the engine never guesses it, and engine.Lint warns when
	// the phrases are clearly in another.
	LanguageGiven bool
	// Languages are the languages the bot speaks: Language, then those of
	// the languages setting. Phrases may be given per language (says:
	// {german: [...]}), and a response may be for one language only
	// (language: german): a turn answers with the responses of its
	// language, or of the default language when an interaction has none in
	// it, and those for every language.
	Languages []string
	// Confidence is the default confidence threshold: a match scoring
	// below it is not taken. Default [DefaultConfidence].
	Confidence float64
	// Lifespan is the default context lifespan, in fallback turns.
	// Default [DefaultLifespan].
	Lifespan int
	// SessionTimeout is how long a session stays open without messages.
	// Default [DefaultSessionTimeout].
	SessionTimeout time.Duration
	// TimeZone is the zone whose time of day conditions read (hour,
	// weekday...), or nil: then the user's default_timezone, else UTC;
	// never the process's local zone. Given as an IANA name (timezone:
	// Europe/Rome), which needs the system's time zone database or a
	// program that imports time/tzdata.
	TimeZone *time.Location
	// DefaultStory is the name of the default story, or "" for the first.
	DefaultStory string
	// MessageLimit is the most messages a thread holds before the bot
	// stops answering in it (SiteGPT's per-conversation message cap); 0,
	// the default, is no limit.
	MessageLimit int
	// Title and Description describe the bot to people choosing one
	// (SiteGPT's chatbot title and description); both optional.
	Title, Description string
	// QuickPrompts are the conversation starters a chat page offers
	// before the first message, in order.
	QuickPrompts []Prompt
	// FollowUpPrompts come with each of the bot's answers, in order; one
	// marked Escalation hands the thread to a person when chosen.
	FollowUpPrompts []Prompt
	// Personas are the response styles a thread may select (SiteGPT's
	// personas): in a thread with a persona, a text response that gives
	// variants for it says one of those instead of its own.
	Personas []Persona
	// Appearance is how a chat page shows the bot.
	Appearance Appearance
	// Webhooks are the webhook actions fulfilled by a web service, with
	// its URL, in file order: the engine posts each call of one as JSON
	// unless the host registers a function of its own under its name.
	Webhooks []WebhookURL
}

// A WebhookURL is a webhook action fulfilled over HTTP, as the settings
// declare it:
//
//	settings:
//	  webhooks:
//	    stock: https://shop.example/parley/stock         # the short form
//	    brew: {url: "https://kitchen.example/brew", timeout: 3s}
//
// The URL is http or https with a host and no user information: secrets
// stay out of bot files, and the host signs the calls with a token of its
// own (parley serve -webhook-token).
type WebhookURL struct {
	// Name is the webhook's name, as its webhook actions give it.
	Name string
	// URL is where the calls are posted.
	URL string
	// Timeout is how long a call may take, from MinWebhookTimeout to
	// MaxWebhookTimeout; 0, when the settings give none, leaves it to the
	// host (engine.DefaultWebhookTimeout unless the host says).
	Timeout time.Duration
	// Pos is the position of the webhook's name in the settings.
	Pos Pos
}

// Appearance is how a chat page (Parley's web widget, its kiosk screen)
// shows the bot, after SiteGPT's chatbot appearance. Every field is
// optional; the page has defaults for each.
type Appearance struct {
	// WelcomeMessage is shown before the first message, and
	// PlaceholderText in the empty message field (each up to 500
	// characters).
	WelcomeMessage, PlaceholderText string
	// BrandColor and BrandTextColor colour the page's header, launcher
	// and the user's messages: "#rgb" or "#rrggbb".
	BrandColor, BrandTextColor string
	// RTL lays the page out right to left.
	RTL bool
	// Locale is the language of the page (a BCP 47 tag such as "fr" or
	// "pt-BR"), and Localization replaces the page's own words by their
	// keys (such as "send" or "person"; up to 64, each 1–500 characters).
	Locale       string
	Localization map[string]string
}

// A Persona is a named response style.
type Persona struct {
	// Name identifies the persona (1–64 letters, digits, '_' and '-';
	// not "default", which a persona action uses for the bot's own
	// style): the key of text responses' variants, and its id in APIs.
	Name string
	// Title is shown to people choosing one; Description and
	// Instructions (a note on the style, for the people who write its
	// variants) are optional.
	Title, Description, Instructions string
	Pos                              Pos
}

// DefaultPersona is what a persona action names to return a thread to the
// bot's own style.
const DefaultPersona = "default"

// A Prompt is a quick prompt (conversation starter) or a follow-up prompt:
// a button whose Title is shown and whose Description is the message it
// sends, or which opens Link instead when Link is set.
type Prompt struct {
	Title, Description, Link string
	// Escalation marks a follow-up prompt that escalates the thread to
	// an agent (SiteGPT's isEscalationPrompt); quick prompts have none.
	Escalation bool
	Pos        Pos
}

// An Entity is a custom entity: a closed list of values, each with
// synonyms, that a parameter can extract from a message.
type Entity struct {
	Name   string
	Values []EntityValue
	Pos    Pos
}

// An EntityValue is one value of an entity and the other words for it.
// A message containing the value or any synonym yields the value.
type EntityValue struct {
	Value    string
	Synonyms []string
}

// A Story is a graph of interactions with one welcome and one default
// fallback.
type Story struct {
	// ID is 24 lowercase hex digits: as written, or derived from the
	// story's name.
	ID   string
	Name string
	// Interactions are all the story's interactions, in file order.
	Interactions []*Interaction
	// Roots are the interactions without a parent, in file order,
	// including the welcome and the default fallback.
	Roots []*Interaction
	// Welcome is the root interaction with role start: it answers a new
	// session.
	Welcome *Interaction
	// Fallback is the root interaction with role else: it answers when
	// nothing matches and the active context has no contextual fallback.
	Fallback *Interaction
	Pos      Pos

	byName map[string]*Interaction
}

// InteractionByName returns the story's interaction with the given name,
// or nil.
func (s *Story) InteractionByName(name string) *Interaction { return s.byName[name] }

// Role is the special part an interaction plays in its story.
type Role uint8

const (
	// RoleNone is an ordinary interaction.
	RoleNone Role = iota
	// RoleStart is the story's welcome interaction (written "start").
	RoleStart
	// RoleElse is a fallback (written "else"): the story's default
	// fallback at the root, or the contextual fallback of its parent's
	// children otherwise.
	RoleElse
)

// String returns the role as written in bot files ("", "start", "else").
func (r Role) String() string {
	switch r {
	case RoleStart:
		return "start"
	case RoleElse:
		return "else"
	}
	return ""
}

// An Interaction is one node of a story: what the user says or which event
// triggers it, what it collects, and how the bot answers.
type Interaction struct {
	// ID is 24 lowercase hex digits: as written, or derived from the
	// story's and the interaction's names.
	ID string
	// Name is unique in its story.
	Name string
	// Action is a free string for the host (the chat API's interaction.action).
	Action string
	Story  *Story
	Role   Role
	// Phrases are the training phrases ("user says"). On an ordinary
	// interaction they are examples of it. On a fallback (Role ==
	// RoleElse) they are negative examples: messages that are out of
	// scope and must not match any other interaction; the engine trains
	// them as such.
	Phrases []Phrase
	// Triggers are event names that select the interaction directly.
	Triggers []string
	// Parent is the interaction whose context the interaction needs, or
	// nil for a root. A child is reachable only while its parent is the
	// active context (unless Anywhere).
	Parent *Interaction
	// Children are the interactions whose Parent this is, in file order,
	// including the contextual fallback.
	Children []*Interaction
	// Fallback is the child with role else, the contextual fallback of
	// this interaction's children, or nil.
	Fallback *Interaction
	// Anywhere makes the interaction reachable from any context
	// ("trigger from anywhere"), not only from its parent's.
	Anywhere bool
	// Reference, when not nil, makes the interaction a shortcut: reaching
	// it continues at the referenced interaction. A reference has no
	// parameters, condition or responses of its own. It never points to
	// another reference.
	Reference *Interaction
	// Condition, when not nil, must hold for the interaction to be
	// selected.
	Condition *Condition
	// Parameters are the slots the interaction fills from messages.
	Parameters []*Parameter
	// Responses are the responses and actions, in order.
	Responses []*Response
	Pos       Pos
}

// Parameter returns the interaction's parameter with the given name, or nil.
func (in *Interaction) Parameter(name string) *Parameter {
	for _, p := range in.Parameters {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// A Phrase is a training phrase.
type Phrase struct {
	// Text is the phrase as it trains: marks written [value](parameter)
	// are reduced to their value.
	Text string
	// Marks are the entity values marked in Text, in order.
	Marks []Mark
	// Keyword marks a keyword pattern (written under "keywords"): it
	// matches a message that contains all its words, in any order,
	// ignoring case, rather than by machine learning.
	Keyword bool
	// Language is the phrase's language when it is given per language
	// (one of Settings.Languages), "" for the bot's default language.
	Language string
}

// A Parameter is a slot an interaction fills with an entity's value.
type Parameter struct {
	// Name is the parameter name, as templates and conditions see it.
	Name string
	// Entity is the entity name as written: "sys.number" or a custom name.
	Entity string
	// System is the system entity's name without "sys." ("number"), or ""
	// for a custom entity.
	System string
	// Custom is the custom entity, or nil for a system entity.
	Custom *Entity
	// Required parameters are asked for with Prompts until filled.
	Required bool
	// Prompts are the question variants asking for the parameter; one
	// is picked per turn. Required parameters have at least one.
	Prompts []*Template
	// Retries is how many more times the prompt is asked after an answer
	// that does not fill the parameter; [DefaultRetries] unless the file
	// says.
	Retries int
	// GiveUp is said when retries run out, or nil; the interaction then
	// ends incomplete.
	GiveUp *Template
	Pos    Pos
}

// ResponseKind says which field of a [Response] holds its content.
type ResponseKind uint8

// The kinds of responses and actions. Their String is the key that
// introduces them in bot files.
const (
	KindText         ResponseKind = iota + 1 // Response.Text
	KindImage                                // Response.Image
	KindQuickReplies                         // Response.QuickReplies
	KindCard                                 // Response.Card
	KindCarousel                             // Response.Carousel
	KindButtons                              // Response.Buttons
	KindDelay                                // Response.Delay
	KindSet                                  // Response.Set: set attributes
	KindGoto                                 // Response.Goto: continue at another interaction
	KindReset                                // reset the session: context to the root, session attributes and passed interactions forgotten
	KindEnd                                  // end the session; the next message starts a new one
	KindBacktracking                         // Response.Backtracking
	KindHandoff                              // Response.Handoff: hand the conversation to a human agent
	KindWebhook                              // Response.Webhook: call a Go function the host registered
	KindPersona                              // Response.Persona: select the thread's persona
	KindMeeting                              // Response.Meeting: ask for a meeting
	KindGoal                                 // Response.Goal: count a goal reached
)

var kindNames = [...]string{
	KindText: "text", KindImage: "image", KindQuickReplies: "quick_replies",
	KindCard: "card", KindCarousel: "carousel", KindButtons: "buttons",
	KindDelay: "delay", KindSet: "set", KindGoto: "goto", KindReset: "reset",
	KindEnd: "end", KindBacktracking: "backtracking", KindHandoff: "handoff",
	KindWebhook: "webhook", KindPersona: "persona", KindMeeting: "meeting", KindGoal: "goal",
}

// String returns the kind's key in bot files, such as "quick_replies".
func (k ResponseKind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return "unknown"
}

// A Response is one response or action of an interaction. Kind says which
// one field holds the content; the others are zero.
type Response struct {
	Kind ResponseKind
	// Filter, when not nil, must hold for the response to be given.
	Filter *Condition
	// Language, when not "", limits the response to turns in that
	// language (one of Settings.Languages); see Settings.Languages.
	Language string

	// Text holds the variants of a text response; the engine picks one.
	Text []*Template
	// Personas holds, for a text response, the variants said instead of
	// Text in a thread with that persona, by persona name.
	Personas map[string][]*Template
	// Image is the URL of an image.
	Image        *Template
	QuickReplies *QuickReplies
	Card         *Card
	Carousel     []*Card
	Buttons      *Buttons
	Delay        time.Duration
	// Set holds the attributes a set action assigns, in order.
	Set []Assignment
	// Goto is the interaction a goto action continues at.
	Goto *Interaction
	// Backtracking switches backtracking on or off from this interaction
	// on. It is on when a session starts. While it is off, interactions
	// the session has already passed through cannot be selected again
	// until a reset or the end of the session.
	Backtracking bool
	Handoff      *Handoff
	// Webhook is the name of the Go function the host registered.
	Webhook string
	// Persona is the persona a persona action selects (a Settings
	// persona's Name, or DefaultPersona).
	Persona string
	// Meeting is the meeting a meeting action asks for.
	Meeting *Meeting
	// Goal is the name of the goal a goal action counts as reached, once
	// each time it runs, in the day's statistics.
	Goal string
	Pos  Pos
}

// A Meeting action asks for a meeting with the user: the engine records it
// as requested (and tells the host's calendar) once the turn is stored.
type Meeting struct {
	// Title says what it is about; Start is when it starts, rendered to
	// an RFC 3339 time or "2006-01-02 15:04" in the user's time zone
	// (default_timezone) or the bot's; Notes, if not nil, are kept with
	// it.
	Title, Start, Notes *Template
	// Length is how long it lasts: 5 minutes to 8 hours, 30 minutes by
	// default (minutes in bot files).
	Length time.Duration
}

// Limits of a meeting action.
const (
	MinMeetingLength     = 5 * time.Minute
	MaxMeetingLength     = 8 * time.Hour
	DefaultMeetingLength = 30 * time.Minute
)

// QuickReplies are a message with buttons that disappear once one is used.
type QuickReplies struct {
	Title   *Template
	Buttons []*Button
}

// Buttons are a message with buttons that stay.
type Buttons struct {
	Title   *Template
	Buttons []*Button
}

// A Card has a title, an optional subtitle and image, and buttons.
type Card struct {
	Title    *Template
	Subtitle *Template // or nil
	Image    *Template // URL, or nil
	Buttons  []*Button
}

// ButtonKind says what a button does.
type ButtonKind uint8

const (
	// ButtonPostback sends Button.Postback as the user's message.
	ButtonPostback ButtonKind = iota + 1
	// ButtonGoto continues at Button.Goto.
	ButtonGoto
	// ButtonURL opens Button.URL (cards and buttons responses only).
	ButtonURL
)

// A Button is a button of quick replies, buttons or a card.
type Button struct {
	Kind     ButtonKind
	Title    *Template
	Postback *Template
	Goto     *Interaction
	URL      *Template
}

// Scope says where an attribute lives.
type Scope uint8

const (
	// ScopeUser attributes belong to the user and outlive sessions.
	ScopeUser Scope = iota + 1
	// ScopeSession attributes last as long as the session.
	ScopeSession
)

// String returns "user" or "session".
func (s Scope) String() string {
	switch s {
	case ScopeUser:
		return "user"
	case ScopeSession:
		return "session"
	}
	return "unknown"
}

// An Assignment sets one attribute to a rendered template.
type Assignment struct {
	Scope Scope
	Name  string
	Value *Template
}

// A Handoff hands the conversation to a human agent. Success runs when an
// agent takes it, Failure when none can.
type Handoff struct {
	Success, Failure Branch
}

// A Branch of a hand-off: responses to give, or an interaction to continue
// at (exactly one of the two).
type Branch struct {
	Responses []*Response
	Goto      *Interaction
}

// Pos is a position in a bot file. Line and Col count from 1; Col counts
// bytes for JSON and runes for YAML.
type Pos struct {
	File      string
	Line, Col int
}
