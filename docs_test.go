package parley

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocLinks checks that the repository's own documents name only files
// that exist in it: the files they link and the paths they quote. (A
// link without a dot or slash is a training phrase's entity mark.)
func TestDocLinks(t *testing.T) {
	link := regexp.MustCompile("\\]\\(([^)#:\\s]*[./][^)#:\\s]*)\\)|`([\\w./*-]+/[\\w.*-]+\\.(?:go|md|json|yaml|txtar|html))`")
	for _, doc := range []string{"README.md", "ARCHITECTURE.md", "nlu/MEASUREMENTS.md"} {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			p := m[1] + m[2]
			if strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
				t.Errorf("%s names %s, outside the repository", doc, p)
				continue
			}
			if files, _ := filepath.Glob(p); len(files) == 0 {
				t.Errorf("%s names %s, which does not exist", doc, p)
			}
		}
	}
}
