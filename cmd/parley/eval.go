package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley/nlu"
)

// evalItem is one labelled utterance of an evaluation corpus.
type evalItem struct {
	text, label string
	oos         bool // gold out-of-scope
}

// evalPred is the matcher's answer to one item.
type evalPred struct {
	item  evalItem
	label string // top label, "" when there is no match
	score float64
}

// runEval trains the matcher on a CLINC150-style corpus and prints its
// figures as JSON, with the keys our nlp.js harness prints, so the two
// compare line by line.
func runEval(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parley eval -corpus FILE [-language LANG] [-train KEYS] [-val KEYS] [-oos-val KEYS] [-test KEYS] [-oos-test KEYS] [-threshold T] [-refit]")
		fmt.Fprintln(stderr, "       parley eval -corpus FILE -sweep [-sweep-intents LIST] [-sweep-phrases LIST] [-seeds N]")
		fmt.Fprintln(stderr, "       parley eval -bot FILE|DIR [-cv FOLDS] [-messages FILE]")
		fmt.Fprintln(stderr, "\nTrains the matcher on the train keys of a CLINC150 data_full.json-style corpus")
		fmt.Fprintln(stderr, "({\"train\": [[text, intent], ...], ...}), chooses the out-of-scope threshold, and")
		fmt.Fprintln(stderr, "prints the figures on the test keys as one JSON object. KEYS are comma-separated;")
		fmt.Fprintln(stderr, "an empty value disables a split. Items labelled oos or None, and every item of the")
		fmt.Fprintln(stderr, "oos keys, are out-of-scope. The matcher's language is -language, else the one")
		fmt.Fprintln(stderr, "detected from the training items when the evidence is clear, else english; the")
		fmt.Fprintln(stderr, "JSON's language and language_source say which and why.\n\nflags:")
		fs.PrintDefaults()
	}
	corpusPath := fs.String("corpus", "", "the corpus `file` (required)")
	trainKeys := fs.String("train", "train", "training `keys`; their out-of-scope items are negative examples (see -negatives)")
	valKeys := fs.String("val", "val", "validation `keys` the threshold is chosen on (default used only if present)")
	oosValKeys := fs.String("oos-val", "oos_val", "out-of-scope validation `keys` (default used only if present)")
	testKeys := fs.String("test", "test", "test `keys` (default used only if present; without a test split the figures are on the validation split)")
	oosTestKeys := fs.String("oos-test", "oos_test", "out-of-scope test `keys` (default used only if present)")
	threshold := fs.Float64("threshold", math.NaN(), "out-of-scope `threshold` in [0, 1]; default: chosen on the validation split, or by cross-validation on the training keys when there is none")
	folds := fs.Int("cv", 5, "`folds` of the cross-validation that chooses the threshold when there is no validation split")
	negatives := fs.Bool("negatives", true, "train an explicit out-of-scope class from the out-of-scope items of the training keys; when false they only serve the cross-validation")
	perLabel := fs.Int("per-label", 0, "keep only the first `n` training phrases of each intent (0: all; out-of-scope items are all kept), to test small bots")
	lang := fs.String("language", "", "the corpus `language`, by name or ISO 639-1 code; by default the one detected from the training items (see nlu.DetectLanguage), english when they leave it undecided, and english with -sweep")
	sweepOn := fs.Bool("sweep", false, "run the calibration test bed instead: bots of every size -sweep-intents × -sweep-phrases sampled from train, tested on val and oos_val, one table row a size")
	sweepIntents := fs.String("sweep-intents", "2,5,10,20,50,150", "intents per bot of the sweep (`list`)")
	sweepPhrases := fs.String("sweep-phrases", "3,5,10,20,50,100", "phrases per intent of the sweep (`list`)")
	botPath := fs.String("bot", "", "evaluate the bot of this `file or directory` instead: cross-validate its phrases (-cv folds) and report accuracy, refusals, confusions, misclassified phrases, shared phrases and a suggested confidence")
	messages := fs.String("messages", "", "with -bot: a `file` of labelled messages to test too, one a line: the message, a tab, the interaction's name (empty or fallback: out of scope), optionally a tab and its language")
	refit := fs.Bool("refit", false, "once the threshold is chosen, train again on the training keys and the in-scope items of the validation keys, and test that model (refit.train_only gives the figures of the model trained on the training keys alone); needs a test split")
	dump := fs.String("dump", "", "write one JSON line per test query to `file`: its text, gold intent, whether it is out of scope, the best match (null for none) and its score, as the nlp.js harness's --dump does")
	seeds := fs.Int("seeds", 3, "bots sampled per size in the sweep (`n`; one for bots of over 3,000 phrases)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "parley eval: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *botPath != "" {
		if *folds < 2 {
			fmt.Fprintf(stderr, "parley eval: -cv %d: want at least 2 folds\n", *folds)
			return 2
		}
		return runEvalBot(*botPath, *messages, *folds, stdout, stderr)
	}
	if *corpusPath == "" {
		fmt.Fprintln(stderr, "parley eval: -corpus is required (or -bot)")
		fs.Usage()
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["threshold"] && !(*threshold >= 0 && *threshold <= 1) {
		fmt.Fprintf(stderr, "parley eval: -threshold %v: want a number in [0, 1]\n", *threshold)
		return 2
	}
	if *folds < 2 {
		fmt.Fprintf(stderr, "parley eval: -cv %d: want at least 2 folds\n", *folds)
		return 2
	}
	if *perLabel < 0 {
		fmt.Fprintf(stderr, "parley eval: -per-label %d: want 0 or more\n", *perLabel)
		return 2
	}
	if set["language"] && strings.TrimSpace(*lang) == "" {
		fmt.Fprintln(stderr, "parley eval: -language: want a language name, such as english")
		return 2
	}
	if *sweepOn {
		if *seeds < 1 {
			fmt.Fprintf(stderr, "parley eval: -seeds %d: want 1 or more\n", *seeds)
			return 2
		}
		return runSweep(*corpusPath, *sweepIntents, *sweepPhrases, *seeds, cmp.Or(*lang, "english"), stdout, stderr)
	}
	corpus, err := readCorpus(*corpusPath)
	if err != nil {
		fmt.Fprintf(stderr, "parley eval: %v\n", err)
		return 1
	}
	// keys resolves a flag: an explicit value must name existing keys; a
	// default is used only when the corpus has it.
	var keyErrs []error
	keys := func(name, value string) []string {
		var out []string
		for k := range strings.SplitSeq(value, ",") {
			if k = strings.TrimSpace(k); k == "" {
				continue
			}
			if _, ok := corpus[k]; !ok {
				if set[name] {
					keyErrs = append(keyErrs, fmt.Errorf("-%s: corpus %s has no key %q (it has %s)", name, *corpusPath, k, strings.Join(sortedKeys(corpus), ", ")))
				}
				continue
			}
			out = append(out, k)
		}
		return out
	}
	tk, vk, ovk, sk, osk := keys("train", *trainKeys), keys("val", *valKeys), keys("oos-val", *oosValKeys), keys("test", *testKeys), keys("oos-test", *oosTestKeys)
	if len(tk) == 0 && len(keyErrs) == 0 {
		keyErrs = append(keyErrs, fmt.Errorf("-train: no training keys in corpus %s", *corpusPath))
	}
	if err := errors.Join(keyErrs...); err != nil {
		fmt.Fprintf(stderr, "parley eval: %v\n", err)
		return 2
	}
	train := limitPerLabel(gather(corpus, tk, false), *perLabel)
	val := append(gather(corpus, vk, false), gather(corpus, ovk, true)...)
	test := append(gather(corpus, sk, false), gather(corpus, osk, true)...)
	testKeyNames := append(slices.Clone(sk), osk...)
	if len(test) == 0 {
		if len(val) == 0 {
			fmt.Fprintf(stderr, "parley eval: nothing to test: corpus %s has no test or validation split (give -test or -val)\n", *corpusPath)
			return 2
		}
		test, testKeyNames = val, append(slices.Clone(vk), ovk...)
		if *refit {
			fmt.Fprintf(stderr, "parley eval: -refit: corpus %s has no test split to test the refitted model on (give -test)\n", *corpusPath)
			return 2
		}
	}
	if *refit && !slices.ContainsFunc(val, func(it evalItem) bool { return !it.oos }) {
		fmt.Fprintln(stderr, "parley eval: -refit: no in-scope validation items to train on (give -val)")
		return 2
	}
	if !set["threshold"] && len(val) == 0 && *folds > len(train) {
		fmt.Fprintf(stderr, "parley eval: -cv %d: want at most as many folds as training items (%d)\n", *folds, len(train))
		return 2
	}
	language, languageSource := *lang, "-language"
	if !set["language"] {
		language, languageSource = corpusLanguage(train)
	}
	opts := []nlu.Option{nlu.WithLanguage(language)}

	out := evalReport{
		System:         "parley nlu",
		Corpus:         *corpusPath,
		TrainKeys:      tk,
		TestKeys:       testKeyNames,
		NTrain:         len(train),
		Negatives:      *negatives,
		Go:             runtime.Version(),
		PerLabel:       *perLabel,
		Language:       nlu.LanguageName(language),
		LanguageSource: languageSource,
	}
	labels := map[string]bool{}
	for _, it := range train {
		if !it.oos {
			labels[it.label] = true
		}
	}
	out.NIntentsTrain = len(labels)

	exs := examples(train, *negatives)
	cpu0 := cpuSeconds()
	t0 := time.Now()
	m, err := nlu.Train(exs, opts...)
	trainS := time.Since(t0).Seconds()
	out.TrainCPUS = round(cpuSeconds()-cpu0, 3)
	if err != nil {
		fmt.Fprintf(stderr, "parley eval: train: %v\n", err)
		return 1
	}
	out.TrainS = round(trainS, 3)

	th, source := *threshold, "-threshold"
	switch {
	case set["threshold"]:
	case len(val) > 0:
		preds := predictAll(ctx, m, val, nil)
		var acc float64
		th, acc = chooseThreshold(preds)
		source = fmt.Sprintf("chosen on %s (max accuracy, OOS as extra class)", strings.Join(append(slices.Clone(vk), ovk...), "+"))
		out.ValOverallAccuracy = round(acc, 4)
	default:
		preds, err := crossValidate(ctx, train, *folds, *negatives, opts)
		if err != nil {
			fmt.Fprintf(stderr, "parley eval: cross-validation: %v\n", err)
			return 1
		}
		var acc float64
		th, acc = chooseThreshold(preds)
		source = fmt.Sprintf("chosen by %d-fold cross-validation on %s (max accuracy, OOS as extra class)", *folds, strings.Join(tk, "+"))
		out.CVOverallAccuracy = round(acc, 4)
		out.CVInScopeAccuracyNoThreshold = round(score(preds, 0).inScopeArgmax, 4)
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(stderr, "parley eval: %v\n", err)
		return 1
	}
	out.Threshold = round(th, 6)
	out.ThresholdSource = source

	if *refit {
		// The model trained on the training keys alone, on the test split,
		// at the same threshold.
		r := score(predictAll(ctx, m, test, nil), th)
		var more []evalItem
		for _, it := range val {
			if !it.oos {
				more = append(more, it)
			}
		}
		cpu0 := cpuSeconds()
		m, err = nlu.Train(examples(append(slices.Clone(train), more...), *negatives), opts...)
		if err != nil {
			fmt.Fprintf(stderr, "parley eval: refit: %v\n", err)
			return 1
		}
		out.Refit = &evalRefit{
			NTrain:    len(train) + len(more),
			TrainCPUS: round(cpuSeconds()-cpu0, 3),
			TrainOnly: evalFigures{
				InScopeAccuracy:            round(r.inScopeAcc, 4),
				OOSRecall:                  round(r.oosRecall, 4),
				OverallAccuracy:            round(r.overallAcc, 4),
				InScopeAccuracyNoThreshold: round(r.inScopeArgmax, 4),
			},
		}
	}
	var lat []float64
	preds := predictAll(ctx, m, test, &lat)
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(stderr, "parley eval: %v\n", err)
		return 1
	}
	if *dump != "" {
		if err := writeDump(*dump, preds); err != nil {
			fmt.Fprintf(stderr, "parley eval: -dump: %v\n", err)
			return 1
		}
	}
	r := score(preds, th)
	out.InScopeAccuracy = round(r.inScopeAcc, 4)
	out.OOSRecall = round(r.oosRecall, 4)
	out.OOSPrecision = round(r.oosPrecision, 4)
	out.OverallAccuracy = round(r.overallAcc, 4)
	out.InScopeAccuracyNoThreshold = round(r.inScopeArgmax, 4)
	r05 := score(preds, 0.5)
	out.AtThreshold05 = evalAt{
		InScopeAccuracy: round(r05.inScopeAcc, 4),
		OOSRecall:       round(r05.oosRecall, 4),
		OverallAccuracy: round(r05.overallAcc, 4),
	}
	out.NInScopeTest = r.nIn
	out.NOOSTest = r.nOOS
	out.Queries = len(lat)
	slices.Sort(lat)
	var sum float64
	for _, x := range lat {
		sum += x
	}
	out.MeanLatencyUS = round(sum/float64(max(1, len(lat))), 2)
	out.P50LatencyUS = round(percentile(lat, 50), 2)
	out.P99LatencyUS = round(percentile(lat, 99), 2)
	out.PeakRSSMB = round(peakRSSMB(), 1)
	if b, err := m.MarshalBinary(); err == nil {
		out.ModelMB = round(float64(len(b))/(1<<20), 2)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "parley eval: %v\n", err)
		return 1
	}
	return 0
}

