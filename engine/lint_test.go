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

// TestLintLanguage checks the warning about a bot that gives no language
// and whose phrases are clearly in another.
func TestLintLanguage(t *testing.T) {
	const spanish = `stories:
  - name: Pedidos
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hola}]}
      - name: Pedir
        says: ["quiero pedir una pizza grande", "me gustaría pedir algo para cenar", "quiero una pizza con queso", "puedo pedir dos pizzas"]
        responses: [{text: Vale}]
      - name: Estado
        says: ["dónde está mi pedido", "cuándo llega mi pedido", "mi pedido no ha llegado todavía", "cuánto tarda el envío a mi casa"]
        responses: [{text: Ya llega}]
      - name: Horario
        says: ["a qué hora abren los domingos", "están abiertos hoy por la noche", "cuál es el horario de la tienda", "hasta qué hora puedo pedir"]
        responses: [{text: De 12 a 23}]
      - {name: Fallback, role: else, responses: [{text: Perdona}]}
`
	const short = `stories:
  - name: Pedidos
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hola}]}
      - {name: Pedir, says: ["quiero una pizza", "hola", "ok"], responses: [{text: Vale}]}
      - {name: Fallback, role: else, responses: [{text: Perdona}]}
`
	// Spanish, but its function words are Catalan's too ("el", "es",
	// "la", "a"): no language is named.
	const undecided = `stories:
  - name: Tienda
    interactions:
      - {name: Saludo, role: start, says: [hola, buenos días, qué tal, buenas tardes], responses: [{text: Hola}]}
      - {name: Horario, says: [a qué hora abren, cuál es el horario, están abiertos el domingo, hasta qué hora cierran], responses: [{text: De 9 a 20}]}
      - {name: Precio, says: [cuánto cuesta el café, qué precio tiene un té, cuánto vale la leche, es caro], responses: [{text: 2 euros}]}
      - {name: Otro, role: else, responses: [{text: Perdona}]}
`
	// Japanese by its kana, too few phrases to name it: a script that
	// one language writes has no runner-up to name.
	const japanese = `stories:
  - name: カフェ
    interactions:
      - {name: Welcome, role: start, responses: [{text: こんにちは}]}
      - {name: Order, says: [ラテをください, コーヒーください], responses: [{text: はい}]}
      - {name: Fallback, role: else, responses: [{text: すみません}]}
`
	const english = `stories:
  - name: Shop
    interactions:
      - {name: Hello, role: start, says: [hi, hello, good morning, hey there], responses: [{text: Hi}]}
      - {name: Hours, says: [when do you open, what are your opening hours, are you open on sunday, until what time are you open], responses: [{text: 9 to 8}]}
      - {name: Price, says: [how much is a coffee, what does a tea cost, how much is the milk, is it expensive], responses: [{text: 2 euros}]}
      - {name: Other, role: else, responses: [{text: Sorry}]}
`
	for _, tc := range []struct {
		name, bot string
		want      []string // the warning's message, in part; nil: no warning
	}{
		{"Spanish", spanish, []string{`bot.yaml:2:5: story "Pedidos": the bot gives no language, so its phrases are matched as english, but they read as spanish (spanish, 0.`,
			" sure: ", " latin words are spanish function words", "add language: spanish under settings (settings: {language: spanish})"}},
		{"Declared", "settings: {language: spanish}\n" + spanish, nil},
		{"DeclaredEnglish", "settings: {language: english}\n" + spanish, nil},
		{"OtherSettings", "settings: {confidence: 0.6}\n" + spanish, []string{"they read as spanish"}},
		{"Short", short, nil},
		{"Undecided", undecided, []string{`bot.yaml:2:5: story "Tienda": the bot gives no language, so its phrases are matched as english, but they do not read as english: most likely spanish, or catalan (undecided, most likely spanish, 0.`,
			"add the language they are in under settings (settings: {language: spanish})"}},
		{"UndecidedDeclared", "settings: {language: spanish}\n" + undecided, nil},
		{"UndecidedJapanese", japanese, []string{`bot.yaml:2:5: story "カフェ": the bot gives no language, so its phrases are matched as english, but they do not read as english: most likely japanese (undecided, most likely japanese, 0.`,
			"add the language they are in under settings (settings: {language: japanese})"}},
		{"English", english, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bot := loadModelBot(t, tc.bot)
			var got []string
			for _, w := range engine.Lint(bot) {
				got = append(got, w.Error())
			}
			if tc.want == nil {
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
