package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// Stored Q&A: question/answer interactions operators save while the bot
// runs (Userbot's qeafilter). Each becomes a root interaction of the
// default story, with the Q&A's id and label as its id and name, its
// questions as training phrases and its answer as a text response, so
// that it matches, answers and counts like an interaction of the bot
// file. The bot file stays the source of the stories: Q&A are a layer
// above it, read from the store by New and Reload, kept by a reload.
//
// A save or a delete changes the default story's matcher with
// nlu.Matcher.With, which trains only the Q&A saved, and swaps the
// compiled bot atomically: the next message matches it, turns running
// meanwhile finish with the bot they started with. Edits are serialized
// with each other and with Reload. Q&A another process saves reach this
// engine when SyncQA reads them: within AutoRefresh while RunAutomations
// runs, else at the next Reload or start.

// qaEdits serializes the edits of stored Q&A and Reload.
type qaEdits struct{ mu sync.Mutex }

// SaveQA checks and stores a Q&A (a new one when q.ID is "", else a
// replacement) and makes it match from the next message on. A label
// another Q&A has is store.ErrConflict; an answer whose placeholders do not
// parse is a *store.FieldError for "answer".
func (e *Engine) SaveQA(ctx context.Context, q store.QA) (store.QA, error) {
	if err := store.CheckQA(&q); err != nil {
		return store.QA{}, err
	}
	if _, err := story.ParseTemplate(q.Answer); err != nil {
		return store.QA{}, invalid("answer", err.Error())
	}
	for i, text := range q.Questions {
		if len(nlu.Tokenize(text)) == 0 {
			return store.QA{}, invalid(fmt.Sprintf("questions[%d]", i), "must have a word")
		}
	}
	e.qa.mu.Lock()
	defer e.qa.mu.Unlock()
	if q.ID != "" && e.bot.Load().bot.Interaction(q.ID) != nil {
		return store.QA{}, invalid("id", "names an interaction of the bot file, which is edited there")
	}
	out, err := e.st.SaveQA(ctx, q)
	if err != nil {
		return store.QA{}, fmt.Errorf("engine: save Q&A: %w", err)
	}
	cb, err := e.bot.Load().withQA([]store.QA{out}, nil, e.log)
	if err != nil {
		return store.QA{}, fmt.Errorf("engine: save Q&A %s: %w", out.ID, err)
	}
	e.bot.Store(cb)
	return out, nil
}

// DeleteQA deletes a stored Q&A: it no longer matches from the next
// message on.
func (e *Engine) DeleteQA(ctx context.Context, id string) error {
	e.qa.mu.Lock()
	defer e.qa.mu.Unlock()
	if err := e.st.DeleteQA(ctx, id); err != nil {
		return fmt.Errorf("engine: delete Q&A: %w", err)
	}
	cb, err := e.bot.Load().withQA(nil, []string{id}, e.log)
	if err != nil {
		return fmt.Errorf("engine: delete Q&A %s: %w", id, err)
	}
	e.bot.Store(cb)
	return nil
}

// QAs returns every stored Q&A, oldest first.
func (e *Engine) QAs(ctx context.Context) ([]store.QA, error) {
	qas, err := e.st.QAs(ctx)
	if err != nil {
		return nil, fmt.Errorf("engine: Q&A: %w", err)
	}
	return qas, nil
}

// QAByLabel returns the stored Q&A with the given label.
func (e *Engine) QAByLabel(ctx context.Context, label string) (store.QA, error) {
	qas, err := e.QAs(ctx)
	if err != nil {
		return store.QA{}, err
	}
	label = strings.TrimSpace(label)
	for _, q := range qas {
		if q.Label == label {
			return q, nil
		}
	}
	return store.QA{}, &NotFoundError{Field: "label", Err: store.ErrNotFound}
}

// A QASearch asks for a page of stored Q&A.
type QASearch struct {
	// Query keeps the Q&A whose label, questions or answer contain each
	// of its words, ignoring case; "" keeps them all.
	Query string
	// Offset skips that many Q&A; Limit (1–100, default 20) bounds the
	// page.
	Offset, Limit int
}

// A QAPage is a page of stored Q&A, oldest first, and how many match in
// all.
type QAPage struct {
	QAs   []store.QA
	Count int
}

// SearchQA returns a page of the stored Q&A that match s.
func (e *Engine) SearchQA(ctx context.Context, s QASearch) (QAPage, error) {
	if s.Limit == 0 {
		s.Limit = 20
	}
	if s.Limit < 1 || s.Limit > 100 {
		return QAPage{}, invalid("limit", "must be 1 to 100")
	}
	if s.Offset < 0 {
		return QAPage{}, invalid("offset", "must not be negative")
	}
	if len(s.Query) > 256 {
		return QAPage{}, invalid("query", "must be 0 to 256 characters")
	}
	qas, err := e.QAs(ctx)
	if err != nil {
		return QAPage{}, err
	}
	words := strings.Fields(strings.ToLower(s.Query))
	page := QAPage{QAs: []store.QA{}}
	for _, q := range qas {
		text := strings.ToLower(q.Label + "\n" + strings.Join(q.Questions, "\n") + "\n" + q.Answer)
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) }) {
			if page.Count >= s.Offset && len(page.QAs) < s.Limit {
				page.QAs = append(page.QAs, q)
			}
			page.Count++
		}
	}
	return page, nil
}

