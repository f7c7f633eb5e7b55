package story_test

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

// TestExportRoundTrip loads bots, exports them as JSON, loads that and
// checks that nothing but positions changed, and that exporting again
// gives the same bytes.
func TestExportRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name string
		fsys fstest.MapFS
		path string
	}{
		{"Full", readFS(t, "testdata/load/full.yaml"), "bot.yaml"},
		{"Coffee", readFS(t, "../examples/coffee/bot.yaml"), "bot.yaml"},
		{"Support", readFS(t, "../examples/support/bot.yaml"), "bot.yaml"},
		{"Marks", fstest.MapFS{"m.yaml": {Data: []byte(`
settings: {timezone: Europe/Rome, webhooks: {order: "https://shop.example/order"}}
entities: [{name: size, values: [small, {value: large, synonyms: [big]}]}]
stories:
  - name: S
    interactions:
      - {name: W, role: start, responses: [{text: Hi}]}
      - name: O
        says: ["a [large](size) one", 'a \[b\] \\ c', "[big](size)"]
        keywords: ['x \[y']
        parameters: [{name: size, entity: size}]
        responses: [{text: "{{size|none}}"}, {backtracking: true}, {handoff: {failure: {goto: W}}}, {meeting: {title: "A {{size|none}} demo", start: "2030-01-01 10:00", minutes: 45}}, {goal: order}]
      - {name: E, role: else}
`)}}, "m.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := loadTB(t, c.fsys, c.path)
			first, err := story.Export(a).JSON()
			if err != nil {
				t.Fatal(err)
			}
			b, err := story.Load(fstest.MapFS{"bot.json": {Data: first}}, "bot.json")
			if err != nil {
				t.Fatalf("loading the export: %v\n%s", err, first)
			}
			if diff := sameBot(reflect.ValueOf(a), reflect.ValueOf(b), "Bot", map[[2]uintptr]bool{}); diff != "" {
				t.Errorf("after the round trip: %s", diff)
			}
			second, err := story.Export(b).JSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(first) != string(second) {
				t.Errorf("second export differs from the first:\n%s\n---\n%s", first, second)
			}
			y, err := story.Export(a).YAML()
			if err != nil {
				t.Fatal(err)
			}
			c, err := story.Load(fstest.MapFS{"bot.yaml": {Data: y}}, "bot.yaml")
			if err != nil {
				t.Fatalf("loading the YAML export: %v\n%s", err, y)
			}
			if diff := sameBot(reflect.ValueOf(a), reflect.ValueOf(c), "Bot", map[[2]uintptr]bool{}); diff != "" {
				t.Errorf("after the YAML round trip: %s", diff)
			}
		})
	}
}

func readFS(t *testing.T, path string) fstest.MapFS {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{"bot.yaml": {Data: data}}
}

// sameBot compares two loaded bots field by field, but for positions,
// warnings and unexported fields (derived from the rest); templates and
// conditions compare by their source. It returns where they differ, or "".
func sameBot(a, b reflect.Value, path string, seen map[[2]uintptr]bool) string {
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: types %v and %v", path, a.Type(), b.Type())
	}
	if s, ok := a.Interface().(fmt.Stringer); ok && (a.Type() == reflect.TypeFor[*story.Template]() || a.Type() == reflect.TypeFor[*story.Condition]() || a.Type() == reflect.TypeFor[*story.AutomationCondition]()) {
		if x, y := s.String(), b.Interface().(fmt.Stringer).String(); x != y {
			return fmt.Sprintf("%s: %q and %q", path, x, y)
		}
		return ""
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + ": one is nil"
			}
			return ""
		}
		k := [2]uintptr{a.Pointer(), b.Pointer()}
		if seen[k] {
			return ""
		}
		seen[k] = true
		return sameBot(a.Elem(), b.Elem(), path, seen)
	case reflect.Slice:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: lengths %d and %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := sameBot(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), seen); d != "" {
				return d
			}
		}
		return ""
	case reflect.Struct:
		for i := range a.NumField() {
			f := a.Type().Field(i)
			if !f.IsExported() || f.Name == "Pos" || f.Name == "Warnings" {
				continue
			}
			if d := sameBot(a.Field(i), b.Field(i), path+"."+f.Name, seen); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return fmt.Sprintf("%s: %v and %v", path, a.Interface(), b.Interface())
	}
	return ""
}

// TestExportLanguagesAndPersonas exports what a bot of several languages
// and personas adds to the format.
func TestExportLanguagesAndPersonas(t *testing.T) {
	fsys := fstest.MapFS{"bot.yaml": {Data: []byte(`
settings:
  languages: [german]
  personas: [{name: pirate, title: Pirate, description: Arr, instructions: Say arr}]
stories:
  - name: S
    interactions:
      - {name: W, role: start, responses: [{text: Hi, personas: {pirate: [Ahoy]}}, {text: Hallo, language: german}]}
      - name: O
        says: {english: [a coffee], german: [einen Kaffee]}
        keywords: [espresso]
        responses: [{persona: pirate}, {persona: default}]
      - {name: E, role: else}
`)}}
	a := loadTB(t, fsys, "bot.yaml")
	out, err := story.Export(a).JSON()
	if err != nil {
		t.Fatal(err)
	}
	b, err := story.Load(fstest.MapFS{"bot.json": {Data: out}}, "bot.json")
	if err != nil {
		t.Fatalf("loading the export: %v\n%s", err, out)
	}
	if d := sameBot(reflect.ValueOf(a), reflect.ValueOf(b), "Bot", map[[2]uintptr]bool{}); d != "" {
		t.Errorf("after the round trip: %s\n%s", d, out)
	}
}

func TestTimeZoneSetting(t *testing.T) {
	_, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte("settings: {timezone: Mars/Base}\nstories: [{name: S, interactions: [{name: W, role: start}, {name: E, role: else}]}]\n")}}, "bot.yaml")
	if err == nil || !strings.Contains(err.Error(), `bot.yaml:1:22: timezone "Mars/Base" is not a time zone`) {
		t.Errorf("got %v, want the timezone refused with its position", err)
	}
}
