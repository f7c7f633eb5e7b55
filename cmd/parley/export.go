package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/parleybot/parley/story"
)

// runExport prints a bot as one JSON bot file, the format Load reads.
func runExport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	yamlOut := fs.Bool("yaml", false, "write YAML instead of JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parley export [-yaml] FILE|DIR...")
		fmt.Fprintln(stderr, "\nPrints the bot as one bot file (JSON, or YAML with -yaml) that loads as the same")
		fmt.Fprintln(stderr, "bot: settings with their defaults, entities, stories, every interaction.")
		fmt.Fprintln(stderr, "  parley export bot/ > bot.json")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	b, _, code := loadArgs("export", fs, args, stderr)
	if b == nil {
		return code
	}
	f := story.Export(b)
	out, err := f.JSON()
	if *yamlOut {
		out, err = f.YAML()
	}
	if err == nil {
		_, err = stdout.Write(out)
	}
	if err != nil {
		fmt.Fprintln(stderr, "parley export:", err)
		return 1
	}
	return 0
}
