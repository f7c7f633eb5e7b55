package nlu

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestStemmerPanicLogged checks that a stemmer that panics on a word
// leaves the word as written, and says so in the log given WithLogger.
func TestStemmerPanicLogged(t *testing.T) {
	var log bytes.Buffer
	cfg, err := applyOptions([]Option{WithLogger(slog.New(slog.NewTextHandler(&log, nil)))})
	if err != nil {
		t.Fatal(err)
	}
	an := newAnalyzer("english", cfg.log)
	an.stem = func(w string, _ bool) string { panic("index out of range") }
	if got := an.term("running"); got != "running" {
		t.Errorf("term: got %q, want the word as written", got)
	}
	for _, want := range []string{"level=WARN", "the stemmer panicked", "word=running", `panic="index out of range"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log lacks %q; it is %q", want, log.String())
		}
	}
	if _, err := applyOptions([]Option{WithLogger(nil)}); err == nil {
		t.Errorf("WithLogger(nil): got no error")
	}
}