// qaInteraction makes a stored Q&A a root interaction of story s.
func qaInteraction(s *story.Story, q store.QA) (*story.Interaction, error) {
	t, err := story.ParseTemplate(q.Answer)
	if err != nil {
		return nil, invalid("answer", err.Error())
	}
	in := &story.Interaction{ID: q.ID, Name: q.Label, Story: s,
		Responses: []*story.Response{{Kind: story.KindText, Text: []*story.Template{t}}}}
	for _, text := range q.Questions {
		in.Phrases = append(in.Phrases, story.Phrase{Text: text})
	}
	return in, nil
}

// SyncQA reads the stored Q&A and applies what changed since this engine
// last read or saved them: the Q&A another process saved or deleted.
// RunAutomations calls it every AutoRefresh. Only the Q&A that changed
// are trained.
func (e *Engine) SyncQA(ctx context.Context) error {
	e.qa.mu.Lock()
	defer e.qa.mu.Unlock()
	qas, err := e.QAs(ctx)
	if err != nil {
		return err
	}
	cb := e.bot.Load()
	var add []store.QA
	seen := make(map[string]bool, len(qas))
	for _, q := range qas {
		seen[q.ID] = true
		if at, ok := cb.qa[q.ID]; ok && at.Equal(q.UpdatedAt) {
			continue
		}
		if err := cb.usableQA(q); err != nil {
			e.log.Warn("engine: a stored Q&A is left out", "id", q.ID, "err", err)
			continue
		}
		add = append(add, q)
	}
	var remove []string
	for id := range cb.qa {
		if !seen[id] {
			remove = append(remove, id)
		}
	}
	if len(add) == 0 && len(remove) == 0 {
		return nil
	}
	if cb, err = cb.withQA(add, remove, e.log); err != nil {
		return fmt.Errorf("engine: Q&A: %w", err)
	}
	e.bot.Store(cb)
	return nil
}

// usableQA reports why a stored Q&A cannot be one of cb's interactions: an
// id of the bot file's, an answer that does not parse.
func (cb *compiled) usableQA(q store.QA) error {
	if cb.bot.Interaction(q.ID) != nil {
		return errors.New("its id is an interaction's of the bot file")
	}
	_, err := qaInteraction(cb.def.s, q)
	return err
}

// withQA returns cb with the stored Q&A qas (new or replacing those of the
// same ids) and without those whose ids are in remove, in its default
// story. In each language it trains only qas, unless the story's matcher
// cannot learn (a compiled model's) or there is none yet: then it trains
// the story with all its Q&A.
func (cb *compiled) withQA(qas []store.QA, remove []string, log *slog.Logger) (*compiled, error) {
	def := cb.def
	var add []*story.Interaction
	for _, q := range qas {
		in, err := qaInteraction(def.s, q)
		if err != nil {
			return nil, err
		}
		add = append(add, in)
	}
	n := *cb
	n.inters = maps.Clone(cb.inters)
	n.qa = maps.Clone(cb.qa)
	for _, id := range remove {
		if _, ok := n.qa[id]; ok {
			delete(n.inters, id)
			delete(n.qa, id)
		}
	}
	for i, in := range add {
		n.inters[in.ID] = in
		n.qa[in.ID] = qas[i].UpdatedAt
	}
	ins := slices.Clip(def.s.Interactions)
	for _, id := range slices.Sorted(maps.Keys(n.qa)) {
		ins = append(ins, n.inters[id])
	}
	cs := *def
	cs.matching = make(map[string]*matching, len(def.matching))
	for _, lang := range languages(cb.bot) {
		ents := storyEntities(def.s, cb.extract[lang])
		var m *nlu.Matcher
		var err error
		mt := def.matching[lang]
		if mt != nil {
			m, err = mt.matcher.With(interactionExamples(add, ents, lang, cb.lang), remove)
		}
		if mt == nil || errors.Is(err, nlu.ErrNotEditable) {
			m, err = trainStory(interactionExamples(ins, ents, lang, cb.lang), matcherOptions(lang, ents, log))
		}
		if err != nil {
			return nil, err
		}
		if m != nil {
			cs.matching[lang] = newMatching(ins, m)
		}
	}
	n.def = &cs
	n.stories = maps.Clone(cb.stories)
	n.stories[cs.s.ID] = &cs
	return &n, nil
}

// trainStory trains a story's matcher on examples, or returns nil when
// they name no interaction.
func trainStory(examples []nlu.Example, opts []nlu.Option) (*nlu.Matcher, error) {
	if !hasLabels(examples) {
		return nil, nil
	}
	return nlu.Train(examples, opts...)
}
