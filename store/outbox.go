package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// A Delivery is one webhook call waiting in the outbox: an event to post
// to one URL. Deliveries with the same Key leave one at a time, in the
// order of their IDs, so that a receiver sees a thread's events in order.
type Delivery struct {
	// ID is set by the store: 24 hex digits that sort in the order the
	// deliveries were stored. Receivers de-duplicate by it.
	ID string
	// Key orders deliveries (a thread's id): 1–128 characters.
	Key string
	// Event names the event, such as "ADD_MESSAGE": 1–64 characters.
	Event string
	// URL is where to post it (http or https); Token is sent with it and
	// signs it (0–256 characters).
	URL, Token string
	// Payload is the event's data, a JSON value of up to 64 KiB.
	Payload json.RawMessage
	// Attempts counts the failed attempts so far; LastError says why the
	// last one failed (up to 1,024 bytes).
	Attempts  int
	LastError string
	// CreatedAt is when it was stored; NextAt when it may be tried (again).
	CreatedAt, NextAt time.Time
}

// MaxPayload bounds a Delivery's payload.
const MaxPayload = 64 << 10

// CheckDelivery checks the fields of a delivery a caller sets.
func CheckDelivery(d *Delivery) error {
	if err := checkLen("key", d.Key, 1, MaxThreadAlias); err != nil {
		return err
	}
	if err := checkLen("event", d.Event, 1, 64); err != nil {
		return err
	}
	if d.URL == "" {
		return invalid("url", "is required")
	}
	if err := CheckWebhookURL("url", d.URL); err != nil {
		return err
	}
	if err := checkLen("token", d.Token, 0, MaxToken); err != nil {
		return err
	}
	if len(d.Payload) > MaxPayload || !json.Valid(d.Payload) {
		return invalid("payload", fmt.Sprintf("must be a JSON value of at most %d bytes", MaxPayload))
	}
	return nil
}

// Outbox keeps webhook deliveries until they are delivered: the durable
// half of at-least-once delivery. Implementations are safe for concurrent
// use; several processes may share one (each delivery then goes out at
// least once, perhaps more).
type Outbox interface {
	// Enqueue stores deliveries, due at once, and returns them with ID,
	// CreatedAt and NextAt set. Once it returns they survive a crash.
	// Turns store theirs with [Turn.Deliver], in the turn's transaction.
	Enqueue(ctx context.Context, ds ...Delivery) ([]Delivery, error)
	// DueDeliveries returns up to limit (1–1,000) deliveries due at now,
	// oldest first, and of each key only its oldest delivery: a key whose
	// oldest delivery is not due yet waits, so that its deliveries keep
	// their order.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// Delivered removes a delivery that was delivered. An unknown id is
	// ErrNotFound.
	Delivered(ctx context.Context, id string) error
	// RetryDelivery records a failed attempt of a delivery: one attempt
	// more, lastErr, and the time to try again.
	RetryDelivery(ctx context.Context, id string, next time.Time, lastErr string) error
}

// truncate cuts s to at most n bytes, at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}

// TruncateError cuts an error text to what RetryDelivery keeps.
func TruncateError(s string) string { return truncate(s, 1024) }