// evalReport is what parley eval prints: the keys our nlp.js harness
// prints, in its order, then Parley's own. A figure that
// cannot be had (NaN) is null.
type evalReport struct {
	System                     string   `json:"system"`
	Corpus                     string   `json:"corpus"`
	TrainKeys                  []string `json:"train_keys"`
	TestKeys                   []string `json:"test_keys"`
	NTrain                     int      `json:"n_train"`
	NIntentsTrain              int      `json:"n_intents_train"`
	TrainS                     *float64 `json:"train_s"`
	Threshold                  *float64 `json:"threshold"`
	ThresholdSource            string   `json:"threshold_source"`
	InScopeAccuracy            *float64 `json:"in_scope_accuracy"`
	OOSRecall                  *float64 `json:"oos_recall"`
	OOSPrecision               *float64 `json:"oos_precision"`
	OverallAccuracy            *float64 `json:"overall_accuracy"`
	InScopeAccuracyNoThreshold *float64 `json:"in_scope_accuracy_no_threshold"`
	AtThreshold05              evalAt   `json:"at_threshold_0_5"`
	NInScopeTest               int      `json:"n_in_scope_test"`
	NOOSTest                   int      `json:"n_oos_test"`
	Queries                    int      `json:"queries"`
	MeanLatencyUS              *float64 `json:"mean_latency_us"`
	P50LatencyUS               *float64 `json:"p50_latency_us"`
	P99LatencyUS               *float64 `json:"p99_latency_us"`
	PeakRSSMB                  *float64 `json:"peak_rss_mb"`

	Go string `json:"go"`
	// Language is the language the matcher was trained in, and
	// LanguageSource where it comes from: -language, detected from the
	// training items, or english by default.
	Language           string   `json:"language"`
	LanguageSource     string   `json:"language_source"`
	ValOverallAccuracy *float64 `json:"val_overall_accuracy,omitempty"` // threshold chosen on the validation split
	CVOverallAccuracy  *float64 `json:"cv_overall_accuracy,omitempty"`  // threshold chosen by cross-validation
	// The share of the training keys' in-scope items whose best match in
	// the cross-validation is right.
	CVInScopeAccuracyNoThreshold *float64 `json:"cv_in_scope_accuracy_no_threshold,omitempty"`
	TrainCPUS                    *float64 `json:"train_cpu_s"`
	Negatives                    bool     `json:"negatives"`
	PerLabel                     int      `json:"per_label,omitempty"`
	ModelMB                      *float64 `json:"model_mb,omitempty"`
	// With -refit: the figures above are the refitted model's.
	Refit *evalRefit `json:"refit,omitempty"`
}

