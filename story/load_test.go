package story_test

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/story"
)

// examples is the fs.FS of the example bots.
var examples = os.DirFS("../examples")

func loadTB(tb testing.TB, fsys fstest.MapFS, paths ...string) *story.Bot {
	tb.Helper()
	b, err := story.Load(fsys, paths...)
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return b
}

func TestLoadCoffee(t *testing.T) {
	b, err := story.Load(examples, "coffee/bot.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	got := b.Settings
	if len(got.QuickPrompts) != 4 || got.QuickPrompts[0].Title != "Large oat latte" {
		t.Errorf("QuickPrompts: got %+v, want 4, the first a large oat latte", got.QuickPrompts)
	}
	got.QuickPrompts = nil
	want := story.Settings{Language: "english", LanguageGiven: true, Languages: []string{"english"}, Confidence: 0.5, Lifespan: 2, SessionTimeout: 5 * time.Minute,
		Title: "Coffee kiosk", Description: "Orders coffee, tea and hot chocolate at a self-service machine.",
		Appearance: story.Appearance{WelcomeMessage: "Hello! Tap a drink to order it, or tell me what you'd like.",
			PlaceholderText: "A large cappuccino with oat milk…", BrandColor: "#6b3a1f", BrandTextColor: "#ffffff"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Settings: got %+v, want %+v", got, want)
	}
	s := b.DefaultStory()
	if s == nil || s != b.Stories[0] || s.Name != "Coffee kiosk" {
		t.Fatalf("DefaultStory: got %v, want the first story, Coffee kiosk", s)
	}
	if b.Story(s.ID) != s || b.StoryByName(s.Name) != s {
		t.Errorf("Story(%q) or StoryByName(%q) does not return the story", s.ID, s.Name)
	}
	if n := len(s.Interactions); n < 12 {
		t.Errorf("coffee bot has %d interactions, want at least 12", n)
	}
	for _, in := range s.Interactions {
		if b.Interaction(in.ID) != in || s.InteractionByName(in.Name) != in {
			t.Errorf("Interaction(%q) or InteractionByName(%q) does not return it", in.ID, in.Name)
		}
		if len(in.Phrases) > 0 && len(in.Phrases) < 8 && in.Role != story.RoleElse {
			t.Errorf("interaction %q has %d phrases, want at least 8", in.Name, len(in.Phrases))
		}
	}
	if s.Welcome == nil || s.Welcome.Name != "Welcome" || s.Welcome.Role != story.RoleStart {
		t.Errorf("Welcome: got %v", s.Welcome)
	}
	if s.Fallback == nil || s.Fallback.Name != "Fallback" || len(s.Fallback.Phrases) == 0 {
		t.Errorf("Fallback: got %v, want Fallback with negative phrases", s.Fallback)
	}

	order := s.InteractionByName("Order drink")
	var children []string
	for _, c := range order.Children {
		children = append(children, c.Name)
		if c.Parent != order {
			t.Errorf("%q: Parent is %v, want Order drink", c.Name, c.Parent)
		}
	}
	if want := []string{"Confirm order", "Cancel order", "Not sure about the order"}; !slices.Equal(children, want) {
		t.Errorf("Order drink's children: got %q, want %q", children, want)
	}
	if order.Fallback == nil || order.Fallback.Name != "Not sure about the order" {
		t.Errorf("Order drink's contextual fallback: got %v", order.Fallback)
	}
	if slices.Contains(s.Roots, order.Children[0]) || !slices.Contains(s.Roots, order) {
		t.Errorf("Roots: got %d interactions, want Order drink and not its children", len(s.Roots))
	}

	size := order.Parameter("size")
	if size == nil || !size.Required || size.Custom == nil || size.Custom != b.Entity("size") || size.System != "" || len(size.Prompts) != 2 || size.Retries != 2 {
		t.Fatalf("Order drink's size parameter: got %+v", size)
	}
	if sugar := order.Parameter("sugar"); sugar == nil || sugar.Required {
		t.Errorf("sugar parameter: got %+v, want optional", sugar)
	}
	large := b.Entity("size").Values[2]
	if large.Value != "large" || !slices.Contains(large.Synonyms, "big") {
		t.Errorf("size entity's third value: got %+v, want large with synonym big", large)
	}
	if milk := b.Entity("milk"); milk == nil || !slices.ContainsFunc(milk.Values, func(v story.EntityValue) bool {
		return v.Value == "oat milk" && slices.Contains(v.Synonyms, "oat")
	}) || !slices.ContainsFunc(milk.Values, func(v story.EntityValue) bool { return slices.Contains(v.Synonyms, "skinny") }) {
		t.Errorf("milk entity lacks oat or skinny: %+v", milk)
	}

	welcome := s.Welcome.Responses
	if len(welcome) != 2 || welcome[0].Kind != story.KindText || len(welcome[0].Text) != 2 || welcome[1].Kind != story.KindQuickReplies {
		t.Fatalf("Welcome's responses: got %+v", welcome)
	}
	if got := welcome[1].QuickReplies.Buttons[0]; got.Kind != story.ButtonGoto || got.Goto != order {
		t.Errorf("first quick reply: got %+v, want a goto to Order drink", got)
	}
	if got, want := b.Webhooks(), []string{"brew", "machine_status"}; !slices.Equal(got, want) {
		t.Errorf("Webhooks: got %q, want %q", got, want)
	}
	staff := s.InteractionByName("Talk to staff")
	if h := staff.Responses[1]; h.Kind != story.KindHandoff || len(h.Handoff.Success.Responses) != 1 || len(h.Handoff.Failure.Responses) != 1 || !staff.Anywhere {
		t.Errorf("Talk to staff: got %+v", h)
	}
	if ready := s.InteractionByName("Drink ready"); !slices.Equal(ready.Triggers, []string{"drink_ready"}) {
		t.Errorf("Drink ready's triggers: got %q", ready.Triggers)
	}
}

func TestLoadSupport(t *testing.T) {
	b, err := story.Load(examples, "support/bot.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(b.Stories) != 2 || b.DefaultStory() != b.StoryByName("Support") {
		t.Fatalf("stories: got %d, default %v; want 2, default Support", len(b.Stories), b.DefaultStory())
	}
	track := b.DefaultStory().InteractionByName("Track order")
	p := track.Parameter("order_number")
	if p == nil || p.System != "alphanumeric" || p.Custom != nil || p.Entity != "sys.alphanumeric" {
		t.Errorf("order_number parameter: got %+v, want sys.alphanumeric", p)
	}
	var keywords int
	for _, ph := range track.Phrases {
		if ph.Keyword {
			keywords++
		}
	}
	if keywords != 1 {
		t.Errorf("Track order has %d keyword phrases, want 1", keywords)
	}
	escalate := b.DefaultStory().InteractionByName("Escalate")
	h := escalate.Responses[2].Handoff
	if h == nil || h.Failure.Goto != b.DefaultStory().InteractionByName("Create ticket") {
		t.Errorf("Escalate's hand-off failure: got %+v, want a goto to Create ticket", h)
	}
}

func TestLoadManyFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"bot/settings.yaml": {Data: []byte("settings: {default_story: Second, lifespan: 4}\nentities:\n  - {name: colour, values: [red, blue]}\n")},
		"bot/first.yaml": {Data: []byte(`stories:
  - name: First
    interactions:
      - {name: Hi, role: start}
      - {name: Else, role: else, responses: [{goto: 5b07ffafc2376e30306d9b16}]}
`)},
		"bot/second.json": {Data: []byte(`{"stories": [{"name": "Second", "id": "5b07fd67c2376e30306d9b0d", "interactions": [
  {"name": "Hi", "role": "start", "id": "5b07ffafc2376e30306d9b16"},
  {"name": "Colour", "says": ["red please"], "parameters": [{"name": "c", "entity": "colour"}],
   "responses": [{"text": "{{c}}"}]},
  {"name": "Else", "role": "else"}]}]}`)},
		"bot/notes.txt": {Data: []byte("not a bot file")},
	}
	b := loadTB(t, fsys, "bot")
	if got := b.Settings.Lifespan; got != 4 {
		t.Errorf("Lifespan: got %d, want 4", got)
	}
	first, second := b.StoryByName("First"), b.StoryByName("Second")
	if first == nil || second == nil || b.DefaultStory() != second {
		t.Fatalf("stories: got %v and %v, default %v; want First and Second, default Second", first, second, b.DefaultStory())
	}
	if second.ID != "5b07fd67c2376e30306d9b0d" || b.Story("5b07fd67c2376e30306d9b0d") != second {
		t.Errorf("Second's id: got %s", second.ID)
	}
	// A goto by id crosses stories.
	if g := first.Fallback.Responses[0].Goto; g != second.Welcome {
		t.Errorf("First's fallback goto: got %v, want Second's welcome", g)
	}
	if p := second.InteractionByName("Colour").Parameters[0]; p.Custom != b.Entity("colour") {
		t.Errorf("entity from another file: got %v", p.Custom)
	}
}

