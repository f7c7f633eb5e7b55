// Command mutate checks that the tests pin Parley's documented rules: it
// applies each mutation of a list (an operator flipped, a statement
// removed, at the place a rule is kept) and runs the tests of the mutated
// file's package. A mutant the tests catch is killed; one they do not
// catch survived, and shows a rule no test holds.
//
// From the repository's root:
//
//	go run ./internal/mutate                  # every mutation of mutations.txt
//	go run ./internal/mutate engine story     # the mutations of these packages
//	go run ./internal/mutate -run threshold   # those whose rule matches a regexp
//	go run ./internal/mutate -n               # only check that the list applies
//
// Files are never changed: each mutant is a copy given to go test through
// -overlay, so an interrupted run leaves the tree as it was. Tests run with
// -short and without -race, one mutant at a time (about 10 s a mutant of
// engine on two cores, 25 s of store/badgerstore).
//
// The list (mutations.txt) holds blocks of this form:
//
//	engine/turn.go: the confidence threshold is inclusive
//	-	ok := m.Score >= tr.res.Confidence
//	+	ok := m.Score > tr.res.Confidence
//
// The "-" lines are consecutive lines of the file, compared without their
// leading and trailing space, and must occur exactly once; the "+" lines
// replace them (none removes them). A line "equivalent: why" marks a mutant
// that no test can kill because it changes nothing observable; it is
// counted apart. Lines starting with # are comments.
//
// It prints one line per mutant and a table of the kill rate per package:
// killed / (mutants - equivalent). It exits 1 when a mutant not marked
// equivalent survives, or when the list no longer matches the code
// (stale) or a mutant does not build.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// A mutation changes one place of one file.
type mutation struct {
	file       string // slash-separated, relative to the module's root
	rule       string
	line       int // of the header, in the list
	old, new   []string
	equivalent string // why no test can kill it; "" if one should
}

func (m *mutation) pkg() string { return filepath.ToSlash(filepath.Dir(m.file)) }

// An outcome of one mutant.
type outcome string

const (
	killed   outcome = "killed"
	survived outcome = "SURVIVED"
	equiv    outcome = "equivalent"
	stale    outcome = "STALE"  // the "-" lines are not in the file exactly once
	broken   outcome = "BROKEN" // the mutant does not build
)

