package engine

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// compiled is a bot prepared for turns: built once by New or Reload, then
// only read, by any number of turns at once.
type compiled struct {
	bot     *story.Bot
	def     *cstory
	stories map[string]*cstory
	inters  map[string]*story.Interaction
	// lang is the bot's default language; extract maps each of the bot's
	// languages, then an entity as a parameter names it ("sys.number",
	// "drink"), to its extractor (system entities read words of the
	// language).
	lang    string
	extract map[string]map[string]nlu.Extractor
	// triggers maps an event name to the first interaction of any story
	// that lists it, for a trigger the session's story does not know.
	triggers map[string]*story.Interaction

	confidence float64
	lifespan   int
	timeout    time.Duration
	// qa holds the stored Q&A that are interactions of the default story,
	// by id, with the time each was saved.
	qa map[string]time.Time
	// hooks are the webhooks the bot's settings give a URL and the host
	// registers no function for, by name (HTTPWebhooks built by Reload).
	hooks map[string]Webhook
}

// cstory is a story prepared for turns.
type cstory struct {
	s *story.Story
	// matching has the matcher of each of the bot's languages in which
	// the story has phrases.
	matching map[string]*matching
	triggers map[string]*story.Interaction
}

// matching is a story's matcher in one language.
type matching struct {
	matcher *nlu.Matcher
	// root is the eligible set with no active context: the roots and the
	// interactions reachable from anywhere. sets has the eligible set under
	// each interaction with children, as the active context.
	root eligible
	sets map[string]eligible
}

// eligible is the set of interactions eligible for matching under one
// active context, as a matcher Set and as a list of labels (to build a
// smaller Set when backtracking blocks some).
type eligible struct {
	set    nlu.Set
	labels []string
}

