package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/metrics"
)

// fulfilment turns the -webhook NAME=URL flags into engine options: each
// name's webhook action posts to its URL (engine.HTTPWebhook), counted in
// the metrics. The URLs the bot's settings give its webhooks are called
// the same way (engine.WithWebhookURLs), but for a name a flag gives:
// the flag wins.
func fulfilment(flags []string, token string, timeout time.Duration, met *metrics.Metrics) ([]engine.Option, error) {
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}}
	urls := engine.WebhookURLs{Token: token, Timeout: timeout, Client: client}
	if met != nil {
		urls.Wrap = met.Webhook
	}
	opts := []engine.Option{engine.WithWebhookURLs(urls)}
	seen := map[string]bool{}
	for _, f := range flags {
		name, url, ok := strings.Cut(f, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("-webhook %q: want NAME=URL", f)
		}
		if seen[name] {
			return nil, fmt.Errorf("-webhook %q: %s given twice", f, name)
		}
		seen[name] = true
		hook, err := engine.HTTPWebhook(url, token, timeout, client)
		if err != nil {
			return nil, fmt.Errorf("-webhook %s: %v", name, err)
		}
		if met != nil {
			hook = met.Webhook(name, hook)
		}
		opts = append(opts, engine.WithWebhook(name, hook))
	}
	return opts, nil
}

// codeSender turns the -verify-codes flag into an engine option: "" for
// none; "log" writes each code to the log, for development only (whoever
// reads the log can verify any address); an http(s) URL posts each code
// there (engine.HTTPCodeSender), for a service that mails it.
func codeSender(spec, token string, timeout time.Duration, logger *slog.Logger) ([]engine.Option, error) {
	switch spec {
	case "":
		return nil, nil
	case "log":
		return []engine.Option{engine.WithCodeSender(func(ctx context.Context, c engine.Code) error {
			logger.LogAttrs(ctx, slog.LevelWarn, "verification code (-verify-codes log: for development only)",
				slog.String("email", c.Email), slog.String("code", c.Code), slog.String("thread", c.ThreadID))
			return nil
		})}, nil
	}
	send, err := engine.HTTPCodeSender(spec, token, timeout, nil)
	if err != nil {
		return nil, fmt.Errorf("-verify-codes %q: want log, or an http:// or https:// URL with a host", spec)
	}
	return []engine.Option{engine.WithCodeSender(send)}, nil
}
