package importer_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story/botfile"
	"github.com/parleybot/parley/story/importer"
)

// interaction returns the imported interaction of that name.
func interaction(t *testing.T, f *botfile.File, name string) botfile.Interaction {
	t.Helper()
	for _, st := range f.Stories {
		for _, in := range st.Interactions {
			if in.Name == name {
				return in
			}
		}
	}
	t.Fatalf("no interaction %q", name)
	return botfile.Interaction{}
}

// entity returns the imported entity of that name.
func entity(t *testing.T, f *botfile.File, name string) botfile.Entity {
	t.Helper()
	for _, e := range f.Entities {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no entity %q", name)
	return botfile.Entity{}
}

// values lists an entity's values as "value: synonym, synonym".
func values(e botfile.Entity) []string {
	var out []string
	for _, v := range e.Values {
		out = append(out, v.Value+": "+strings.Join(v.Synonyms, ", "))
	}
	return out
}

// texts lists the text of an interaction's responses.
func texts(in botfile.Interaction) []string {
	var out []string
	for _, r := range in.Responses {
		out = append(out, r.Text...)
	}
	return out
}

// noted fails unless some note contains each of want.
func noted(t *testing.T, res *importer.Result, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.ContainsFunc(res.Unmapped, func(u string) bool { return strings.Contains(u, w) }) {
			t.Errorf("no note contains %q; notes:\n  %s", w, strings.Join(res.Unmapped, "\n  "))
		}
	}
}

