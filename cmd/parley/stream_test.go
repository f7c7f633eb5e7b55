package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// streamEvent is one server-sent event of the agents' stream.
type streamEvent struct {
	id, name string
	data     struct {
		ThreadID    string `json:"threadId"`
		MessageType string `json:"messageType"`
		Question    *struct {
			Text string `json:"text"`
		} `json:"question"`
	}
}

// openAgentStream opens the bot's stream of every thread, resuming after
// lastID when not "", and returns its events until ctx ends.
func openAgentStream(t *testing.T, ctx context.Context, addr, lastID string) <-chan streamEvent {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/v0/chatbots/"+chatbotID()+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testDevToken)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET events: %d", resp.StatusCode)
	}
	out := make(chan streamEvent, 100)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var ev streamEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					out <- ev
				}
				ev = streamEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.name = line[7:]
			case strings.HasPrefix(line, "data: "):
				json.Unmarshal([]byte(line[6:]), &ev.data)
			}
		}
	}()
	return out
}

// nextMessageEvent returns the stream's next message event, failing on a
// reset; the bound only keeps a broken server from hanging the test.
func nextMessageEvent(t *testing.T, events <-chan streamEvent) streamEvent {
	t.Helper()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("stream ended")
			}
			if ev.name == "reset" {
				t.Fatalf("got a reset, want the messages after the last id")
			}
			if ev.name == "message" {
				return ev
			}
		case <-time.After(30 * time.Second):
			t.Fatal("no event")
		}
	}
}

// TestServeStreamAcrossRestart has an agent follow every thread, go away
// after some messages, and come back with Last-Event-ID after parley serve
// was killed with SIGKILL and started again on the same Badger directory:
// it gets every message it missed, before and after the restart, once and
// in order.
func TestServeStreamAcrossRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts parley serve twice")
	}
	dir := t.TempDir()
	args := []string{"-bot", "../../examples/coffee/bot.yaml", "-data", dir}
	cmd, addr := startChild(t, args...)
	bot := "/v0/chatbots/" + chatbotID()
	send := func(addr, text string) {
		t.Helper()
		if code := call(t, addr, "POST", bot+"/message", testDevToken, fmt.Sprintf(`{"message":%q,"threadId":"r"}`, text), nil); code != 200 {
			t.Fatalf("send %q: %d", text, code)
		}
	}
	if code := call(t, addr, "POST", bot+"/threads", testDevToken, `{"threadId":"r"}`, nil); code != 200 {
		t.Fatalf("create thread: %d", code)
	}
	ctx, cancel := context.WithCancel(t.Context())
	events := openAgentStream(t, ctx, addr, "")
	send(addr, "a latte please 1")
	var last string
	for range 2 { // the question and the answer
		ev := nextMessageEvent(t, events)
		last = ev.id
	}
	cancel() // the agent goes away
	send(addr, "a latte please 2")
	send(addr, "a latte please 3")
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	_, addr = startChild(t, args...)
	send(addr, "a latte please 4")

	events = openAgentStream(t, t.Context(), addr, last)
	seen := map[string]bool{}
	for i := 2; i <= 4; i++ {
		q := nextMessageEvent(t, events)
		a := nextMessageEvent(t, events)
		if q.data.ThreadID != "r" || q.data.MessageType != "USER_MESSAGE" || q.data.Question == nil || q.data.Question.Text != fmt.Sprintf("a latte please %d", i) ||
			a.data.MessageType != "NORMAL_MESSAGE" {
			t.Fatalf("resumed, turn %d: got %+v then %+v", i, q, a)
		}
		for _, ev := range []streamEvent{q, a} {
			if seen[ev.id] || ev.id == last {
				t.Errorf("event id %s twice", ev.id)
			}
			seen[ev.id] = true
		}
	}
}
