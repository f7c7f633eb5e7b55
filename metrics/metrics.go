// Package metrics counts what a Parley server does, in Prometheus's
// format: turns, fallbacks and hand-offs per bot, HTTP requests and their
// latency per route, store commits and their duration, webhook calls and
// failures, and open live streams, with the Go runtime's and the process's
// own metrics (memory, CPU, file descriptors).
//
// A [Metrics] is built once with [New] and wired by the program: it
// subscribes to an engine's events ([Metrics.Engine]), is the
// httpadapter.Observer of a Handler, observes a store's commits
// ([Metrics.Commit], for badgerstore.WithCommitObserver), wraps webhooks
// ([Metrics.Webhook]), and serves the scrape ([Metrics.Handler]). The
// command "parley serve" does all of that and serves GET /metrics.
//
// Package metrics is the one home of github.com/prometheus/client_golang in
// Parley: the engine, the store and the HTTP adapter know nothing of it.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/parleybot/parley/engine"
)

// Metrics holds the collectors of one server in their own registry. It
// is safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	turns, fallbacks *prometheus.CounterVec
	handoffs         *prometheus.CounterVec
	requests         *prometheus.CounterVec
	requestSeconds   *prometheus.HistogramVec
	commitSeconds    prometheus.Histogram
	commitTurns      prometheus.Histogram
	commitErrors     prometheus.Counter
	webhookCalls     *prometheus.CounterVec
	webhookFailures  *prometheus.CounterVec
	webhookSeconds   *prometheus.HistogramVec
	streams          prometheus.Gauge
}

// latencyBuckets spans a turn on a quiet machine (tens of microseconds)
// to a request that waited on a slow disk or webhook (seconds).
var latencyBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New returns the metrics of a server, with the Go runtime's and the
// process's collectors registered.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		turns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_turns_total", Help: "Committed chat turns.",
		}, []string{"bot"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_fallbacks_total", Help: "Turns a fallback answered.",
		}, []string{"bot"}),
		handoffs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_handoffs_total", Help: "Hand-offs to a human agent, by whether an agent took the conversation.",
		}, []string{"bot", "agent"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_http_requests_total", Help: "HTTP requests answered, by route and status code.",
		}, []string{"route", "code"}),
		requestSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "parley_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		commitSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "parley_store_commit_duration_seconds", Help: "Time of one store commit, which may carry several turns.",
			Buckets: latencyBuckets,
		}),
		commitTurns: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "parley_store_commit_turns", Help: "Turns carried by one store commit.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128},
		}),
		commitErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "parley_store_commit_errors_total", Help: "Store commits that failed.",
		}),
		webhookCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_webhook_calls_total", Help: "Webhook calls, by webhook name.",
		}, []string{"webhook"}),
		webhookFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_webhook_failures_total", Help: "Webhook calls that failed, by webhook name.",
		}, []string{"webhook"}),
		webhookSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "parley_webhook_duration_seconds", Help: "Time of a webhook call, by webhook name.",
			Buckets: latencyBuckets,
		}, []string{"webhook"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "parley_open_streams", Help: "Live streams (server-sent events, sockets) open now.",
		}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.turns, m.fallbacks, m.handoffs, m.requests, m.requestSeconds,
		m.commitSeconds, m.commitTurns, m.commitErrors,
		m.webhookCalls, m.webhookFailures, m.webhookSeconds, m.streams,
	)
	return m
}

// Handler serves the metrics in Prometheus's text format (or
// OpenMetrics, when the scraper asks for it).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{EnableOpenMetrics: true})
}

// Engine counts the turns, fallbacks and hand-offs of e under the label
// bot, until the returned function is called.
func (m *Metrics) Engine(bot string, e *engine.Engine) (cancel func()) {
	turns, fallbacks := m.turns.WithLabelValues(bot), m.fallbacks.WithLabelValues(bot)
	// Create both series now, so that a rate over them starts at 0.
	agent, noAgent := m.handoffs.WithLabelValues(bot, "true"), m.handoffs.WithLabelValues(bot, "false")
	return e.Subscribe(func(ev engine.Event) {
		switch ev.Kind {
		case engine.EventTurn:
			turns.Inc()
		case engine.EventFallback:
			fallbacks.Inc()
		case engine.EventHandoff:
			if ev.Agent {
				agent.Inc()
			} else {
				noAgent.Inc()
			}
		}
	})
}

// Request counts one answered HTTP request: route is its pattern (such
// as "POST /query"), "" when no route matched. It implements
// httpadapter.Observer.
func (m *Metrics) Request(route string, status int, d time.Duration) {
	if route == "" || route == "/" {
		route = "none"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.requestSeconds.WithLabelValues(route).Observe(d.Seconds())
}

// StreamOpened and StreamClosed count the live streams open. They
// implement httpadapter.Observer.
func (m *Metrics) StreamOpened() { m.streams.Inc() }

// StreamClosed: see StreamOpened.
func (m *Metrics) StreamClosed() { m.streams.Dec() }

// Commit observes one store commit of turns that took d and failed with
// err, if not nil. It has the signature of badgerstore.WithCommitObserver.
func (m *Metrics) Commit(turns int, d time.Duration, err error) {
	m.commitSeconds.Observe(d.Seconds())
	m.commitTurns.Observe(float64(turns))
	if err != nil {
		m.commitErrors.Inc()
	}
}

// Webhook returns fn counting its calls, failures and duration under name.
func (m *Metrics) Webhook(name string, fn engine.Webhook) engine.Webhook {
	calls, failures := m.webhookCalls.WithLabelValues(name), m.webhookFailures.WithLabelValues(name)
	seconds := m.webhookSeconds.WithLabelValues(name)
	return func(ctx context.Context, call engine.WebhookCall) (engine.WebhookResult, error) {
		start := time.Now()
		res, err := fn(ctx, call)
		calls.Inc()
		seconds.Observe(time.Since(start).Seconds())
		if err != nil {
			failures.Inc()
		}
		return res, err
	}
}
