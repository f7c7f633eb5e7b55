package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleBots runs the conversation tests of the example bots, so that
// they stay green.
func TestExampleBots(t *testing.T) {
	code, out, errs := parley(t, []string{"test", "../../examples/coffee", "../../examples/support/support_test.txtar"})
	if code != 0 {
		t.Fatalf("exit code: got %d, want 0\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ok   ../../examples/coffee/coffee_test.txtar: ") ||
		!strings.HasPrefix(lines[1], "ok   ../../examples/support/support_test.txtar: ") {
		t.Errorf("got %q, want one ok line per file", out)
	}
}

func TestTestOK(t *testing.T) {
	code, out, errs := parley(t, []string{"test", "-v", "testdata/hello_test.txtar"})
	want := `--- ok: welcome and a choice
--- ok: a required parameter
--- ok: errors
ok   testdata/hello_test.txtar: 3 tests, 5 steps
`
	if code != 0 || out != want || errs != "" {
		t.Errorf("got code %d, stdout:\n%s\nstderr: %q\nwant code 0, stdout:\n%s", code, out, errs, want)
	}

	// A bot path may be absolute.
	bot, err := filepath.Abs("testdata/hello.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "abs_test.txtar")
	writeFile(t, file, "bot: "+bot+"\n-- time --\n> what time is it\n  < It is late.\n")
	if code, out, _ := parley(t, []string{"test", file}); code != 0 || out != "ok   "+file+": 1 test, 1 step\n" {
		t.Errorf("absolute bot path: got code %d, %q", code, out)
	}

	code, out, _ = parley(t, []string{"test", "-run", "param", "testdata"})
	if want := "ok   testdata/hello_test.txtar: 1 test, 2 steps\n"; code != 0 || out != want {
		t.Errorf("-run: got code %d, %q, want 0, %q", code, out, want)
	}
}

// TestTestFailures checks the report of every kind of difference.
func TestTestFailures(t *testing.T) {
	code, out, errs := parley(t, []string{"test", "testdata/failing.txtar"})
	want := `--- FAIL: misses (testdata/failing.txtar:4)
    testdata/failing.txtar:5: > /trigger welcome
        interaction: got "Welcome", want "Time"
        context: got "Welcome", want ""
        reply: (- want, + got)
          - Hello!
          + Hello.
            Ask me
              1. Weather
          +   2. Time
    testdata/failing.txtar:11: > how is the weather
        action: got "", want "weather"
        incomplete: got true, want false
        reply: got
          Which city?
        want it to contain "Which town?"
    testdata/failing.txtar:15: > Paris
        error: got none, want "boom"
        params: city: got "Paris", want "London"
        session: checked: got "", want "yes"
--- FAIL: an action that did not happen (testdata/failing.txtar:20)
    testdata/failing.txtar:21: > what time is it
        actions: got "", want "goto:Weather"
--- FAIL: a failing webhook (testdata/failing.txtar:25)
    testdata/failing.txtar:28: > Rome
        error: got "engine: webhook \"forecast\": forecast service down", want none
FAIL testdata/failing.txtar: 3 of 3 tests failed, 5 steps of 6 differ
`
	if code != 1 {
		t.Errorf("exit code: got %d, want 1", code)
	}
	if out != want {
		t.Errorf("stdout: got\n%s\nwant\n%s", out, want)
	}
	if errs != "" {
		t.Errorf("stderr: got %q, want nothing", errs)
	}
}

func TestTestErrors(t *testing.T) {
	dir := t.TempDir()
	bot, _ := filepath.Abs("testdata/hello.yaml")
	files := map[string]string{
		"syntax.txtar": "bot: " + bot + "\nseed: many\nclock: noon\nwho: me\nuser: plan\n-- t --\nparams: a=1\n> hi\n  interaction\n  colour: red\n  incomplete: maybe\n  params: =1\n  session: a=\"b\n>\nwebhook: \nwebhook: h x=1\n",
		"empty.txtar":  "# nothing\n",
		"nobot.txtar":  "bot: missing.yaml\n-- t --\n> hi\n",
	}
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), data)
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"ErrNoArgs", []string{"test"}, 2, "", "parley test: no test file given\nusage: parley test"},
		{"ErrUnknownFlag", []string{"test", "-x", "testdata"}, 2, "", "flag provided but not defined: -x"},
		{"ErrRun", []string{"test", "-run", "(", "testdata"}, 2, "", "parley test: -run: error parsing regexp"},
		{"ErrNoTestFiles", []string{"test", "."}, 1, "", "parley test: .: no *_test.txtar files"},
		{"ErrMissingFile", []string{"test", p("nope.txtar")}, 1, "FAIL " + p("nope.txtar") + ": no such file or directory\n", ""},
		{"ErrMissingBot", []string{"test", p("nobot.txtar")}, 1, "FAIL " + p("nobot.txtar") + ": cannot load the bot:\n    " + p("missing.yaml") + ": cannot read bot file", ""},
		{"ErrEmpty", []string{"test", p("empty.txtar")}, 1, p("empty.txtar") + ":1: no bot: line in the header\n" +
			p("empty.txtar") + ":1: no tests (sections starting at a line \"-- NAME --\")\nFAIL " + p("empty.txtar") + ": bad test file\n", ""},
		{"ErrSyntax", []string{"test", p("syntax.txtar")}, 1, strings.Join([]string{
			p("syntax.txtar") + `:2: seed: "many" is not a number`,
			p("syntax.txtar") + `:3: clock: "noon" is not an RFC 3339 time such as 2026-01-05T10:00:00Z`,
			p("syntax.txtar") + `:4: unknown header line "who: me" (want bot:, seed:, clock:, user: or webhook:)`,
			p("syntax.txtar") + `:5: user: want K=V...`,
			p("syntax.txtar") + `:7: "params: a=1" does not follow a "> LINE"`,
			p("syntax.txtar") + `:9: unknown line "interaction"`,
			p("syntax.txtar") + `:10: unknown expectation "colour" (want interaction, action, incomplete, context, actions, params, session, error, < or ~)`,
			p("syntax.txtar") + `:11: incomplete: "maybe" is not true or false`,
			p("syntax.txtar") + `:12: params: want K=V, got "=1"`,
			p("syntax.txtar") + `:13: session: bad quoted value in "a=\"b"`,
			p("syntax.txtar") + `:14: > needs a line to send`,
			p("syntax.txtar") + `:15: webhook: needs a name`,
			p("syntax.txtar") + `:16: webhook: unknown "x" (want say=, session:K=, user:K= or error=)`,
			"FAIL " + p("syntax.txtar") + ": bad test file\n",
		}, "\n"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := parley(t, tt.args)
			if code != tt.code {
				t.Errorf("exit code: got %d, want %d", code, tt.code)
			}
			if !strings.HasPrefix(out, tt.stdout) || (tt.stdout == "" && out != "") {
				t.Errorf("stdout: got\n%s\nwant\n%s", out, tt.stdout)
			}
			if !strings.HasPrefix(errs, tt.stderr) || (tt.stderr == "" && errs != "") {
				t.Errorf("stderr: got %q, want %q...", errs, tt.stderr)
			}
		})
	}
}

