package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/internal/testbed"
	"github.com/parleybot/parley/nlu"
)

// runEvalBot evaluates a bot's own phrases: it cross-validates each
// story's matcher in each language (each phrase is predicted by the
// matcher of its language trained without its fold) and, with a messages
// file, predicts labelled messages with the matcher trained on everything. It prints accuracy at the bot's
// confidence, out-of-scope refusals, the worst confusions, every message
// answered wrong, phrases two interactions share, and a suggested
// confidence.
func runEvalBot(path, messages string, folds int, stdout, stderr io.Writer) int {
	b, err := loadBot(path)
	if err != nil {
		printLoadErrors(stderr, err)
		return 1
	}
	sets, err := engine.TrainingSets(b)
	if err != nil {
		fmt.Fprintf(stderr, "parley eval: %v\n", err)
		return 1
	}
	names := map[string]string{} // interaction id → name, with its story's if another story has one of that name
	ids := map[string]string{}   // name → id, in the default story, which answers the messages
	stories := map[string]int{}  // name → how many stories have an interaction of that name
	for _, s := range b.Stories {
		for _, in := range s.Interactions {
			stories[in.Name]++
		}
	}
	for _, s := range b.Stories {
		for _, in := range s.Interactions {
			names[in.ID] = in.Name
			if stories[in.Name] > 1 {
				names[in.ID] = fmt.Sprintf("%s (story %q)", in.Name, s.Name)
			}
			if s == b.DefaultStory() {
				ids[in.Name] = in.ID
			}
		}
	}
	name := func(label string) string {
		if label == "" || label == nlu.OutOfScope {
			return "fallback"
		}
		return names[label]
	}
	conf := b.Settings.Confidence
	langs := b.Settings.Languages
	if len(langs) == 0 {
		langs = []string{b.Settings.Language}
	}
	// A mistake in the messages shows before the cross-validation, which
	// takes a while on a large bot.
	var qs []message
	if messages != "" {
		if qs, err = readMessages(messages, ids, langs); err != nil {
			fmt.Fprintf(stderr, "parley eval: %v\n", err)
			return 1
		}
	}
	var all []testbed.Pred
	byLang := map[string][]testbed.Pred{}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if len(langs) > 1 {
		fmt.Fprintf(w, "%s: %s, confidence %.2f, languages %s\n", path, summary(b), conf, strings.Join(langs, ", "))
	} else {
		fmt.Fprintf(w, "%s: %s, confidence %.2f, language %s\n", path, summary(b), conf, langs[0])
	}
	for _, set := range sets {
		preds, err := crossValidateBot(set, folds)
		if err != nil {
			fmt.Fprintf(stderr, "parley eval: story %q: %v\n", set.Story.Name, err)
			return 1
		}
		all = append(all, preds...)
		byLang[set.Language] = append(byLang[set.Language], preds...)
		if shared := sharedPhrases(set); len(shared) > 0 {
			in := ""
			if len(langs) > 1 {
				in = " in " + set.Language
			}
			fmt.Fprintf(w, "\nphrases of story %q%s that two interactions share (no matcher can tell them apart):\n", set.Story.Name, in)
			for _, s := range shared {
				var ns []string
				for _, l := range s.labels {
					ns = append(ns, name(l))
				}
				fmt.Fprintf(w, "  %q: %s\n", s.text, strings.Join(ns, ", "))
			}
		}
	}
	fmt.Fprintf(w, "\ncross-validation (%d folds: each phrase answered by a matcher trained without it):\n", folds)
	report(w, all, conf, name)
	if len(langs) > 1 {
		fmt.Fprintln(w, "  by language (the phrases written in it, answered by its matcher):")
		for _, lang := range langs {
			preds := byLang[lang]
			if len(preds) == 0 {
				fmt.Fprintf(w, "    %s: no phrases of its own\n", lang)
				continue
			}
			in, oos := count(preds)
			at := testbed.At(preds, conf)
			fmt.Fprintf(w, "    %s: %d in scope, %.1f %% answered right", lang, in, 100*at.InScope)
			if oos > 0 {
				fmt.Fprintf(w, "; %d out of scope, %.0f %% refused", oos, 100*at.Refused)
			}
			fmt.Fprintln(w)
		}
	}
	if messages != "" {
		var preds []testbed.Pred
		for _, set := range sets {
			if set.Story != b.DefaultStory() {
				continue
			}
			var mine []testbed.Query
			for _, q := range qs {
				if q.lang == set.Language {
					mine = append(mine, q.Query)
				}
			}
			if len(mine) == 0 {
				continue
			}
			m, err := nlu.Train(set.Examples, set.Options...)
			if err != nil {
				fmt.Fprintf(stderr, "parley eval: story %q: %v\n", set.Story.Name, err)
				return 1
			}
			preds = append(preds, testbed.Predict(m, mine)...)
		}
		fmt.Fprintf(w, "\nmessages of %s, answered by the default story:\n", messages)
		report(w, preds, conf, name)
	}
	return 0
}

