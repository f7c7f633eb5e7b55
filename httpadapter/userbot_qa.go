package httpadapter

import (
	"errors"
	"net/http"
	"strings"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// Userbot's qeafilter channels: the Q&A operators save while the bot runs
// (engine.SaveQA). Over the socket:
//
//	qeafilter.save {"label":"wifi","questions":["what is the wifi password"],"answer":"beans4all"}
//	                                                        → Interaction (an "id" in the payload replaces that Q&A)
//	qeafilter save token <wifi> {"answer":"Ask at the counter."}
//	                                                        → Interaction: the Q&A labelled wifi, with the fields given
//	                                                          replaced ("questions", "answer", "label" to rename it)
//	qeafilter.delete {"id":"<id>"} or {"label":"wifi"}      → {"id","label","deleted":true}
//	qeafilter.search.page-db-ai {"query":"wifi","offset":0,"limit":20}
//	                                                        → {"interactions":[Interaction],"count","offset","limit"}
//
// qeafilter.search is the same as qeafilter.search.page-db-ai. Over REST,
// POST /userbot/qeafilter.save.token takes the label in its payload
// ("token", with or without the angle brackets).

// Interaction is a stored Q&A in the replies of the qeafilter channels.
type Interaction struct {
	ID        string   `json:"id"`
	Label     string   `json:"label"`
	Questions []string `json:"questions"`
	Answer    string   `json:"answer"`
	CreatedAt string   `json:"createdAt"`
	UpdatedAt string   `json:"updatedAt"`
}

func interaction(q store.QA) Interaction {
	return Interaction{ID: q.ID, Label: q.Label, Questions: q.Questions, Answer: q.Answer,
		CreatedAt: stamp(q.CreatedAt), UpdatedAt: stamp(q.UpdatedAt)}
}

// qaError names the label of a conflicting save.
func qaError(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return &apiError{status: http.StatusConflict, field: "label", message: "another interaction has this label"}
	}
	return err
}

func opQASave(c *opCall) (any, error) {
	var p struct {
		ID        string   `json:"id"`
		Label     string   `json:"label"`
		Questions []string `json:"questions"`
		Answer    string   `json:"answer"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	q, err := c.eng.SaveQA(c.ctx, store.QA{ID: p.ID, Label: p.Label, Questions: p.Questions, Answer: p.Answer})
	if err != nil {
		return nil, qaError(err)
	}
	return interaction(q), nil
}

func opQASaveToken(c *opCall) (any, error) {
	var p struct {
		Token     string    `json:"token"`
		Label     *string   `json:"label"`
		Questions *[]string `json:"questions"`
		Answer    *string   `json:"answer"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	token := c.token
	if token == "" {
		token = p.Token
	}
	token = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(token), "<"), ">"))
	if token == "" {
		return nil, badRequest("token", "name the interaction by its label: qeafilter save token <label> {...}")
	}
	q, err := c.eng.QAByLabel(c.ctx, token)
	if err != nil {
		return nil, withField("token", store.ErrNotFound)
	}
	if p.Label != nil {
		q.Label = *p.Label
	}
	if p.Questions != nil {
		q.Questions = *p.Questions
	}
	if p.Answer != nil {
		q.Answer = *p.Answer
	}
	if q, err = c.eng.SaveQA(c.ctx, q); err != nil {
		return nil, qaError(err)
	}
	return interaction(q), nil
}

func opQADelete(c *opCall) (any, error) {
	var p struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	if (p.ID == "") == (p.Label == "") {
		return nil, badRequest("id", "give either id or label")
	}
	id, label := p.ID, p.Label
	if label != "" {
		q, err := c.eng.QAByLabel(c.ctx, label)
		if err != nil {
			return nil, withField("label", store.ErrNotFound)
		}
		id = q.ID
	} else if err := store.CheckID("id", id); err != nil {
		return nil, err
	}
	if err := c.eng.DeleteQA(c.ctx, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, withField("id", err)
		}
		return nil, err
	}
	return map[string]any{"id": id, "label": label, "deleted": true}, nil
}

func opQASearch(c *opCall) (any, error) {
	var p struct {
		Query  string `json:"query"`
		Offset int    `json:"offset"`
		Limit  int    `json:"limit"`
	}
	if err := c.payload(&p, false); err != nil {
		return nil, err
	}
	page, err := c.eng.SearchQA(c.ctx, engine.QASearch{Query: p.Query, Offset: p.Offset, Limit: p.Limit})
	if err != nil {
		return nil, err
	}
	out := make([]Interaction, len(page.QAs))
	for i, q := range page.QAs {
		out[i] = interaction(q)
	}
	limit := p.Limit
	if limit == 0 {
		limit = 20
	}
	return map[string]any{"interactions": out, "count": page.Count, "offset": p.Offset, "limit": limit}, nil
}
