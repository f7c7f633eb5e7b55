package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"runtime/debug"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/metrics"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/web"
)

// multiFlag collects the values of a flag given several times.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// runServe serves a bot over HTTP until ctx is done, then shuts down
// gracefully: it stops accepting connections, lets the requests in flight
// finish (up to -shutdown-timeout), and closes the store.
func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var bots, origins, proxies multiFlag
	fs.Var(&bots, "bot", "a bot `FILE` or directory, or NAME=FILE for one of several bots; repeat for a bot split over several files")
	var sf storeFlags
	fs.StringVar(&sf.data, "data", "", "the store's `DIR` (created if missing); with named bots, each keeps its store in DIR/NAME")
	fs.BoolVar(&sf.memory, "memory", false, "keep the store in memory instead of -data (nothing survives)")
	fs.StringVar(&sf.postgres, "store", "", "keep the store in the PostgreSQL database at `URL` (postgres://user@host:port/db) instead of -data: several processes may serve the same bots from one database")
	fs.StringVar(&sf.schema, "schema", "parley", "with -store, the PostgreSQL `SCHEMA` of the bot; named bots each get SCHEMA_NAME")
	addr := fs.String("addr", "127.0.0.1:8080", "the `ADDRESS` to listen on")
	clientToken := fs.String("client-token", "", "the client token (default $PARLEY_CLIENT_TOKEN)")
	devToken := fs.String("developer-token", "", "the developer token (default $PARLEY_DEVELOPER_TOKEN)")
	noDev := fs.Bool("no-developer-token", false, "serve without a developer token: only POST /query, with the client token")
	noAuth := fs.Bool("insecure-no-auth", false, "serve every route to anyone, without tokens")
	fs.Var(&origins, "cors", "allow web pages from `ORIGIN` (scheme://host[:port], or *); repeatable, or a comma-separated list")
	userRate := fs.Float64("user-rate", 5, "chat requests per second allowed to each end user (userId, else sessionId) with the client token; 0 for no limit")
	userBurst := fs.Int("user-burst", 30, "burst of chat requests allowed to each end user")
	addrRate := fs.Float64("address-rate", 100, "requests per second allowed to each client address with the client token; 0 for no limit")
	addrBurst := fs.Int("address-burst", 500, "burst of requests allowed to each client address")
	fs.Var(&proxies, "trusted-proxy", "a reverse proxy's `ADDRESS` or network, whose X-Forwarded-For gives the client address; repeatable")
	rps := fs.Float64("rate", 0, "requests per second allowed to each token, shared by all its holders; 0 for no limit")
	burst := fs.Int("burst", 200, "burst of requests allowed to each token, with -rate")
	bodyTimeout := fs.Duration("body-timeout", httpadapter.DefaultBodyTimeout, "time allowed to read a request's body once its headers are read")
	maxBody := fs.Int64("max-body", httpadapter.DefaultMaxBodyBytes, "largest request body, and frame of Userbot's socket, in `BYTES`")
	readHeader := fs.Duration("read-header-timeout", 5*time.Second, "time allowed to read a request's headers")
	read := fs.Duration("read-timeout", 30*time.Second, "time allowed to read a whole request")
	write := fs.Duration("write-timeout", 30*time.Second, "time allowed to handle a request and write its response")
	idle := fs.Duration("idle-timeout", 2*time.Minute, "time an idle keep-alive connection stays open")
	shutdown := fs.Duration("shutdown-timeout", 30*time.Second, "time allowed to finish requests in flight on shutdown")
	quiet := fs.Bool("quiet", false, "do not log each request")
	operators := fs.String("operators", "", "a `FILE` of operator keys for Userbot's socket on /ws, one \"ID KEY NAME\" a line (the developer token logs in too)")
	var ops opsFlags
	ops.register(fs)
	var agents multiFlag
	fs.Var(&agents, "agent", "an agent token, as `NAME=TOKEN` (the token then speaks for agent NAME); repeatable (default $PARLEY_AGENT_TOKENS, NAME=TOKEN pairs separated by commas)")
	hookMessages := fs.String("webhook-messages", "", "post every message of every thread (ADD_MESSAGE) to this `URL`")
	hookEscalations := fs.String("webhook-escalations", "", "post every escalation (CONVERSATION_ESCALATED) to this `URL`")
	hookLeads := fs.String("webhook-leads", "", "post every new lead (NEW_LEAD) to this `URL`")
	var fulfil multiFlag
	fs.Var(&fulfil, "webhook", "fulfil the bot's webhook action NAME by posting to `NAME=URL` (JSON in, messages, attributes and goto out; signed with -webhook-token), instead of the URL the bot's settings give it, if any; repeatable")
	fulfilTimeout := fs.Duration("webhook-timeout", engine.DefaultWebhookTimeout, "time a -webhook, or a webhook URL of the bot's settings that gives no timeout, has to answer before the interaction's fallback does")
	verifyCodes := fs.String("verify-codes", "", "verify the emails users give with a one-time code, sent by `SENDER`: an http(s) URL that mails it (JSON, signed with -webhook-token), or log to write it to the log (development only)")
	calendar := fs.String("calendar", "", "pass every change of a meeting to the calendar service at this `URL` first (JSON, signed with -webhook-token; a non-2xx answer refuses it, {\"eventId\"} names its event)")
	hookToken := fs.String("webhook-token", "", "the token sent with, and signing, the webhooks of the flags above (default $PARLEY_WEBHOOK_TOKEN)")
	profile := fs.String("profile", "server", "the store's `PROFILE`: server, or small for a device with little memory (see badgerstore.SmallDevice)")
	fs.Var(&sf.budget, "memory-budget", "the memory `SIZE` the process should keep within: it sizes the store's memtables, caches and tables (see badgerstore.MemoryBudget) and, unless GOMEMLIMIT is set, is the Go memory limit (default 512MB, 128MB with -profile small; at least 32MB)")
	fs.Var(&sf.reserve, "disk-reserve", "free `SIZE` to keep on the data's filesystem: below it, changes get 507 and reads go on (default 512MB, 64MB with -profile small; 0 for no check)")
	watch := fs.Bool("watch", false, "reload the bot when its files change (SIGHUP always reloads it); a bot that fails to load leaves the running one")
	watchEvery := fs.Duration("watch-interval", time.Second, "how often -watch looks at the files")
	fs.DurationVar(&sf.lastSeen, "lastseen-every", 0, "record a user's lastSeen at most this often, for fewer writes (lastSeen is then exact to within it); 0 records it at every turn")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parley serve [flags] FILE|DIR... (a bot, as -bot FILE|DIR...)")
		fmt.Fprintln(stderr, "       parley serve -bot FILE... -data DIR [-addr 127.0.0.1:8080] [flags]")
		fmt.Fprintln(stderr, "       parley serve -bot NAME=FILE -bot NAME2=FILE2... -data DIR [flags]")
		fmt.Fprintln(stderr, "       parley serve -bot FILE... -store postgres://user@host:port/db [flags]")
		fmt.Fprintln(stderr, "\nServes the bot over HTTP with ChatBot.com's chat API and SiteGPT's threads API")
		fmt.Fprintln(stderr, "(see go doc ./httpadapter), and the web face: /widget.js, /kiosk/, /console/ and")
		fmt.Fprintln(stderr, "/dashboard/ (see go doc ./web). Named bots each get a chatbotId and a store of their own.")
		fmt.Fprintln(stderr, "Tokens come from the flags or from PARLEY_CLIENT_TOKEN and PARLEY_DEVELOPER_TOKEN;")
		fmt.Fprintln(stderr, "prefer the environment, which other users of the machine cannot read. Stops")
		fmt.Fprintln(stderr, "gracefully on SIGINT or SIGTERM; reloads the bot on SIGHUP (and with -watch).")
		fmt.Fprintln(stderr, "\nflags:")
		fs.PrintDefaults()
	}
	paths, code := parseInterspersed(fs, args)
	if code >= 0 {
		return code
	}
	// A bot given as an argument is a -bot flag, as in the other commands.
	for _, p := range paths {
		if err := bots.Set(p); err != nil {
			fmt.Fprintf(stderr, "parley serve: %s: %v\n\n", p, err)
			fs.Usage()
			return 2
		}
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "parley serve: "+format+"\n", a...)
		return 1
	}
	if len(bots) == 0 {
		fmt.Fprintln(stderr, "parley serve: no bot given (parley serve BOTFILE, or -bot FILE)")
		fmt.Fprintln(stderr)
		fs.Usage()
		return 2
	}
	if err := sf.check(); err != nil {
		fmt.Fprintf(stderr, "parley serve: %v\n\n", err)
		fs.Usage()
		return 2
	}
	// badgerstore.WithLastSeenEvery's bounds, checked here so that a bad
	// value is a usage error that names the flag, before anything loads.
	if sf.lastSeen < 0 || sf.lastSeen > badgerstore.MaxLastSeenEvery {
		fmt.Fprintf(stderr, "parley serve: -lastseen-every %v: want a duration from 0 to %v\n", sf.lastSeen, badgerstore.MaxLastSeenEvery)
		return 2
	}
	if *profile != "server" && *profile != "small" {
		fmt.Fprintf(stderr, "parley serve: -profile %q: want server or small\n", *profile)
		return 2
	}
	sf.small = *profile == "small"
	if sf.budget.set && sf.budget.n < badgerstore.MinMemoryBudget {
		fmt.Fprintf(stderr, "parley serve: -memory-budget %s: want at least 32MB\n", formatBytes(sf.budget.n))
		return 2
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(sf.memoryBudget())
	}
	if *watch && *watchEvery <= 0 {
		fmt.Fprintf(stderr, "parley serve: -watch-interval %v: want a positive duration\n", *watchEvery)
		return 2
	}
	if err := ops.check(); err != nil {
		fmt.Fprintf(stderr, "parley serve: %v\n", err)
		return 2
	}
	if *clientToken == "" {
		*clientToken = os.Getenv("PARLEY_CLIENT_TOKEN")
	}
	if *devToken == "" {
		*devToken = os.Getenv("PARLEY_DEVELOPER_TOKEN")
	}
	logger, _ := ops.logger(stderr, nil)
	var met *metrics.Metrics
	if !ops.noMetrics {
		met = metrics.New()
	}

	opts := []httpadapter.Option{httpadapter.WithMaxBodyBytes(*maxBody)}
	switch {
	case *noAuth:
		opts = append(opts, httpadapter.WithoutAuth())
	case *devToken == "" && !*noDev:
		return fail("no developer token: set PARLEY_DEVELOPER_TOKEN (or -developer-token), or pass -no-developer-token to serve only POST /query with a client token")
	case *devToken == "" && *clientToken == "":
		return fail("no token at all: set PARLEY_CLIENT_TOKEN, or pass -insecure-no-auth")
	}
	if *devToken != "" && !*noAuth {
		opts = append(opts, httpadapter.WithDeveloperToken(*devToken))
	}
	if *clientToken != "" && !*noAuth {
		opts = append(opts, httpadapter.WithClientToken(*clientToken))
	}
	if *rps > 0 {
		opts = append(opts, httpadapter.WithRateLimit(*rps, *burst))
	}
	if *userRate > 0 {
		opts = append(opts, httpadapter.WithEndUserRateLimit(*userRate, *userBurst))
	}
	if *addrRate > 0 {
		opts = append(opts, httpadapter.WithAddressRateLimit(*addrRate, *addrBurst))
	}
	opts = append(opts, httpadapter.WithTrustedProxies(proxies...), httpadapter.WithBodyTimeout(*bodyTimeout))
	if *operators != "" {
		ops, err := readOperators(*operators)
		if err != nil {
			fmt.Fprintf(stderr, "parley serve: -operators: %v\n", err)
			return 2
		}
		opts = append(opts, ops...)
	}
	if len(agents) == 0 && os.Getenv("PARLEY_AGENT_TOKENS") != "" {
		agents = strings.Split(os.Getenv("PARLEY_AGENT_TOKENS"), ",")
	}
	for _, a := range agents {
		name, token, ok := strings.Cut(strings.TrimSpace(a), "=")
		if !ok || name == "" || token == "" {
			fmt.Fprintf(stderr, "parley serve: -agent %q: want NAME=TOKEN\n", a)
			return 2
		}
		opts = append(opts, httpadapter.WithAgentToken(token, engine.Agent{ID: name, Name: name}))
	}
	if *hookToken == "" {
		*hookToken = os.Getenv("PARLEY_WEBHOOK_TOKEN")
	}
	if len(origins) > 0 {
		var list []string
		for _, o := range origins {
			for _, one := range strings.Split(o, ",") {
				list = append(list, strings.TrimSpace(one))
			}
		}
		opts = append(opts, httpadapter.WithCORS(list...))
	}
	if !*quiet {
		opts = append(opts, httpadapter.WithLogger(logger))
	}

	named, err := parseBots(bots)
	if err != nil {
		fmt.Fprintln(stderr, "parley serve:", err)
		return 2
	}
	// Badger reports its housekeeping at INFO; only its warnings matter here.
	storeLog, _ := ops.logger(stderr, slog.LevelWarn)
	var serving []httpadapter.Bot
	var engines []namedEngine
	for _, nb := range named {
		bot, err := loadBot(nb.files...)
		if err != nil {
			printLoadErrors(stderr, err)
			return 1
		}
		db, closeStore, err := sf.openStore(ctx, nb.name, storeLog, met)
		if err != nil {
			return fail("%v", err)
		}
		defer func() {
			if err := closeStore(); err != nil {
				fmt.Fprintln(stderr, "parley serve: close store:", err)
			}
		}()
		hookName := nb.name
		if hookName == "" {
			hookName = httpadapter.DefaultBotName
		}
		engOpts := []engine.Option{engine.WithLogger(logger), engine.WithWebhooks(engine.Webhooks{
			ChatbotID:   httpadapter.ChatbotID(hookName),
			Messages:    engine.Endpoint{URL: *hookMessages, Token: *hookToken},
			Escalations: engine.Endpoint{URL: *hookEscalations, Token: *hookToken},
			Leads:       engine.Endpoint{URL: *hookLeads, Token: *hookToken},
		})}
		hooks, err := fulfilment(fulfil, *hookToken, *fulfilTimeout, met)
		if err != nil {
			return fail("%v", err)
		}
		codes, err := codeSender(*verifyCodes, *hookToken, *fulfilTimeout, logger)
		if err != nil {
			return fail("%v", err)
		}
		hooks = append(hooks, codes...)
		if *calendar != "" {
			cal, err := engine.HTTPCalendar(*calendar, *hookToken, *fulfilTimeout, nil)
			if err != nil {
				return fail("-calendar %q: want an http:// or https:// URL with a host", *calendar)
			}
			hooks = append(hooks, engine.WithCalendar(cal))
		}
		model, err := modelOptions(nb.files)
		if err != nil {
			return fail("%v", err)
		}
		eng, err := engine.New(db, bot, append(append(engOpts, hooks...), model...)...)
		if err != nil {
			return fail("%v", err)
		}
		name, metricsName := nb.name, nb.name
		if name == "" {
			name, metricsName = httpadapter.DefaultBotName, botName(nb.files)
		}
		serving = append(serving, httpadapter.Bot{Name: name, Engine: eng})
		engines = append(engines, namedEngine{name: metricsName, eng: eng, files: nb.files})
	}
	var stopping atomic.Bool
	h, err := httpadapter.NewBots(serving, ops.wire(met, engines, &stopping, opts)...)
	if err != nil {
		return fail("%v", err)
	}

	srv := &http.Server{
		// The web face (widget, kiosk, console, dashboard) at its paths,
		// the APIs everywhere else.
		Handler:           web.New(h),
		ReadHeaderTimeout: *readHeader,
		ReadTimeout:       *read,
		WriteTimeout:      *write,
		IdleTimeout:       *idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(h.CloseStreams)
	hup, stopHUP := watchHUP()
	defer stopHUP()
	rctx, stopReload := context.WithCancel(ctx)
	defer stopReload()
	interval := time.Duration(0)
	if *watch {
		interval = *watchEvery
	}
	for _, ne := range engines {
		go newReloader(ne.files, ne.eng, logger).run(rctx, hup, interval)
	}
	// Webhooks leave from the outbox until the store closes: deliveries
	// cut short go again at the next start.
	hctx, stopHooks := context.WithCancel(context.Background())
	var hooks sync.WaitGroup
	defer func() { stopHooks(); hooks.Wait() }()
	for _, ne := range engines {
		hooks.Add(1)
		go func() { defer hooks.Done(); ne.eng.RunWebhooks(hctx, nil) }()
		// Automated messages that time triggers: time on a page, idle
		// sessions, schedules.
		hooks.Add(1)
		go func() { defer hooks.Done(); ne.eng.RunAutomations(hctx) }()
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail("%v", err)
	}
	for _, b := range serving {
		fmt.Fprintf(stdout, "parley: serving %s (chatbotId %s) on http://%s\n", b.Name, httpadapter.ChatbotID(b.Name), ln.Addr())
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fail("%v", err)
	case <-ctx.Done():
	}
	stopping.Store(true)
	fmt.Fprintln(stdout, "parley: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), *shutdown)
	defer cancel()
	code = 0
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintln(stderr, "parley serve: shutdown:", err)
		srv.Close()
		code = 1
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "parley serve:", err)
		code = 1
	}
	return code
}

