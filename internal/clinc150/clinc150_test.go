package clinc150

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPath(t *testing.T) {
	file := func(t *testing.T, p string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		files []string // below the root; the first is the one Path finds
		wd    string
	}{
		{"Ancestor", []string{"data/clinc150/train_val.json"}, "repo/nlu"},
		{"WorkingDirectory", []string{"repo/nlu/data/clinc150/train_val.json"}, "repo/nlu"},
		{"BelowAncestor", []string{"b/data/clinc150/train_val.json", "c/data/clinc150/train_val.json"}, "a/repo/nlu"},
		{"NearestFirst", []string{"a/x/data/clinc150/train_val.json", "y/data/clinc150/train_val.json"}, "a/repo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PARLEY_CLINC150", "")
			root, err := filepath.EvalSymlinks(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			var want string
			for i, f := range tc.files {
				p := file(t, filepath.Join(root, f))
				if i == 0 {
					want = p
				}
			}
			wd := filepath.Join(root, tc.wd)
			if err := os.MkdirAll(wd, 0o755); err != nil {
				t.Fatal(err)
			}
			t.Chdir(wd)
			got, err := Path()
			if err != nil || got != want {
				t.Errorf("got %q, %v; want %q", got, err, want)
			}
		})
	}
	t.Run("Env", func(t *testing.T) {
		p := file(t, filepath.Join(t.TempDir(), "corpus.json"))
		t.Setenv("PARLEY_CLINC150", p)
		if got, err := Path(); err != nil || got != p {
			t.Errorf("got %q, %v; want %q", got, err, p)
		}
	})
	t.Run("ErrEnvMissing", func(t *testing.T) {
		t.Setenv("PARLEY_CLINC150", filepath.Join(t.TempDir(), "missing.json"))
		if _, err := Path(); err == nil || !strings.Contains(err.Error(), "$PARLEY_CLINC150") {
			t.Errorf("got %v, want an error naming $PARLEY_CLINC150", err)
		}
	})
}
