package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// warnLogger returns a logger that writes the engine's warnings and errors
// to w one line each, as the other messages of a command read
// ("parley chat: the compiled model does not serve this bot: training
// (reason: ...)"), so that a terminal user sees why the bot started slowly
// or left something out. Records below WARN are dropped; groups are
// flattened.
func warnLogger(w io.Writer, prefix string) *slog.Logger {
	return slog.New(&warnHandler{w: w, prefix: prefix, mu: new(sync.Mutex)})
}

type warnHandler struct {
	w      io.Writer
	prefix string
	attrs  []slog.Attr
	mu     *sync.Mutex
}

func (h *warnHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *warnHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(h.prefix)
	b.WriteString(": ")
	msg := r.Message
	for _, p := range []string{"engine: ", "nlu: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	b.WriteString(msg)
	attrs := h.attrs
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, a)
		return true
	})
	for i, a := range attrs {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %v", a.Key, a.Value.Resolve())
	}
	if len(attrs) > 0 {
		b.WriteString(")")
	}
	b.WriteString("\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *warnHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &c
}

func (h *warnHandler) WithGroup(string) slog.Handler { return h }