// evalRefit describes the refit of parley eval -refit: the model that
// answers the test split is trained on the training items and the
// validation split's in-scope items, after the threshold was chosen with
// the model trained on the training items alone.
type evalRefit struct {
	NTrain    int         `json:"n_train"`
	TrainCPUS *float64    `json:"train_cpu_s"`
	TrainOnly evalFigures `json:"train_only"` // the model trained on the training items alone, at the same threshold
}

// evalFigures is a model's figures on the test split at a threshold.
type evalFigures struct {
	InScopeAccuracy            *float64 `json:"in_scope_accuracy"`
	OOSRecall                  *float64 `json:"oos_recall"`
	OverallAccuracy            *float64 `json:"overall_accuracy"`
	InScopeAccuracyNoThreshold *float64 `json:"in_scope_accuracy_no_threshold"`
}

// evalAt is the figures at one threshold.
type evalAt struct {
	InScopeAccuracy *float64 `json:"in_scope_accuracy"`
	OOSRecall       *float64 `json:"oos_recall"`
	OverallAccuracy *float64 `json:"overall_accuracy"`
}

// corpusLanguage is the language of a corpus evaluated without -language:
// the one nlu.DetectLanguage names from the training items' texts when it
// is sure, else english, as a bot without a language is matched; and what
// it rests on.
func corpusLanguage(train []evalItem) (lang, source string) {
	texts := make([]string, len(train))
	for i, it := range train {
		texts[i] = it.text
	}
	d := nlu.DetectLanguage(texts...)
	if d.Language == "" {
		return "english", fmt.Sprintf("default, the training items' language undecided (%v); give -language", d)
	}
	return d.Language, fmt.Sprintf("detected from the training items (%v); -language overrides", d)
}

