package main

import (
	"archive/zip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing/fstest"

	"github.com/parleybot/parley/story"
	"github.com/parleybot/parley/story/importer"
)

// importBot returns the run function of "parley import dialogflow" or
// "parley import rasa": read the source, write the bot, list what has no
// place in it.
func importBot(kind, source string, imp func(fs.FS) (*importer.Result, error)) func(context.Context, []string, io.Reader, io.Writer, io.Writer) int {
	return func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		flags := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
		flags.SetOutput(stderr)
		out := flags.String("o", "", "write the bot to `FILE` (.yaml or .json; it must not exist) instead of standard output")
		flags.Usage = func() {
			fmt.Fprintf(stderr, "usage: parley import %s [-o FILE] %s\n", kind, source)
			fmt.Fprintf(stderr, "\nWrites the %s bot as a Parley bot (YAML, or JSON for -o *.json) and lists on\n", kind)
			fmt.Fprintln(stderr, "standard error what it holds differently or not at all.")
			fmt.Fprintln(stderr)
			flags.PrintDefaults()
		}
		rest, code := parseInterspersed(flags, args)
		if code >= 0 {
			return code
		}
		if len(rest) != 1 {
			fmt.Fprintf(stderr, "parley import %s: give one %s\n", kind, source)
			flags.Usage()
			return 2
		}
		res, err := importFrom(rest[0], imp)
		if err != nil {
			fmt.Fprintf(stderr, "parley import %s: %v\n", kind, err)
			return 1
		}
		data, err := res.File.YAML()
		if strings.HasSuffix(*out, ".json") {
			data, err = res.File.JSON()
		}
		if err != nil {
			fmt.Fprintf(stderr, "parley import %s: %v\n", kind, err)
			return 1
		}
		// The bot must load: anything else is a fault of the importer.
		name := "bot.yaml"
		if strings.HasSuffix(*out, ".json") {
			name = "bot.json"
		}
		if _, err := story.Load(fstest.MapFS{name: {Data: data}}, name); err != nil {
			fmt.Fprintf(stderr, "parley import %s: the imported bot does not load:\n", kind)
			printLoadErrors(stderr, err)
			return 1
		}
		if *out == "" {
			_, err = stdout.Write(data)
		} else {
			err = writeNew(*out, data)
			if errors.Is(err, os.ErrExist) {
				err = fmt.Errorf("%s exists: choose another name or remove it", *out)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "parley import %s: %v\n", kind, err)
			return 1
		}
		if len(res.Unmapped) > 0 {
			fmt.Fprintf(stderr, "not imported as it is (%d):\n", len(res.Unmapped))
			for _, u := range res.Unmapped {
				fmt.Fprintln(stderr, "  "+u)
			}
		}
		return 0
	}
}

// importFrom runs imp on a directory or a zip archive.
func importFrom(path string, imp func(fs.FS) (*importer.Result, error)) (*importer.Result, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return imp(os.DirFS(path))
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%s: neither a directory nor a zip archive: %w", path, err)
	}
	defer zr.Close()
	return imp(zr)
}