// compile builds bot for the engine, with the stored Q&A as interactions
// of its default story (but those that cannot be, which log receives with
// the matcher's warnings). The matchers come from model, a compiled model,
// when it was built from bot (see readModel); they are trained otherwise,
// and so are the default story's when there are stored Q&A, which the
// model does not know.
func compile(bot *story.Bot, stored []store.QA, log *slog.Logger, model []byte) (*compiled, error) {
	cb := &compiled{
		bot:        bot,
		stories:    make(map[string]*cstory, len(bot.Stories)),
		inters:     make(map[string]*story.Interaction),
		extract:    make(map[string]map[string]nlu.Extractor),
		triggers:   make(map[string]*story.Interaction),
		confidence: bot.Settings.Confidence,
		lifespan:   bot.Settings.Lifespan,
		timeout:    bot.Settings.SessionTimeout,
		qa:         make(map[string]time.Time),
	}
	if cb.confidence == 0 {
		cb.confidence = story.DefaultConfidence
	}
	if cb.lifespan == 0 {
		cb.lifespan = story.DefaultLifespan
	}
	if cb.timeout == 0 {
		cb.timeout = story.DefaultSessionTimeout
	}
	cb.lang = bot.Settings.Language
	if cb.lang == "" {
		cb.lang = story.DefaultLanguage
	}
	var matchers map[string][]byte
	if model != nil {
		var err error
		if matchers, err = readModel(model, bot); err != nil {
			log.Warn("engine: the compiled model does not serve this bot: training", "reason", err)
		} else {
			log.Info("engine: loading the matchers of the compiled model", "matchers", len(matchers))
		}
	}
	var qas []*story.Interaction
	if def := bot.DefaultStory(); def != nil {
		for _, q := range stored {
			in, err := qaInteraction(def, q)
			if err == nil && bot.Interaction(q.ID) != nil {
				err = errors.New("its id is an interaction's of the bot file")
			}
			if err != nil {
				log.Warn("engine: a stored Q&A is left out", "id", q.ID, "err", err)
				continue
			}
			qas = append(qas, in)
			cb.qa[q.ID] = q.UpdatedAt
		}
	}
	var errs []error
	for _, lang := range languages(bot) {
		x, err := extractors(bot, lang, cb.lang, log)
		if err != nil {
			return nil, err
		}
		cb.extract[lang] = x
	}
	for _, s := range bot.Stories {
		var extra []*story.Interaction
		models := matchers
		if s == bot.DefaultStory() && len(qas) > 0 {
			extra, models = qas, nil
		}
		cs, err := compileStory(s, extra, cb.lang, languages(bot), cb.extract, log, models)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cb.stories[s.ID] = cs
		for name, in := range cs.triggers {
			if _, dup := cb.triggers[name]; !dup {
				cb.triggers[name] = in
			}
		}
		for _, in := range append(slices.Clip(s.Interactions), extra...) {
			cb.inters[in.ID] = in
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if d := bot.DefaultStory(); d != nil {
		cb.def = cb.stories[d.ID]
	}
	if cb.def == nil {
		return nil, errors.New("engine: the bot has no story")
	}
	return cb, nil
}

// languages returns the bot's languages, the default first.
func languages(bot *story.Bot) []string {
	if len(bot.Settings.Languages) == 0 {
		return []string{cmp.Or(bot.Settings.Language, story.DefaultLanguage)}
	}
	return bot.Settings.Languages
}

// extractors returns the extractors of the bot's entities for turns in
// lang: the custom entities, whose values are in the default language def,
// and the system entities its parameters name, reading words of lang.
func extractors(bot *story.Bot, lang, def string, log *slog.Logger) (map[string]nlu.Extractor, error) {
	extract := map[string]nlu.Extractor{}
	var errs []error
	for _, ent := range bot.Entities {
		values := make([]nlu.Value, len(ent.Values))
		for i, v := range ent.Values {
			values[i] = nlu.Value{Canonical: v.Value, Synonyms: v.Synonyms}
		}
		d, err := nlu.NewDictionary(ent.Name, values, nlu.WithLanguage(def), nlu.WithLogger(log))
		if err != nil {
			errs = append(errs, fmt.Errorf("engine: entity %q: %w", ent.Name, err))
			continue
		}
		extract[ent.Name] = d
	}
	errs = append(errs, systemExtractors(bot, lang, extract)...)
	return extract, errors.Join(errs...)
}

// systemExtractors adds to extract the system entities the parameters of
// bot name ("sys.number", ...), reading words of lang.
func systemExtractors(bot *story.Bot, lang string, extract map[string]nlu.Extractor) []error {
	var errs []error
	for _, s := range bot.Stories {
		for _, in := range s.Interactions {
			for _, p := range in.Parameters {
				if p.System == "" {
					continue
				}
				if _, ok := extract[p.Entity]; ok {
					continue
				}
				x, ok := nlu.System(p.System, nlu.WithLanguage(lang))
				if !ok {
					errs = append(errs, fmt.Errorf("engine: interaction %q: parameter %q: unknown system entity %q", in.Name, p.Name, p.Entity))
					continue
				}
				extract[p.Entity] = x
			}
		}
	}
	return errs
}

// matchable reports whether NLU may select in: it has phrases and is not a
// fallback (whose phrases are out-of-scope examples).
func matchable(in *story.Interaction) bool {
	return in.Role != story.RoleElse && len(in.Phrases) > 0
}

// compileStory prepares s, and the root interactions extra (the stored
// Q&A) as if s had them, with a matcher for each of langs (def the
// default) in which it has phrases; each is loaded from its compiled
// model in models (see modelKey) if there is one, trained otherwise.
func compileStory(s *story.Story, extra []*story.Interaction, def string, langs []string, extract map[string]map[string]nlu.Extractor, log *slog.Logger, models map[string][]byte) (*cstory, error) {
	cs := &cstory{s: s, matching: make(map[string]*matching), triggers: make(map[string]*story.Interaction)}
	for _, in := range s.Interactions {
		for _, tr := range in.Triggers {
			if _, dup := cs.triggers[tr]; !dup {
				cs.triggers[tr] = in
			}
		}
	}
	ins := append(slices.Clip(s.Interactions), extra...)
	for _, lang := range langs {
		ents := storyEntities(s, extract[lang])
		examples := interactionExamples(ins, ents, lang, def)
		if !hasLabels(examples) {
			continue
		}
		var m *nlu.Matcher
		if model := models[modelKey(s.ID, lang, def)]; model != nil {
			var err error
			if m, err = nlu.Load(model, nlu.WithEntities(ents), nlu.WithLogger(log)); err != nil {
				log.Warn("engine: the compiled model's matcher does not load: training", "story", s.Name, "language", lang, "reason", err)
			}
		}
		if m == nil {
			var err error
			if m, err = nlu.Train(examples, matcherOptions(lang, ents, log)...); err != nil {
				return nil, fmt.Errorf("engine: story %q: train %s: %w", s.Name, lang, err)
			}
		}
		cs.matching[lang] = newMatching(ins, m)
	}
	return cs, nil
}

// hasLabels reports whether examples name an interaction: a story whose
// phrases are all out of scope has no matcher.
func hasLabels(examples []nlu.Example) bool {
	return slices.ContainsFunc(examples, func(ex nlu.Example) bool { return ex.Label != nlu.OutOfScope })
}

// matcherOptions are the options of a story's matcher in lang.
func matcherOptions(lang string, ents map[string]nlu.Extractor, log *slog.Logger) []nlu.Option {
	return []nlu.Option{nlu.WithLanguage(lang), nlu.WithEntities(ents), nlu.WithLogger(log)}
}

// newMatching prepares the eligible sets of the matcher m of a story whose
// interactions are ins.
func newMatching(ins []*story.Interaction, m *nlu.Matcher) *matching {
	mt := &matching{matcher: m, sets: make(map[string]eligible)}
	var base []string
	for _, in := range ins {
		if matchable(in) && (in.Parent == nil || in.Anywhere) {
			base = append(base, in.ID)
		}
	}
	mt.root = eligible{labels: base, set: m.Set(base...)}
	for _, in := range ins {
		if len(in.Children) == 0 {
			continue
		}
		labels := append([]string(nil), base...)
		for _, ch := range in.Children {
			if matchable(ch) && ch.Parent != nil && !ch.Anywhere {
				labels = append(labels, ch.ID)
			}
		}
		mt.sets[in.ID] = eligible{labels: labels, set: m.Set(labels...)}
	}
	return mt
}

// in returns the story's matching for a turn in lang: lang's, else the
// default language def's, else nil when the story has no phrases.
func (cs *cstory) in(lang, def string) *matching {
	if mt := cs.matching[lang]; mt != nil {
		return mt
	}
	return cs.matching[def]
}

// under returns the eligible set under the active context ctxID ("" for the
// root).
func (mt *matching) under(ctxID string) eligible {
	if el, ok := mt.sets[ctxID]; ok {
		return el
	}
	return mt.root
}
