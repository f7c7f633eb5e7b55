package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// A user's variables (Userbot's Variable) are the user's attributes seen as
// name/value pairs, each with an id that follows from its name: the same
// variable has the same id for every user and in every store, and a bot's
// declared variables (BotVariables) have the ids their users' values will
// have.

// A Variable is one of a user's variables.
type Variable struct {
	ID    string `json:"id"`    // VariableID(Name)
	Name  string `json:"name"`  // an attribute key, ^[\w-]{1,128}$
	Value string `json:"value"` // 1–1,024 characters (default_name 1–256)
}

// VariableID returns the stable 24-hex id of the variable named name: the
// first 12 bytes of the SHA-256 of "var:" and the name.
func VariableID(name string) string {
	sum := sha256.Sum256([]byte("var:" + name))
	return hex.EncodeToString(sum[:12])
}

// A BotVariable is a variable the bot knows of: the chat API's default_*
// attributes, the attributes its files declare and those its set actions
// assign to users.
type BotVariable struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Scope is "user" or "session".
	Scope string `json:"scope"`
}

// BotVariables returns the bot's variables by name (Userbot's
// bot.get-vars).
func (e *Engine) BotVariables() []BotVariable {
	bot := e.Bot()
	scopes := map[string]string{}
	for _, n := range story.DefaultAttributes {
		scopes[n] = story.ScopeUser.String()
	}
	for _, n := range bot.Attributes {
		if _, ok := scopes[n]; !ok {
			scopes[n] = story.ScopeUser.String()
		}
	}
	eachResponse(bot, func(r *story.Response) {
		for _, a := range r.Set {
			if a.Scope == story.ScopeUser || scopes[a.Name] == "" {
				scopes[a.Name] = a.Scope.String()
			}
		}
	})
	out := make([]BotVariable, 0, len(scopes))
	for _, n := range slices.Sorted(maps.Keys(scopes)) {
		out = append(out, BotVariable{ID: VariableID(n), Name: n, Scope: scopes[n]})
	}
	return out
}

// UserVariables returns the variables of the user with the given store id,
// by name (Userbot's chatusers.get-vars).
func (e *Engine) UserVariables(ctx context.Context, userID string) ([]Variable, error) {
	if err := store.CheckID("userId", userID); err != nil {
		return nil, err
	}
	u, err := e.st.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	return variables(u.Attributes), nil
}

func variables(attrs map[string]string) []Variable {
	out := make([]Variable, 0, len(attrs))
	for _, n := range slices.Sorted(maps.Keys(attrs)) {
		out = append(out, Variable{ID: VariableID(n), Name: n, Value: attrs[n]})
	}
	return out
}

// A VariableSet asks SetVariable to set one variable (Userbot's
// chatusers.set-variable): the variable with id ID when ID is given (one
// the user has, or one of BotVariables), else the one named Name, created
// if the user has none.
type VariableSet struct {
	ID    string `json:"variable_id,omitempty"`
	Name  string `json:"name,omitempty"`
	Value string `json:"value"`
}

// SetVariable sets one variable of the user with the given store id and
// returns it. The value has the limits of an attribute value. An id
// naming no variable of the user or the bot is store.ErrNotFound.
func (e *Engine) SetVariable(ctx context.Context, userID string, v VariableSet) (Variable, error) {
	if err := store.CheckID("userId", userID); err != nil {
		return Variable{}, err
	}
	name := v.Name
	switch {
	case v.ID != "":
		if err := store.CheckID("variable_id", v.ID); err != nil {
			return Variable{}, err
		}
		u, err := e.st.User(ctx, userID)
		if err != nil {
			return Variable{}, err
		}
		name = e.variableName(u.Attributes, v.ID)
		if name == "" {
			return Variable{}, fmt.Errorf("engine: variable_id %s: %w", v.ID, store.ErrNotFound)
		}
	case name == "":
		return Variable{}, invalid("name", "a variable_id or a name must be given")
	case !store.ValidAttributeKey(name):
		return Variable{}, invalid("name", "must match ^[\\w-]{1,128}$")
	}
	if v.Value == "" {
		return Variable{}, invalid("value", "must not be empty: remove the variable instead")
	}
	attrs := map[string]string{name: v.Value}
	if err := store.CheckAttributeUpdate("value", attrs); err != nil {
		var fe *store.FieldError
		if errors.As(err, &fe) {
			return Variable{}, invalid("value", fe.Rule)
		}
		return Variable{}, err
	}
	if _, err := e.st.UpdateUser(ctx, userID, attrs); err != nil {
		return Variable{}, err
	}
	return Variable{ID: VariableID(name), Name: name, Value: v.Value}, nil
}

// variableName returns the name of the variable with the given id among
// attrs and the bot's variables, or "".
func (e *Engine) variableName(attrs map[string]string, id string) string {
	for n := range attrs {
		if VariableID(n) == id {
			return n
		}
	}
	for _, bv := range e.BotVariables() {
		if bv.ID == id {
			return bv.Name
		}
	}
	return ""
}

// RemoveVariable removes one variable, named by its id or its name, from
// users (1–1,000 store ids): Userbot's chatusers.remove-variable. It
// returns how many users had it; users without it, or unknown, are
// skipped.
func (e *Engine) RemoveVariable(ctx context.Context, variable string, userIDs []string) (int, error) {
	if variable == "" {
		return 0, invalid("variable", "must be a variable id or name")
	}
	if len(userIDs) < 1 || len(userIDs) > store.MaxUsersPerOp {
		return 0, invalid("users", fmt.Sprintf("must have 1 to %d entries", store.MaxUsersPerOp))
	}
	for _, id := range userIDs {
		if err := store.CheckID("users", id); err != nil {
			return 0, err
		}
	}
	n := 0
	for _, id := range slices.Compact(slices.Sorted(slices.Values(userIDs))) {
		u, err := e.st.User(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return n, err
		}
		name := variable
		if _, ok := u.Attributes[name]; !ok {
			name = e.variableName(u.Attributes, variable)
		}
		if _, ok := u.Attributes[name]; !ok {
			continue
		}
		_, err = e.st.UpdateUser(ctx, id, map[string]string{name: ""})
		switch {
		case err == nil:
			n++
		case !errors.Is(err, store.ErrNotFound):
			return n, err
		}
	}
	return n, nil
}