// count returns the number of predictions of messages in scope and out of
// scope.
func count(preds []testbed.Pred) (in, oos int) {
	for _, p := range preds {
		if p.Query.Label == "" {
			oos++
		} else {
			in++
		}
	}
	return in, oos
}

// crossValidateBot predicts each phrase of the set (not keywords, not
// evidence, not phrases borrowed from the default language, which its own
// set tests) with a matcher trained without its fold.
func crossValidateBot(set engine.TrainingSet, folds int) ([]testbed.Pred, error) {
	var items []int // indexes of the examples to hold out
	for i, ex := range set.Examples {
		if !ex.Keyword && !ex.Evidence && !set.Borrowed[i] {
			items = append(items, i)
		}
	}
	var preds []testbed.Pred
	for f := range folds {
		out := map[int]bool{}
		for k, i := range items {
			if k%folds == f {
				out[i] = true
			}
		}
		if len(out) == 0 {
			continue
		}
		var train []nlu.Example
		for i, ex := range set.Examples {
			if !out[i] {
				train = append(train, ex)
			}
		}
		m, err := nlu.Train(train, set.Options...)
		if err != nil {
			continue // a fold left no phrase to learn from
		}
		for k, i := range items {
			if k%folds != f {
				continue
			}
			ex := set.Examples[i]
			q := testbed.Query{Text: ex.Text, Label: ex.Label}
			if ex.Label == nlu.OutOfScope {
				q.Label = ""
			}
			preds = append(preds, testbed.Predict(m, []testbed.Query{q})...)
		}
	}
	return preds, nil
}

