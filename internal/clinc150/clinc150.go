// Package clinc150 finds the CLINC150 intent corpus that Parley's NLU and
// engine benchmarks measure against. The corpus is not part of the
// repository: $PARLEY_CLINC150 names it, or it sits in a data directory
// near the checkout (see [Path]).
package clinc150

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// rel is where the corpus sits below a data-holding directory.
const rel = "data/clinc150/train_val.json"

// Path returns the path of the corpus (the data_full.json layout of
// clinc/oos-eval, without its test split or with it): $PARLEY_CLINC150 if
// set, else the first data/clinc150/train_val.json found in the working
// directory or one of its ancestors A, or one level below it
// (A/*/data/clinc150/train_val.json, the first in lexical order), nearest
// ancestor first. The error says where it looked.
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
		if p := filepath.Join(dir, rel); isFile(p) {
			return p, nil
		}
		// ReadDir sorts by name; an unreadable directory has nothing to give.
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if p := filepath.Join(dir, e.Name(), rel); e.IsDir() && isFile(p) {
				return p, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("clinc150: $PARLEY_CLINC150 is not set, and no " + rel + " is in the working directory, an ancestor, or a directory one level below one")
		}
		dir = parent
	}
}

func isFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}