// TestRasaMarkdown imports a Rasa 1.x project: Markdown training data
// and stories, a 1.x domain and an NLU config with a model's name for a
// language, the stories after a byte order mark. Each oddity Rasa
// reads one way or refuses is read its way and noted with its file and
// line; an example of punctuation alone, which
// the matcher cannot train on, is left out.
func TestRasaMarkdown(t *testing.T) {
	fsys := fstest.MapFS{
		"nlu_config.yml": {Data: []byte("language: fr_core_news_md\npipeline: []\n")},
		"domain.yml": {Data: []byte(`intents:
- saluer
- commander
- merci:
    triggers: utter_de_rien
forms:
- commande_form
templates:
  utter_bonjour:
  - text: Bonjour !
  utter_de_rien:
  - text: De rien.
`)},
		"data/nlu.md": {Data: []byte(`<!-- des commentaires
sur deux lignes -->
## intent:saluer
- bonjour
* salut
+ coucou <!-- un commentaire en fin de ligne -->

##intent: commander 
- je voudrais une [pizza](plat)
- une [marguerita](plat:pizza) s'il vous plaît
- un [café]{"entity": "boisson", "value": "expresso"}
- c'est pour [Marie][PERSONNE]
- un [petit noir](boisson) et un [croissant](plat)
la ligne sans tiret
# intent:oubli
- deux [pizzas](plat)

## intent:merci
- merci
- merci beaucoup

## synonym:expresso
- petit noir
- serré

## synonyms:plat
- plats

## lookup:plat
- quiche
lookups/plats.txt
lookups/absent.txt

## regex:code
- [0-9]{5}

## intent:quoi
- ?
- quoi ?
`)},
		"lookups/plats.txt": {Data: []byte("tarte\nsoupe\n\n")},
		"data/stories.md": {Data: []byte("\uFEFF" + `## chemin heureux
* saluer
  - utter_bonjour
* commander{"plat": "pizza"}
  - commande_form
  - form{"name": "commande_form"}
* form: commander
  - form: commande_form
  - form{"name": null}
`)},
		"README.md": {Data: []byte("## intent:exemple\n- pas des données\n")},
	}
	b, res := load(t, fsys, importer.Rasa)
	if b.Settings.Language != "french" {
		t.Errorf("language: got %q, want french", b.Settings.Language)
	}
	f := res.File
	saluer := interaction(t, f, "saluer")
	if got, want := saluer.Says.List, []string{"bonjour", "salut", "coucou"}; !slices.Equal(got, want) {
		t.Errorf("saluer says %q, want %q", got, want)
	}
	if got, want := texts(saluer), []string{"Bonjour !"}; !slices.Equal(got, want) {
		t.Errorf("saluer answers %q, want %q (the story's utter_bonjour)", got, want)
	}
	commander := interaction(t, f, "saluer > commander")
	want := []string{
		"je voudrais une [pizza](plat)",
		"une [marguerita](plat) s'il vous plaît",
		"un [café](boisson)",
		"c'est pour Marie",
		"un [petit noir](boisson) et un [croissant](plat)",
		"deux [pizzas](plat)",
	}
	if got := commander.Says.List; !slices.Equal(got, want) {
		t.Errorf("commander says\n  %q\nwant\n  %q", got, want)
	}
	if got, want := values(entity(t, f, "plat")), []string{"pizza: marguerita", "croissant: ", "pizzas: ", "quiche: ", "tarte: ", "soupe: "}; !slices.Equal(got, want) {
		t.Errorf("plat: got %q, want %q", got, want)
	}
	// "petit noir" is a synonym of expresso: Rasa maps the annotated
	// text to it, so it is no value of its own.
	if got, want := values(entity(t, f, "boisson")), []string{"expresso: café, petit noir, serré"}; !slices.Equal(got, want) {
		t.Errorf("boisson: got %q, want %q", got, want)
	}
	if got, want := texts(interaction(t, f, "merci")), []string{"De rien."}; !slices.Equal(got, want) {
		t.Errorf("merci answers %q, want %q (the domain's trigger)", got, want)
	}
	if slices.ContainsFunc(f.Stories[0].Interactions, func(in botfile.Interaction) bool { return in.Name == "exemple" }) {
		t.Errorf("README.md was read as training data")
	}
	noted(t, res,
		"nlu_config.yml: language fr_core_news_md is read as fr",
		`data/nlu.md:12: annotation "[Marie][PERSONNE]" is not understood`,
		`data/nlu.md:14: "la ligne sans tiret" is not a list item`,
		`data/nlu.md:15: "# intent:oubli" is not a section header (Rasa's start with ##): the examples below it stay in intent commander`,
		`data/nlu.md:26: section "## synonyms:plat"`,
		"data/nlu.md:32: lookup plat: the file lookups/absent.txt is not in the project",
		"data/nlu.md:34: regex code: regular expressions are not imported",
		"domain.yml:7: form commande_form: a Rasa 1.x form is a Python FormAction",
		`data/nlu.md:38: example "?" of intent quoi has no word, number or symbol`,
		`data/stories.md:4: story "chemin heureux": the entities of intent commander are not imported`,
	)
}

// TestRasaJSON imports Rasa's JSON training data: entities given by
// character offsets (after a non-ASCII letter here), synonyms and a
// lookup table; JSON training data that does not parse is an error.
func TestRasaJSON(t *testing.T) {
	fsys := fstest.MapFS{"data/nlu.json": {Data: []byte(`{"rasa_nlu_data": {
  "common_examples": [
    {"text": "ein Brötchen mit Käse", "intent": "bestellen",
     "entities": [{"start": 17, "end": 21, "value": "Käse", "entity": "belag"}]},
    {"text": "zweimal Schinken bitte", "intent": "bestellen",
     "entities": [{"start": 8, "end": 16, "value": "Schinken", "entity": "belag"}, {"start": 30, "end": 40, "entity": "x"}]},
    {"text": "danke", "intent": "danken"}
  ],
  "entity_synonyms": [{"value": "Käse", "synonyms": ["Gouda"]}],
  "lookup_tables": [{"name": "belag", "elements": ["Salami"]}]
}}`)}}
	_, res := load(t, fsys, importer.Rasa)
	f := res.File
	if got, want := interaction(t, f, "bestellen").Says.List, []string{"ein Brötchen mit [Käse](belag)", "zweimal [Schinken](belag) bitte"}; !slices.Equal(got, want) {
		t.Errorf("bestellen says %q, want %q", got, want)
	}
	if got, want := values(entity(t, f, "belag")), []string{"Käse: Gouda", "Schinken: ", "Salami: "}; !slices.Equal(got, want) {
		t.Errorf("belag: got %q, want %q", got, want)
	}
	noted(t, res, "data/nlu.json: common example 2", "entity x at 30-40 is outside the text")

	// Training data that does not parse is an error naming the file,
	// not a project without training data.
	fsys["data/more.json"] = &fstest.MapFile{Data: []byte(`{"rasa_nlu_data": {"common_examples": [}}`)}
	if _, err := importer.Rasa(fsys); err == nil || !strings.Contains(err.Error(), "data/more.json") {
		t.Errorf("got %v, want an error naming data/more.json", err)
	}
}

