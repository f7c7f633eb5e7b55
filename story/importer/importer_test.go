package importer_test

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
	"github.com/parleybot/parley/story/importer"
)

// samples are the public exports in testdata and their importers.
var samples = []struct {
	name string
	dir  string
	imp  func(fs.FS) (*importer.Result, error)
}{
	{"bikeshop", "testdata/dialogflow/bikeshop", importer.Dialogflow},
	{"moodbot", "testdata/rasa/moodbot", importer.Rasa},
	{"formbot", "testdata/rasa/formbot", importer.Rasa},
}

// load imports a sample and loads the result as Parley would.
func load(t *testing.T, fsys fs.FS, imp func(fs.FS) (*importer.Result, error)) (*story.Bot, *importer.Result) {
	t.Helper()
	res, err := imp(fsys)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	y, err := res.File.YAML()
	if err != nil {
		t.Fatal(err)
	}
	b, err := story.Load(fstest.MapFS{"bot.yaml": {Data: y}}, "bot.yaml")
	if err != nil {
		t.Fatalf("the imported bot does not load: %v\n%s", err, y)
	}
	if testing.Verbose() {
		t.Logf("%s\nunmapped:\n  %s", y, strings.Join(res.Unmapped, "\n  "))
	}
	return b, res
}

func TestSamples(t *testing.T) {
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			b, res := load(t, os.DirFS(s.dir), s.imp)
			if len(b.Warnings) > 0 {
				t.Errorf("warnings: %v", b.Warnings)
			}
			if len(res.Unmapped) == 0 {
				t.Errorf("nothing unmapped: every sample has something Parley holds differently")
			}
		})
	}
}

// TestDialogflowZip imports the bike shop agent from a zip archive with
// the agent in a directory, as the console exports it.
func TestDialogflowZip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	dir := os.DirFS(samples[0].dir)
	err := fs.WalkDir(dir, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(dir, p)
		if err != nil {
			return err
		}
		w, err := zw.Create("BikeShop/" + p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := load(t, zr, importer.Dialogflow)
	if got := len(b.Stories[0].Interactions); got != 5 {
		t.Errorf("interactions: got %d, want 5", got)
	}
}
