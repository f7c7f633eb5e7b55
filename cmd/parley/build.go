package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parleybot/parley/engine"
)

// runBuild trains a bot's matchers and writes them as a compiled model,
// which chat and serve (and a host, with engine.WithModel) load instead
// of training.
func runBuild(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write the model to `FILE` (default: next to the bot; see above)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parley build [-o FILE] FILE|DIR...")
		fmt.Fprintln(stderr, "\nTrains the matchers of the bot made of the files once and writes them as a")
		fmt.Fprintln(stderr, "compiled model: NAME.model next to NAME.yaml, or DIR/bot.model for a")
		fmt.Fprintln(stderr, "directory. parley chat and serve load it from there while it matches the bot")
		fmt.Fprintln(stderr, "files and train otherwise; a program embeds it and passes it to engine.WithModel.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	bot, paths, code := loadArgs("build", fs, args, stderr)
	if bot == nil {
		return code
	}
	start := time.Now()
	data, err := engine.BuildModel(bot)
	if err != nil {
		fmt.Fprintln(stderr, "parley build:", err)
		return 1
	}
	took := time.Since(start)
	path := *out
	if path == "" {
		path = modelPath(paths)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		fmt.Fprintln(stderr, "parley build:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %d bytes, trained in %v\n", path, len(data), took.Round(time.Millisecond))
	return 0
}

// modelPath is where parley build writes the compiled model of the bot
// made of paths, and where chat and serve look for it: NAME.model beside
// the first file NAME.yaml (or .yml, .json), or DIR/bot.model when the
// first path is a directory.
func modelPath(paths []string) string {
	p := paths[0]
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		return filepath.Join(p, "bot.model")
	}
	return strings.TrimSuffix(p, filepath.Ext(p)) + ".model"
}

// modelOptions returns the engine option that loads the compiled model of
// the bot made of paths, if parley build wrote one; none otherwise.
func modelOptions(paths []string) ([]engine.Option, error) {
	data, err := os.ReadFile(modelPath(paths))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []engine.Option{engine.WithModel(data)}, nil
}
