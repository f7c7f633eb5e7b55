package engine_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

const personasBot = `settings:
  personas:
    - {name: pirate, title: Pirate, description: Talks like a pirate.}
    - {name: formal, title: Formal}
stories:
  - name: Main
    interactions:
      - name: Welcome
        role: start
        says: [hello]
        responses:
          - text: Hi!
            personas: {pirate: "Ahoy!", formal: Good day.}
      - name: Pirate
        says: [talk like a pirate]
        responses: [{persona: pirate}, {text: Fine., personas: {pirate: Aye aye!}}]
      - name: Plain
        says: [talk normally]
        responses: [{persona: default}, {text: Fine., personas: {pirate: Aye aye!}}]
      - {name: Fallback, role: else, responses: [{text: what}]}
`

// TestPersonaSelected: a thread's persona changes by the bot's action and
// by SelectPersona, each time with a PERSONA_SELECTED; its text responses
// say the persona's variants; AssignPersona sets the style of threads
// without a persona of their own.
func TestPersonaSelected(t *testing.T) {
	ctx := context.Background()
	e, err := engine.New(openMemory(t), loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(personasBot)}}), engine.WithSeed(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateThread(ctx, engine.NewThread{ThreadID: "ship"}); err != nil {
		t.Fatal(err)
	}
	say := func(text, want string) {
		t.Helper()
		sent, err := e.Send(ctx, engine.Message{ThreadID: "ship", Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if got := types(sent.Messages[1:]); got != want {
			t.Errorf("%q: got %s, want %s", text, got, want)
		}
	}
	say("hello", "NORMAL_MESSAGE(Hi!)")
	// The action: the rest of the turn already speaks in the persona.
	say("talk like a pirate", "NORMAL_MESSAGE(Aye aye!) SYSTEM_MESSAGE:PERSONA_SELECTED(pirate)")
	say("hello", "NORMAL_MESSAGE(Ahoy!)")
	say("talk like a pirate", "NORMAL_MESSAGE(Aye aye!)") // no change, no message
	if got, _ := e.Thread(ctx, "ship"); got.Persona != "pirate" {
		t.Errorf("thread's persona: got %q", got.Persona)
	}
	// The API.
	sent, err := e.SelectPersona(ctx, "ship", "formal")
	if err != nil || types(sent.Messages) != "SYSTEM_MESSAGE:PERSONA_SELECTED(formal)" || sent.Thread.Persona != "formal" {
		t.Errorf("SelectPersona: got %s %+v, %v", types(sent.Messages), sent.Thread, err)
	}
	say("hello", "NORMAL_MESSAGE(Good day.)")
	if sent, err := e.SelectPersona(ctx, "ship", "formal"); err != nil || len(sent.Messages) != 0 {
		t.Errorf("SelectPersona again: got %s, %v", types(sent.Messages), err)
	}
	say("talk normally", "NORMAL_MESSAGE(Fine.) SYSTEM_MESSAGE:PERSONA_SELECTED(default)")
	say("hello", "NORMAL_MESSAGE(Hi!)")
	_, err = e.SelectPersona(ctx, "ship", "ninja")
	var nf *engine.NotFoundError
	if !errors.As(err, &nf) || nf.Field != "personaId" || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SelectPersona of no persona: got %v", err)
	}

	// The bot's persona, for threads without one.
	if err := e.AssignPersona("pirate"); err != nil || e.AssignedPersona() != "pirate" {
		t.Fatalf("AssignPersona: %v, %q", err, e.AssignedPersona())
	}
	say("hello", "NORMAL_MESSAGE(Ahoy!)")
	if _, err := e.SelectPersona(ctx, "ship", "formal"); err != nil {
		t.Fatal(err)
	}
	say("hello", "NORMAL_MESSAGE(Good day.)")
	if err := e.AssignPersona("ninja"); err == nil {
		t.Error("AssignPersona of no persona: no error")
	}
	if err := e.AssignPersona(""); err != nil || e.AssignedPersona() != "" {
		t.Errorf("AssignPersona(\"\"): %v, %q", err, e.AssignedPersona())
	}
	if ps := e.Personas(); len(ps) != 2 || ps[0].Title != "Pirate" {
		t.Errorf("Personas: got %+v", ps)
	}
}
