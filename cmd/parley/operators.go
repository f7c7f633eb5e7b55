package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/parleybot/parley/httpadapter"
)

// readOperators reads the operator keys of Userbot's socket from a file:
// one operator a line, "ID KEY NAME" (the name may have spaces); blank
// lines and lines starting with "#" are skipped.
func readOperators(path string) ([]httpadapter.Option, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var opts []httpadapter.Option
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 {
			return nil, fmt.Errorf("%s:%d: want ID KEY NAME", path, n)
		}
		opts = append(opts, httpadapter.WithOperator(f[0], strings.Join(f[2:], " "), f[1]))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(opts) == 0 {
		return nil, fmt.Errorf("%s: no operator", path)
	}
	return opts, nil
}
