package engine_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/story"
)

// TestEntityLimits compiles a bot whose entity is as large as story lets
// it be: whatever loads must also compile. (The story's limits once allowed
// more synonyms and values than the NLU's dictionaries: such a bot loaded,
// then failed in engine.New without naming a file or line.)
func TestEntityLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("entities:\n  - name: drink\n    values:\n")
	for v := range story.MaxEntityValues {
		fmt.Fprintf(&b, "      - value: drink%d\n", v)
		if v == 0 {
			b.WriteString("        synonyms: [")
			for s := range story.MaxSynonyms {
				if s > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "other%d", s)
			}
			b.WriteString("]\n")
		}
	}
	b.WriteString(echoBot)
	bot := loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(b.String())}})
	if _, err := engine.New(openMemory(t), bot); err != nil {
		t.Fatalf("a bot at story's entity limits does not compile: %v", err)
	}
}
