package engine

import (
	"errors"
	"strconv"

	"github.com/expr-lang/expr/file"
	"github.com/parleybot/parley/story"
)

// Kinds of condition that CheckCondition compiles, each as the engine
// compiles it where it is used.
const (
	// ConditionAutomated is the condition of an automated message
	// (store.AutomatedMessage.Condition), over the user, the session, the
	// page and the time.
	ConditionAutomated = "automated-message"
	// ConditionInteraction is the condition of an interaction or of a
	// response in the bot's files, over the story's Env.
	ConditionInteraction = "interaction"
)

// A ConditionError says why a condition does not compile, and where:
// Line and Column count from 1, and are 0 when the problem is the whole
// condition (its length).
type ConditionError struct {
	Line, Column int
	Message      string
}

func (e *ConditionError) Error() string {
	if e.Line == 0 {
		return e.Message
	}
	return "line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": " + e.Message
}

// CheckCondition compiles src as a condition of kind (ConditionAutomated
// or ConditionInteraction) exactly as saving it would, so that an editor
// can show the problem while the author types. It returns nil when src
// compiles or is empty (no condition), a *ConditionError when it does not,
// and a *store.FieldError for "kind" when kind is unknown.
func CheckCondition(kind, src string) error {
	var err error
	switch {
	case kind != ConditionAutomated && kind != ConditionInteraction:
		return invalid("kind", "must be "+ConditionAutomated+" or "+ConditionInteraction)
	case src == "":
		return nil
	case kind == ConditionAutomated:
		_, err = story.CompileAutomationCondition(src)
	default:
		_, err = story.CompileCondition(src)
	}
	if err == nil {
		return nil
	}
	var fe *file.Error
	if errors.As(err, &fe) {
		return &ConditionError{Line: max(fe.Line, 1), Column: fe.Column + 1, Message: fe.Message}
	}
	return &ConditionError{Message: err.Error()}
}

// conditionError turns the error of CheckCondition into a FieldError for
// "condition" whose rule gives the position.
func conditionError(err error) error {
	var ce *ConditionError
	if errors.As(err, &ce) {
		return invalid("condition", ce.Error())
	}
	return err
}
