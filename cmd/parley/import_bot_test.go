package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateImports = flag.Bool("update-imports", false, "rewrite testdata/import/*_test.txtar from the imported bots")

// TestImportSamples imports the public sample bots kept in
// story/importer/testdata, then chats with each through its conversation
// test in testdata/import, and exports and loads it again.
func TestImportSamples(t *testing.T) {
	samples := filepath.Join("..", "..", "story", "importer", "testdata")
	for _, c := range []struct {
		kind, name, source string
	}{
		{"dialogflow", "bikeshop", filepath.Join(samples, "dialogflow", "bikeshop")},
		{"rasa", "moodbot", filepath.Join(samples, "rasa", "moodbot")},
		{"rasa", "formbot", filepath.Join(samples, "rasa", "formbot")},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			bot := filepath.Join(dir, "bot.yaml")
			code, _, errs := parley(t, []string{"import", c.kind, c.source, "-o", bot})
			if code != 0 {
				t.Fatalf("import: exit %d: %s", code, errs)
			}
			if !strings.Contains(errs, "not imported as it is") {
				t.Errorf("import lists nothing it did not map:\n%s", errs)
			}
			test := filepath.Join("testdata", "import", c.name+"_test.txtar")
			data, err := os.ReadFile(test)
			if err != nil {
				t.Fatal(err)
			}
			copied := filepath.Join(dir, c.name+"_test.txtar")
			if err := os.WriteFile(copied, data, 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"test", copied}
			if *updateImports {
				args = append(args, "-update")
			}
			if code, out, errs := parley(t, args); code != 0 {
				t.Errorf("test: exit %d\n%s%s", code, out, errs)
			}
			if *updateImports {
				data, err := os.ReadFile(copied)
				if err == nil {
					err = os.WriteFile(test, data, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			exported := filepath.Join(dir, "exported.json")
			code, out, errs := parley(t, []string{"export", bot})
			if code != 0 {
				t.Fatalf("export: exit %d: %s", code, errs)
			}
			if err := os.WriteFile(exported, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			code, again, errs := parley(t, []string{"export", exported})
			if code != 0 || again != out {
				t.Errorf("export of the export: exit %d, %s; want the same file", code, errs)
			}
		})
	}
}

// TestImportRefuses checks the errors a user meets.
func TestImportRefuses(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "bot.yaml")
	if err := os.WriteFile(existing, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	rasa := filepath.Join("..", "..", "story", "importer", "testdata", "rasa", "moodbot")
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"NoSource", []string{"import", "rasa"}, 2, "give one DIR"},
		{"Missing", []string{"import", "dialogflow", filepath.Join(dir, "nothing.zip")}, 1, "no such file"},
		{"NotAnAgent", []string{"import", "dialogflow", rasa}, 1, "no agent.json"},
		{"NotAZip", []string{"import", "dialogflow", existing}, 1, "neither a directory nor a zip archive"},
		{"Exists", []string{"import", "rasa", rasa, "-o", existing}, 1, "exists: choose another name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := parley(t, c.args)
			if code != c.code || !strings.Contains(errs, c.want) {
				t.Errorf("got exit %d, %q; want %d and %q", code, errs, c.code, c.want)
			}
		})
	}
}
