package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/parleybot/parley/store"
)

var ctx = context.Background()

// user creates a user or stops the test.
func (e *env) user(userID string, attrs map[string]string) store.User {
	e.Helper()
	u, err := e.s.CreateUser(ctx, store.User{UserID: userID, Attributes: attrs})
	if err != nil {
		e.Fatalf("CreateUser(%q): %v", userID, err)
	}
	return u
}

// update runs a turn or stops the test.
func (e *env) update(sessionID string, fn func(t *store.Turn) error) {
	e.Helper()
	if err := e.s.Update(ctx, sessionID, fn); err != nil {
		e.Fatalf("Update(%q): %v", sessionID, err)
	}
}

// chat runs a turn tying sessionID to user (if not "") and appending a user
// message and a bot answer.
func (e *env) chat(sessionID, userID, text string) {
	e.Helper()
	e.update(sessionID, func(t *store.Turn) error {
		if userID != "" {
			if err := t.SetUser(userID); err != nil {
				return err
			}
		}
		t.Append(store.Message{Type: store.UserMessage, Text: text},
			store.Message{Type: store.BotMessage, Text: "re: " + text})
		return nil
	})
}

// wantErr reports unless errors.Is(err, target).
func (e *env) wantErr(what string, err, target error) {
	e.Helper()
	if !errors.Is(err, target) {
		e.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

func (e *env) noErr(what string, err error) bool {
	e.Helper()
	if err != nil {
		e.Errorf("%s: %v", what, err)
		return false
	}
	return true
}

func (e *env) equal(what string, got, want any) {
	e.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		e.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// ids returns the ids of users.
func ids(users []store.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

// listAll pages through every user matching q.
func (e *env) listAll(q store.UserQuery) []string {
	e.Helper()
	var all []string
	for range 1000 {
		p, err := e.s.ListUsers(ctx, q)
		if err != nil {
			e.Fatalf("ListUsers(%+v): %v", q, err)
		}
		all = append(all, ids(p.Users)...)
		if p.Next == "" {
			return all
		}
		q.After = p.Next
	}
	e.Fatalf("ListUsers: more than 1000 pages")
	return nil
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
