package engine_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

const promptSettings = `settings:
  quick_prompts:
    - {title: Hours, description: when are you open}
  follow_up_prompts:
    - {title: Thanks, description: thank you}
    - {title: A person, description: I want a person now, escalation: true}
`

// TestPrompts reads the bot file's prompts, edits them through the
// engine, and escalates a thread whose user chooses the escalation
// follow-up prompt.
func TestPrompts(t *testing.T) {
	ctx := context.Background()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(promptSettings + handoffBot)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot)
	if err != nil {
		t.Fatal(err)
	}
	q := e.Prompts(engine.QuickPrompts)
	if len(q) != 1 || q[0].Title != "Hours" || q[0].Description != "when are you open" || len(q[0].ID) != 36 {
		t.Fatalf("quick prompts: %+v", q)
	}
	// IDs of the bot file's prompts are the same in every engine.
	e2, _ := engine.New(db, bot)
	if q2 := e2.Prompts(engine.QuickPrompts); q2[0].ID != q[0].ID {
		t.Errorf("IDs differ: %s, %s", q2[0].ID, q[0].ID)
	}

	p, err := e.AddPrompt(engine.QuickPrompts, engine.Prompt{Title: "Menu", Description: "what is on the menu", Link: "https://example.com/menu"})
	if err != nil || p.ID == "" {
		t.Fatalf("AddPrompt: %+v, %v", p, err)
	}
	var fe *store.FieldError
	if _, err := e.AddPrompt(engine.QuickPrompts, engine.Prompt{Title: "x", Description: "y", Escalation: true}); !errors.As(err, &fe) || fe.Field != "isEscalationPrompt" {
		t.Errorf("a quick prompt that escalates: %v", err)
	}
	if _, err := e.AddPrompt(engine.FollowUpPrompts, engine.Prompt{Title: "x"}); !errors.As(err, &fe) || fe.Field != "description" {
		t.Errorf("no description: %v", err)
	}
	if _, err := e.AddPrompt(engine.FollowUpPrompts, engine.Prompt{Title: "x", Description: "y", Link: "javascript:alert(1)"}); !errors.As(err, &fe) || fe.Field != "link" {
		t.Errorf("a bad link: %v", err)
	}
	title := "Our menu"
	if p, err = e.UpdatePrompt(engine.QuickPrompts, p.ID, engine.PromptUpdate{Title: &title}); err != nil || p.Title != title || p.Description != "what is on the menu" {
		t.Errorf("UpdatePrompt: %+v, %v", p, err)
	}
	empty := ""
	if _, err := e.UpdatePrompt(engine.QuickPrompts, p.ID, engine.PromptUpdate{Title: &empty}); !errors.As(err, &fe) || fe.Field != "title" {
		t.Errorf("an empty title: %v", err)
	}
	if got, _ := e.Prompt(engine.QuickPrompts, p.ID); got.Title != title {
		t.Errorf("a refused update changed the prompt: %+v", got)
	}
	if err := e.DeletePrompt(engine.QuickPrompts, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Prompt(engine.QuickPrompts, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a deleted prompt: %v", err)
	}
	if err := e.DeletePrompt(engine.QuickPrompts, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}

	// The escalation prompt hands the thread to a person; the bot is silent.
	th, err := e.CreateThread(ctx, engine.NewThread{})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := e.Send(ctx, engine.Message{ThreadID: th.ID, Text: "opening hours"})
	if err != nil || types(sent.Messages) != "USER_MESSAGE(opening hours) NORMAL_MESSAGE(Nine to five.)" {
		t.Fatalf("a turn: %s, %v", types(sent.Messages), err)
	}
	sent, err = e.Send(ctx, engine.Message{ThreadID: th.ID, Text: " i want a person NOW "})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(sent.Messages); got != "USER_MESSAGE( i want a person NOW ) SYSTEM_MESSAGE:CONVERSATION_ESCALATED" {
		t.Errorf("the escalation prompt: %s", got)
	}
	got, err := e.Thread(ctx, th.ID)
	if err != nil || got.Mode != store.ModeAgent || !got.Escalated {
		t.Errorf("the thread after the escalation prompt: %+v, %v", got, err)
	}
}
