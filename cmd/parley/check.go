package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/story"
)

// runCheck validates bots. Each argument is one bot: a file, or a
// directory whose .yaml, .yml and .json files together make the bot.
func runCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	hooks := fs.String("webhooks", "", "the comma-separated `names` of the webhooks the host registers: warn about any other the bot calls")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parley check [-strict] [-webhooks NAMES] FILE|DIR...")
		fmt.Fprintln(stderr, "\nLoads each bot (a file, or a directory of bot files) and prints its")
		fmt.Fprintln(stderr, "problems with their positions, or a one-line summary. Exits 1 on any problem.")
		fmt.Fprintln(stderr, "Warnings (exit 0 unless -strict): attributes read but never set, a phrase in two")
		fmt.Fprintln(stderr, "interactions or also out of scope, interactions nothing reaches, webhooks the")
		fmt.Fprintln(stderr, "host does not register, a bot too small for the default confidence, {{...}} or")
		fmt.Fprintln(stderr, "@x in a phrase, a marked value that its parameter's entity does not read.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	paths, code := parseInterspersed(fs, args)
	if code >= 0 {
		return code
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "parley check: no bot given")
		fs.Usage()
		return 2
	}
	code = 0
	for _, arg := range paths {
		if err := ctx.Err(); err != nil {
			fmt.Fprintln(stderr, "parley check:", err)
			return 1
		}
		b, display, err := loadBotFiles(arg)
		if err != nil {
			printLoadErrors(stderr, err)
			code = 1
			continue
		}
		var opts story.LintOptions
		if *hooks != "" {
			opts.Webhooks = strings.Split(*hooks, ",")
		}
		lint := append(story.Lint(b, opts), engine.Lint(b)...)
		for _, w := range lint {
			w.File = display(w.File)
		}
		warnings := append(slices.Clone(b.Warnings), lint...)
		for _, w := range warnings {
			fmt.Fprintf(stderr, "%v (warning)\n", w)
		}
		if *strict && len(warnings) > 0 {
			code = 1
		}
		fmt.Fprintf(stdout, "%s: ok: %s\n", arg, summary(b))
		fmt.Fprintf(stdout, "  %s\n", trainingSummary(b))
	}
	return code
}

func printLoadErrors(w io.Writer, err error) {
	for _, e := range flatten(err) {
		fmt.Fprintln(w, e)
	}
}

// flatten returns the errors joined in err, or err alone.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func summary(b *story.Bot) string {
	var interactions, phrases int
	for _, s := range b.Stories {
		interactions += len(s.Interactions)
		for _, in := range s.Interactions {
			phrases += len(in.Phrases)
		}
	}
	return fmt.Sprintf("%s, %s, %s, %s",
		plural(len(b.Stories), "story", "stories"),
		plural(interactions, "interaction", "interactions"),
		plural(phrases, "phrase", "phrases"),
		plural(len(b.Entities), "entity", "entities"))
}

// trainingSummary says what serving the bot will take to train, and how
// near it is to the bound of story.MaxTrainingPairs.
func trainingSummary(b *story.Bot) string {
	est := engine.EstimateTraining(b)
	t := "under 0.1 s"
	if est.Time >= 100*time.Millisecond {
		t = fmt.Sprintf("about %.1f s", est.Time.Seconds())
	}
	mb := max(1, (est.Memory+1<<19)>>20)
	pct := float64(b.Size().TrainingPairs) / story.MaxTrainingPairs * 100
	return fmt.Sprintf("training: %s and %d MB on a 2-core server (%.1f%% of the limit)", t, mb, pct)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
