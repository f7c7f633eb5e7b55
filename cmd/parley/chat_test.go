package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parley runs the command with args and the lines as its input.
func parley(t *testing.T, args []string, lines ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	in := strings.NewReader(strings.Join(lines, "\n") + "\n")
	code = run(context.Background(), args, in, &out, &errw)
	return code, out.String(), errw.String()
}

// replyBlocks splits the output of parley chat into its reply blocks.
func replyBlocks(out string) []string {
	return strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n")
}

// A failure is a run of parley that must exit with code, print nothing
// on stdout, and print stderr first on stderr.
type failure struct {
	name   string
	args   []string
	code   int
	stderr string
}

// checkFailures runs each failure as a subtest named after it, with lines
// as its input.
func checkFailures(t *testing.T, fails []failure, lines ...string) {
	t.Helper()
	for _, f := range fails {
		t.Run(f.name, func(t *testing.T) {
			code, out, errs := parley(t, f.args, lines...)
			if code != f.code {
				t.Errorf("exit code: got %d, want %d (stderr: %s)", code, f.code, errs)
			}
			if !strings.HasPrefix(errs, f.stderr) {
				t.Errorf("stderr: got %q, want %q...", errs, f.stderr)
			}
			if out != "" {
				t.Errorf("stdout: got %q, want nothing", out)
			}
		})
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestChatPipe drives the support bot through a pipe: one block per
// non-empty input line, choices picked by number.
func TestChatPipe(t *testing.T) {
	code, out, errs := parley(t, []string{"chat", "-memory", "../../examples/support/bot.yaml"},
		"3", "", "/debug", "thanks, bye")
	if code != 0 {
		t.Fatalf("exit code: got %d, want 0 (stderr: %s)", code, errs)
	}
	want := []string{
		"Hi there, welcome to Northwind Store support. How can I help?\nPopular topics:\n  1. Track my order\n  2. Returns\n  3. Opening hours\n  4. Talk to an agent",
		"Our support team is available",
		"(debug on)",
		"[Goodbye score=",
	}
	got := replyBlocks(out)
	if len(got) != len(want) {
		t.Fatalf("got %d blocks, want %d:\n%s", len(got), len(want), out)
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("block %d: got %q, want %q...", i+1, got[i], w)
		}
	}
	if want := "parley chat: the bot calls a webhook that is not registered: its actions are skipped (webhook: create_ticket)\n" +
		"parley chat: the bot calls a webhook that is not registered: its actions are skipped (webhook: track_order)\n"; errs != want {
		t.Errorf("stderr: got %q, want %q", errs, want)
	}
}

// TestChatData keeps the store in a directory, and loads a bot from files
// in two directories.
func TestChatData(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bot", "settings.yaml"), "settings: {lifespan: 3}\n")
	writeFile(t, filepath.Join(dir, "stories", "hello.yaml"), `stories:
  - name: Hello
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hello.}]}
      - {name: Weather, says: [how is the weather, is it raining], responses: [{text: Sunny.}]}
      - {name: Fallback, role: else, responses: [{text: "Pardon?"}]}
`)
	data := filepath.Join(dir, "data")
	args := []string{"chat", "-data", data, "-session", "my-session-1",
		filepath.Join(dir, "bot", "settings.yaml"), filepath.Join(dir, "stories")}
	for range 2 { // the second run reopens the store
		code, out, errs := parley(t, args, "is it raining")
		if code != 0 {
			t.Fatalf("exit code: got %d, want 0 (stderr: %s)", code, errs)
		}
		if out != "Hello.\n\nSunny.\n\n" {
			t.Errorf("got %q, want the welcome and the weather", out)
		}
	}
	if _, err := os.Stat(data); err != nil {
		t.Errorf("no store: %v", err)
	}
}

// TestChatLanguage talks in the language -language names, by code or
// name, and refuses one the bot does not speak.
func TestChatLanguage(t *testing.T) {
	dir := t.TempDir()
	bot := filepath.Join(dir, "bot.yaml")
	writeFile(t, bot, `settings: {language: english, languages: [de]}
stories:
  - name: S
    interactions:
      - {name: W, role: start, responses: [{text: Hello.}, {text: Hallo., language: german}]}
      - name: Price
        says: {english: [how much is it, what does it cost], german: [was kostet das, wie teuer ist es]}
        responses: [{text: Three euros.}, {text: Drei Euro., language: de}]
      - {name: F, role: else, responses: [{text: "Pardon?"}, {text: "Wie bitte?", language: german}]}
`)
	for _, lang := range []string{"de", "German", "de-AT"} {
		code, out, errs := parley(t, []string{"chat", "-memory", "-language", lang, bot}, "was kostet das")
		if code != 0 || out != "Hallo.\n\nDrei Euro.\n\n" {
			t.Errorf("-language %s: got %d, %q (stderr %q), want the German welcome and price", lang, code, out, errs)
		}
	}
	if code, out, _ := parley(t, []string{"chat", "-memory", bot}, "how much is it"); code != 0 || out != "Hello.\n\nThree euros.\n\n" {
		t.Errorf("no -language: got %d, %q, want the English welcome and price", code, out)
	}
	checkFailures(t, []failure{
		{"ErrLanguage", []string{"chat", "-memory", "-language", "fr", bot}, 2, "parley chat: -language fr: the bot speaks english, german\n"},
	}, "hi")
}

func TestChatErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "stories:\n  - name: S\n    interactions:\n      - {name: Hi, role: start, sayz: [hi]}\n")
	file := filepath.Join(dir, "file")
	writeFile(t, file, "")
	coffee := "../../examples/coffee/bot.yaml"
	checkFailures(t, []failure{
		{"ErrNoArgs", []string{"chat"}, 2, "parley chat: no bot given\nusage: parley chat"},
		{"ErrUnknownFlag", []string{"chat", "-nope", coffee}, 2, "flag provided but not defined: -nope"},
		{"ErrDataAndMemory", []string{"chat", "-memory", "-data", dir, coffee}, 2, "parley chat: -data and -memory exclude each other"},
		{"ErrSession", []string{"chat", "-memory", "-session", "short", coffee}, 2, "parley chat: -session: sessionId: must be 10 to 64 characters"},
		{"ErrMissingFile", []string{"chat", "-memory", filepath.Join(dir, "nope.yaml")}, 1, filepath.Join(dir, "nope.yaml") + ": cannot read bot file"},
		{"ErrBadFile", []string{"chat", "-memory", bad}, 1, bad + `:2:11: story "S" has no fallback interaction`},
		{"ErrDataIsFile", []string{"chat", "-data", file, coffee}, 1, "parley chat: mkdir " + file},
	}, "hi")
}
