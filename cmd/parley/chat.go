package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parleybot/parley/console"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// runChat talks with a bot in the terminal, or with a script over pipes.
func runChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "keep the store in `DIR` (default parley/chat under the user's cache directory)")
	memory := fs.Bool("memory", false, "keep the store in memory only")
	debug := fs.Bool("debug", false, "show what the bot understood before each reply")
	session := fs.String("session", "", "talk in session `ID` (default: one session per bot)")
	echo := fs.Bool("echo", false, "print each input line, as \"> LINE\", before its reply (for piped input)")
	language := fs.String("language", "", "talk in `LANG`, one of the bot's languages, by name or ISO 639-1 code (default: the bot's default language)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parley chat [-data DIR | -memory] [-debug] [-echo] [-language LANG] [-session ID] FILE|DIR...")
		fmt.Fprintln(stderr, "\nTalks with the bot made of the files: at a terminal with line editing and")
		fmt.Fprintln(stderr, "history; with stdin a pipe, one reply block (ended by an empty line) per")
		fmt.Fprintln(stderr, "input line. Type the number of a choice to pick it, /help for commands.")
		fmt.Fprintln(stderr, "The webhooks the bot's settings give a URL are posted to, signed with")
		fmt.Fprintln(stderr, "$PARLEY_WEBHOOK_TOKEN when set; the others are skipped.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	paths, code := parseInterspersed(fs, args)
	if code >= 0 {
		return code
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "parley chat: no bot given")
		fs.Usage()
		return 2
	}
	if *memory && *data != "" {
		fmt.Fprintln(stderr, "parley chat: -data and -memory exclude each other")
		return 2
	}
	if *session != "" {
		req := engine.Request{SessionID: *session, Trigger: "welcome"}
		if err := req.Validate(); err != nil {
			fmt.Fprintln(stderr, "parley chat: -session:", err)
			return 2
		}
	}
	bot, err := loadBot(paths...)
	if err != nil {
		printLoadErrors(stderr, err)
		return 1
	}

	if *language != "" && !speaks(bot, *language) {
		fmt.Fprintf(stderr, "parley chat: -language %s: the bot speaks %s\n", *language, strings.Join(bot.Settings.Languages, ", "))
		return 2
	}

	opts := []badgerstore.Option{}
	dir := *data
	if *memory {
		opts = append(opts, badgerstore.InMemory())
	} else if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			fmt.Fprintf(stderr, "parley chat: no default data directory (use -data DIR or -memory): %v\n", err)
			return 1
		}
		dir = filepath.Join(cache, "parley", "chat")
	}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintln(stderr, "parley chat:", err)
			return 1
		}
	}
	db, err := badgerstore.Open(dir, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "parley chat:", err)
		return 1
	}
	defer db.Close()
	model, err := modelOptions(paths)
	if err != nil {
		fmt.Fprintln(stderr, "parley chat:", err)
		return 1
	}
	// The engine's warnings (a stale compiled model that makes it train,
	// webhooks that have no URL, a webhook that failed) go to stderr. The
	// URLs of the bot's settings are called as parley serve calls them,
	// signed with $PARLEY_WEBHOOK_TOKEN.
	e, err := engine.New(db, bot, append(model, engine.WithLogger(warnLogger(stderr, "parley chat")),
		engine.WithWebhookURLs(engine.WebhookURLs{Token: os.Getenv("PARLEY_WEBHOOK_TOKEN")}))...)
	if err != nil {
		fmt.Fprintln(stderr, "parley chat:", err)
		return 1
	}
	id := *session
	if id == "" {
		// One session per bot, so that a bot's conversation carries on
		// from one chat to the next in the same store.
		id = "parley-chat-" + bot.DefaultStory().ID
	}
	c := &console.Chat{Engine: e, SessionID: id, Debug: *debug, Echo: *echo, Language: *language}
	if err := c.Run(ctx, stdin, stdout); err != nil {
		fmt.Fprintln(stderr, "parley chat:", err)
		return 1
	}
	if err := db.Close(); err != nil {
		fmt.Fprintln(stderr, "parley chat:", err)
		return 1
	}
	return 0
}

// speaks reports whether lang, by name or ISO 639-1 code, a region such as
// "de-AT" aside, names one of the bot's languages, as a turn's language
// must to be other than the default.
func speaks(bot *story.Bot, lang string) bool {
	base, _, _ := strings.Cut(strings.ReplaceAll(lang, "_", "-"), "-")
	for _, l := range bot.Settings.Languages {
		if n := nlu.LanguageName(l); n == nlu.LanguageName(lang) || n == nlu.LanguageName(base) {
			return true
		}
	}
	return false
}