func TestIDs(t *testing.T) {
	const bot = "stories:\n  - name: S\n    interactions:\n      - {name: Hi, role: start}\n      - {name: Else, role: else}\n"
	a := loadTB(t, fstest.MapFS{"a.yaml": {Data: []byte(bot)}}, "a.yaml")
	// The same names elsewhere, in another file, with more around them:
	// the same ids.
	b := loadTB(t, fstest.MapFS{"b.yaml": {Data: []byte("# moved\n" + strings.Replace(bot, "      - {name: Hi", "      - {name: More}\n      - {name: Hi", 1))}}, "b.yaml")
	sa, sb := a.Stories[0], b.Stories[0]
	if sa.ID != sb.ID || sa.Welcome.ID != sb.Welcome.ID || sa.Fallback.ID != sb.Fallback.ID {
		t.Errorf("ids changed between loads: %s %s %s, %s %s %s", sa.ID, sa.Welcome.ID, sa.Fallback.ID, sb.ID, sb.Welcome.ID, sb.Fallback.ID)
	}
	ids := map[string]bool{sa.ID: true, sa.Welcome.ID: true, sa.Fallback.ID: true}
	if len(ids) != 3 {
		t.Errorf("ids are not distinct: %v", ids)
	}
	for id := range ids {
		if len(id) != 24 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Errorf("id %q is not 24 lowercase hex digits", id)
		}
	}
}

