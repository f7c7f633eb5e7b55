package engine_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

const modelBot = `
entities:
  - {name: drink, values: [latte, espresso, {value: tea, synonyms: [chai]}]}
stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - name: Order
        says: ["a [latte](drink) please", "i would like an [espresso](drink)"]
        parameters: [{name: drink, entity: drink}]
        responses: [{text: "One {{drink}}."}]
      - {name: Menu, says: [what drinks do you have, show me the menu], responses: [{text: "Latte, espresso, tea."}]}
      - {name: Price, says: [how much is a latte, what does it cost], responses: [{text: "Three euros."}]}
      - {name: Fallback, role: else, says: [play a song, book a taxi], responses: [{text: "Sorry."}]}
  - name: Support
    interactions:
      - {name: Hello, role: start, responses: [{text: "Support here."}]}
      - {name: Broken, says: [the machine is broken, it does not work], responses: [{text: "We will fix it."}]}
      - {name: Else, role: else, responses: [{text: "Pardon?"}]}
`

func loadModelBot(t *testing.T, src string) *story.Bot {
	t.Helper()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(src)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return bot
}

// modelEngine builds an engine for bot with the model, and returns what it
// logged.
func modelEngine(t *testing.T, bot *story.Bot, model []byte) (*engine.Engine, string) {
	t.Helper()
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var logged bytes.Buffer
	opts := []engine.Option{engine.WithLogger(slog.New(slog.NewTextHandler(&logged, nil)))}
	if model != nil {
		opts = append(opts, engine.WithModel(model))
	}
	e, err := engine.New(db, bot, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e, logged.String()
}

// answers returns, for each query, the interaction that answered and its
// confidence.
func answers(t *testing.T, e *engine.Engine, queries ...string) []string {
	t.Helper()
	var out []string
	for i, q := range queries {
		resp, err := e.Chat(context.Background(), engine.Request{SessionID: fmt.Sprintf("model-session-%02d", i), Query: q})
		if err != nil {
			t.Fatal(err)
		}
		r := resp.Result
		out = append(out, r.Interaction.Name+" "+r.Fulfillment[0].Message)
	}
	return out
}

var modelQueries = []string{"a tea please", "i would like a chai", "what do you have", "how much does it cost", "sing me a song", "latte"}

func TestModel(t *testing.T) {
	bot := loadModelBot(t, modelBot)
	model, err := engine.BuildModel(bot)
	if err != nil {
		t.Fatal(err)
	}
	trained, _ := modelEngine(t, bot, nil)
	want := answers(t, trained, modelQueries...)
	altered := alter(t, bot, model, want)
	again, err := engine.BuildModel(loadModelBot(t, modelBot))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(model, again) {
		t.Error("two builds of the same bot differ")
	}

	t.Run("OK", func(t *testing.T) {
		e, logged := modelEngine(t, bot, model)
		if !strings.Contains(logged, "loading the matchers of the compiled model") || strings.Contains(logged, "WARN") {
			t.Errorf("log:\n%s\nwant the model loaded, no warning", logged)
		}
		if got := answers(t, e, modelQueries...); !slices.Equal(got, want) {
			t.Errorf("got %q, want %q (as trained)", got, want)
		}
	})
	// Each of these trains instead, says why, and answers as trained.
	stale := []struct {
		name, src string
		model     []byte
		why       string
	}{
		{"OtherFiles", strings.Replace(modelBot, "show me the menu", "show me the card", 1), model, "other bot files"},
		{"Truncated", modelBot, model[:len(model)-7], "truncated"},
		{"NotAModel", modelBot, []byte("stories: []"), "not a compiled model"},
		{"Damaged", modelBot, reseal(damage(model)), "does not load"},
		// A changed weight decodes as well as the right one: only the
		// checksum tells.
		{"Altered", modelBot, altered, "checksum"},
		{"FormatOne", modelBot, formatOne(model), "format 1, want 2"},
		{"TruncatedAfterMagic", modelBot, []byte("parley-model\x00"), "truncated"},
	}
	for _, tc := range stale {
		t.Run(tc.name, func(t *testing.T) {
			b := loadModelBot(t, tc.src)
			e, logged := modelEngine(t, b, tc.model)
			if !strings.Contains(logged, "level=WARN") || !strings.Contains(logged, tc.why) {
				t.Errorf("log:\n%s\nwant a warning saying %q", logged, tc.why)
			}
			trained, _ := modelEngine(t, b, nil)
			if got, want := answers(t, e, modelQueries...), answers(t, trained, modelQueries...); !slices.Equal(got, want) {
				t.Errorf("got %q, want %q (as trained)", got, want)
			}
		})
	}
}

// damage gives the first matcher of a model an unknown format version,
// which the matcher's decoder refuses (reseal gives it a fitting checksum).
func damage(model []byte) []byte {
	d := bytes.Clone(model)
	magic := []byte("parley-nlu\x00")
	d[bytes.Index(d, magic)+len(magic)] = 99
	return d
}

// alter returns model with one bit flipped, as a bad copy or a failing
// disk would flip it: the first, from the end of the header on, that the
// matchers' decoder accepts and that changes an answer to modelQueries
// (want, as trained) once the checksum is made to fit.
func alter(t *testing.T, bot *story.Bot, model []byte, want []string) []byte {
	t.Helper()
	for off := 100; off < len(model)-4; off += 37 {
		d := bytes.Clone(model)
		d[off] ^= 0x10
		e, logged := modelEngine(t, bot, reseal(d))
		if strings.Contains(logged, "WARN") {
			continue // the decoder refuses it: no checksum needed
		}
		if got := answers(t, e, modelQueries...); !slices.Equal(got, want) {
			return d
		}
	}
	t.Fatal("no altered byte changes an answer")
	return nil
}

// reseal gives model the checksum of its altered contents.
func reseal(model []byte) []byte {
	d := bytes.Clone(model)
	body := d[:len(d)-4]
	binary.LittleEndian.PutUint32(d[len(body):], crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)))
	return d
}

// formatOne rewrites model as format 1 wrote it: no checksum.
func formatOne(model []byte) []byte {
	d := bytes.Clone(model[:len(model)-4])
	d[len("parley-model\x00")] = 1
	return d
}

func TestWithModelNil(t *testing.T) {
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := engine.New(db, loadModelBot(t, modelBot), engine.WithModel(nil)); err == nil || !strings.Contains(err.Error(), "WithModel") {
		t.Errorf("got %v, want an error naming WithModel", err)
	}
}
