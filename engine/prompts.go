package engine

import (
	"crypto/rand"
	"crypto/sha1"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// A Prompt is a quick prompt (a conversation starter, offered before the
// first message) or a follow-up prompt (offered with each of the bot's
// answers): a button titled Title that sends Description as the user's
// message, or opens Link instead. Choosing a follow-up prompt marked
// Escalation escalates the thread to a person.
//
// The bot file's settings declare a bot's prompts; the engine's
// Add/Update/Delete methods edit them in memory, for this process, until
// the bot is reloaded or the process restarts: the bot file is the source
// of truth, and edits meant to last belong there. A prompt declared in the
// bot file has an ID derived from its kind, place and title, the same in
// every process; one added later has a random ID.
type Prompt struct {
	ID          string
	Title       string
	Description string
	Link        string
	Escalation  bool
}

// PromptKind tells quick prompts from follow-up prompts.
type PromptKind int

const (
	QuickPrompts PromptKind = iota
	FollowUpPrompts
)

// A PromptUpdate changes the fields that are not nil.
type PromptUpdate struct {
	Title, Description, Link *string
	Escalation               *bool
}

// MaxPromptLen bounds a prompt's title and description; MaxPrompts, the
// prompts of one kind.
const (
	MaxPromptLen = story.MaxPromptLen
	MaxPrompts   = story.MaxPromptButtons
)

// prompts are an engine's prompts, seeded from the bot they were made
// for and seeded again when the bot changes.
type prompts struct {
	mu   sync.Mutex
	bot  *story.Bot
	list [2][]Prompt
}

// current returns the prompts of kind, for the engine's bot; the caller
// holds p.mu.
func (e *Engine) currentPrompts(kind PromptKind) *[]Prompt {
	p := &e.prompts
	if b := e.Bot(); p.bot != b {
		p.bot = b
		p.list[QuickPrompts] = seedPrompts("quick", b.Settings.QuickPrompts)
		p.list[FollowUpPrompts] = seedPrompts("follow-up", b.Settings.FollowUpPrompts)
	}
	return &p.list[kind]
}

func seedPrompts(kind string, in []story.Prompt) []Prompt {
	out := make([]Prompt, len(in))
	for i, sp := range in {
		sum := sha1.Sum(fmt.Appendf(nil, "%s\x00%d\x00%s", kind, i, sp.Title))
		out[i] = Prompt{ID: uuid(sum[:16]), Title: sp.Title, Description: sp.Description, Link: sp.Link, Escalation: sp.Escalation}
	}
	return out
}

// uuid formats 16 bytes as a version 4 style UUID.
func uuid(b []byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Prompts returns the prompts of kind, in order.
func (e *Engine) Prompts(kind PromptKind) []Prompt {
	e.prompts.mu.Lock()
	defer e.prompts.mu.Unlock()
	return slices.Clone(*e.currentPrompts(kind))
}

// Prompt returns the prompt of kind with id, or store.ErrNotFound.
func (e *Engine) Prompt(kind PromptKind, id string) (Prompt, error) {
	e.prompts.mu.Lock()
	defer e.prompts.mu.Unlock()
	for _, p := range *e.currentPrompts(kind) {
		if p.ID == id {
			return p, nil
		}
	}
	return Prompt{}, fmt.Errorf("engine: prompt %q: %w", id, store.ErrNotFound)
}

// AddPrompt appends a prompt of kind and returns it with its new ID. Its
// title and description are required; quick prompts cannot escalate.
func (e *Engine) AddPrompt(kind PromptKind, p Prompt) (Prompt, error) {
	if err := checkPrompt(kind, p); err != nil {
		return Prompt{}, err
	}
	var b [16]byte
	rand.Read(b[:])
	p.ID = uuid(b[:])
	e.prompts.mu.Lock()
	defer e.prompts.mu.Unlock()
	list := e.currentPrompts(kind)
	if len(*list) >= MaxPrompts {
		return Prompt{}, invalid("prompts", fmt.Sprintf("at most %d", MaxPrompts))
	}
	*list = append(*list, p)
	return p, nil
}

// UpdatePrompt changes the prompt of kind with id and returns it; an
// unknown id is store.ErrNotFound.
func (e *Engine) UpdatePrompt(kind PromptKind, id string, u PromptUpdate) (Prompt, error) {
	e.prompts.mu.Lock()
	defer e.prompts.mu.Unlock()
	list := e.currentPrompts(kind)
	i := slices.IndexFunc(*list, func(p Prompt) bool { return p.ID == id })
	if i < 0 {
		return Prompt{}, fmt.Errorf("engine: prompt %q: %w", id, store.ErrNotFound)
	}
	p := (*list)[i]
	for _, f := range []struct {
		from *string
		to   *string
	}{{u.Title, &p.Title}, {u.Description, &p.Description}, {u.Link, &p.Link}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if u.Escalation != nil {
		p.Escalation = *u.Escalation
	}
	if err := checkPrompt(kind, p); err != nil {
		return Prompt{}, err
	}
	(*list)[i] = p
	return p, nil
}

// DeletePrompt removes the prompt of kind with id; an unknown id is
// store.ErrNotFound.
func (e *Engine) DeletePrompt(kind PromptKind, id string) error {
	e.prompts.mu.Lock()
	defer e.prompts.mu.Unlock()
	list := e.currentPrompts(kind)
	i := slices.IndexFunc(*list, func(p Prompt) bool { return p.ID == id })
	if i < 0 {
		return fmt.Errorf("engine: prompt %q: %w", id, store.ErrNotFound)
	}
	*list = slices.Delete(*list, i, i+1)
	return nil
}

func checkPrompt(kind PromptKind, p Prompt) error {
	for _, f := range []struct{ name, v string }{{"title", p.Title}, {"description", p.Description}} {
		if n := len([]rune(f.v)); strings.TrimSpace(f.v) == "" || n > MaxPromptLen {
			return invalid(f.name, fmt.Sprintf("must be 1 to %d characters", MaxPromptLen))
		}
	}
	if p.Link != "" {
		if u, err := url.Parse(p.Link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(p.Link) > story.MaxImageURLLen {
			return invalid("link", fmt.Sprintf("must be an http or https URL of at most %d characters", story.MaxImageURLLen))
		}
	}
	if p.Escalation && kind != FollowUpPrompts {
		return invalid("isEscalationPrompt", "only follow-up prompts escalate")
	}
	return nil
}

// escalationPrompt reports whether a user's message is what an escalation
// follow-up prompt sends (its description, or its title), ignoring case
// and surrounding space.
func (e *Engine) escalationPrompt(msg string) bool {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return false
	}
	e.prompts.mu.Lock()
	defer e.prompts.mu.Unlock()
	for _, p := range *e.currentPrompts(FollowUpPrompts) {
		if p.Escalation && (strings.EqualFold(msg, strings.TrimSpace(p.Description)) || strings.EqualFold(msg, strings.TrimSpace(p.Title))) {
			return true
		}
	}
	return false
}