func TestLoadByteOrderMark(t *testing.T) {
	bot := "\ufeff{\"stories\": [{\"name\": \"S\", \"interactions\": [{\"name\": \"Hi\", \"role\": \"start\"}, {\"name\": \"Else\", \"role\": \"else\"}]}]}"
	loadTB(t, fstest.MapFS{"bot.json": {Data: []byte(bot)}, "bot.yaml": {Data: []byte(bot)}}, "bot.json")
	loadTB(t, fstest.MapFS{"bot.yaml": {Data: []byte(bot)}}, "bot.yaml")
}

func TestLoadJSONPositions(t *testing.T) {
	fsys := fstest.MapFS{"bot.json": {Data: []byte("{\n  \"stories\": [{\n    \"name\": \"S\",\n    \"interactions\": [\n      {\"name\": \"Hi\", \"role\": \"start\", \"colour\": 1},\n      {\"name\": \"Else\", \"role\": \"else\"}]}]}\n")}}
	_, err := story.Load(fsys, "bot.json")
	var e *story.Error
	if !errors.As(err, &e) {
		t.Fatalf("Load: got %v, want a *story.Error", err)
	}
	if e.File != "bot.json" || e.Line != 5 || e.Col != 39 || !strings.Contains(e.Msg, `unknown field "colour"`) {
		t.Errorf("got %s, want bot.json:5:39: unknown field \"colour\"", e)
	}
}

