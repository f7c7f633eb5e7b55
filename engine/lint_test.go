package engine_test

import (
	"strings"
	"testing"

	"github.com/parleybot/parley/engine"
)

func TestLint(t *testing.T) {
	const head = `settings: {language: english, languages: [spanish]}
entities:
  - {name: size, values: [small, {value: large, synonyms: [big, grande]}]}
  - {name: drink, values: [latte, {value: espresso, synonyms: [expreso]}]}
stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hi}]}
      - name: Order
        parameters: [{name: size, entity: size}, {name: drink, entity: drink}, {name: n, entity: sys.number}, {name: name, entity: sys.any}]
        responses: [{text: OK}]
        says:
`
	const tail = `      - {name: Fallback, role: else, responses: [{text: Sorry}]}
`
	for _, tc := range []struct {
		name, says string
		want       []string // each warning's message, in part
	}{
		{"Values", `          english: ["a [large](size) [latte](drink)", "[two](n) [lattes](drink) for [Bob](name)"]`, nil},
		{"Synonyms", `          english: ["a [big](size) [expreso](drink)", "a [Grande](size) one"]`, nil},
		{"Typo", `          english: ["a [smal](size) latte"]`, nil}, // as the dictionary reads a typo of "small"
		{"NotAValue", `          english: ["a [tall](size) latte"]`, []string{`bot.yaml:9:9: interaction "Order": says "a tall latte": [tall](size) is not a value of size`, `add it to the values or synonyms of entity "size"`}},
		{"NotANumber", `          english: ["[a few](n) lattes"]`, []string{`[a few](n) is not a value of sys.number`, "mark a sys.number there"}},
		{"Language", `          english: ["[two](n) lattes"]
          spanish: ["[dos](n) cafés", "[two](n) cafés"]`, []string{`says "two cafés": [two](n) is not a value of sys.number`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bot := loadModelBot(t, head+tc.says+"\n"+tail)
			var got []string
			for _, w := range engine.Lint(bot) {
				got = append(got, w.Error())
			}
			if len(tc.want) == 0 {
				if len(got) != 0 {
					t.Errorf("got %q, want no warning", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("got %q, want one warning", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got[0], w) {
					t.Errorf("got %q, want %q in it", got[0], w)
				}
			}
		})
	}
}
