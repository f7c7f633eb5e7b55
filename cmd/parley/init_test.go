package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInit writes the starter bot and checks that what it writes passes
// parley check, parley test and parley graph at once, and that a second
// init refuses to overwrite it.
func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mybot")
	code, out, errs := parley(t, []string{"init", dir})
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, errs)
	}
	for _, f := range []string{"bot.yaml", "bot_test.txtar", "README.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("init wrote no %s: %v", f, err)
		}
	}
	if !strings.Contains(out, "parley test .") {
		t.Errorf("init does not say what to run next:\n%s", out)
	}
	for _, args := range [][]string{
		{"check", dir},
		{"test", dir},
		{"graph", filepath.Join(dir, "bot.yaml")},
	} {
		if code, out, errs := parley(t, args); code != 0 {
			t.Errorf("%s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
	}
	code, _, errs = parley(t, []string{"init", dir})
	if code != 1 || !strings.Contains(errs, "exists: move it away") {
		t.Errorf("init over an existing bot: got exit %d, %q; want 1 and a refusal", code, errs)
	}
}

// TestGraph draws the coffee kiosk in both formats and checks the parts a
// reader needs: the story, a follow-up, a trigger, a button jump, a
// webhook and the hand-off.
func TestGraph(t *testing.T) {
	bot := filepath.Join("..", "..", "examples", "coffee", "bot.yaml")
	for _, c := range []struct {
		format string
		want   []string
	}{
		{"mermaid", []string{
			"flowchart TD",
			`subgraph s0["Coffee kiosk"]`,
			`i0(["Welcome"])`,
			`i16{{"Fallback"}}`,
			"i1 --> i2",                   // Order drink → its follow-up Confirm order
			`x1>"event drink_ready"]`,     // a trigger
			"x1 ==> i5",                   // … selects Drink ready
			`i0 -.->|"Order a drink"| i1`, // a button
			`i2 -.-> x0`,                  // Confirm order calls the brew webhook
			`i15 -.->|"hand-off"| x3`,     // Talk to staff hands off
		}},
		{"dot", []string{
			"digraph bot {",
			`subgraph cluster_s0 {`,
			`i0 [label="Welcome", shape=box, style="rounded,bold"];`,
			"i1 -> i2;",
			`x1 -> i5 [style=bold];`,
			`i0 -> i1 [label="Order a drink", style=dashed];`,
			`i15 -> x3 [label="hand-off", style=dashed];`,
		}},
	} {
		t.Run(c.format, func(t *testing.T) {
			code, out, errs := parley(t, []string{"graph", bot, "-format", c.format})
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	if code, _, errs := parley(t, []string{"graph", "-format", "svg", bot}); code != 2 || !strings.Contains(errs, "-format") {
		t.Errorf("graph -format svg: got exit %d, %q; want 2 naming -format", code, errs)
	}
}
