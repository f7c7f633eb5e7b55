package main

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/metrics"
)

// fulfilment turns the -webhook NAME=URL flags into engine options: each
// name's webhook action posts to its URL (engine.HTTPWebhook), counted in
// the metrics.
func fulfilment(flags []string, token string, timeout time.Duration, met *metrics.Metrics) ([]engine.Option, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}}
	var opts []engine.Option
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