// TestRasaSynonymsAndCase imports YAML training data where an annotated
// text is a synonym of another value, and one value is written in two
// letter cases: the synonym maps to its value, the two cases are one
// value, and neither is noted as a clash.
func TestRasaSynonymsAndCase(t *testing.T) {
	fsys := fstest.MapFS{"data/nlu.yml": {Data: []byte(`nlu:
- intent: pay
  examples: |
    - pay my [card](account)
    - pay my [credit](account) bill
    - pay at [Shopco](shop)
    - pay at [shopco](shop) again
- synonym: credit
  examples: |
    - card
    - cards
`)}}
	_, res := load(t, fsys, importer.Rasa)
	if got, want := values(entity(t, res.File, "account")), []string{"credit: card, cards"}; !slices.Equal(got, want) {
		t.Errorf("account: got %q, want %q", got, want)
	}
	if got, want := values(entity(t, res.File, "shop")), []string{"Shopco: "}; !slices.Equal(got, want) {
		t.Errorf("shop: got %q, want %q", got, want)
	}
	for _, u := range res.Unmapped {
		if strings.Contains(u, "left out") {
			t.Errorf("unexpected note: %s", u)
		}
	}
}

// TestRasaRetrievalIntents imports a rule for a retrieval intent: each
// of its intents answers with its own response, and notes about those
// responses name the file that holds them. A rule for nlu_fallback gives
// the fallback its answer.
func TestRasaRetrievalIntents(t *testing.T) {
	fsys := fstest.MapFS{
		"domain.yml": {Data: []byte("intents: [faq]\nresponses:\n  utter_default:\n  - text: Sorry?\n")},
		"data/nlu.yml": {Data: []byte(`nlu:
- intent: faq/hours
  examples: |
    - when are you open
- intent: faq/price
  examples: |
    - how much is it
responses:
  utter_faq/hours:
  - text: From nine to five.
  utter_faq/price:
  - text: Ten euros.
    image: https://example.com/price.png
  - text: It costs ten euros.
`)},
		"data/rules.yml": {Data: []byte(`rules:
- rule: answer questions
  steps:
  - intent: faq
  - action: utter_faq
- rule: ask to rephrase
  steps:
  - intent: nlu_fallback
  - action: utter_rephrase
`)},
		"data/responses.yml": {Data: []byte("responses:\n  utter_rephrase:\n  - text: Say it again?\n")},
	}
	_, res := load(t, fsys, importer.Rasa)
	if got, want := texts(interaction(t, res.File, "faq/hours")), []string{"From nine to five."}; !slices.Equal(got, want) {
		t.Errorf("faq/hours answers %q, want %q", got, want)
	}
	if got, want := texts(interaction(t, res.File, "faq/price")), []string{"Ten euros."}; !slices.Equal(got, want) {
		t.Errorf("faq/price answers %q, want %q", got, want)
	}
	if got, want := texts(interaction(t, res.File, "Fallback")), []string{"Say it again?"}; !slices.Equal(got, want) {
		t.Errorf("the fallback answers %q, want %q (the rule for nlu_fallback)", got, want)
	}
	noted(t, res, "data/nlu.yml:14: response utter_faq/price: only its first variant is imported")
	for _, u := range res.Unmapped {
		if strings.Contains(u, "no examples") || strings.Contains(u, "in no story") {
			t.Errorf("unexpected note: %s", u)
		}
	}
}