func main() {
	list := flag.String("list", "internal/mutate/mutations.txt", "the `file` of mutations, relative to the module's root")
	run := flag.String("run", "", "only the mutations whose file or rule matches this `regexp`")
	verbose := flag.Bool("v", false, "print the test output of surviving and broken mutants")
	dry := flag.Bool("n", false, "only check that every mutation applies; run no tests")
	timeout := flag.Duration("timeout", 5*time.Minute, "the longest a package's tests may run for one mutant")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./internal/mutate [flags] [package dir ...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := mainErr(*list, *run, *verbose, *dry, *timeout, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

func mainErr(list, run string, verbose, dry bool, timeout time.Duration, pkgs []string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	ms, err := parseList(filepath.Join(root, list))
	if err != nil {
		return err
	}
	var re *regexp.Regexp
	if run != "" {
		if re, err = regexp.Compile(run); err != nil {
			return fmt.Errorf("-run: %w", err)
		}
	}
	ms = slices.DeleteFunc(ms, func(m *mutation) bool {
		if len(pkgs) > 0 && !slices.Contains(pkgs, m.pkg()) {
			return true
		}
		return re != nil && !re.MatchString(m.file+": "+m.rule)
	})
	if len(ms) == 0 {
		return errors.New("no mutation to run")
	}
	if dry {
		n := 0
		for _, m := range ms {
			src, err := os.ReadFile(filepath.Join(root, m.file))
			if err == nil {
				_, _, err = apply(src, m)
			}
			if err != nil {
				fmt.Printf("%-10s %s: %s: %v\n", stale, m.file, m.rule, err)
				n++
			}
		}
		if n > 0 {
			return fmt.Errorf("%d of %d mutations do not apply", n, len(ms))
		}
		fmt.Printf("all %d mutations apply\n", len(ms))
		return nil
	}
	tmp, err := os.MkdirTemp("", "parley-mutate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	type tally struct{ total, killed, survived, equivalent, bad int }
	tallies := map[string]*tally{}
	var order []string
	bad := false
	for i, m := range ms {
		o, out, where := try(root, tmp, i, m, timeout)
		fmt.Printf("%-10s %s: %s\n", o, where, m.rule)
		if verbose && (o == survived || o == broken) {
			fmt.Printf("%s\n", indent(out))
		}
		t := tallies[m.pkg()]
		if t == nil {
			t = &tally{}
			tallies[m.pkg()] = t
			order = append(order, m.pkg())
		}
		t.total++
		switch o {
		case killed:
			t.killed++
		case survived:
			t.survived++
			bad = true
		case equiv:
			t.equivalent++
		default:
			t.bad++
			bad = true
		}
	}
	fmt.Printf("\n%-18s %7s %8s %10s %12s %6s\n", "package", "mutants", "killed", "survived", "equivalent", "rate")
	for _, p := range order {
		t := tallies[p]
		rate := "-"
		if n := t.total - t.equivalent - t.bad; n > 0 {
			rate = fmt.Sprintf("%.0f%%", 100*float64(t.killed)/float64(n))
		}
		fmt.Printf("%-18s %7d %8d %10d %12d %6s", p, t.total, t.killed, t.survived, t.equivalent, rate)
		if t.bad > 0 {
			fmt.Printf("  (%d stale or broken)", t.bad)
		}
		fmt.Println()
	}
	if bad {
		return errors.New("a mutant survived, or the list does not match the code")
	}
	return nil
}

// try applies m and runs the tests of its package. where is the file and
// line of the mutated place.
func try(root, tmp string, i int, m *mutation, timeout time.Duration) (o outcome, out []byte, where string) {
	where = m.file
	src, err := os.ReadFile(filepath.Join(root, m.file))
	if err != nil {
		return stale, []byte(err.Error()), where
	}
	mutant, at, err := apply(src, m)
	if err != nil {
		return stale, []byte(err.Error()), where
	}
	where = fmt.Sprintf("%s:%d", m.file, at)
	path := filepath.Join(tmp, fmt.Sprintf("%d-%s", i, filepath.Base(m.file)))
	if err := os.WriteFile(path, mutant, 0o644); err != nil {
		return broken, []byte(err.Error()), where
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(root, m.file): path}})
	ovPath := path + ".json"
	if err := os.WriteFile(ovPath, overlay, 0o644); err != nil {
		return broken, []byte(err.Error()), where
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-overlay="+ovPath, "-count=1", "-short", "-failfast", "-vet=off",
		"-timeout="+timeout.String(), "./"+m.pkg())
	cmd.Dir = root
	out, err = cmd.CombinedOutput()
	switch {
	case err == nil && m.equivalent != "":
		return equiv, out, where
	case err == nil:
		return survived, out, where
	case bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")):
		return broken, out, where
	}
	return killed, out, where
}

// apply returns src with m applied, and the line it changed.
func apply(src []byte, m *mutation) ([]byte, int, error) {
	lines := strings.Split(string(src), "\n")
	at := -1
	for i := 0; i+len(m.old) <= len(lines); i++ {
		match := true
		for j, o := range m.old {
			if strings.TrimSpace(lines[i+j]) != o {
				match = false
				break
			}
		}
		if match {
			if at >= 0 {
				return nil, 0, fmt.Errorf("list line %d: the lines occur more than once in %s", m.line, m.file)
			}
			at = i
		}
	}
	if at < 0 {
		return nil, 0, fmt.Errorf("list line %d: the lines are not in %s", m.line, m.file)
	}
	ind := lines[at][:len(lines[at])-len(strings.TrimLeft(lines[at], " \t"))]
	repl := make([]string, 0, len(m.new))
	for _, n := range m.new {
		repl = append(repl, ind+n)
	}
	out := slices.Concat(lines[:at], repl, lines[at+len(m.old):])
	return []byte(strings.Join(out, "\n")), at + 1, nil
}

// parseList reads the list of mutations.
func parseList(path string) ([]*mutation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ms []*mutation
	var cur *mutation
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		text := strings.TrimSpace(line)
		switch {
		case text == "" || strings.HasPrefix(text, "#"):
		case strings.HasPrefix(line, "-"):
			if cur == nil || len(cur.new) > 0 {
				return nil, fmt.Errorf("%s:%d: a \"-\" line outside a mutation or after its \"+\" lines", path, n)
			}
			cur.old = append(cur.old, strings.TrimSpace(line[1:]))
		case strings.HasPrefix(line, "+"):
			if cur == nil || len(cur.old) == 0 {
				return nil, fmt.Errorf("%s:%d: a \"+\" line before the \"-\" lines", path, n)
			}
			cur.new = append(cur.new, strings.TrimSpace(line[1:]))
		case strings.HasPrefix(text, "equivalent:"):
			if cur == nil {
				return nil, fmt.Errorf("%s:%d: equivalent outside a mutation", path, n)
			}
			cur.equivalent = strings.TrimSpace(strings.TrimPrefix(text, "equivalent:"))
		default:
			file, rule, ok := strings.Cut(text, ": ")
			if !ok || !strings.HasSuffix(file, ".go") {
				return nil, fmt.Errorf("%s:%d: want \"path/file.go: rule\", got %q", path, n, text)
			}
			cur = &mutation{file: file, rule: rule, line: n}
			ms = append(ms, cur)
		}
	}
	for _, m := range ms {
		if len(m.old) == 0 {
			return nil, fmt.Errorf("%s:%d: a mutation without \"-\" lines", path, m.line)
		}
	}
	return ms, sc.Err()
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside a Go module: run it from Parley's repository")
	}
	return filepath.Dir(mod), nil
}

func indent(b []byte) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(string(b), "\n"), "\n", "\n    ")
}
