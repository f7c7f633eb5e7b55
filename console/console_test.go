package console_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/console"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

const botYAML = `
stories:
  - name: Kiosk
    interactions:
      - name: Welcome
        role: start
        responses:
          - text: "Hello!\n\nWhat would you like?"
          - quick_replies:
              title: Pick one
              buttons:
                - {title: Tea, postback: a tea please}
                - {title: Menu, goto: Menu}
      - name: Tea
        says: [a tea please, tea]
        responses: [{text: One tea.}]
      - name: Menu
        says: [menu, what do you have]
        responses:
          - image: https://example.com/menu.png
          - carousel:
              - title: Tea
                subtitle: "2.00"
                buttons:
                  - {title: Order tea, postback: tea}
                  - title: About tea
                    url: https://example.com/tea
              - title: Cake
                buttons: [{title: Order cake, postback: cake}]
      - name: Ready
        triggers: [ready]
        responses: [{text: Ready.}]
      - name: Number
        says: ["3", three, a number]
        responses: [{text: A number.}]
      - {name: Fallback, role: else, says: [what's the weather], responses: [{text: "Sorry?"}]}
`

// newChat returns a chat with a small bot on an in-memory store.
func newChat(t testing.TB) *console.Chat {
	t.Helper()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(botYAML)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e, err := engine.New(db, bot, engine.WithSeed(1))
	if err != nil {
		t.Fatal(err)
	}
	return &console.Chat{Engine: e, SessionID: "console-test-1"}
}

func TestRender(t *testing.T) {
	res := engine.Response{Result: engine.Result{Fulfillment: []engine.Fulfillment{
		{Type: engine.TypeText, Message: "Two\n\nlines "},
		{Type: engine.TypeQuickReplies, Title: "Pick", Buttons: []engine.Button{
			{Type: engine.ButtonPostback, Title: "Yes", Value: "yes"},
			{Type: engine.ButtonGoto, Title: "Menu", Value: "0123456789abcdef01234567"},
		}},
		{Type: engine.TypeCard, Title: "Card", Subtitle: "sub", Image: "https://i", Buttons: []engine.Button{
			{Type: engine.ButtonURL, Title: "Site", Value: "https://s"},
			{Type: engine.ButtonPostback, Title: "Go", Value: "go"},
		}},
		{Type: engine.TypeGoto, Data: map[string]string{"to": "Menu", "id": "x y"}},
	}}}
	var b bytes.Buffer
	if err := console.Render(&b, res); err != nil {
		t.Fatal(err)
	}
	want := `Two
lines
Pick
  1. Yes
  2. Menu
Card: sub
  [image https://i]
  - Site: https://s
  3. Go
[goto id="x y" to=Menu]
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	choices := console.Choices(res)
	if len(choices) != 3 || choices[0].Value != "yes" || choices[1].Type != engine.ButtonGoto || choices[2].Value != "go" {
		t.Errorf("Choices: got %+v, want Yes, Menu and Go", choices)
	}

	for _, tt := range []struct {
		name   string
		source string
		want   string
	}{
		{"Silent", engine.SourceBot, "(no reply)\n"},
		{"Agent", engine.SourceAgent, "(a human agent has the conversation: the bot is silent)\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			console.Render(&b, engine.Response{Result: engine.Result{Source: tt.source}})
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestRequest(t *testing.T) {
	c := newChat(t)
	ctx := context.Background()
	menu := c.Engine.Bot().DefaultStory().InteractionByName("Menu").ID
	if _, err := c.Send(ctx, engine.Request{Trigger: "welcome"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line string
		want engine.Request
		err  string
	}{
		{"1", engine.Request{Query: "a tea please"}, ""},
		{" 2 ", engine.Request{Goto: menu}, ""},
		{"3", engine.Request{Query: "3"}, ""},
		{"0", engine.Request{Query: "0"}, ""},
		{"hello there", engine.Request{Query: "hello there"}, ""},
		{"/trigger ready", engine.Request{Trigger: "ready"}, ""},
		{"/goto Menu", engine.Request{Goto: menu}, ""},
		{"/goto " + menu, engine.Request{Goto: menu}, ""},
		{"/reset", engine.Request{Reset: true, Trigger: "welcome"}, ""},
		{"/reset tea", engine.Request{Reset: true, Query: "tea"}, ""},
		{"/trigger", engine.Request{}, "console: /trigger needs an event name"},
		{"/goto", engine.Request{}, "console: /goto needs an interaction name or id"},
		{"/goto Nowhere", engine.Request{}, `console: no interaction "Nowhere"`},
		{"/help", engine.Request{}, `console: unknown command "/help"`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := c.Request(tt.line)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Errorf("got error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Query != tt.want.Query || got.Trigger != tt.want.Trigger || got.Goto != tt.want.Goto || got.Reset != tt.want.Reset {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestRun drives a conversation through a pipe: one reply block per
// non-empty line, errors in their block, After's requests in the same block.
func TestRun(t *testing.T) {
	c := newChat(t)
	c.After = func(ctx context.Context, res engine.Response) []engine.Request {
		if res.Result.Interaction.Name == "Tea" {
			return []engine.Request{{Trigger: "ready"}}
		}
		return nil
	}
	in := strings.NewReader("2\n\n3\n/nope\n/debug\nwhat do you have\n/debug\n/help\n" + strings.Repeat("x", 300) + "\n/quit\ntea\n")
	var out bytes.Buffer
	if err := c.Run(context.Background(), in, &out); err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(strings.TrimSuffix(out.String(), "\n\n"), "\n\n")
	want := []string{
		"Hello!\nWhat would you like?\nPick one\n  1. Tea\n  2. Menu",
		"[image https://example.com/menu.png]\nTea: 2.00\n  1. Order tea\n  - About tea: https://example.com/tea\nCake\n  2. Order cake",
		"A number.", // 3 is no choice of the menu: a message
		`error: console: unknown command "/nope"`,
		"(debug on)",
		"[Menu score=1.00 lifespan=2]\n[candidates: Menu=1.00",
		"(debug off)",
		"Type a message, or:",
		"error: query: must be 1 to 256 characters",
	}
	if len(blocks) != len(want) {
		t.Fatalf("got %d blocks, want %d:\n%s", len(blocks), len(want), out.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(blocks[i], w) {
			t.Errorf("block %d: got %q, want %q...", i+1, blocks[i], w)
		}
	}

	// A choice leads to After's trigger, answered in the same block.
	out.Reset()
	if err := c.Run(context.Background(), strings.NewReader("1\n"), &out); err != nil {
		t.Fatal(err)
	}
	if want := "\n\nOne tea.\nReady.\n\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("got %q, want it to end with %q", out.String(), want)
	}
}

func TestRunCancelled(t *testing.T) {
	c := newChat(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := c.Run(ctx, strings.NewReader("tea\n"), &out); err != context.Canceled {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestRunCancelledWhileReading stops a conversation whose input blocks.
func TestRunCancelledWhileReading(t *testing.T) {
	c := newChat(t)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	defer pw.Close()
	var out bytes.Buffer
	c.After = func(ctx context.Context, res engine.Response) []engine.Request {
		cancel() // after the welcome, while Run waits for a line
		return nil
	}
	if err := c.Run(ctx, pr, &out); err != context.Canceled {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if !strings.HasPrefix(out.String(), "Hello!\n") {
		t.Errorf("got %q, want the welcome", out.String())
	}
}
