// Package clinc150 finds the CLINC150 intent corpus that Parley's NLU and
// engine benchmarks measure against. The corpus is not part of the
// repository: $PARLEY_CLINC150 names it, or it sits in a directory above
// the checkout (rel).
package clinc150

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// rel is where the corpus sits relative to a directory above the checkout.
const rel = "shared/data/clinc150/train_val.json"

// Path returns the path of the corpus: $PARLEY_CLINC150 if set, else the
// first shared/data/clinc150/train_val.json found in the working directory or
// one of its parents. The error says where it looked.
func Path() (string, error) {
	if p := os.Getenv("PARLEY_CLINC150"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("clinc150: $PARLEY_CLINC150: %w", err)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("clinc150: no " + rel + " above the working directory, and $PARLEY_CLINC150 is not set")
		}
		dir = parent
	}
}
