package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tinyCorpus is a corpus in the CLINC150 layout, small enough to train on in
// a test.
const tinyCorpus = `{
  "train": [["i want a coffee", "order"], ["can i get a latte", "order"], ["one cappuccino please", "order"],
            ["when are you open", "hours"], ["what time do you close", "hours"], ["opening hours please", "hours"],
            ["tell me a joke", "oos"]],
  "val": [["a latte please", "order"], ["are you open today", "hours"]],
  "oos_val": [["what is the capital of france", "oos"]],
  "test": [["i would like a cappuccino", "order"], ["when do you close", "hours"], ["who won the game", "None"]],
  "oos_test": [["how tall is mount everest", "oos"]]
}`

func TestEval(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corpus.json")
	writeFile(t, path, tinyCorpus)
	code, out, errs := parley(t, []string{"eval", "-corpus", path})
	if code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, errs)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	// The nlp.js harness's keys in its order, then Parley's.
	wantKeys := []string{
		"system", "corpus", "train_keys", "test_keys", "n_train", "n_intents_train", "train_s",
		"threshold", "threshold_source", "in_scope_accuracy", "oos_recall", "oos_precision",
		"overall_accuracy", "in_scope_accuracy_no_threshold", "at_threshold_0_5", "n_in_scope_test",
		"n_oos_test", "queries", "mean_latency_us", "p50_latency_us", "p99_latency_us", "peak_rss_mb",
		"go", "language", "language_source", "val_overall_accuracy", "train_cpu_s", "negatives", "model_mb",
	}
	if keys := topKeys(t, out); !slices.Equal(keys, wantKeys) {
		t.Errorf("keys:\ngot  %q\nwant %q", keys, wantKeys)
	}
	if got["n_in_scope_test"] != 2.0 || got["n_oos_test"] != 2.0 || got["queries"] != 4.0 {
		t.Errorf("test split: got %v in-scope, %v out-of-scope, %v queries; want 2, 2 and 4", got["n_in_scope_test"], got["n_oos_test"], got["queries"])
	}
	if src, _ := got["threshold_source"].(string); !strings.Contains(src, "val+oos_val") {
		t.Errorf("threshold_source = %q, want it chosen on val+oos_val", src)
	}
	if got["in_scope_accuracy"] != 1.0 {
		t.Errorf("in_scope_accuracy = %v, want 1", got["in_scope_accuracy"])
	}

	// Without a validation split the threshold comes from cross-validation.
	code, out, errs = parley(t, []string{"eval", "-corpus", path, "-val=", "-oos-val=", "-cv", "2"})
	if code != 0 || !strings.Contains(out, "2-fold cross-validation on train") {
		t.Errorf("cross-validation: exit code %d, stdout %s, stderr %s", code, out, errs)
	}
	// It reports how often the cross-validation ranked the right intent
	// first: a share of the training keys' in-scope items.
	var cv map[string]any
	if err := json.Unmarshal([]byte(out), &cv); err != nil {
		t.Fatalf("cross-validation: output is not JSON: %v\n%s", err, out)
	}
	if a, ok := cv["cv_in_scope_accuracy_no_threshold"].(float64); !ok || a < 0 || a > 1 || math.Abs(a*6-math.Round(a*6)) > 0.01 {
		t.Errorf("cross-validation: cv_in_scope_accuracy_no_threshold = %v, want a share of the 6 in-scope training items", cv["cv_in_scope_accuracy_no_threshold"])
	}
	code, out, errs = parley(t, []string{"eval", "-corpus", path, "-threshold", "0.5"})
	if code != 0 || !strings.Contains(out, `"threshold": 0.5,`) {
		t.Errorf("-threshold: exit code %d, stdout %s, stderr %s", code, out, errs)
	}
}

// spanishCorpus is a small Spanish corpus: its training phrases are
// clearly Spanish.
const spanishCorpus = `{
  "train": [["quiero pedir una pizza grande", "order"], ["me gustaría pedir algo para cenar", "order"],
            ["quiero una pizza con queso", "order"], ["puedo pedir dos pizzas", "order"],
            ["dónde está mi pedido", "status"], ["cuándo llega mi pedido", "status"],
            ["mi pedido no ha llegado todavía", "status"], ["cuánto tarda el envío a mi casa", "status"],
            ["a qué hora abren los domingos", "hours"], ["están abiertos hoy por la noche", "hours"],
            ["cuál es el horario de la tienda", "hours"], ["hasta qué hora puedo pedir", "hours"]],
  "test": [["quiero pedir pizzas", "order"], ["dónde está el pedido", "status"], ["a qué hora cierran", "hours"]]
}`

