package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/story"
)

// compiled is a bot prepared for turns: built once by New or Reload, then
// only read, by any number of turns at once.
type compiled struct {
	bot     *story.Bot
	def     *cstory
	stories map[string]*cstory
	inters  map[string]*story.Interaction
	// extract maps an entity as a parameter names it ("sys.number",
	// "drink") to its extractor.
	extract map[string]nlu.Extractor
	// triggers maps an event name to the first interaction of any story
	// that lists it, for a trigger the session's story does not know.
	triggers map[string]*story.Interaction

	confidence float64
	lifespan   int
	timeout    time.Duration
}

// cstory is a story prepared for turns.
type cstory struct {
	s       *story.Story
	matcher *nlu.Matcher // nil when no interaction has phrases
	// root is the eligible set with no active context: the roots and the
	// interactions reachable from anywhere. sets has the eligible set under
	// each interaction with children, as the active context.
	root     eligible
	sets     map[string]eligible
	triggers map[string]*story.Interaction
}

// eligible is the set of interactions eligible for matching under one
// active context, as a matcher Set and as a list of labels (to build a
// smaller Set when backtracking blocks some).
type eligible struct {
	set    nlu.Set
	labels []string
}

// compile builds bot for the engine; log receives the matcher's warnings.
// The matchers come from model, a compiled model, when it was built from
// bot (see readModel); they are trained otherwise.
func compile(bot *story.Bot, log *slog.Logger, model []byte) (*compiled, error) {
	cb := &compiled{
		bot:        bot,
		stories:    make(map[string]*cstory, len(bot.Stories)),
		inters:     make(map[string]*story.Interaction),
		extract:    make(map[string]nlu.Extractor),
		triggers:   make(map[string]*story.Interaction),
		confidence: bot.Settings.Confidence,
		lifespan:   bot.Settings.Lifespan,
		timeout:    bot.Settings.SessionTimeout,
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
	lang := bot.Settings.Language
	if lang == "" {
		lang = story.DefaultLanguage
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
	var errs []error
	for _, ent := range bot.Entities {
		values := make([]nlu.Value, len(ent.Values))
		for i, v := range ent.Values {
			values[i] = nlu.Value{Canonical: v.Value, Synonyms: v.Synonyms}
		}
		d, err := nlu.NewDictionary(ent.Name, values, nlu.WithLanguage(lang), nlu.WithLogger(log))
		if err != nil {
			errs = append(errs, fmt.Errorf("engine: entity %q: %w", ent.Name, err))
			continue
		}
		cb.extract[ent.Name] = d
	}
	for _, s := range bot.Stories {
		cs, err := compileStory(s, lang, cb.extract, log, matchers[s.ID])
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
		for _, in := range s.Interactions {
			cb.inters[in.ID] = in
			for _, p := range in.Parameters {
				if p.System == "" {
					continue
				}
				if _, ok := cb.extract[p.Entity]; ok {
					continue
				}
				x, ok := nlu.System(p.System)
				if !ok {
					errs = append(errs, fmt.Errorf("engine: interaction %q: parameter %q: unknown system entity %q", in.Name, p.Name, p.Entity))
					continue
				}
				cb.extract[p.Entity] = x
			}
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

// matchable reports whether NLU may select in: it has phrases and is not a
// fallback (whose phrases are out-of-scope examples).
func matchable(in *story.Interaction) bool {
	return in.Role != story.RoleElse && len(in.Phrases) > 0
}

// compileStory prepares s; its matcher is loaded from model (a matcher of
// a compiled model) if there is one, trained otherwise.
func compileStory(s *story.Story, lang string, extract map[string]nlu.Extractor, log *slog.Logger, model []byte) (*cstory, error) {
	cs := &cstory{s: s, sets: make(map[string]eligible), triggers: make(map[string]*story.Interaction)}
	for _, in := range s.Interactions {
		for _, tr := range in.Triggers {
			if _, dup := cs.triggers[tr]; !dup {
				cs.triggers[tr] = in
			}
		}
	}
	examples, ents := storyExamples(s, extract)
	hasLabels := false
	for _, ex := range examples {
		if ex.Label != nlu.OutOfScope {
			hasLabels = true
			break
		}
	}
	if hasLabels && model != nil {
		m, err := nlu.Load(model, nlu.WithEntities(ents), nlu.WithLogger(log))
		if err != nil {
			log.Warn("engine: the compiled model's matcher does not load: training", "story", s.Name, "reason", err)
		}
		cs.matcher = m
	}
	if hasLabels && cs.matcher == nil {
		m, err := nlu.Train(examples, nlu.WithLanguage(lang), nlu.WithEntities(ents), nlu.WithLogger(log))
		if err != nil {
			return nil, fmt.Errorf("engine: story %q: train: %w", s.Name, err)
		}
		cs.matcher = m
	}
	var base []string
	for _, in := range s.Interactions {
		if matchable(in) && (in.Parent == nil || in.Anywhere) {
			base = append(base, in.ID)
		}
	}
	cs.root = cs.eligible(base)
	for _, in := range s.Interactions {
		if len(in.Children) == 0 {
			continue
		}
		labels := append([]string(nil), base...)
		for _, ch := range in.Children {
			if matchable(ch) && ch.Parent != nil && !ch.Anywhere {
				labels = append(labels, ch.ID)
			}
		}
		cs.sets[in.ID] = cs.eligible(labels)
	}
	return cs, nil
}

func (cs *cstory) eligible(labels []string) eligible {
	el := eligible{labels: labels}
	if cs.matcher != nil {
		el.set = cs.matcher.Set(labels...)
	}
	return el
}

// under returns the eligible set under the active context ctxID ("" for the
// root).
func (cs *cstory) under(ctxID string) eligible {
	if el, ok := cs.sets[ctxID]; ok {
		return el
	}
	return cs.root
}