// TestTestUpdate rewrites the expectations of a failing file; what cannot
// be rewritten (~ and error lines) still fails.
func TestTestUpdate(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"failing.txtar", "hello.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(data))
	}
	file := filepath.Join(dir, "failing.txtar")
	code, out, errs := parley(t, []string{"test", "-update", file})
	if code != 1 || errs != "" {
		t.Errorf("got code %d, stderr %q, want 1 and nothing", code, errs)
	}
	if !strings.HasSuffix(out, "FAIL "+file+": 2 of 3 tests failed, 3 steps of 6 differ\n") {
		t.Errorf("got %q, want the three steps -update cannot fix", out)
	}
	orig, _ := os.ReadFile(filepath.Join("testdata", "failing.txtar"))
	want := strings.NewReplacer(
		"  interaction: Time\n  context: \"\"\n  < Hello!\n  < Ask me\n  <   1. Weather\n",
		"  interaction: Welcome\n  context: Welcome\n  < Hello.\n  < Ask me\n  <   1. Weather\n  <   2. Time\n",
		"  action: weather\n  incomplete: false\n", "  action:\n  incomplete: true\n",
		"  params: city=London\n  session: checked=yes\n", "  params: city=Paris\n  session: checked=\n",
		"  actions: goto:Weather\n", "  actions:\n",
	).Replace(string(orig))
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("rewritten file:\n%s\nwant\n%s", got, want)
	}
}
