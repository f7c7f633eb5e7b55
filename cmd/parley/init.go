package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// initFiles is the bot parley init writes: a bot, its conversation tests
// and a README, which TestInit checks pass parley check and parley test.
//
//go:embed initbot/bot.yaml initbot/bot_test.txtar initbot/README.md
var initFiles embed.FS

// runInit writes a small working bot into a directory.
func runInit(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("init", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: parley init [DIR]")
		fmt.Fprintln(stderr, "\nWrites a small working bot into DIR (default: the current directory):")
		fmt.Fprintln(stderr, "bot.yaml, its conversation tests in bot_test.txtar, and a README.md saying")
		fmt.Fprintln(stderr, "what to run next. Existing files are never overwritten.")
	}
	rest, code := parseInterspersed(fset, args)
	if code >= 0 {
		return code
	}
	if len(rest) > 1 {
		fmt.Fprintln(stderr, "parley init: one directory at most")
		fset.Usage()
		return 2
	}
	dir := "."
	if len(rest) == 1 {
		dir = rest[0]
	}
	entries, err := fs.ReadDir(initFiles, "initbot")
	if err != nil {
		fmt.Fprintln(stderr, "parley init:", err)
		return 1
	}
	// Refuse before writing anything, so that a refusal leaves DIR as it was.
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if _, err := os.Lstat(p); err == nil {
			fmt.Fprintf(stderr, "parley init: %s exists: move it away or pick another directory\n", p)
			return 1
		} else if !errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintln(stderr, "parley init:", err)
			return 1
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(stderr, "parley init:", err)
		return 1
	}
	for _, e := range entries {
		data, err := initFiles.ReadFile("initbot/" + e.Name())
		if err == nil {
			err = writeNew(filepath.Join(dir, e.Name()), data)
		}
		if err != nil {
			fmt.Fprintln(stderr, "parley init:", err)
			return 1
		}
		fmt.Fprintln(stdout, "wrote", filepath.Join(dir, e.Name()))
	}
	fmt.Fprintf(stdout, "\nnext:\n  cd %s\n  parley check .\n  parley test .\n  parley chat bot.yaml\n", dir)
	return 0
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