// TestDialogflowLanguages imports an agent of two languages: phrases,
// messages and entity entries of both, and a default language with a
// region, from files that start with a byte order mark. A phrase of
// punctuation alone, which the matcher cannot train
// on, is left out.
func TestDialogflowLanguages(t *testing.T) {
	fsys := fstest.MapFS{
		"agent.json":                       {Data: []byte("\uFEFF" + `{"language": "en-gb", "supportedLanguages": ["de", "en"]}`)},
		"entities/size.json":               {Data: []byte(`{"name": "size"}`)},
		"entities/size_entries_en-gb.json": {Data: []byte(`[{"value": "large", "synonyms": ["large", "big"]}]`)},
		"entities/size_entries_de.json":    {Data: []byte(`[{"value": "large", "synonyms": ["groß"]}, {"value": "klein", "synonyms": ["klein"]}]`)},
		"intents/Order.json": {Data: []byte(`{"id": "1", "name": "Order", "responses": [{"parameters": [{"name": "size", "dataType": "@size", "value": "$size"}],
  "messages": [{"type": 0, "lang": "en-gb", "speech": "Coming up."}, {"type": 0, "lang": "de", "speech": ["Kommt sofort."]}]}]}`)},
		"intents/Order_usersays_en-gb.json": {Data: []byte(`[{"data": [{"text": "a "}, {"text": "big", "alias": "size", "meta": "@size"}, {"text": " coffee"}]}, {"data": [{"text": "??"}]}]`)},
		"intents/Order_usersays_de.json":    {Data: []byte(`[{"data": [{"text": "einen "}, {"text": "großen", "alias": "size", "meta": "@size"}, {"text": " Kaffee"}]}]`)},
	}
	b, res := load(t, fsys, importer.Dialogflow)
	if got, want := b.Settings.Languages, []string{"english", "german"}; !slices.Equal(got, want) {
		t.Errorf("languages: got %q, want %q", got, want)
	}
	order := interaction(t, res.File, "Order")
	want := botfile.Keyed{{Key: "en", List: []string{"a [big](size) coffee"}}, {Key: "de", List: []string{"einen [großen](size) Kaffee"}}}
	if got := order.Says.ByLanguage; len(got) != 2 || !slices.Equal(got[0].List, want[0].List) || !slices.Equal(got[1].List, want[1].List) || got[0].Key != "en" || got[1].Key != "de" {
		t.Errorf("says: got %+v, want %+v", got, want)
	}
	var langs []string
	for _, r := range order.Responses {
		langs = append(langs, r.Language+":"+strings.Join(r.Text, "|"))
	}
	if want := []string{":Coming up.", "de:Kommt sofort."}; !slices.Equal(langs, want) {
		t.Errorf("responses: got %q, want %q", langs, want)
	}
	if got, want := values(entity(t, res.File, "size")), []string{"large: big, groß", "klein: "}; !slices.Equal(got, want) {
		t.Errorf("size: got %q, want %q", got, want)
	}
	noted(t, res, "agent.json: language en-gb is read as en", `intents/Order_usersays_en-gb.json: phrase "??" has no word, number or symbol`)
	for _, u := range res.Unmapped {
		if strings.Contains(u, "only the default language") {
			t.Errorf("unexpected note: %s", u)
		}
	}
}