// BenchmarkLoad loads the coffee bot, and a bot of 150 interactions with
// 50 phrases each (testdata/clinc150.yaml).
func BenchmarkLoad(b *testing.B) {
	for _, bb := range []struct{ name, dir, file string }{
		{"Coffee", "../examples/coffee", "bot.yaml"},
		{"CLINC150", "testdata", "clinc150.yaml"},
	} {
		data, err := os.ReadFile(bb.dir + "/" + bb.file)
		if err != nil {
			b.Fatal(err)
		}
		fsys := fstest.MapFS{bb.file: {Data: data}}
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := story.Load(fsys, bb.file); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLoadFull loads testdata/load/full.yaml, which uses every part of the
// format, and checks how each part is represented.
func TestLoadFull(t *testing.T) {
	b, err := story.Load(os.DirFS("testdata/load"), "full.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := b.Settings, (story.Settings{Language: "english", LanguageGiven: true, Languages: []string{"english"}, Confidence: 0.6, Lifespan: 3, SessionTimeout: 15 * time.Minute, DefaultStory: "Main",
		Webhooks: []story.WebhookURL{{Name: "save_colour", URL: "https://paint.example/parley/colour", Timeout: 2500 * time.Millisecond, Pos: story.Pos{File: "full.yaml", Line: 9, Col: 5}}}}); !reflect.DeepEqual(got, want) {
		t.Errorf("Settings: got %+v, want %+v", got, want)
	}
	if !slices.Equal(b.Attributes, []string{"plan"}) {
		t.Errorf("Attributes: got %q", b.Attributes)
	}
	main := b.DefaultStory()
	pick := b.Interaction("89abcdef0123456789abcdef")
	if main.ID != "0123456789abcdef01234567" || pick == nil || pick.Name != "Pick" || pick.Action != "pick" {
		t.Fatalf("ids: story %s, interaction %v", main.ID, pick)
	}
	if want := []story.Phrase{{Text: "i like red"}, {Text: "blue is nice"}, {Text: "colour", Keyword: true}}; !reflect.DeepEqual(pick.Phrases, want) {
		t.Errorf("Phrases: got %v, want %v", pick.Phrases, want)
	}
	if pick.Condition == nil || pick.Condition.String() != `score > 0.2 && !(session.done == "yes")` {
		t.Errorf("Condition: got %v", pick.Condition)
	}
	c := pick.Parameter("c")
	if c.GiveUp.String() != "Never mind." || c.Retries != 1 || len(c.Prompts) != 2 || c.Custom.Name != "colour" {
		t.Errorf("parameter c: got %+v", c)
	}
	if n := pick.Parameter("n"); n.System != "number" || n.Required {
		t.Errorf("parameter n: got %+v", n)
	}
	var kinds []story.ResponseKind
	for _, r := range pick.Responses {
		kinds = append(kinds, r.Kind)
	}
	want := []story.ResponseKind{story.KindText, story.KindImage, story.KindQuickReplies, story.KindButtons, story.KindCard,
		story.KindCarousel, story.KindDelay, story.KindSet, story.KindBacktracking, story.KindWebhook, story.KindHandoff}
	if !slices.Equal(kinds, want) {
		t.Fatalf("response kinds: got %v, want %v", kinds, want)
	}
	r := pick.Responses
	if r[0].Filter == nil || len(r[0].Text) != 2 || r[0].Text[1].String() != "{{c}} it is." {
		t.Errorf("text: got %+v", r[0])
	}
	lookup := func(n string) (string, bool) { return map[string]string{"c": "red"}[n], n == "c" }
	if got := r[1].Image.Render(lookup); got != "https://example.com/red.png" {
		t.Errorf("image: got %q", got)
	}
	qr := r[2].QuickReplies.Buttons
	if len(qr) != 3 || qr[0].Kind != story.ButtonPostback || qr[0].Postback.String() != "Yes" ||
		qr[1].Postback.String() != "no thanks" || qr[2].Kind != story.ButtonGoto || qr[2].Goto != main.Welcome {
		t.Errorf("quick replies: got %+v", qr)
	}
	if u := r[3].Buttons.Buttons[0]; u.Kind != story.ButtonURL || u.URL.String() != "https://example.com" {
		t.Errorf("url button: got %+v", u)
	}
	if card := r[4].Card; card.Title.Render(lookup) != "red" || card.Subtitle.String() != "A colour" || card.Image == nil {
		t.Errorf("card: got %+v", card)
	}
	if len(r[5].Carousel) != 2 || r[5].Carousel[1].Buttons[0].Goto != pick {
		t.Errorf("carousel: got %+v", r[5].Carousel)
	}
	if r[6].Delay != 500*time.Millisecond {
		t.Errorf("delay: got %v", r[6].Delay)
	}
	wantSet := []string{"user plan gold", "session done yes", "session last {{c}}"}
	var gotSet []string
	for _, a := range r[7].Set {
		gotSet = append(gotSet, a.Scope.String()+" "+a.Name+" "+a.Value.String())
	}
	if !slices.Equal(gotSet, wantSet) {
		t.Errorf("set: got %q, want %q", gotSet, wantSet)
	}
	if r[8].Backtracking || r[9].Webhook != "save_colour" {
		t.Errorf("backtracking %v, webhook %q", r[8].Backtracking, r[9].Webhook)
	}
	if h := r[10].Handoff; len(h.Success.Responses) != 2 || h.Failure.Goto != main.Welcome {
		t.Errorf("handoff: got %+v", h)
	}
	again := main.InteractionByName("Again")
	if again.Responses[1].Kind != story.KindReset || pick.Fallback != main.InteractionByName("Lost") {
		t.Errorf("Again: %+v; Pick's fallback %v", again.Responses, pick.Fallback)
	}
	if short := main.InteractionByName("Short"); short.Reference != pick || !short.Anywhere {
		t.Errorf("Short: reference %v, anywhere %v", short.Reference, short.Anywhere)
	}
	if bye := main.InteractionByName("Bye"); bye.Responses[0].Kind != story.KindEnd {
		t.Errorf("Bye: got %v", bye.Responses[0].Kind)
	}
	other := b.StoryByName("Other")
	if other.Welcome.Responses[0].Goto != pick {
		t.Errorf("goto by id across stories: got %v", other.Welcome.Responses[0].Goto)
	}
	checkBot(t, b)
}

func TestDigest(t *testing.T) {
	const a = "stories:\n  - name: S\n    interactions:\n      - {name: W, role: start, responses: [{text: hi}]}\n      - {name: F, role: else, responses: [{text: pardon}]}\n"
	const b = "attributes: [plan]\n"
	digest := func(fsys fstest.MapFS, paths ...string) [32]byte {
		t.Helper()
		return loadTB(t, fsys, paths...).Digest()
	}
	base := digest(fstest.MapFS{"a.yaml": {Data: []byte(a)}, "b.yaml": {Data: []byte(b)}}, "a.yaml", "b.yaml")
	if base == [32]byte{} {
		t.Fatal("zero digest")
	}
	same := map[string][32]byte{
		"Again":     digest(fstest.MapFS{"a.yaml": {Data: []byte(a)}, "b.yaml": {Data: []byte(b)}}, "a.yaml", "b.yaml"),
		"Renamed":   digest(fstest.MapFS{"bots/x.yml": {Data: []byte(a)}, "bots/y.yaml": {Data: []byte(b)}}, "bots"),
		"ByteOrder": digest(fstest.MapFS{"a.yaml": {Data: []byte("\ufeff" + a)}, "b.yaml": {Data: []byte(b)}}, "a.yaml", "b.yaml"),
	}
	for name, d := range same {
		if d != base {
			t.Errorf("%s: digest differs", name)
		}
	}
	other := map[string][32]byte{
		"Edited":    digest(fstest.MapFS{"a.yaml": {Data: []byte(strings.Replace(a, "pardon", "sorry", 1))}, "b.yaml": {Data: []byte(b)}}, "a.yaml", "b.yaml"),
		"Reordered": digest(fstest.MapFS{"a.yaml": {Data: []byte(a)}, "b.yaml": {Data: []byte(b)}}, "b.yaml", "a.yaml"),
		"Joined":    digest(fstest.MapFS{"a.yaml": {Data: []byte(b + a)}}, "a.yaml"),
	}
	for name, d := range other {
		if d == base {
			t.Errorf("%s: digest unchanged", name)
		}
	}
}

// TestLanguageNames checks how settings.language reads: names and ISO
// 639-1 codes of stemmed languages and of those whose numbers, yes and no
// are read unstemmed, with or without a region, are the language's name;
// any other name is kept, lower-cased, and matches unstemmed.
func TestLanguageNames(t *testing.T) {
	for _, tc := range []struct{ in, want, warn string }{
		{"german", "german", ""},
		{"German", "german", ""},
		{"de", "german", ""},
		{"de-DE", "german", ""},
		{"de_AT", "german", ""},
		{"pt-BR", "portuguese", ""},
		{"en-GB", "english", ""},
		{"nb-NO", "norwegian", ""},
		{"klingon", "klingon", ""},
		{"japanese", "japanese", ""},
		// Languages without a stemmer whose words the engine reads are
		// named by their codes too.
		{"ja-JP", "japanese", ""},
		{"zh-Hant", "chinese", ""},
		{"zh", "chinese", ""},
		{"ko", "korean", ""},
		{"he", "hebrew", ""},
		{"uk", "ukrainian", ""},
		{"cs", "czech", ""},
		{"bg", "bulgarian", ""},
		{"vi", "vietnamese", ""},
		{"th-TH", "thai", ""},
		{"sw", "sw", ""},
		{"de-", "de-", ""},
		// A language one typo from a stemmed one is likely a typo; one
		// two typos away is likely a language of its own.
		{"portugese", "portugese", `bot.yaml:1:23: language "portugese" has no stemmer, so its phrases match unstemmed words: did you mean portuguese?`},
		{"Germna", "germna", `did you mean german?`},
		{"none", "none", ""},
		{"persian", "persian", ""},
		{"kurdish", "kurdish", ""},
		{"bulgarian", "bulgarian", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			src := fmt.Sprintf("settings: {language: %q}\nstories:\n  - name: S\n    interactions:\n      - {name: W, role: start, responses: [{text: hi}]}\n      - {name: F, role: else, responses: [{text: no}]}\n", tc.in)
			b := loadTB(t, fstest.MapFS{"bot.yaml": {Data: []byte(src)}}, "bot.yaml")
			if got := b.Settings.Language; got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			var warnings []string
			for _, w := range b.Warnings {
				warnings = append(warnings, w.Error())
			}
			if got := strings.Join(warnings, "\n"); tc.warn == "" && got != "" || !strings.Contains(got, tc.warn) {
				t.Errorf("warnings %q, want %q", got, tc.warn)
			}
		})
	}
}

