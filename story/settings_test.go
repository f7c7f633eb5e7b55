package story_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/story"
)

// TestSettingsBounds loads the numeric settings at their bounds, which
// are allowed, and just past them, which are refused naming the setting.
func TestSettingsBounds(t *testing.T) {
	const bot = `
settings: {%s}
stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, responses: [{text: hi}]}
      - {name: Fallback, role: else, responses: [{text: what}]}
`
	for _, c := range []struct {
		setting string
		want    string // "" if it loads
	}{
		{"confidence: 0.1", ""},
		{"confidence: 1", ""},
		{"confidence: 1.0", ""},
		{"confidence: 0.09", "confidence is 0.09, outside 0.1 to 1"},
		{"confidence: 1.01", "confidence is 1.01, outside 0.1 to 1"},
		{"lifespan: 1", ""},
		{"lifespan: 10", ""},
		{"lifespan: 0", "lifespan is 0, outside 1 to 10"},
		{"lifespan: 11", "lifespan is 11, outside 1 to 10"},
	} {
		t.Run(c.setting, func(t *testing.T) {
			src := strings.Replace(bot, "%s", c.setting, 1)
			b, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(src)}}, "bot.yaml")
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("got %v, want the bot", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, %v; want an error containing %q", b, err, c.want)
			}
		})
	}
}

// TestWebhookURLs loads the settings' webhooks: the short form (a URL) and
// the long one ({url, timeout}), and refuses bad declarations with their
// positions.
func TestWebhookURLs(t *testing.T) {
	const bot = `settings:
  webhooks:
%s
stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, responses: [{webhook: stock}, {webhook: brew}]}
      - {name: Fallback, role: else, responses: [{text: what}]}
`
	b := loadTB(t, fstest.MapFS{"bot.yaml": {Data: []byte(strings.Replace(bot, "%s", `    stock: https://shop.example/parley/stock?v=2
    brew: {url: "http://kitchen.example:8080/brew", timeout: 3s}`, 1))}}, "bot.yaml")
	want := []story.WebhookURL{
		{Name: "stock", URL: "https://shop.example/parley/stock?v=2", Pos: story.Pos{File: "bot.yaml", Line: 3, Col: 5}},
		{Name: "brew", URL: "http://kitchen.example:8080/brew", Timeout: 3 * time.Second, Pos: story.Pos{File: "bot.yaml", Line: 4, Col: 5}},
	}
	if !reflect.DeepEqual(b.Settings.Webhooks, want) {
		t.Errorf("got %+v, want %+v", b.Settings.Webhooks, want)
	}
	if w, ok := b.WebhookURL("brew"); !ok || w.Timeout != 3*time.Second {
		t.Errorf("WebhookURL(brew): got %+v, %v", w, ok)
	}
	if _, ok := b.WebhookURL("nope"); ok {
		t.Error("WebhookURL(nope): got one")
	}

	for _, c := range []struct {
		name, decl, want string
	}{
		{"NotAMapping", `    - https://shop.example/`, "bot.yaml:3:5: webhooks must be a mapping of webhook names to URLs"},
		{"FTP", `    stock: ftp://shop.example/stock`, `bot.yaml:3:12: webhook "stock" url "ftp://shop.example/stock" is not an http or https URL with a host`},
		{"NoHost", `    stock: "https:///stock"`, `bot.yaml:3:12: webhook "stock" url "https:///stock" is not an http or https URL with a host`},
		{"PortOnly", `    stock: "http://:8080/stock"`, `bot.yaml:3:12: webhook "stock" url "http://:8080/stock" is not an http`},
		{"Relative", `    stock: /stock`, `bot.yaml:3:12: webhook "stock" url "/stock" is not an http`},
		{"Password", `    stock: https://bot:hunter2@shop.example/stock`, `bot.yaml:3:12: webhook "stock" url has user information (user:password@): keep secrets out of the bot file`},
		{"Empty", `    stock: ""`, `bot.yaml:3:12: webhook "stock" url must not be empty`},
		{"Null", `    stock:`, `bot.yaml:3:11: webhook "stock" url must be a string`},
		{"TooLong", `    stock: https://shop.example/` + strings.Repeat("x", story.MaxWebhookURLLen), `bot.yaml:3:12: webhook "stock" url is 2069 characters long, more than 2048`},
		{"BadName", `    "stock hook": https://shop.example/`, `bot.yaml:3:5: webhook name "stock hook" may contain only letters, digits, '_' and '-'`},
		{"Twice", "    stock: https://a.example/\n    stock: https://b.example/", `bot.yaml:4:5: webhook "stock" is given twice`},
		{"NoURL", `    stock: {timeout: 2s}`, `bot.yaml:3:12: webhook "stock" needs a url`},
		{"UnknownField", `    stock: {url: "https://a.example/", token: s3cret}`, `bot.yaml:3:40: unknown field "token" in webhook "stock"; known fields: url, timeout`},
		{"TimeoutNoUnit", `    stock: {url: "https://a.example/", timeout: 3}`, `bot.yaml:3:49: webhook "stock" timeout "3" is not a duration such as 3s or 500ms`},
		{"TimeoutShort", `    stock: {url: "https://a.example/", timeout: 50ms}`, `bot.yaml:3:49: webhook "stock" timeout is 50ms, outside 100ms to 30s`},
		{"TimeoutLong", `    stock: {url: "https://a.example/", timeout: 1m}`, `bot.yaml:3:49: webhook "stock" timeout is 1m0s, outside 100ms to 30s`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(strings.Replace(bot, "%s", c.decl, 1))}}, "bot.yaml")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
			if n := len(strings.Split(err.Error(), "\n")); n != 1 {
				t.Errorf("got %d errors, want 1:\n%v", n, err)
			}
		})
	}
	var many strings.Builder
	for i := range story.MaxWebhookURLs + 1 {
		fmt.Fprintf(&many, "    w%d: https://a.example/\n", i)
	}
	_, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(strings.Replace(bot, "%s\n", many.String(), 1))}}, "bot.yaml")
	if want := "bot.yaml:3:5: webhooks has 65 webhooks, more than 64"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("65 webhooks: got %v, want %q", err, want)
	}
}
