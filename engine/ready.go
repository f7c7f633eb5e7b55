package engine

import (
	"context"
	"errors"

	"github.com/parleybot/parley/store"
)

// readinessProbe is a session id no client can have a turn in that is
// also valid: Ready reads it to see that the store answers.
const readinessProbe = "parley-readiness-probe"

// Ready reports whether the engine can take turns: it has a bot, and its
// store answers a read (a closed store returns store.ErrClosed). It is
// cheap enough for a load balancer's readiness probe.
func (e *Engine) Ready(ctx context.Context) error {
	if e.bot.Load() == nil {
		return ErrNoBot
	}
	_, err := e.st.Session(ctx, readinessProbe)
	if err == nil || errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
