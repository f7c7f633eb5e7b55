// Command coffee is a coffee kiosk you talk to in the terminal: the example
// of a host program that embeds Parley.
//
// It embeds its bot (bot.yaml), keeps users and conversations in a Badger
// store on disk, builds the engine with the two webhooks the bot calls, and
// reports the host event drink_ready (engine.Notify) when a drink it brewed
// is done: the bot's automated message for that event, declared in
// bot.yaml, tells the customer.
//
// Usage:
//
//	go run ./examples/coffee [-data DIR | -memory] [-name NAME] [-brew DURATION]
//	go run ./examples/coffee -web [-addr 127.0.0.1:8080] [-data DIR | -memory] [-brew DURATION]
//
// The store lives in DIR, by default parley/coffee under the user's cache
// directory, so that the kiosk remembers its customer between runs; -memory
// keeps nothing. -name tells the kiosk the customer's name. Type a message,
// or the number of a choice; /help lists the commands, Ctrl-D leaves.
//
// With -web the kiosk is a touch screen instead: the program serves
// SiteGPT's threads API (package httpadapter) and Parley's kiosk page
// (package web) on -addr, and prints the address to open, full screen, on
// the machine's display. Each customer's order is a thread; when a drink
// is brewed, its "ready" message arrives on the screen by itself, over the
// thread's live events.
package main

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/parleybot/parley/console"
	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
	"github.com/parleybot/parley/web"
)

//go:embed bot.yaml
var files embed.FS

const (
	sessionID = "coffee-kiosk-terminal"
	userID    = "kiosk-customer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("coffee", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "keep the store in `DIR` (default parley/coffee under the user's cache directory)")
	memory := fs.Bool("memory", false, "keep the store in memory only")
	name := fs.String("name", "", "the customer's `NAME`, remembered in the store")
	brew := fs.Duration("brew", 3*time.Second, "how long brewing a drink takes")
	webScreen := fs.Bool("web", false, "serve the kiosk's touch screen on -addr instead of talking in the terminal")
	addr := fs.String("addr", "127.0.0.1:8080", "with -web, the `ADDRESS` to serve on")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: coffee [-data DIR | -memory] [-name NAME] [-brew DURATION]")
		fmt.Fprintln(stderr, "       coffee -web [-addr ADDRESS] [-data DIR | -memory] [-brew DURATION]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "coffee: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *memory && *data != "" {
		fmt.Fprintln(stderr, "coffee: -data and -memory exclude each other")
		return 2
	}
	if *webScreen && *name != "" {
		fmt.Fprintln(stderr, "coffee: -name is for the terminal; on the screen each customer is a new thread")
		return 2
	}
	screen := ""
	if *webScreen {
		screen = *addr
	}
	if err := kiosk(ctx, *data, *memory, *name, *brew, screen, stdin, stdout); err != nil {
		fmt.Fprintln(stderr, "coffee:", err)
		return 1
	}
	return 0
}

// kiosk runs the kiosk: in the terminal, or on a touch screen served on
// screen when it is not "".
func kiosk(ctx context.Context, dir string, memory bool, name string, brew time.Duration, screen string, stdin io.Reader, stdout io.Writer) error {
	bot, err := story.Load(files, "bot.yaml")
	if err != nil {
		return err
	}
	opts := []badgerstore.Option{badgerstore.SmallDevice()}
	if memory {
		opts = append(opts, badgerstore.InMemory())
	} else if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("no default data directory (use -data DIR or -memory): %w", err)
		}
		dir = filepath.Join(cache, "parley", "coffee")
	}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	db, err := badgerstore.Open(dir, opts...)
	if err != nil {
		return err
	}
	defer db.Close()

	e, err := engine.New(db, bot,
		engine.WithWebhook("brew", brewHook),
		engine.WithWebhook("machine_status", statusHook))
	if err != nil {
		return err
	}
	if screen != "" {
		if err := serveScreen(ctx, e, screen, brew, stdout); err != nil {
			return err
		}
		return db.Close()
	}
	if err := customer(ctx, e, db, name); err != nil {
		return err
	}
	c := &console.Chat{
		Engine:    e,
		SessionID: sessionID,
		UserID:    userID,
		Notify: func(ctx context.Context, res engine.Response) []engine.HostEvent {
			if res.Result.Interaction.Action != "order.confirm" {
				return nil
			}
			// The machine brews; the drink is ready after a while. The
			// kiosk reports it, and the bot's automated message for the
			// event (declared in bot.yaml) tells the customer.
			select {
			case <-time.After(brew):
			case <-ctx.Done():
				return nil
			}
			return []engine.HostEvent{{Name: "drink_ready"}}
		},
	}
	if err := c.Run(ctx, stdin, stdout); err != nil {
		return err
	}
	return db.Close()
}

// customer makes sure the kiosk's customer exists, and records their name.
func customer(ctx context.Context, e *engine.Engine, db *badgerstore.DB, name string) error {
	attrs := map[string]string{"channel": "terminal"}
	if name != "" {
		attrs["default_name"] = name
	}
	u, err := db.UserByUserID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		_, err = e.CreateUser(ctx, store.User{UserID: userID, Attributes: attrs})
		return err
	}
	if err != nil || name == "" {
		return err
	}
	_, err = e.UpdateUser(ctx, u.ID, attrs)
	return err
}

// brewHook starts the machine. The bot then says how long it takes.
func brewHook(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
	return engine.WebhookResult{SessionAttributes: map[string]string{"queue_length": "0"}}, nil
}

// statusHook reports the machine's state.
func statusHook(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
	return engine.WebhookResult{SessionAttributes: map[string]string{"machine_state": "ready", "queue_length": "0"}}, nil
}

// serveScreen serves the kiosk's touch screen on addr until ctx is done:
// the threads API with a client token made for this run, the kiosk page,
// and "/" sending the browser to the page with the bot and the token in
// its fragment. When a drink is confirmed, the machine brews it and, brew
// later, the bot says it is ready in the customer's thread.
func serveScreen(ctx context.Context, e *engine.Engine, addr string, brew time.Duration, stdout io.Writer) error {
	token := rand.Text()
	api, err := httpadapter.New(e, httpadapter.WithClientToken(token))
	if err != nil {
		return err
	}
	page := "/kiosk/#" + url.Values{"chatbot": {httpadapter.ChatbotID(httpadapter.DefaultBotName)}, "token": {token}}.Encode()
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", http.RedirectHandler(page, http.StatusFound))
	mux.Handle("/", web.New(api))

	var brewing sync.WaitGroup
	defer brewing.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := e.Subscribe(func(ev engine.Event) {
		if ev.Kind != engine.EventTurn || ev.Response.Result.Interaction.Action != "order.confirm" {
			return
		}
		brewing.Go(func() {
			select {
			case <-time.After(brew):
			case <-ctx.Done():
				return
			}
			e.Chat(ctx, engine.Request{SessionID: ev.SessionID, Trigger: "drink_ready"})
		})
	})
	defer stop()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	srv.RegisterOnShutdown(api.CloseStreams)
	fmt.Fprintf(stdout, "coffee: the kiosk's screen is at http://%s/ (Ctrl-C stops)\n", ln.Addr())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	return srv.Shutdown(sctx)
}
