package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/metrics"
)

// opsFlags are parley serve's flags for operators: the log and the
// metrics.
type opsFlags struct {
	logFormat, logLevel string
	metricsToken        string
	noMetrics           bool
}

func (o *opsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.logFormat, "log-format", "text", "the log's `FORMAT`: text (key=value) or json (one object a line)")
	fs.StringVar(&o.logLevel, "log-level", "info", "the least `LEVEL` logged: debug (adds one line per turn, with its interaction and score), info, warn or error")
	fs.StringVar(&o.metricsToken, "metrics-token", "", "require this bearer token (or the developer token) on GET /metrics (default $PARLEY_METRICS_TOKEN; none: /metrics is open)")
	fs.BoolVar(&o.noMetrics, "no-metrics", false, "serve no GET /metrics")
}

// logger returns the logger the flags ask for, writing to w at level and
// above; level "" means the -log-level flag's.
func (o *opsFlags) logger(w io.Writer, level slog.Leveler) (*slog.Logger, error) {
	if level == nil {
		var l slog.Level
		if err := l.UnmarshalText([]byte(o.logLevel)); err != nil {
			return nil, fmt.Errorf("-log-level %q: want debug, info, warn or error", o.logLevel)
		}
		level = l
	}
	hopts := &slog.HandlerOptions{Level: level}
	switch o.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, hopts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, hopts)), nil
	}
	return nil, fmt.Errorf("-log-format %q: want text or json", o.logFormat)
}

// check reports a bad flag before anything loads.
func (o *opsFlags) check() error {
	_, err := o.logger(io.Discard, nil)
	if o.metricsToken == "" {
		o.metricsToken = os.Getenv("PARLEY_METRICS_TOKEN")
	}
	return err
}

// A namedEngine is one bot served: its name for the metrics, its engine,
// and its files for reloads.
type namedEngine struct {
	name  string
	eng   *engine.Engine
	files []string
}

// wire adds the metrics (unless -no-metrics) and the readiness check (of
// every bot) to the Handler's options, counts each engine's turns under
// its bot's name, and returns the options. Once stopping is set, /readyz
// answers 503, so that a load balancer stops sending requests during a
// graceful shutdown.
func (o *opsFlags) wire(m *metrics.Metrics, engines []namedEngine, stopping *atomic.Bool, opts []httpadapter.Option) []httpadapter.Option {
	opts = append(opts, httpadapter.WithReadiness(func(ctx context.Context) error {
		if stopping.Load() {
			return errors.New("shutting down")
		}
		for _, ne := range engines {
			if err := ne.eng.Ready(ctx); err != nil {
				return err
			}
		}
		return nil
	}))
	if m == nil {
		return opts
	}
	for _, ne := range engines {
		m.Engine(ne.name, ne.eng)
	}
	opts = append(opts, httpadapter.WithObserver(m), httpadapter.WithMetrics(m.Handler()))
	if o.metricsToken != "" {
		opts = append(opts, httpadapter.WithMetricsToken(o.metricsToken))
	}
	return opts
}

// botName names a bot for the metrics: its file or directory's name
// without the extension.
func botName(paths []string) string {
	base := filepath.Base(filepath.Clean(paths[0]))
	if base == "bot.yaml" || base == "bot.yml" || base == "bot.json" {
		base = filepath.Base(filepath.Dir(filepath.Clean(paths[0])))
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}
