package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// A QA is a question/answer interaction an operator saves while the bot
// runs (Userbot's qeafilter interactions): the engine matches a message
// against its Questions as it matches a bot file's training phrases, and
// answers with its Answer. Stored Q&A are a layer above the bot file,
// which stays the source of the stories.
type QA struct {
	// ID is the store's 24-hex id, assigned by the first save; it is the
	// interaction's id in the chat API's responses.
	ID string `json:"id"`
	// Label names the Q&A (1–128 characters, without '<' or '>'), unique
	// in a bot: Userbot's save.token finds the Q&A by it. It is the
	// interaction's name.
	Label string `json:"label"`
	// Questions are the training phrases: 1–100 of 1–256 characters.
	Questions []string `json:"questions"`
	// Answer is what the bot says (1–4,096 characters), a template that
	// may name attributes as {{name}} or {{name|default}}.
	Answer string `json:"answer"`
	// CreatedAt is set by the first save, UpdatedAt by every save.
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Limits of stored Q&A.
const (
	MaxQAs         = 10000 // Q&A a bot may keep
	MaxQALabel     = 128
	MaxQAQuestions = 100
	MaxQAQuestion  = 256 // the chat API's longest query
	MaxQAAnswer    = 4096
)

// CheckQA checks the fields of q that a store can check (the engine
// checks the answer's placeholders), trimming spaces around the label
// and the questions.
func CheckQA(q *QA) error {
	if q.ID != "" {
		if err := CheckID("id", q.ID); err != nil {
			return err
		}
	}
	q.Label = strings.TrimSpace(q.Label)
	if err := checkLen("label", q.Label, 1, MaxQALabel); err != nil {
		return err
	}
	if strings.ContainsAny(q.Label, "<>") {
		return invalid("label", "must not contain '<' or '>'")
	}
	if len(q.Questions) < 1 || len(q.Questions) > MaxQAQuestions {
		return invalid("questions", fmt.Sprintf("must be 1 to %d questions", MaxQAQuestions))
	}
	qs := make([]string, len(q.Questions))
	for i, s := range q.Questions {
		qs[i] = strings.TrimSpace(s)
		if err := checkLen(fmt.Sprintf("questions[%d]", i), qs[i], 1, MaxQAQuestion); err != nil {
			return err
		}
	}
	q.Questions = qs
	return checkLen("answer", q.Answer, 1, MaxQAAnswer)
}

// QAs keeps stored Q&A. Implementations are safe for concurrent use.
type QAs interface {
	// SaveQA stores q (see [CheckQA]): a new Q&A when q.ID is "", which
	// gets an ID and CreatedAt, else a replacement of the Q&A with that
	// ID (ErrNotFound if none), which keeps its CreatedAt. A label
	// another Q&A has is ErrConflict. A bot keeps at most MaxQAs. It
	// returns the Q&A as stored.
	SaveQA(ctx context.Context, q QA) (QA, error)
	// QAs returns every stored Q&A, oldest first.
	QAs(ctx context.Context) ([]QA, error)
	// DeleteQA deletes a Q&A.
	DeleteQA(ctx context.Context, id string) error
}
