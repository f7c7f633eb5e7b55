package nlu_test

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parleybot/parley/nlu"
)

// TestDetectCorpora measures DetectLanguage on the corpora in the
// directory $PARLEY_DETECT_CORPORA (skipped without it), each file named
// after its language up to a dash or a dot ("spanish-corpus50.json",
// "german-canteen.txt"): a corpus in the CLINC150 layout (the texts of
// every key) or one phrase a line. Each corpus must be named right whole,
// and no bot of k phrases drawn from it (200 draws for each k, the
// draws fixed) named wrong; the counts of bots named and undecided are
// logged (go test -v).
func TestDetectCorpora(t *testing.T) {
	dir := os.Getenv("PARLEY_DETECT_CORPORA")
	if dir == "" {
		t.Skip("PARLEY_DETECT_CORPORA is not set")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpora in %s (%v)", dir, err)
	}
	sizes := []int{1, 3, 5, 10, 20, 50}
	named := make([]int, len(sizes))
	draws := 0
	for _, path := range files {
		base := filepath.Base(path)
		want := base[:strings.IndexAny(base+".", "-.")]
		texts := corpusTexts(t, path)
		d := nlu.DetectLanguage(texts...)
		t.Logf("%s: %d phrases: %v", base, len(texts), d)
		if d.Language != want {
			t.Errorf("%s: got %v, want %s", base, d, want)
		}
		for i, k := range sizes {
			if k > len(texts) {
				continue
			}
			r := rand.New(rand.NewPCG(1, uint64(k)))
			right, undecided := 0, 0
			for range 200 {
				var bot []string
				for _, j := range r.Perm(len(texts))[:k] {
					bot = append(bot, texts[j])
				}
				switch d := nlu.DetectLanguage(bot...); d.Language {
				case want:
					right++
				case "":
					undecided++
				default:
					t.Errorf("%s: %d phrases %q: got %v, want %s or undecided", base, k, bot, d, want)
				}
			}
			named[i] += right
			t.Logf("  bots of %d phrases: %d named right, %d undecided", k, right, undecided)
		}
		draws += 200
	}
	for i, k := range sizes {
		t.Logf("all: bots of %d phrases: %d of %d named right", k, named[i], draws)
	}
}

// corpusTexts reads the texts of a corpus: every text of a JSON file in
// the CLINC150 layout, or each non-empty line.
func corpusTexts(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	if strings.HasSuffix(path, ".json") {
		var c map[string][][]string
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, k := range slices.Sorted(maps.Keys(c)) {
			for _, it := range c[k] {
				texts = append(texts, it[0])
			}
		}
		return texts
	}
	for l := range strings.SplitSeq(string(data), "\n") {
		if strings.TrimSpace(l) != "" {
			texts = append(texts, l)
		}
	}
	return texts
}