func TestLanguages(t *testing.T) {
	const bot = `settings: {language: english, languages: [german, French]}
stories:
  - name: S
    interactions:
      - {name: W, role: start, responses: [{text: hi}, {text: hallo, language: german}]}
      - name: Order
        says: {english: [a coffee please], german: [einen Kaffee bitte, "[zwei](n) Kaffee"]}
        keywords: {french: [café]}
        parameters: [{name: n, entity: sys.number}]
        responses: [{text: ok}]
      - {name: F, role: else, responses: [{text: pardon}]}
`
	b := loadTB(t, fstest.MapFS{"bot.yaml": {Data: []byte(bot)}}, "bot.yaml")
	if got, want := b.Settings.Languages, []string{"english", "german", "french"}; !slices.Equal(got, want) {
		t.Errorf("Languages: got %q, want %q", got, want)
	}
	var got []string
	for _, p := range b.Stories[0].InteractionByName("Order").Phrases {
		got = append(got, p.Language+":"+p.Text)
	}
	if want := []string{"english:a coffee please", "german:einen Kaffee bitte", "german:zwei Kaffee", "french:café"}; !slices.Equal(got, want) {
		t.Errorf("phrases: got %q, want %q", got, want)
	}
	if r := b.Stories[0].Welcome.Responses; r[0].Language != "" || r[1].Language != "german" {
		t.Errorf("response languages: got %q and %q", r[0].Language, r[1].Language)
	}
	for name, tc := range map[string]struct{ src, want string }{
		"Undeclared": {strings.Replace(bot, "french: [café]", "spanish: [café]", 1), `bot.yaml:8:20: language "spanish" is not one of the bot's languages (english, german, french): list it in settings.languages`},
		"Response":   {strings.Replace(bot, "language: german}", "language: dutch}", 1), `language "dutch" is not one of the bot's languages`},
		"BadName":    {strings.Replace(bot, "languages: [german, French]", "languages: [german, '1x']", 1), `language "1x" is not a language name`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(tc.src)}}, "bot.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	// ISO 639-1 codes name the same languages as their names, wherever a
	// language is named; a code with no stemmer stays as written.
	codes := strings.NewReplacer("language: english, languages: [german, French]", "language: EN, languages: [de, fr, xx]",
		"language: german}", "language: de}", "german: [einen", "de: [einen").Replace(bot)
	b = loadTB(t, fstest.MapFS{"bot.yaml": {Data: []byte(codes)}}, "bot.yaml")
	if got, want := b.Settings.Languages, []string{"english", "german", "french", "xx"}; !slices.Equal(got, want) {
		t.Errorf("Languages by code: got %q, want %q", got, want)
	}
	if r := b.Stories[0].Welcome.Responses; r[1].Language != "german" {
		t.Errorf("response language by code: got %q", r[1].Language)
	}
	if p := b.Stories[0].InteractionByName("Order").Phrases[1]; p.Language != "german" {
		t.Errorf("phrase language by code: got %q", p.Language)
	}
}

// TestLoadLanguageGiven checks that Settings.LanguageGiven tells a bot
// that declares its language from one left at the default.
func TestLoadLanguageGiven(t *testing.T) {
	const stories = "stories:\n  - name: S\n    interactions:\n      - {name: W, role: start, responses: [{text: Hola}]}\n" +
		"      - {name: A, says: [hola], responses: [{text: Hola}]}\n      - {name: F, role: else, responses: [{text: Perdona}]}\n"
	for _, tc := range []struct {
		name, settings, want string
		given                bool
	}{
		{"None", "", "english", false},
		{"OtherSettings", "settings: {confidence: 0.6}\n", "english", false},
		{"English", "settings: {language: english}\n", "english", true},
		{"Code", "settings: {language: es-ES}\n", "spanish", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(tc.settings + stories)}}, "bot.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if s := b.Settings; s.Language != tc.want || s.LanguageGiven != tc.given {
				t.Errorf("got language %q, given %v; want %q, %v", s.Language, s.LanguageGiven, tc.want, tc.given)
			}
		})
	}
}