// report prints the figures of preds at the confidence conf.
func report(w io.Writer, preds []testbed.Pred, conf float64, name func(string) string) {
	in, oos := count(preds)
	at, argmax := testbed.At(preds, conf), testbed.At(preds, 0)
	fmt.Fprintf(w, "  in scope: %s, %.1f %% answered right at confidence %.2f (%.1f %% ranked first)\n", plural(in, "message", "messages"), 100*at.InScope, conf, 100*argmax.InScope)
	if oos > 0 {
		fmt.Fprintf(w, "  out of scope: %s, %.0f %% refused\n", plural(oos, "message", "messages"), 100*at.Refused)
	}
	best := testbed.Best(preds)
	bt := testbed.At(preds, best)
	if oos == 0 {
		// With nothing to refuse, a lower confidence always looks
		// better: it would suggest answering every message.
		fmt.Fprintln(w, "  suggested confidence: none without out-of-scope messages to weigh refusals against answers (give the fallback out-of-scope phrases, or -messages lines labelled fallback)")
	} else if bt.Overall > at.Overall+0.01 {
		fmt.Fprintf(w, "  suggested confidence: %.2f (%.1f %% of all messages answered right, against %.1f %% at %.2f)\n", best, 100*bt.Overall, 100*at.Overall, conf)
	} else {
		fmt.Fprintf(w, "  suggested confidence: %.2f is within a point of the best\n", conf)
	}
	type pair struct{ gold, got string }
	confusions := map[pair]int{}
	var wrong []testbed.Pred
	for _, p := range preds {
		accept := p.Label != "" && p.Score >= conf
		switch {
		case p.Query.Label == "" && accept:
			wrong = append(wrong, p)
			confusions[pair{"", p.Label}]++
		case p.Query.Label != "" && (!accept || p.Label != p.Query.Label):
			wrong = append(wrong, p)
			got := p.Label
			if !accept {
				got = ""
			}
			confusions[pair{p.Query.Label, got}]++
		}
	}
	if len(confusions) > 0 {
		pairs := make([]pair, 0, len(confusions))
		for p := range confusions {
			pairs = append(pairs, p)
		}
		slices.SortFunc(pairs, func(a, b pair) int {
			if c := cmp.Compare(confusions[b], confusions[a]); c != 0 {
				return c
			}
			return cmp.Or(cmp.Compare(name(a.gold), name(b.gold)), cmp.Compare(name(a.got), name(b.got)))
		})
		fmt.Fprintln(w, "  worst confusions (meant → answered):")
		for _, p := range pairs[:min(10, len(pairs))] {
			fmt.Fprintf(w, "    %d× %s → %s\n", confusions[p], name(p.gold), name(p.got))
		}
		fmt.Fprintln(w, "  answered wrong:")
		for _, p := range wrong {
			got := fmt.Sprintf("%s %.2f", name(p.Label), p.Score)
			if p.Label != "" && p.Score < conf {
				got = fmt.Sprintf("fallback (best: %s %.2f)", name(p.Label), p.Score)
			}
			fmt.Fprintf(w, "    %q (%s) → %s\n", p.Query.Text, name(p.Query.Label), got)
		}
	}
}

// A sharedPhrase is a phrase that several interactions say.
type sharedPhrase struct {
	text   string
	labels []string
}

func sharedPhrases(set engine.TrainingSet) []sharedPhrase {
	by := map[string][]string{}
	var order []string
	for _, ex := range set.Examples {
		if ex.Keyword || ex.Evidence {
			continue
		}
		k := nlu.Normalize(ex.Text)
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		if !slices.Contains(by[k], ex.Label) {
			by[k] = append(by[k], ex.Label)
		}
	}
	var out []sharedPhrase
	for _, k := range order {
		if len(by[k]) > 1 {
			out = append(out, sharedPhrase{k, by[k]})
		}
	}
	return out
}

// A message is a labelled test message and its language.
type message struct {
	testbed.Query
	lang string
}

// readMessages reads labelled test messages: one a line, the message, a
// tab, the name of the interaction that should answer (empty, or
// "fallback", for a message out of scope) and, optionally, a tab and the
// message's language, one of langs by name or ISO 639-1 code (default the
// first, the bot's default). Empty lines and lines starting with # are
// skipped.
func readMessages(path string, ids map[string]string, langs []string) ([]message, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []message
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, want, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("%s:%d: want a message, a tab and an interaction name", path, i+1)
		}
		q := message{Query: testbed.Query{Text: text}, lang: langs[0]}
		if w, l, ok := strings.Cut(want, "\t"); ok {
			want = w
			if q.lang = nlu.LanguageName(l); !slices.Contains(langs, q.lang) {
				return nil, fmt.Errorf("%s:%d: the bot does not speak %q (it speaks %s)", path, i+1, strings.TrimSpace(l), strings.Join(langs, ", "))
			}
		}
		if want = strings.TrimSpace(want); want != "" && want != "fallback" {
			id, ok := ids[want]
			if !ok {
				return nil, fmt.Errorf("%s:%d: the bot has no interaction %q", path, i+1, want)
			}
			q.Label = id
		}
		out = append(out, q)
	}
	return out, nil
}
