package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const buildBot = `stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - {name: Menu, says: [what drinks do you have, show me the menu], responses: [{text: "Latte or tea."}]}
      - {name: Price, says: [how much is a latte, what does it cost], responses: [{text: "Three euros."}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	bot := filepath.Join(dir, "coffee.yaml")
	writeFile(t, bot, buildBot)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"File", []string{"build", bot}, filepath.Join(dir, "coffee.model")},
		{"Dir", []string{"build", dir}, filepath.Join(dir, "bot.model")},
		{"Out", []string{"build", bot, "-o", filepath.Join(dir, "x.bin")}, filepath.Join(dir, "x.bin")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := parley(t, tc.args)
			if code != 0 || !strings.HasPrefix(out, tc.want+": ") {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and %q...", code, out, errs, tc.want)
			}
			if info, err := os.Stat(tc.want); err != nil || info.Size() == 0 {
				t.Errorf("model: %v", err)
			}
		})
	}
	// chat loads the model; edited bot files make it train instead.
	chat := func() []string {
		t.Helper()
		code, out, errs := parley(t, []string{"chat", "-memory", bot}, "how much does it cost", "show me the card")
		if code != 0 {
			t.Fatalf("chat: exit %d: %s", code, errs)
		}
		return replyBlocks(out)
	}
	if got := chat(); len(got) != 3 || got[1] != "Three euros." {
		t.Errorf("chat with the model: got %q, want the welcome then Three euros.", got)
	}
	writeFile(t, bot, strings.Replace(buildBot, "show me the menu", "show me the card", 1))
	if got := chat(); len(got) != 3 || got[2] != "Latte or tea." {
		t.Errorf("chat with a stale model: got %q, want the third reply Latte or tea.", got)
	}
	checkFailures(t, []failure{
		{"NoBot", []string{"build"}, 2, "parley build: no bot given"},
		{"BadBot", []string{"build", filepath.Join(dir, "missing.yaml")}, 1, ""},
	})
}