// readCorpus reads a {"key": [[text, label], ...], ...} file.
func readCorpus(path string) (map[string][][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read corpus: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("corpus %s: want a JSON object of [[text, intent], ...] lists: %w", path, err)
	}
	corpus := map[string][][]string{}
	for k, v := range raw {
		var items [][]any
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, fmt.Errorf("corpus %s: key %q: want a list of [text, intent] pairs: %w", path, k, err)
		}
		for i, it := range items {
			if len(it) != 2 {
				return nil, fmt.Errorf("corpus %s: key %q: item %d: want [text, intent], got %d elements", path, k, i, len(it))
			}
			text, ok1 := it[0].(string)
			label, ok2 := it[1].(string)
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("corpus %s: key %q: item %d: want two strings", path, k, i)
			}
			corpus[k] = append(corpus[k], []string{text, label})
		}
	}
	return corpus, nil
}

func sortedKeys(m map[string][][]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func isOOSLabel(l string) bool { return l == "oos" || l == "None" }

func gather(corpus map[string][][]string, keys []string, oos bool) []evalItem {
	var out []evalItem
	for _, k := range keys {
		for _, p := range corpus[k] {
			out = append(out, evalItem{text: p[0], label: p[1], oos: oos || isOOSLabel(p[1])})
		}
	}
	return out
}

// limitPerLabel keeps the first n items of each in-scope label, in corpus
// order, and every out-of-scope item.
func limitPerLabel(items []evalItem, n int) []evalItem {
	if n <= 0 {
		return items
	}
	seen := map[string]int{}
	var out []evalItem
	for _, it := range items {
		if it.oos || seen[it.label] < n {
			seen[it.label]++
			out = append(out, it)
		}
	}
	return out
}

func examples(items []evalItem, negatives bool) []nlu.Example {
	var out []nlu.Example
	for _, it := range items {
		switch {
		case !it.oos:
			out = append(out, nlu.Example{Label: it.label, Text: it.text})
		case negatives:
			out = append(out, nlu.Example{Label: nlu.OutOfScope, Text: it.text})
		}
	}
	return out
}

// predictAll predicts every item; with lat non-nil it appends each
// prediction's latency in microseconds.
func predictAll(ctx context.Context, m *nlu.Matcher, items []evalItem, lat *[]float64) []evalPred {
	preds := make([]evalPred, 0, len(items))
	for i, it := range items {
		if i%256 == 0 && ctx.Err() != nil {
			return preds
		}
		t0 := time.Now()
		ms := m.Predict(it.text, nlu.Set{})
		d := time.Since(t0)
		if lat != nil {
			*lat = append(*lat, float64(d.Nanoseconds())/1e3)
		}
		p := evalPred{item: it}
		if len(ms) > 0 {
			p.label, p.score = ms[0].Label, ms[0].Score
		}
		preds = append(preds, p)
	}
	return preds
}

// crossValidate predicts every training item with a matcher trained on the
// other folds (item i is in fold i mod k).
func crossValidate(ctx context.Context, items []evalItem, k int, negatives bool, opts []nlu.Option) ([]evalPred, error) {
	var preds []evalPred
	for f := 0; f < k; f++ {
		var tr, te []evalItem
		for i, it := range items {
			if i%k == f {
				te = append(te, it)
			} else {
				tr = append(tr, it)
			}
		}
		m, err := nlu.Train(examples(tr, negatives), opts...)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", f, err)
		}
		preds = append(preds, predictAll(ctx, m, te, nil)...)
	}
	return preds, ctx.Err()
}

