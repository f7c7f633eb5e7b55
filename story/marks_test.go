package story_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

// markBot is a bot whose Order interaction says the given phrases (YAML
// flow items on line 9) and has the parameters size and pizza.
func markBot(says string) fstest.MapFS {
	return fstest.MapFS{"bot.yaml": {Data: []byte(`entities:
  - {name: size, values: [{value: small}, {value: large, synonyms: [big]}]}
  - {name: pizza, values: [{value: margherita}, {value: quattro formaggi}]}
stories:
  - name: Pizza
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hi}]}
      - name: Order
        says: [` + says + `]
        parameters: [{name: size, entity: size}, {name: pizza, entity: pizza}]
        responses: [{text: OK}]
      - {name: Fallback, role: else, responses: [{text: Sorry}]}
`)}}
}

func TestMarks(t *testing.T) {
	tests := []struct {
		name, says string
		want       []story.Phrase
	}{
		{"None", `a pizza please`, []story.Phrase{{Text: "a pizza please"}}},
		{"Two", `"a [large](size) [quattro formaggi](pizza) please"`, []story.Phrase{{Text: "a large quattro formaggi please",
			Marks: []story.Mark{{Parameter: "size", Start: 2, End: 7}, {Parameter: "pizza", Start: 8, End: 24}}}}},
		{"Escaped", `'a \[big\] pizza'`, []story.Phrase{{Text: "a [big] pizza"}}},
		{"Unicode", `"une [grande](size) pizza"`, []story.Phrase{{Text: "une grande pizza", Marks: []story.Mark{{Parameter: "size", Start: 4, End: 10}}}}},
		{"Symbol", `"👍"`, []story.Phrase{{Text: "👍"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := story.Load(markBot(tt.says), "bot.yaml")
			if err != nil {
				t.Fatal(err)
			}
			got := b.Stories[0].Interactions[1].Phrases
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if len(b.Warnings) != 0 {
				t.Errorf("warnings: got %v, want none", b.Warnings)
			}
		})
	}
}

func TestMarkErrors(t *testing.T) {
	tests := []struct {
		name, says string
		pos        string // line:col
		msg        string
	}{
		{"ErrUnknownParameter", `"a [large](sise) pizza"`, "9:19", `says "a [large](sise) pizza": mark [large](sise) names no parameter of interaction "Order" (its parameters: size, pizza)`},
		{"ErrUnknownSecondParameter", `"a [large](size) [margherita](pie)"`, "9:33", `mark [margherita](pie) names no parameter`},
		{"ErrUnclosedBracket", `"a [large pizza"`, "9:19", "'[' is never closed"},
		{"ErrStrayBracket", `"a large] pizza"`, "9:24", "']' closes no '['"},
		{"ErrNoParameter", `"a [large] pizza"`, "9:25", "needs its parameter right after it"},
		{"ErrUnclosedParenthesis", `"a [large](size pizza"`, "9:26", "'(' of a mark is never closed"},
		{"ErrEmptyValue", `"a [ ](size) pizza"`, "9:19", "needs a value between its brackets"},
		{"ErrBadName", `"a [large](big size) pizza"`, "9:27", `"big size" is not a parameter name`},
		{"ErrNested", `"a [[large](size)](size)"`, "9:20", "cannot hold another '['"},
		{"ErrNoWords", `"?!"`, "9:16", `says "?!" has no word, number or symbol to match on`},
		{"ErrNoWordsMarked", `"[...](size)"`, "9:16", "has no word, number or symbol"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := story.Load(markBot(tt.says), "bot.yaml")
			var e *story.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *story.Error", err)
			}
			if got := strings.SplitN(e.Error(), ": ", 2)[0]; got != "bot.yaml:"+tt.pos {
				t.Errorf("position: got %s, want bot.yaml:%s (%v)", got, tt.pos, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, want %q", err, tt.msg)
			}
		})
	}
	t.Run("ErrKeywordMark", func(t *testing.T) {
		fs := markBot(`pizza`)
		fs["bot.yaml"].Data = []byte(strings.Replace(string(fs["bot.yaml"].Data), "says: [pizza]", `keywords: ["[large](size) pizza"]`, 1))
		if _, err := story.Load(fs, "bot.yaml"); err == nil || !strings.Contains(err.Error(), "keyword patterns take no marks") {
			t.Errorf("got %v, want an error about marks in keywords", err)
		}
	})
}

func TestMarkWarnings(t *testing.T) {
	tests := []struct{ name, says, pos, lit string }{
		{"Template", `"a {{size}} pizza"`, "9:19", "{{size}} is matched as literal text"},
		{"DialogflowEntity", `"a @size pizza"`, "9:19", "@size is matched as literal text"},
		{"Placeholder", `"a {size} pizza"`, "9:19", "{size} is matched as literal text"},
		// A mark inside a word is read as the word, not the entity.
		{"MarkEndsInWord", `"a [large](size)pizza"`, "9:19", "mark [large](size) is part of a word"},
		{"MarkStartsInWord", `"a pizza[margherita](pizza)"`, "9:24", "mark [margherita](pizza) is part of a word"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := story.Load(markBot(tt.says), "bot.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Warnings) != 1 {
				t.Fatalf("warnings: got %v, want one", b.Warnings)
			}
			w := b.Warnings[0].Error()
			if !strings.HasPrefix(w, "bot.yaml:"+tt.pos+": ") || !strings.Contains(w, tt.lit) {
				t.Errorf("got %q, want a warning at %s about %s", w, tt.pos, tt.lit)
			}
		})
	}
	// Each literal of a phrase is warned about, where it is.
	if b, err := story.Load(markBot(`"a {{size}} @pizza"`), "bot.yaml"); err != nil || len(b.Warnings) != 2 ||
		!strings.HasPrefix(b.Warnings[0].Error(), "bot.yaml:9:19: ") || !strings.HasPrefix(b.Warnings[1].Error(), "bot.yaml:9:28: ") {
		t.Errorf("two literals: got %v %v, want a warning at 9:19 and one at 9:28", b.Warnings, err)
	}
	for _, says := range []string{
		`write to me at ann@example.com`,
		`"une carafe d'[margherita](pizza)"`, // an elided article leans on the word marked
		`"a [large](size), please"`,
		`"ピザを[2](size)枚"`, // Japanese writes no spaces
	} {
		if b, err := story.Load(markBot(says), "bot.yaml"); err != nil || len(b.Warnings) != 0 {
			t.Errorf("%s: got %v %v, want no warning", says, b.Warnings, err)
		}
	}
}