// TestDialogflowCX refuses a Dialogflow CX export with an error that
// says so.
func TestDialogflowCX(t *testing.T) {
	fsys := fstest.MapFS{
		"agent.json": {Data: []byte(`{"displayName": "cx", "defaultLanguageCode": "en"}`)},
		"flows/Default Start Flow/Default Start Flow.json": {Data: []byte(`{}`)},
		"intents/greet/greet.json":                         {Data: []byte(`{"displayName": "greet"}`)},
		"intents/greet/trainingPhrases/en.json":            {Data: []byte(`{"trainingPhrases": []}`)},
	}
	_, err := importer.Dialogflow(fsys)
	if err == nil || !strings.Contains(err.Error(), "Dialogflow CX") {
		t.Fatalf("got %v, want an error naming Dialogflow CX", err)
	}
}

// TestDialogflowOlderExports imports what older exports and agents
// write: phrases and entity entries inside the intent's and entity's own
// file, prompts as bare strings, a response's speech without messages, a
// follow-up's context named after its parent, and entries an agent adds
// to a system entity, which do not turn it into a custom one.
func TestDialogflowOlderExports(t *testing.T) {
	fsys := fstest.MapFS{
		"agent.json":                          {Data: []byte(`{"language": "en"}`)},
		"entities/fruit.json":                 {Data: []byte(`{"name": "fruit", "entries": [{"value": "apple", "synonyms": ["apple", "apples"]}]}`)},
		"entities/sys.number.json":            {Data: []byte(`{"name": "sys.number"}`)},
		"entities/sys.number_entries_en.json": {Data: []byte(`[{"value": "a dozen", "synonyms": ["a dozen"]}]`)},
		"intents/Add Fruit.json": {Data: []byte(`{"id": "p", "name": "Add Fruit", "userSays": [
  {"data": [{"text": "add "}, {"text": "apples", "alias": "fruit", "meta": "@fruit"}]},
  {"data": [{"text": "I want "}, {"text": "3", "alias": "count", "meta": "@sys.number"}, {"text": " "}, {"text": "apples", "alias": "fruit", "meta": "@fruit"}]}],
 "responses": [{"parameters": [
   {"name": "fruit", "dataType": "@fruit", "value": "$fruit", "required": true, "prompts": ["Which fruit?"]},
   {"name": "count", "dataType": "@sys.number", "value": "$count"}],
  "speech": "Okay, $count $fruit."}]}`)},
		"intents/Add Fruit - yes.json": {Data: []byte(`{"id": "c", "parentId": "p", "name": "Add Fruit - yes", "contexts": ["AddFruit-followup"],
 "responses": [{"messages": [{"type": 0, "speech": "Added."}, {"type": 4, "payload": {"x": 1}}]}]}`)},
		"intents/Add Fruit - yes_usersays_en.json": {Data: []byte(`[{"data": [{"text": "yes"}]}]`)},
	}
	_, res := load(t, fsys, importer.Dialogflow)
	add := interaction(t, res.File, "Add Fruit")
	if got, want := add.Says.List, []string{"add [apples](fruit)", "I want [3](count) [apples](fruit)"}; !slices.Equal(got, want) {
		t.Errorf("says %q, want %q", got, want)
	}
	var params []string
	for _, p := range add.Parameters {
		params = append(params, p.Name+":"+p.Entity+":"+strings.Join(p.Prompts, "|"))
	}
	if want := []string{"fruit:fruit:Which fruit?", "count:sys.number:"}; !slices.Equal(params, want) {
		t.Errorf("parameters %q, want %q", params, want)
	}
	if got, want := texts(add), []string{"Okay, {{count}} {{fruit}}."}; !slices.Equal(got, want) {
		t.Errorf("answers %q, want %q", got, want)
	}
	if got, want := values(entity(t, res.File, "fruit")), []string{"apple: apples"}; !slices.Equal(got, want) {
		t.Errorf("fruit: got %q, want %q", got, want)
	}
	noted(t, res, "entities/sys.number.json: the entries the agent adds to system entity sys.number are not imported",
		"intents/Add Fruit - yes.json: a custom payload message is not imported")
	for _, u := range res.Unmapped {
		if strings.Contains(u, "input context") {
			t.Errorf("unexpected note: %s", u)
		}
	}
}
