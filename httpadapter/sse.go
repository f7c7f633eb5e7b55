package httpadapter

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// Server-sent events: engine.Feed over text/event-stream.

// sseHeartbeat is how often an idle stream sends a comment, so that
// proxies keep it open and a dead client is noticed.
const sseHeartbeat = 15 * time.Second

// V0LiveMessage is the data of a "message" event: one message of a
// thread, as Fetch Thread shows a message (a user's question and the bot's
// answer come as two events, each with its half).
type V0LiveMessage struct {
	ThreadID  string `json:"threadId"`
	ChatbotID string `json:"chatbotId"`
	V0ThreadMessage
	AgentID *string `json:"agentId"`
}

// V0LiveThread is the data of a "thread" event: a thread's state.
type V0LiveThread struct {
	ThreadID          string `json:"threadId"`
	ChatbotID         string `json:"chatbotId"`
	Mode              string `json:"mode"`
	Escalated         bool   `json:"escalated"`
	TotalMessages     int    `json:"totalMessages"`
	TotalMessagesRead int    `json:"totalMessagesRead"`
	Deleted           bool   `json:"deleted"`
}

// GET /v0/chatbots/{chatbotId}/threads/{threadId}/events: the thread's
// live events for the end user's page (its thread token, agents,
// developer).
func (h *Handler) threadEvents(w http.ResponseWriter, r *http.Request) {
	th, err := h.threadRef(r, r.PathValue("threadId"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.stream(w, r, engine.Follow{ThreadID: th.ID})
}

// GET /v0/chatbots/{chatbotId}/events: every thread's live events, for
// agents, with positions in the store's event log as ids, so that
// Last-Event-ID resumes after a restart and through any process sharing
// the store (see engine.Feed). An agent token's agent is present while the stream is open, so
// the bot's hand-offs find an agent available; the developer token may
// name one with ?agentName=.
func (h *Handler) botEvents(w http.ResponseWriter, r *http.Request) {
	f := engine.Follow{}
	switch {
	case scopeOf(r.Context()) == scopeAgent:
		a := principalOf(r.Context()).agent
		f.Agent = &a
	case r.URL.Query().Get("agentName") != "":
		name := r.URL.Query().Get("agentName")
		if len(name) > 256 {
			h.fail(w, r, badRequest("agentName", "must be 1 to 256 characters"))
			return
		}
		f.Agent = &engine.Agent{ID: name, Name: name}
	}
	h.stream(w, r, f)
}

// stream serves a feed as server-sent events until the client goes away
// or falls behind (then it reconnects with Last-Event-ID and resumes).
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, f engine.Follow) {
	f.LastEventID = r.Header.Get("Last-Event-ID")
	if id := r.URL.Query().Get("lastEventId"); id != "" {
		f.LastEventID = id // for clients that cannot set headers
	}
	feed, err := h.engine(r).Follow(r.Context(), f)
	if err != nil {
		h.fail(w, r, withField("lastEventId", err))
		return
	}
	defer feed.Close()
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if o := h.cfg.observer; o != nil {
		o.StreamOpened()
		defer o.StreamClosed()
	}
	w.Write([]byte("retry: 1000\n\n"))
	rc.Flush()
	bot := botOf(r).id
	tick := time.NewTicker(sseHeartbeat)
	defer tick.Stop()
	var buf []byte
	for {
		select {
		case le, ok := <-feed.C:
			if !ok {
				return // the client resumes from its last id
			}
			buf = appendEvent(buf[:0], bot, le)
			if _, err := w.Write(buf); err != nil {
				return
			}
			// Write what is buffered once the feed has nothing more.
			if len(feed.C) == 0 {
				if rc.Flush() != nil {
					return
				}
			}
		case <-tick.C:
			if _, err := w.Write([]byte(": ping\n\n")); err != nil || rc.Flush() != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-h.streamsDone:
			return // shutting down: the client resumes elsewhere or later
		}
	}
}

// CloseStreams ends every live event stream, now and to come, so that a
// graceful shutdown (http.Server.Shutdown waits for them) need not wait:
// give it to http.Server.RegisterOnShutdown. Clients reconnect with
// Last-Event-ID and resume.
func (h *Handler) CloseStreams() { h.closeStreams.Do(func() { close(h.streamsDone) }) }

// appendEvent appends one event in the text/event-stream format.
func appendEvent(b []byte, chatbotID string, le engine.LiveEvent) []byte {
	var name string
	var data any
	th := &le.Thread
	switch le.Kind {
	case engine.EventMessage:
		m := le.Message
		v := v0Messages([]store.Message{m}, nil)[0]
		name, data = "message", V0LiveMessage{ThreadID: th.PublicID(), ChatbotID: chatbotID, V0ThreadMessage: v, AgentID: strPtr(m.AgentID)}
	case engine.EventReset:
		name, data = "reset", map[string]string{"chatbotId": chatbotID}
	default:
		name = "thread"
		data = V0LiveThread{
			ThreadID: th.PublicID(), ChatbotID: chatbotID, Mode: th.Mode, Escalated: th.Escalated,
			TotalMessages: th.Messages, TotalMessagesRead: th.Read, Deleted: le.Kind == engine.EventThreadDeleted,
		}
	}
	j, _ := json.Marshal(data)
	if le.ID != "" {
		b = append(b, "id: "...)
		b = append(b, le.ID...)
		b = append(b, '\n')
	}
	b = append(b, "event: "...)
	b = append(b, name...)
	b = append(b, "\ndata: "...)
	b = append(b, j...)
	return append(b, "\n\n"...)
}
