package storetest

import (
	"errors"
	"fmt"
	"time"

	"github.com/parleybot/parley/store"
)

func delivery(key, n string) store.Delivery {
	return store.Delivery{Key: key, Event: "ADD_MESSAGE", URL: "http://127.0.0.1:9/hook", Token: "tok", Payload: []byte(`{"n":` + n + `}`)}
}

func payloads(ds []store.Delivery) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.Key+":"+string(d.Payload))
	}
	return fmt.Sprint(s)
}

// testOutbox checks that deliveries leave in order per key, one at a time,
// and wait while retried.
func testOutbox(e *env) {
	got, err := e.s.Enqueue(ctx, delivery("a", "1"), delivery("b", "1"), delivery("a", "2"))
	if !e.noErr("Enqueue", err) {
		return
	}
	if !store.ValidID(got[0].ID) || got[0].ID >= got[2].ID || !got[0].NextAt.Equal(start) || !got[0].CreatedAt.Equal(start) {
		e.Errorf("Enqueue: got %+v", got)
	}
	e.clk.Advance(time.Second)
	e.clk.Advance(time.Second)
	_, err = e.s.Enqueue(ctx, delivery("c", "1"))
	e.noErr("Enqueue", err)
	now := e.clk.Now()
	due, err := e.s.DueDeliveries(ctx, now, 10)
	if e.noErr("DueDeliveries", err) {
		e.equal("due: the oldest of each key", payloads(due), `[a:{"n":1} b:{"n":1} c:{"n":1}]`)
	}
	if due, err := e.s.DueDeliveries(ctx, now, 2); e.noErr("DueDeliveries", err) {
		e.equal("due, limited", payloads(due), `[a:{"n":1} b:{"n":1}]`)
	}
	// a's first fails: a waits, b and c go on.
	e.noErr("RetryDelivery", e.s.RetryDelivery(ctx, got[0].ID, now.Add(time.Minute), "503 Service Unavailable"))
	e.noErr("Delivered", e.s.Delivered(ctx, got[1].ID))
	if due, err := e.s.DueDeliveries(ctx, now, 10); e.noErr("DueDeliveries", err) {
		e.equal("due while a waits", payloads(due), `[c:{"n":1}]`)
	}
	e.clk.Advance(time.Minute)
	if due, err := e.s.DueDeliveries(ctx, e.clk.Now(), 10); e.noErr("DueDeliveries", err) && len(due) == 2 {
		e.equal("due after the wait", payloads(due), `[a:{"n":1} c:{"n":1}]`)
		e.equal("the retried delivery", []any{due[0].Attempts, due[0].LastError}, []any{1, "503 Service Unavailable"})
	}
	e.noErr("Delivered", e.s.Delivered(ctx, got[0].ID))
	if due, err := e.s.DueDeliveries(ctx, e.clk.Now(), 10); e.noErr("DueDeliveries", err) {
		e.equal("a's second", payloads(due), `[a:{"n":2} c:{"n":1}]`)
	}
	e.wantErr("Delivered twice", e.s.Delivered(ctx, got[0].ID), store.ErrNotFound)
	e.wantErr("RetryDelivery of none", e.s.RetryDelivery(ctx, got[0].ID, now, "x"), store.ErrNotFound)
	for name, bad := range map[string]store.Delivery{
		"key":     {Event: "E", URL: "http://x", Payload: []byte(`{}`)},
		"url":     {Key: "k", Event: "E", URL: "ftp://x", Payload: []byte(`{}`)},
		"payload": {Key: "k", Event: "E", URL: "http://x", Payload: []byte(`{`)},
		"event":   {Key: "k", URL: "http://x", Payload: []byte(`{}`)},
	} {
		_, err := e.s.Enqueue(ctx, bad)
		e.wantErr("invalid "+name, err, store.ErrInvalid)
	}
	_, err = e.s.DueDeliveries(ctx, now, 0)
	e.wantErr("limit 0", err, store.ErrInvalid)
}

// testTurnDeliveries checks that a turn's deliveries are stored with it,
// and not when it fails.
func testTurnDeliveries(e *env) {
	e.update("session-deliveries", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.UserMessage, Text: "hi"})
		t.Deliver(delivery("t", "1"), delivery("t", "2"))
		return nil
	})
	boom := errors.New("boom")
	err := e.s.Update(ctx, "session-deliveries", func(t *store.Turn) error {
		t.Deliver(delivery("t", "3"))
		return boom
	})
	e.wantErr("a failed turn", err, boom)
	err = e.s.Update(ctx, "session-deliveries", func(t *store.Turn) error {
		t.Deliver(store.Delivery{Key: "t"})
		return nil
	})
	e.wantErr("a turn with a bad delivery", err, store.ErrInvalid)
	var ids []string
	for range 3 {
		due, err := e.s.DueDeliveries(ctx, e.clk.Now(), 10)
		if !e.noErr("DueDeliveries", err) || len(due) == 0 {
			break
		}
		ids = append(ids, string(due[0].Payload))
		e.noErr("Delivered", e.s.Delivered(ctx, due[0].ID))
	}
	e.equal("the turn's deliveries, in order", ids, []string{`{"n":1}`, `{"n":2}`})
}
