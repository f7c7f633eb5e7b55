package story_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

// TestSettingsBounds loads the numeric settings at their bounds, which
// are allowed, and just past them, which are refused naming the setting.
func TestSettingsBounds(t *testing.T) {
	const bot = `
settings: {%s}
stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, responses: [{text: hi}]}
      - {name: Fallback, role: else, responses: [{text: what}]}
`
	for _, c := range []struct {
		setting string
		want    string // "" if it loads
	}{
		{"confidence: 0.1", ""},
		{"confidence: 1", ""},
		{"confidence: 1.0", ""},
		{"confidence: 0.09", "confidence is 0.09, outside 0.1 to 1"},
		{"confidence: 1.01", "confidence is 1.01, outside 0.1 to 1"},
		{"lifespan: 1", ""},
		{"lifespan: 10", ""},
		{"lifespan: 0", "lifespan is 0, outside 1 to 10"},
		{"lifespan: 11", "lifespan is 11, outside 1 to 10"},
	} {
		t.Run(c.setting, func(t *testing.T) {
			src := strings.Replace(bot, "%s", c.setting, 1)
			b, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(src)}}, "bot.yaml")
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("got %v, want the bot", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, %v; want an error containing %q", b, err, c.want)
			}
		})
	}
}
