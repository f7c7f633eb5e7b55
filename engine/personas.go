package engine

import (
	"context"
	"slices"
	"sync"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// Personas, as SiteGPT's: named response styles the bot file declares
// (story.Persona). A thread answers in its persona (store.Thread.Persona),
// else in the persona assigned to the bot, else in the bot's own style: a
// text response that gives variants for that persona says one of them
// instead of its own. A thread's persona changes by the bot's persona
// action or by SelectPersona, each recording a SYSTEM_MESSAGE
// PERSONA_SELECTED whose text is the persona's name ("default" for the
// bot's own style). A persona the bot no longer declares (after a reload)
// is the bot's own style.

// TypePersona is the debug entry of a persona action.
const TypePersona = "persona"

// assigned is the persona assigned to the bot, for this process.
type assigned struct {
	mu   sync.Mutex
	bot  *story.Bot
	name string
}

// Personas returns the personas the bot declares, in order.
func (e *Engine) Personas() []story.Persona { return e.Bot().Settings.Personas }

// Persona returns the persona named name, or an error wrapping
// store.ErrNotFound (a *NotFoundError naming personaId).
func (e *Engine) Persona(name string) (story.Persona, error) {
	ps := e.Personas()
	if i := slices.IndexFunc(ps, func(p story.Persona) bool { return p.Name == name }); i >= 0 {
		return ps[i], nil
	}
	return story.Persona{}, &NotFoundError{Field: "personaId", Err: store.ErrNotFound}
}

// AssignPersona makes name the persona of every thread that has none of
// its own (SiteGPT's "Assign persona to the chatbot"); "" or
// story.DefaultPersona returns them to the bot's own style. Like prompts,
// the assignment lives in this engine's memory until the bot is reloaded
// or the process restarts; the bot file is the source.
func (e *Engine) AssignPersona(name string) error {
	name, err := e.personaName(name)
	if err != nil {
		return err
	}
	a := &e.assigned
	a.mu.Lock()
	defer a.mu.Unlock()
	a.bot, a.name = e.Bot(), name
	return nil
}

// AssignedPersona returns the persona assigned to the bot, "" if none.
func (e *Engine) AssignedPersona() string {
	a := &e.assigned
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.bot != e.Bot() {
		return ""
	}
	return a.name
}

// personaName checks that name is a persona of the bot, or "" or
// story.DefaultPersona (returned as "").
func (e *Engine) personaName(name string) (string, error) {
	if name == "" || name == story.DefaultPersona {
		return "", nil
	}
	if _, err := e.Persona(name); err != nil {
		return "", err
	}
	return name, nil
}

// SelectPersona sets the persona of a thread ("" or story.DefaultPersona
// for the bot's own style), recording PERSONA_SELECTED; selecting the
// thread's persona again changes nothing.
func (e *Engine) SelectPersona(ctx context.Context, threadID, name string) (Sent, error) {
	name, err := e.personaName(name)
	if err != nil {
		return Sent{}, err
	}
	th, err := e.Thread(ctx, threadID)
	if err != nil {
		return Sent{}, err
	}
	return e.threadTurn(ctx, th, func(t *store.Turn) error {
		selectPersona(t, name)
		return nil
	})
}

// selectPersona makes name the persona of the turn's thread, recording
// PERSONA_SELECTED if it changed.
func selectPersona(t *store.Turn, name string) {
	if t.Thread != nil && t.Thread.EndedAt.IsZero() && t.Thread.Persona == name {
		return
	}
	if t.Thread == nil && name == "" {
		return // a thread starts in the bot's own style
	}
	text := name
	if text == "" {
		text = story.DefaultPersona
	}
	t.Append(store.Message{Type: store.SystemMessage, SystemType: store.PersonaSelected, Text: text})
	t.Thread.Persona = name
}

// textVariants returns the variants a text response says in the turn's
// persona.
func (tr *turn) textVariants(r *story.Response) []*story.Template {
	if tr.persona != "" {
		if v := r.Personas[tr.persona]; len(v) > 0 {
			return v
		}
	}
	return r.Text
}
