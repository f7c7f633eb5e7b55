package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parleybot/parley/story"
)

// loadBot loads one bot from files and directories of the operating
// system (a directory stands for its .yaml, .yml and .json files). The
// files are read through their deepest common directory, and the positions
// of errors name them as the user wrote them.
func loadBot(paths ...string) (*story.Bot, error) {
	b, _, err := loadBotFiles(paths...)
	return b, err
}

// loadBotFiles is loadBot, and also returns the function that turns a
// position's file in the bot into the path the user wrote.
func loadBotFiles(paths ...string) (*story.Bot, func(string) string, error) {
	abs := make([]string, len(paths))
	for i, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, err
		}
		abs[i] = a
	}
	root := dirOf(abs[0])
	for _, a := range abs[1:] {
		for !within(root, a) {
			root = filepath.Dir(root)
		}
	}
	rel := make([]string, len(abs))
	for i, a := range abs {
		r, err := filepath.Rel(root, a)
		if err != nil {
			return nil, nil, err
		}
		rel[i] = filepath.ToSlash(r)
	}
	display := func(file string) string {
		if file == "" {
			return file
		}
		return displayPath(file, root, paths, rel)
	}
	b, err := story.Load(os.DirFS(root), rel...)
	if b != nil {
		for _, w := range b.Warnings {
			w.File = display(w.File)
		}
	}
	if err != nil {
		for _, e := range flatten(err) {
			var se *story.Error
			if errors.As(e, &se) {
				se.File = display(se.File)
			}
		}
	}
	return b, display, err
}

// dirOf returns p if it is a directory, else the directory holding it.
func dirOf(p string) string {
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		return p
	}
	return filepath.Dir(p)
}

// within reports whether p is dir or lies under it.
func within(dir, p string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// displayPath turns file, a slash path under root, into the path of the
// argument it came from, as the user wrote it.
func displayPath(file, root string, paths, rel []string) string {
	for i, r := range rel {
		switch {
		case file == r:
			return paths[i]
		case r == ".":
			return filepath.Join(paths[i], filepath.FromSlash(file))
		case strings.HasPrefix(file, r+"/"):
			return filepath.Join(paths[i], filepath.FromSlash(file[len(r)+1:]))
		}
	}
	return filepath.Join(root, filepath.FromSlash(file))
}

// loadArgs parses the flags of a command whose arguments name one bot, and
// loads it. It returns the bot and its paths, or nil and the exit code when
// the command ends here: after -h, a bad flag, no arguments, or a bot that
// does not load (the reasons printed to stderr).
func loadArgs(name string, fs *flag.FlagSet, args []string, stderr io.Writer) (*story.Bot, []string, int) {
	rest, code := parseInterspersed(fs, args)
	if code >= 0 {
		return nil, nil, code
	}
	if len(rest) == 0 {
		fmt.Fprintf(stderr, "parley %s: no bot given\n", name)
		fs.Usage()
		return nil, nil, 2
	}
	b, err := loadBot(rest...)
	if err != nil {
		printLoadErrors(stderr, err)
		return nil, nil, 1
	}
	return b, rest, 0
}
