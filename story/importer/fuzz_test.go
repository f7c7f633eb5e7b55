package importer_test

import (
	"io/fs"
	"os"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
	"github.com/parleybot/parley/story/importer"
)

// FuzzRasa imports a Rasa project of one domain and one data file: the
// importer never panics, and what it returns loads.
func FuzzRasa(f *testing.F) {
	for _, s := range []string{"moodbot", "formbot"} {
		domain, err := os.ReadFile("testdata/rasa/" + s + "/domain.yml")
		if err != nil {
			f.Fatal(err)
		}
		nlu, err := os.ReadFile("testdata/rasa/" + s + "/data/nlu.yml")
		if err != nil {
			f.Fatal(err)
		}
		rules, err := os.ReadFile("testdata/rasa/" + s + "/data/rules.yml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(domain, append(append(nlu, '\n'), rules...))
	}
	f.Add([]byte("responses: {utter_x: [{text: \"{x}\", buttons: [{title: a, payload: /i}]}]}\nslots: {x: {}}"),
		[]byte("nlu:\n- intent: i\n  examples: |\n    - a [b]{\"entity\": \"e\", \"value\": 1} [c](e:d) \\[\nrules:\n- rule: r\n  steps: [{intent: i}, {action: utter_x}]"))
	f.Fuzz(func(t *testing.T, domain, data []byte) {
		fsys := fstest.MapFS{"domain.yml": {Data: domain}, "data/nlu.yml": {Data: data}}
		checkImport(t, fsys, importer.Rasa)
	})
}

// FuzzRasaMarkdown imports a Rasa 1.x project of Markdown training data
// and stories (and JSON training data, read from the same bytes).
func FuzzRasaMarkdown(f *testing.F) {
	f.Add([]byte("<!-- c -->\n## intent:order\n- a [b](e) [c](e:d) [f]{\"entity\": \"e\", \"role\": \"r\"} [g][h]\n* two\n# intent:x\n## synonym:d\n- b\n## lookup:e\n- x\nlist.txt\n## regex:r\n- [0-9]+\n## synonyms:y\n- z"),
		[]byte("## path\n* order{\"e\": \"b\"}\n  - utter_x\n  - form{\"name\": \"f\"}\n* form: order OR other\n  - form: f\n> check\n"))
	f.Add([]byte(`{"rasa_nlu_data": {"common_examples": [{"text": "ä b", "intent": "i", "entities": [{"start": 2, "end": 3, "entity": "e", "value": "c"}]}],
"entity_synonyms": [{"value": "c", "synonyms": ["b"]}], "lookup_tables": [{"name": "e", "elements": "list.txt"}]}}`), []byte("## s\n* i\n - utter_x"))
	f.Fuzz(func(t *testing.T, nlu, stories []byte) {
		fsys := fstest.MapFS{
			"domain.yml":      {Data: []byte("intents: [i, order]\ntemplates: {utter_x: [{text: hi}]}\n")},
			"data/nlu.md":     {Data: nlu},
			"data/nlu.json":   {Data: nlu},
			"data/stories.md": {Data: stories},
			"list.txt":        {Data: []byte("y\nz\n")},
		}
		checkImport(t, fsys, importer.Rasa)
	})
}

// FuzzDialogflow imports an agent of one intent and its phrases.
func FuzzDialogflow(f *testing.F) {
	dir := "testdata/dialogflow/bikeshop/"
	for _, name := range []string{"Make Appointment", "Make Appointment - custom", "Welcome Intent"} {
		intent, err := os.ReadFile(dir + "intents/" + name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		says, err := os.ReadFile(dir + "intents/" + name + "_usersays_en.json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(intent, says)
	}
	agent, err := os.ReadFile(dir + "agent.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, intent, says []byte) {
		fsys := fstest.MapFS{
			"agent.json":                               {Data: agent},
			"intents/A.json":                           {Data: intent},
			"intents/A_usersays_en.json":               {Data: says},
			"entities/AppointmentType.json":            {Data: []byte(`{"name": "AppointmentType"}`)},
			"entities/AppointmentType_entries_en.json": {Data: []byte(`[{"value": "fix", "synonyms": ["repair"]}]`)},
		}
		checkImport(t, fsys, importer.Dialogflow)
	})
}

func checkImport(t *testing.T, fsys fs.FS, imp func(fs.FS) (*importer.Result, error)) {
	res, err := imp(fsys)
	if err != nil {
		return
	}
	y, err := res.File.YAML()
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	if _, err := story.Load(fstest.MapFS{"bot.yaml": {Data: y}}, "bot.yaml"); err != nil {
		t.Fatalf("the imported bot does not load: %v\n%s", err, y)
	}
}
