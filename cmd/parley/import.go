package main

import (
	"context"
	"fmt"
	"io"

	"github.com/parleybot/parley/story/importer"
)

// An importKind is one kind of "parley import": what it reads, and the
// function that does it, with the arguments after its name.
type importKind struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// importers lists what "parley import" can import, in the order its usage
// shows them.
var importers = []importKind{
	{"users", "chat users from a CSV file into a store", runImportUsers},
	{"dialogflow", "a Dialogflow ES agent export (zip or directory) as a bot", importBot("dialogflow", "AGENT.zip|DIR", importer.Dialogflow)},
	{"rasa", "a Rasa project directory as a bot", importBot("rasa", "DIR", importer.Rasa)},
}

// runImport dispatches "parley import KIND ..." on its first argument.
func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		w := stderr
		if len(args) > 0 {
			w = stdout
		}
		importUsage(w)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, im := range importers {
		if im.name == args[0] {
			return im.run(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "parley import: unknown kind %q\n", args[0])
	importUsage(stderr)
	return 2
}

func importUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: parley import <kind> [flags] [args]")
	fmt.Fprintln(w, "\nkinds:")
	for _, im := range importers {
		fmt.Fprintf(w, "  %-10s %s\n", im.name, im.summary)
	}
}