// A namedBot is one bot of -bot: its name ("" for the one bot of plain
// -bot FILE flags) and its files.
type namedBot struct {
	name  string
	files []string
}

var namedBotFlag = regexp.MustCompile(`^([A-Za-z0-9_-]{1,64})=(.+)$`)

// parseBots reads the -bot flags: all plain (one bot, perhaps over several
// files) or all NAME=FILE (several bots, in the order first named; a name
// given again adds a file to its bot). A file whose name has "=" in it is
// given as ./NAME=….
func parseBots(flags []string) ([]namedBot, error) {
	var out []namedBot
	plain := 0
	for _, f := range flags {
		m := namedBotFlag.FindStringSubmatch(f)
		if m == nil {
			plain++
			if len(out) == 0 {
				out = append(out, namedBot{})
			}
			out[0].files = append(out[0].files, f)
			continue
		}
		i := slices.IndexFunc(out, func(b namedBot) bool { return b.name == m[1] })
		if i < 0 {
			out = append(out, namedBot{name: m[1]})
			i = len(out) - 1
		}
		out[i].files = append(out[i].files, m[2])
	}
	if plain > 0 && plain < len(flags) {
		return nil, errors.New("-bot: give either FILE flags (one bot) or NAME=FILE flags (several bots), not both")
	}
	return out, nil
}
