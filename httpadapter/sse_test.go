package httpadapter_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/httpadapter"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	id, name string
	data     map[string]any
}

// sseStream is an open event stream.
type sseStream struct {
	resp   *http.Response
	events chan sseEvent
}

// openStream opens path as an event stream with token and lastID.
func (s *testServer) openStream(t *testing.T, path, token, lastID string) *sseStream {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	// Streams are read as they come, outside the contract checker.
	resp, err := s.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET %s: got %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	st := &sseStream{resp: resp, events: make(chan sseEvent, 100)}
	t.Cleanup(func() { resp.Body.Close() })
	go func() {
		defer close(st.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					st.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.name = line[7:]
			case strings.HasPrefix(line, "data: "):
				json.Unmarshal([]byte(line[6:]), &ev.data)
			}
		}
	}()
	return st
}

func (st *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-st.events:
		if !ok {
			t.Fatal("stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	return sseEvent{}
}

// TestSSEHandOff is the README's session: a user chats and asks for a
// person; an agent, following every thread, answers; the user's stream
// shows it; the user comes back after a disconnection without losing or
// repeating a message.
func TestSSEHandOff(t *testing.T) {
	s := newServer(t, httpadapter.WithAgentToken(agentToken, bob))
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	agent := s.openStream(t, bot+"/events", agentToken, "")

	var created struct {
		Thread      httpadapter.V0Thread `json:"thread"`
		ThreadToken string               `json:"threadToken"`
	}
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "live-1"}, 200).into(t, &created)
	tok := created.ThreadToken
	user := s.openStream(t, bot+"/threads/live-1/events", tok, "")
	if ev := user.next(t); ev.name != "thread" || ev.data["mode"] != "AI" {
		t.Fatalf("user's first event: %+v", ev)
	}
	s.call(t, tok, "POST", bot+"/message", map[string]any{"message": "i want a coffee"}, 200)
	s.call(t, tok, "POST", bot+"/threads/live-1/escalate", map[string]any{"escalationPrompt": "a person please"}, 200)
	// The agent sees the thread appear, its messages and the escalation.
	// A thread event shows the thread as it is when the stream reads the
	// store's event log: the first may show the escalation already.
	var names []string
	var ev sseEvent
	for range 6 {
		ev = agent.next(t)
		names = append(names, ev.name)
	}
	if strings.Join(names, " ") != "thread message message message message thread" || ev.data["escalated"] != true {
		t.Errorf("agent's stream: got %v, last %+v", names, ev.data)
	}
	s.call(t, agentToken, "POST", bot+"/message", map[string]any{"message": "Hi, Bob here.", "threadId": "live-1", "from": "AGENT"}, 200)
	var last sseEvent
	for _, want := range []string{"1", "2", "3", "4", "", "5"} {
		ev := user.next(t)
		if ev.name == "message" && ev.id != want || ev.name == "thread" && want != "" {
			t.Fatalf("user's stream: got %+v, want id %q", ev, want)
		}
		last = ev
	}
	if last.data["agentName"] != "Bob" || last.data["messageType"] != "AGENT_MESSAGE" {
		t.Errorf("the agent's answer on the user's stream: %+v", last.data)
	}
	// Disconnected after message 3, the page resumes from there.
	user.resp.Body.Close()
	again := s.openStream(t, bot+"/threads/live-1/events", tok, "3")
	again.next(t) // the thread's state
	for _, want := range []string{"4", "5"} {
		if ev := again.next(t); ev.id != want {
			t.Errorf("resumed: got %+v, want id %s", ev, want)
		}
	}
	// Another thread's stream is not the token's.
	s.call(t, clientToken, "POST", bot+"/threads", map[string]any{"threadId": "live-2"}, 200)
	if r := s.do(t, offSpec(t.Context()), "GET", bot+"/threads/live-2/events", tok, nil); r.status != 403 {
		t.Errorf("another thread's stream: got %d", r.status)
	}
	if r := s.do(t, offSpec(t.Context()), "GET", bot+"/events", tok, nil); r.status != 403 {
		t.Errorf("the agents' stream with a thread token: got %d", r.status)
	}
}
