package story_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

// sizedStory writes a story of n interactions of p phrases each.
func sizedStory(name string, n, p int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "stories:\n  - name: %s\n    interactions:\n", name)
	fmt.Fprintf(&b, "      - {name: Welcome, role: start, responses: [{text: hi}]}\n      - {name: Fallback, role: else, responses: [{text: what}]}\n")
	for i := range n {
		fmt.Fprintf(&b, "      - name: I%d\n        responses: [{text: ok}]\n        says:\n", i)
		for j := range p {
			fmt.Fprintf(&b, "          - %s word%d thing%d\n", name, i, j)
		}
	}
	return b.String()
}

// TestBotSize: a bot whose files each keep to the limits but
// together go over the bot's is refused, naming the story that takes it
// over, with its position; Size measures it.
func TestBotSize(t *testing.T) {
	fsys := fstest.MapFS{}
	for f := range 6 {
		fsys[fmt.Sprintf("part%d.yaml", f)] = &fstest.MapFile{Data: []byte(sizedStory(fmt.Sprintf("S%d", f), 50, 200))}
	}
	_, err := story.Load(fsys, ".")
	var se *story.Error
	if !errors.As(err, &se) || se.File != "part5.yaml" || se.Line != 2 ||
		!strings.Contains(se.Msg, "training phrases to 60000, more than 50000") {
		t.Errorf("6 stories of 10,000 phrases: got %v, want the phrases' limit at part5.yaml:2", err)
	}
	delete(fsys, "part5.yaml")
	b, err := story.Load(fsys, ".")
	if err != nil {
		t.Fatalf("5 stories of 10,000 phrases: %v", err)
	}
	if sz := b.Size(); sz.Phrases != 50000 || sz.Stories != 5 || sz.Interactions != 5*52 || sz.TrainingPairs != 5*50*10000 {
		t.Errorf("got size %+v", sz)
	}

	// 710 labels × 14,200 phrases in one story.
	_, err = story.Load(fstest.MapFS{"big.yaml": {Data: []byte(sizedStory("Big", 710, 20))}}, "big.yaml")
	if !errors.As(err, &se) || se.File != "big.yaml" || !strings.Contains(se.Msg, "training work to 10,082,000") {
		t.Errorf("710 interactions of 20 phrases: got %v, want the training work's limit", err)
	}
}
