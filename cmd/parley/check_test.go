package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	coffeeTraining  = "  training: under 0.1 s and 1 MB on a 2-core server (0.0% of the limit)\n"
	supportTraining = "  training: under 0.1 s and 1 MB on a 2-core server (0.0% of the limit)\n"
)

// hookedStories is a story whose interactions call the webhooks brew and
// status.
const hookedStories = `stories:
  - name: S
    interactions:
      - {name: Hi, role: start}
      - {name: Brew, says: [a coffee, an espresso, a tea, a latte, a mocha], responses: [{webhook: brew}]}
      - {name: Status, says: [status, how are you, state, health, ready], responses: [{webhook: status}]}
      - {name: Else, role: else}
`

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("stories:\n  - name: S\n    interactions:\n      - {name: Hi, role: start, sayz: [hi]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	marked := func(name, says string) string {
		path := filepath.Join(dir, name+".yaml")
		bot := "stories:\n  - name: S\n    interactions:\n      - {name: Hi, role: start}\n" +
			"      - {name: Order, says: [" + says + "], parameters: [{name: size, entity: sys.number}]}\n" +
			"      - {name: Else, role: else}\n"
		if err := os.WriteFile(path, []byte(bot), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// Bots whose interactions call the webhooks brew and status, with
	// the given settings.
	hooks := func(name, settings string) string {
		path := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(path, []byte(settings+hookedStories), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	hooked := hooks("hooked", "settings: {confidence: 0.6}\n")
	urls := hooks("urls", `settings:
  confidence: 0.6
  webhooks: {status: "https://ops.example/status", brwe: "https://kitchen.example/brew", shop: "ftp://shop.example"}
`)
	urlsOK := hooks("urls-ok", `settings:
  confidence: 0.6
  webhooks: {status: "https://ops.example/status", brwe: "https://kitchen.example/brew"}
`)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr []string
	}{
		{"OK", []string{"check", "../../examples/coffee/bot.yaml", "../../examples/support/bot.yaml"}, 0,
			"../../examples/coffee/bot.yaml: ok: 1 story, 17 interactions, 126 phrases, 4 entities\n" + coffeeTraining +
				"../../examples/support/bot.yaml: ok: 2 stories, 13 interactions, 84 phrases, 0 entities\n" + supportTraining, nil},
		{"OKDirectory", []string{"check", "../../examples/coffee"}, 0, "../../examples/coffee: ok: 1 story, 17 interactions, 126 phrases, 4 entities\n" + coffeeTraining, nil},
		{"ErrBadFile", []string{"check", bad}, 1, "", []string{
			bad + `:2:11: story "S" has no fallback interaction`,
			bad + `:4:33: unknown field "sayz" in interaction`,
		}},
		{"ErrMark", []string{"check", marked("m1", `"a [large](sise)"`)}, 1, "", []string{
			filepath.Join(dir, "m1.yaml") + `:5:33: says "a [large](sise)": mark [large](sise) names no parameter of interaction "Order" (its parameters: size)`,
		}},
		{"ErrUnbalancedMark", []string{"check", marked("m2", `"a [large"`)}, 1, "", []string{
			filepath.Join(dir, "m2.yaml") + `:5:33: says "a [large": '[' is never closed: [value](parameter)`,
		}},
		{"WarnLiteralTemplate", []string{"check", marked("m3", `"a {{size}} one"`)}, 0,
			filepath.Join(dir, "m3.yaml") + ": ok: 1 story, 3 interactions, 1 phrase, 0 entities\n  training: under 0.1 s and 1 MB on a 2-core server (0.0% of the limit)\n", []string{
				filepath.Join(dir, "m3.yaml") + `:5:33: says "a {{size}} one": {{size}} is matched as literal text; mark an entity value as [value](parameter) (warning)`,
			}},
		{"WarnMarkNotAValue", []string{"check", marked("m5", `"[a few](size) lattes"`)}, 0,
			filepath.Join(dir, "m5.yaml") + ": ok: 1 story, 3 interactions, 1 phrase, 0 entities\n  training: under 0.1 s and 1 MB on a 2-core server (0.0% of the limit)\n", []string{
				filepath.Join(dir, "m5.yaml") + `:2:5: story "S": 1 interaction(s) with 1.0 phrases each on average`,
				filepath.Join(dir, "m5.yaml") + `:5:9: interaction "Order": says "a few lattes": [a few](size) is not a value of sys.number, so no message fills size with it`,
			}},
		{"WarnLint", []string{"check", marked("m4", `"a big one", "a big one "`)}, 0,
			filepath.Join(dir, "m4.yaml") + ": ok: 1 story, 3 interactions, 2 phrases, 0 entities\n  training: under 0.1 s and 1 MB on a 2-core server (0.0% of the limit)\n", []string{
				filepath.Join(dir, "m4.yaml") + `:2:5: story "S": 1 interaction(s) with 2.0 phrases each on average, matched at the default confidence 0.5`,
			}},
		{"StrictWebhooks", []string{"check", "-strict", "-webhooks", "brew", hooked}, 1,
			hooked + ": ok: 1 story, 4 interactions, 10 phrases, 0 entities\n" + coffeeTraining, []string{
				hooked + `:7:87: interaction "Status" calls webhook status, which the host does not register (brew): the bot skips it (warning)`,
			}},
		{"ErrWebhookURL", []string{"check", urls}, 1, "", []string{
			urls + `:3:96: webhook "shop" url "ftp://shop.example" is not an http or https URL with a host`,
		}},
		{"WarnWebhookURLs", []string{"check", "-webhooks", "brew", urlsOK}, 0,
			urlsOK + ": ok: 1 story, 4 interactions, 10 phrases, 0 entities\n" + coffeeTraining, []string{
				urlsOK + `:3:52: webhook brwe has a URL under settings webhooks, but no webhook action calls it (the bot calls: brew, status) (warning)`,
			}},
		{"ErrMissingFile", []string{"check", filepath.Join(dir, "nope.yaml")}, 1, "", []string{filepath.Join(dir, "nope.yaml") + ": cannot read bot file"}},
		{"ErrNoArgs", []string{"check"}, 2, "", []string{"parley check: no bot given", "usage: parley check"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code: got %d, want %d (stderr: %s)", code, tt.code, stderr.String())
			}
			if stdout.String() != tt.stdout {
				t.Errorf("stdout: got %q, want %q", stdout.String(), tt.stdout)
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			for i, want := range tt.stderr {
				if i >= len(lines) || !strings.HasPrefix(lines[i], want) {
					t.Errorf("stderr line %d: got %q, want %q...", i, strings.Join(lines, "\n"), want)
				}
			}
		})
	}
}