// TestEvalLanguage checks that eval without -language trains in the
// language detected from the training items when it is clear, says so,
// keeps english when it is not, and that -language overrides both.
func TestEvalLanguage(t *testing.T) {
	dir := t.TempDir()
	es, en := filepath.Join(dir, "es.json"), filepath.Join(dir, "en.json")
	writeFile(t, es, spanishCorpus)
	writeFile(t, en, tinyCorpus)
	for _, tc := range []struct {
		name, corpus string
		args         []string
		want, source string
	}{
		{"Detected", es, nil, "spanish", "detected from the training items (spanish, "},
		{"Undecided", en, nil, "english", "default, the training items' language undecided"},
		{"Flag", es, []string{"-language", "en"}, "english", "-language"},
		{"FlagUndecided", en, []string{"-language", "german"}, "german", "-language"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"eval", "-corpus", tc.corpus, "-val=", "-oos-val=", "-threshold", "0.5"}, tc.args...)
			code, out, errs := parley(t, args)
			if code != 0 {
				t.Fatalf("exit code %d, stderr %s", code, errs)
			}
			var got struct {
				Language string `json:"language"`
				Source   string `json:"language_source"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			if got.Language != tc.want || !strings.HasPrefix(got.Source, tc.source) {
				t.Errorf("got language %q (%s), want %q (%s...)", got.Language, got.Source, tc.want, tc.source)
			}
		})
	}
}

// TestEvalRefit checks that -refit tests a model trained on the training
// and validation items, and gives the figures of the model trained on the
// training items alone next to its own.
func TestEvalRefit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corpus.json")
	writeFile(t, path, tinyCorpus)
	code, out, errs := parley(t, []string{"eval", "-corpus", path, "-refit"})
	if code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, errs)
	}
	var got struct {
		NTrain int `json:"n_train"`
		Refit  *struct {
			NTrain    int                 `json:"n_train"`
			TrainOnly map[string]*float64 `json:"train_only"`
		} `json:"refit"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Refit == nil {
		t.Fatalf("no refit in %s", out)
	}
	// 7 training items and the 2 in-scope validation items; the
	// out-of-scope one chose the threshold and is not trained on.
	if got.NTrain != 7 || got.Refit.NTrain != 9 {
		t.Errorf("n_train %d, refit.n_train %d; want 7 and 9", got.NTrain, got.Refit.NTrain)
	}
	for _, k := range []string{"in_scope_accuracy", "oos_recall", "overall_accuracy", "in_scope_accuracy_no_threshold"} {
		if v := got.Refit.TrainOnly[k]; v == nil || *v < 0 || *v > 1 {
			t.Errorf("refit.train_only.%s = %v, want a share", k, v)
		}
	}
	// An intent that only the validation split has: the refitted model
	// knows it, the model trained on train alone cannot.
	onlyVal := filepath.Join(t.TempDir(), "onlyval.json")
	writeFile(t, onlyVal, `{
  "train": [["i want a coffee", "order"], ["can i get a latte", "order"], ["when are you open", "hours"], ["what time do you close", "hours"]],
  "val": [["a latte please", "order"], ["espresso macchiato doppio", "espresso"]],
  "test": [["espresso macchiato doppio", "espresso"]]
}`)
	code, out, errs = parley(t, []string{"eval", "-corpus", onlyVal, "-refit"})
	var only struct {
		InScope float64 `json:"in_scope_accuracy"`
		Refit   struct {
			TrainOnly struct {
				InScope float64 `json:"in_scope_accuracy"`
			} `json:"train_only"`
		} `json:"refit"`
	}
	if err := json.Unmarshal([]byte(out), &only); code != 0 || err != nil {
		t.Fatalf("exit code %d, %v, stdout %s, stderr %s", code, err, out, errs)
	}
	if only.InScope != 1 || only.Refit.TrainOnly.InScope != 0 {
		t.Errorf("an intent only val has: in scope %v refitted, %v trained on train alone; want 1 and 0", only.InScope, only.Refit.TrainOnly.InScope)
	}
	// Without -refit there is no refit key.
	_, out, _ = parley(t, []string{"eval", "-corpus", path})
	if strings.Contains(out, `"refit"`) {
		t.Errorf("refit figures without -refit:\n%s", out)
	}
}

// topKeys returns the keys of the JSON object out, in order.
func topKeys(t *testing.T, out string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	if _, err := dec.Token(); err != nil { // {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestEvalErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	writeFile(t, good, tinyCorpus)
	notJSON := filepath.Join(dir, "bad.json")
	writeFile(t, notJSON, "{nope")
	badItem := filepath.Join(dir, "item.json")
	writeFile(t, badItem, `{"train": [["only text"]]}`)
	noTrain := filepath.Join(dir, "notrain.json")
	writeFile(t, noTrain, `{"val": [["hi", "greet"]]}`)
	checkFailures(t, []failure{
		{"ErrNoCorpus", []string{"eval"}, 2, "parley eval: -corpus is required"},
		{"ErrMissingFile", []string{"eval", "-corpus", filepath.Join(dir, "nope.json")}, 1, "parley eval: read corpus: open " + filepath.Join(dir, "nope.json")},
		{"ErrNotJSON", []string{"eval", "-corpus", notJSON}, 1, "parley eval: corpus " + notJSON + ": want a JSON object"},
		{"ErrBadItem", []string{"eval", "-corpus", badItem}, 1, "parley eval: corpus " + badItem + `: key "train": item 0: want [text, intent], got 1 elements`},
		{"ErrUnknownKey", []string{"eval", "-corpus", good, "-test", "tst"}, 2, "parley eval: -test: corpus " + good + ` has no key "tst" (it has oos_test, oos_val, test, train, val)`},
		{"ErrNoTrain", []string{"eval", "-corpus", noTrain}, 2, "parley eval: -train: no training keys in corpus " + noTrain},
		{"ErrThreshold", []string{"eval", "-corpus", good, "-threshold", "2"}, 2, "parley eval: -threshold 2: want a number in [0, 1]"},
		{"ErrFolds", []string{"eval", "-corpus", good, "-cv", "1"}, 2, "parley eval: -cv 1: want at least 2 folds"},
		{"ErrFoldsMany", []string{"eval", "-corpus", good, "-val=", "-oos-val=", "-cv", "8"}, 2, "parley eval: -cv 8: want at most as many folds as training items (7)"},
		{"ErrPerLabel", []string{"eval", "-corpus", good, "-per-label", "-1"}, 2, "parley eval: -per-label -1: want 0 or more"},
		{"ErrLanguage", []string{"eval", "-corpus", good, "-language", ""}, 2, "parley eval: -language: want a language name"},
		{"ErrArg", []string{"eval", "-corpus", good, "extra"}, 2, `parley eval: unexpected argument "extra"`},
		{"ErrRefitNoTest", []string{"eval", "-corpus", good, "-test=", "-oos-test=", "-refit"}, 2, "parley eval: -refit: corpus " + good + " has no test split"},
		{"ErrRefitNoVal", []string{"eval", "-corpus", good, "-val=", "-refit"}, 2, "parley eval: -refit: no in-scope validation items to train on"},
	})
}

// TestEvalDump checks that -dump writes one line per test query with the
// nlp.js harness's keys, the gold intent and the best match.
func TestEvalDump(t *testing.T) {
	dir := t.TempDir()
	path, dump := filepath.Join(dir, "corpus.json"), filepath.Join(dir, "preds.jsonl")
	writeFile(t, path, tinyCorpus)
	if code, out, errs := parley(t, []string{"eval", "-corpus", path, "-dump", dump}); code != 0 {
		t.Fatalf("exit code %d, stdout %s, stderr %s", code, out, errs)
	}
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want one per test query (4):\n%s", len(lines), b)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatalf("line 1 is not JSON: %v: %s", err, lines[0])
	}
	if keys := topKeys(t, lines[0]); !slices.Equal(keys, []string{"text", "gold", "gold_oos", "intent", "score"}) {
		t.Errorf("keys %q, want the nlp.js harness's", keys)
	}
	if first["text"] != "i would like a cappuccino" || first["gold"] != "order" || first["gold_oos"] != false || first["intent"] != "order" {
		t.Errorf("line 1 = %s, want the cappuccino, gold order, answered order", lines[0])
	}
	if s, ok := first["score"].(float64); !ok || s <= 0 || s > 1 {
		t.Errorf("line 1 score = %v, want a score in (0, 1]", first["score"])
	}
	var last map[string]any
	if err := json.Unmarshal([]byte(lines[3]), &last); err != nil || last["gold"] != "oos" || last["gold_oos"] != true {
		t.Errorf("line 4 = %s (%v), want the out-of-scope test query, gold_oos true", lines[3], err)
	}

	code, _, errs := parley(t, []string{"eval", "-corpus", path, "-dump", filepath.Join(dir, "no", "such", "dir", "p.jsonl")})
	if code != 1 || !strings.Contains(errs, "parley eval: -dump: open ") {
		t.Errorf("unwritable -dump: exit code %d, stderr %s; want 1 and the error", code, errs)
	}
}