type evalResult struct {
	inScopeAcc, oosRecall, oosPrecision, overallAcc, inScopeArgmax float64
	nIn, nOOS                                                      int
}

// score computes the figures at threshold t: a prediction is out-of-scope
// when there is no match or its score is under t.
func score(preds []evalPred, t float64) evalResult {
	var r evalResult
	var inOK, inArg, oosHit, oosPred, allOK int
	for _, p := range preds {
		predOOS := p.label == "" || p.score < t
		if predOOS {
			oosPred++
		}
		if p.item.oos {
			r.nOOS++
			if predOOS {
				oosHit++
				allOK++
			}
			continue
		}
		r.nIn++
		if p.label == p.item.label {
			inArg++
			if !predOOS {
				inOK++
				allOK++
			}
		}
	}
	div := func(a, b int) float64 {
		if b == 0 {
			return math.NaN()
		}
		return float64(a) / float64(b)
	}
	r.inScopeAcc, r.inScopeArgmax = div(inOK, r.nIn), div(inArg, r.nIn)
	r.oosRecall, r.oosPrecision = div(oosHit, r.nOOS), div(oosHit, oosPred)
	r.overallAcc = div(allOK, len(preds))
	return r
}

// writeDump writes preds to path, one JSON object a line, with the keys of
// the nlp.js harness's --dump, so that the two engines' answers to the same
// queries can be compared one by one.
func writeDump(path string, preds []evalPred) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, p := range preds {
		var intent *string
		if p.label != "" {
			intent = &p.label
		}
		line := struct {
			Text    string  `json:"text"`
			Gold    string  `json:"gold"`
			GoldOOS bool    `json:"gold_oos"`
			Intent  *string `json:"intent"`
			Score   float64 `json:"score"`
		}{p.item.text, p.item.label, p.item.oos, intent, p.score}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// chooseThreshold returns the threshold that maximises accuracy with
// out-of-scope as one extra class (Larson et al. 2019), the lowest one on
// ties, and that accuracy. Candidates are 0 and the midpoints between
// consecutive distinct scores, as in the nlp.js harness.
func chooseThreshold(preds []evalPred) (float64, float64) {
	scores := []float64{0}
	for _, p := range preds {
		scores = append(scores, p.score)
	}
	slices.Sort(scores)
	scores = slices.Compact(scores)
	best, bestAcc := 0.0, -1.0
	for i, s := range scores {
		next := s + 1e-6
		if i+1 < len(scores) {
			next = scores[i+1]
		}
		for _, t := range []float64{s, (s + next) / 2} {
			if t > 1 {
				continue
			}
			if acc := score(preds, t).overallAcc; acc > bestAcc+1e-12 {
				best, bestAcc = t, acc
			}
		}
	}
	return best, bestAcc
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(len(sorted)-1, max(0, i))]
}

// round rounds x to d decimals; NaN and infinities become nil (JSON null).
func round(x float64, d int) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	f := math.Pow(10, float64(d))
	r := math.Round(x*f) / f
	return &r
}
