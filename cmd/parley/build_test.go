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
	// chat loads the model; edited bot files make it train instead, and
	// say so on stderr.
	chat := func() ([]string, string) {
		t.Helper()
		code, out, errs := parley(t, []string{"chat", "-memory", bot}, "how much does it cost", "show me the card")
		if code != 0 {
			t.Fatalf("chat: exit %d: %s", code, errs)
		}
		return replyBlocks(out), errs
	}
	if got, errs := chat(); len(got) != 3 || got[1] != "Three euros." || errs != "" {
		t.Errorf("chat with the model: got %q, stderr %q; want the welcome then Three euros., nothing on stderr", got, errs)
	}
	writeFile(t, bot, strings.Replace(buildBot, "show me the menu", "show me the card", 1))
	got, errs := chat()
	if len(got) != 3 || got[2] != "Latte or tea." {
		t.Errorf("chat with a stale model: got %q, want the third reply Latte or tea.", got)
	}
	if want := "parley chat: the compiled model does not serve this bot: training (reason: built from other bot files or by another version of Parley: run parley build again)\n"; errs != want {
		t.Errorf("chat with a stale model: stderr %q, want %q", errs, want)
	}
	checkFailures(t, []failure{
		{"NoBot", []string{"build"}, 2, "parley build: no bot given"},
		{"BadBot", []string{"build", filepath.Join(dir, "missing.yaml")}, 1, ""},
	})
}
