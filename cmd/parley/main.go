// Command parley checks, evaluates, chats with and serves Parley bots.
//
// Usage:
//
//	parley <command> [flags] [args]
//
// Run "parley help" for the list of commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// A command is one sub-command of parley. run returns the process exit code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands lists every sub-command, in the order "parley help" shows them.
var commands = []command{
	{"init", "write a small working bot, its tests and a README into a directory", runInit},
	{"check", "validate bot files and summarise each bot", runCheck},
	{"serve", "serve a bot over HTTP with the chat API", runServe},
	{"chat", "talk with a bot in the terminal, or from a script", runChat},
	{"test", "run conversation tests of a bot", runTest},
	{"build", "train a bot once and write its compiled model", runBuild},
	{"eval", "measure the matcher on an intent corpus (CLINC150 layout)", runEval},
	{"import", "import users from CSV, or a Dialogflow or Rasa bot", runImport},
	{"graph", "print a bot's stories as a flow chart (Mermaid or DOT)", runGraph},
	{"export", "print a bot as one JSON (or YAML) bot file", runExport},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches args to a command; it is main without the process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "parley: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: parley <command> [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}
