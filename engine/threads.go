package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/parleybot/parley/store"
)

// The threads and messages operations of SiteGPT's API. A thread is a
// conversation of one session: whether it started with a ChatBot.com
// query or through the Threads API, it is the same thread, and every
// change to it waits in its session's queue, so that turns, agents'
// messages and mode changes of a thread happen, and reach subscribers, in
// one order.

// Who sends a message.
const (
	FromUser  = "USER"
	FromAgent = "AGENT"
)

// AttrPhone is the user attribute that holds a phone number given through
// the Threads API (chatUser.phoneNumber).
const AttrPhone = "default_phone"

// An Agent is a person who answers users. ID and Name are 0–256
// characters; the host decides what they mean (an account id, a name
// shown to users).
type Agent struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// NewThread is what CreateThread needs. Every field is optional.
type NewThread struct {
	// ThreadID is the id the caller wants the thread known by (1–128
	// characters, no control characters); "" lets the store choose.
	ThreadID string
	// Mode is store.ModeAI (the default) or store.ModeAgent.
	Mode string
	// UserEmail ties the thread to the user with that email, created if
	// there is none.
	UserEmail string
}

// CreateThread starts an empty thread with a session of its own (SiteGPT's
// "Create Thread").
func (e *Engine) CreateThread(ctx context.Context, nt NewThread) (store.Thread, error) {
	th := store.Thread{Alias: nt.ThreadID, Mode: nt.Mode}
	if th.Mode == "" {
		th.Mode = store.ModeAI
	}
	if err := store.CheckThread(&th); err != nil {
		return store.Thread{}, err
	}
	var user store.User
	if nt.UserEmail != "" {
		u, err := e.userByEmail(ctx, ChatUser{Email: nt.UserEmail}, "chatUserEmail")
		if err != nil {
			return store.Thread{}, err
		}
		th.UserID, user = u.ID, u
	}
	th, err := e.st.CreateThread(ctx, th)
	if err != nil {
		return store.Thread{}, fmt.Errorf("engine: create thread: %w", err)
	}
	e.emitThread(th, EventThreadCreated)
	if th.UserID != "" {
		if err := e.lead(ctx, th, user); err != nil {
			return th, err
		}
	}
	return th, nil
}

// Thread returns the thread known by id: its store id, or the id the
// caller chose when creating it (which never equals another thread's
// store id).
func (e *Engine) Thread(ctx context.Context, id string) (store.Thread, error) {
	if err := store.CheckThreadAlias(id); err != nil {
		return store.Thread{}, err
	}
	var th store.Thread
	err := store.ErrNotFound
	if store.ValidID(id) {
		th, err = e.st.Thread(ctx, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		th, err = e.st.ThreadByAlias(ctx, id)
	}
	if err != nil {
		return store.Thread{}, fmt.Errorf("engine: thread %q: %w", id, err)
	}
	return th, nil
}

// Messages returns up to limit (1–100) messages of the thread known by id
// with Seq greater than after, in order.
func (e *Engine) Messages(ctx context.Context, id string, after, limit int) ([]store.Message, error) {
	th, err := e.Thread(ctx, id)
	if err != nil {
		return nil, err
	}
	return e.st.Messages(ctx, th.ID, after, limit)
}

// AllMessages returns every message of a thread, in order.
func (e *Engine) AllMessages(ctx context.Context, th store.Thread) ([]store.Message, error) {
	var all []store.Message
	for len(all) < th.Messages {
		page, err := e.st.Messages(ctx, th.ID, len(all), store.MaxMessagesPage)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		all = append(all, page...)
	}
	return all, nil
}

// ListThreads returns one page of threads, newest first (SiteGPT's "Fetch
// All Threads", with filters).
func (e *Engine) ListThreads(ctx context.Context, q store.ThreadQuery) (store.ThreadPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return store.ThreadPage{}, err
	}
	return e.st.ListThreads(ctx, q)
}

// A ChatUser is the user of a thread as the Threads API describes them.
type ChatUser struct {
	Email, Name, Phone string
}

// ThreadUpdate is a change to a thread; nil fields stay as they are.
type ThreadUpdate struct {
	// Mode is store.ModeAI or store.ModeAgent.
	Mode *string
	// WebhookURL and WebhookToken set the thread's webhook ("" removes it).
	WebhookURL, WebhookToken *string
	// ChatUser ties the thread to the user with that email (created if
	// there is none) and sets the name and phone given.
	ChatUser *ChatUser
}

// UpdateThread changes a thread (SiteGPT's "Update Thread"). Switching the
// mode does not add a message; Escalate, TakeOver and HandBack do.
func (e *Engine) UpdateThread(ctx context.Context, id string, u ThreadUpdate) (store.Thread, error) {
	if u.Mode != nil && *u.Mode != store.ModeAI && *u.Mode != store.ModeAgent {
		return store.Thread{}, invalid("mode", "must be AI or AGENT")
	}
	if u.WebhookURL != nil {
		if err := store.CheckWebhookURL("webhookUrl", *u.WebhookURL); err != nil {
			return store.Thread{}, err
		}
	}
	if u.WebhookToken != nil && len(*u.WebhookToken) > store.MaxToken {
		return store.Thread{}, invalid("webhookToken", fmt.Sprintf("must be 0 to %d characters", store.MaxToken))
	}
	th, err := e.Thread(ctx, id)
	if err != nil {
		return store.Thread{}, err
	}
	var user store.User
	if u.ChatUser != nil {
		if user, err = e.userByEmail(ctx, *u.ChatUser, "chatUser.email"); err != nil {
			return store.Thread{}, err
		}
	}
	userID := user.ID
	th, err = e.changeThread(ctx, th, func(t *store.Thread) {
		if u.Mode != nil {
			t.Mode = *u.Mode
		}
		if u.WebhookURL != nil {
			t.WebhookURL = *u.WebhookURL
		}
		if u.WebhookToken != nil {
			t.WebhookToken = *u.WebhookToken
		}
		if userID != "" {
			t.UserID = userID
		}
	})
	if err == nil && userID != "" {
		err = e.lead(ctx, th, user)
	}
	return th, err
}

// MarkRead sets how many messages of the thread an agent has read: read
// is 0 to the thread's messages, or -1 for all of them.
func (e *Engine) MarkRead(ctx context.Context, id string, read int) (store.Thread, error) {
	if read < -1 {
		return store.Thread{}, invalid("totalMessagesRead", "must not be negative")
	}
	th, err := e.Thread(ctx, id)
	if err != nil {
		return store.Thread{}, err
	}
	return e.changeThread(ctx, th, func(t *store.Thread) {
		if read < 0 {
			t.Read = t.Messages
		} else {
			t.Read = read
		}
	})
}

// changeThread applies change to a thread in its session's queue, and
// tells subscribers.
func (e *Engine) changeThread(ctx context.Context, th store.Thread, change func(*store.Thread)) (store.Thread, error) {
	if err := e.queues.acquire(ctx, th.SessionID); err != nil {
		return store.Thread{}, err
	}
	defer e.queues.release(th.SessionID)
	th, err := e.st.UpdateThread(ctx, th.ID, func(t *store.Thread) error { change(t); return nil })
	if err != nil {
		return store.Thread{}, fmt.Errorf("engine: update thread: %w", err)
	}
	e.emitThread(th, EventThreadChanged)
	return th, nil
}

// DeleteThread deletes a thread and its messages.
func (e *Engine) DeleteThread(ctx context.Context, id string) error {
	th, err := e.Thread(ctx, id)
	if err != nil {
		return err
	}
	if err := e.queues.acquire(ctx, th.SessionID); err != nil {
		return err
	}
	defer e.queues.release(th.SessionID)
	if err := e.st.DeleteThread(ctx, th.ID); err != nil {
		return fmt.Errorf("engine: delete thread: %w", err)
	}
	e.emitThread(th, EventThreadDeleted)
	return nil
}

// userByEmail finds the user with cu.Email, or creates one, and sets the
// name and phone cu gives.
func (e *Engine) userByEmail(ctx context.Context, cu ChatUser, field string) (store.User, error) {
	if !strings.Contains(cu.Email, "@") || len(cu.Email) > store.MaxAttributeValue {
		return store.User{}, invalid(field, "must be an email address")
	}
	attrs := map[string]string{}
	if cu.Name != "" {
		attrs[store.AttrName] = cu.Name
	}
	if cu.Phone != "" {
		attrs[AttrPhone] = cu.Phone
	}
	u, err := e.st.UserByEmail(ctx, cu.Email)
	if errors.Is(err, store.ErrNotFound) {
		attrs[store.AttrEmail] = cu.Email
		if err := store.CheckAttributes("chatUser", attrs); err != nil {
			return store.User{}, err
		}
		u, err = e.st.CreateUser(ctx, store.User{Attributes: attrs})
		if errors.Is(err, store.ErrConflict) { // created meanwhile
			u, err = e.st.UserByEmail(ctx, cu.Email)
		}
	} else if err == nil && len(attrs) > 0 {
		u, err = e.st.UpdateUser(ctx, u.ID, attrs)
	}
	if err != nil {
		return store.User{}, fmt.Errorf("engine: user %q: %w", cu.Email, err)
	}
	return u, nil
}

// A Message is what Send sends.
type Message struct {
	// ThreadID is the thread (as known to the caller); "" starts a new
	// thread for a message from the user. A message from an agent needs
	// one.
	ThreadID string
	// Text is the message, 1–4,096 characters.
	Text string
	// From is FromUser (the default) or FromAgent.
	From string
	// Agent says which agent writes, for a message from an agent.
	Agent Agent
	// IconURL is an icon to show with the message, "" for none.
	IconURL string
	// Goto, from the user, is the 24-hex id of the interaction of a goto
	// button the user chose (Parley's): the turn continues there, as a
	// chat request's goto does, and Text, the button's title, is
	// recorded as the user's message.
	Goto string
}

// MaxMessageLen bounds the text of a message sent through the Threads API.
const MaxMessageLen = 4096

// Sent is the outcome of Send.
type Sent struct {
	// Thread is the thread after the message.
	Thread store.Thread
	// Messages are the messages appended, in order: the user's message
	// and the bot's answer (and a system message, after a hand-off), or
	// the agent's message.
	Messages []store.Message
	// Response is the chat turn's response, for a message from the user.
	Response Response
}

// Send sends a message into a thread (SiteGPT's "Send Message"). From the
// user it is a chat turn of the bot in that thread: the bot's answer, if
// the thread is in AI mode, comes back in Sent. From an agent it is an
// AGENT_MESSAGE and the bot stays silent.
func (e *Engine) Send(ctx context.Context, m Message) (Sent, error) {
	if m.From == "" {
		m.From = FromUser
	}
	n := len([]rune(m.Text))
	switch {
	case n < 1 || n > MaxMessageLen:
		return Sent{}, invalid("message", fmt.Sprintf("must be 1 to %d characters", MaxMessageLen))
	case m.From != FromUser && m.From != FromAgent:
		return Sent{}, invalid("from", "must be USER or AGENT")
	case m.From == FromAgent && m.ThreadID == "":
		return Sent{}, invalid("threadId", "is required for a message from an agent")
	case m.From == FromAgent && m.Goto != "":
		return Sent{}, invalid("goto", "is for a message from the user")
	}
	if err := store.CheckMessage(&store.Message{Type: store.AgentMessage, AgentID: m.Agent.ID, AgentName: m.Agent.Name, IconURL: m.IconURL}); err != nil {
		return Sent{}, err
	}
	var th store.Thread
	var err error
	if m.ThreadID != "" {
		th, err = e.Thread(ctx, m.ThreadID)
	} else {
		th, err = e.CreateThread(ctx, NewThread{})
	}
	if err != nil {
		return Sent{}, err
	}
	if m.From == FromAgent {
		msg := store.Message{Type: store.AgentMessage, Text: m.Text, AgentID: m.Agent.ID, AgentName: m.Agent.Name, IconURL: m.IconURL}
		return e.threadTurn(ctx, th, func(t *store.Turn) error {
			t.Append(msg)
			return nil
		})
	}
	req, said := Request{SessionID: th.SessionID, Query: m.Text}, ""
	if m.Goto != "" {
		req, said = Request{SessionID: th.SessionID, Goto: m.Goto}, m.Text
	}
	var out Sent
	resp, err := e.chat(ctx, req, th.ID, said, &out)
	if err != nil {
		return Sent{}, err
	}
	if m.IconURL != "" && len(out.Messages) > 0 {
		out.Messages[0].IconURL = m.IconURL // shown, not stored: the turn has committed
	}
	out.Response = resp
	return out, nil
}

// React sets the reaction (store.Positive, Negative or Neutral) to message
// seq of a thread; the day's counters count it.
func (e *Engine) React(ctx context.Context, threadID string, seq int, reaction string) error {
	if err := store.CheckReaction(reaction, false); err != nil {
		return err
	}
	th, err := e.Thread(ctx, threadID)
	if err != nil {
		return err
	}
	if err := e.st.SetReaction(ctx, th.ID, seq, reaction); err != nil {
		return fmt.Errorf("engine: react to message %d of thread %q: %w", seq, threadID, err)
	}
	return nil
}

// Escalate hands a thread to agents (SiteGPT's "Escalate Conversation"):
// prompt, if not "", is recorded as the user's message; the thread goes to
// AGENT mode, escalated, with a SYSTEM_MESSAGE CONVERSATION_ESCALATED, and
// the day's Handoffs counter grows. Escalating an escalated thread in
// AGENT mode changes nothing.
func (e *Engine) Escalate(ctx context.Context, threadID, prompt string) (Sent, error) {
	if len([]rune(prompt)) > MaxMessageLen {
		return Sent{}, invalid("escalationPrompt", fmt.Sprintf("must be 0 to %d characters", MaxMessageLen))
	}
	th, err := e.Thread(ctx, threadID)
	if err != nil {
		return Sent{}, err
	}
	return e.threadTurn(ctx, th, func(t *store.Turn) error {
		if t.Thread.Mode == store.ModeAgent && t.Thread.Escalated {
			return nil
		}
		if prompt != "" {
			t.Append(store.Message{Type: store.UserMessage, Text: prompt})
		}
		escalate(t)
		return nil
	})
}

// escalate puts the turn's thread in AGENT mode with a
// CONVERSATION_ESCALATED message.
func escalate(t *store.Turn) {
	t.Counters.Handoffs++
	t.Append(store.Message{Type: store.SystemMessage, SystemType: store.ConversationEscalated})
	t.Thread.Mode = store.ModeAgent
	t.Thread.Escalated = true
}

// TakeOver puts a thread in AGENT mode for an agent, who may say message
// ("" for nothing): the bot stops answering.
func (e *Engine) TakeOver(ctx context.Context, threadID string, agent Agent, message string) (Sent, error) {
	return e.switchMode(ctx, threadID, store.ModeAgent, agent, message)
}

// HandBack returns a thread to the bot (AI mode); the agent may say
// message first ("" for nothing).
func (e *Engine) HandBack(ctx context.Context, threadID string, agent Agent, message string) (Sent, error) {
	return e.switchMode(ctx, threadID, store.ModeAI, agent, message)
}

func (e *Engine) switchMode(ctx context.Context, threadID, mode string, agent Agent, message string) (Sent, error) {
	if len([]rune(message)) > MaxMessageLen {
		return Sent{}, invalid("message", fmt.Sprintf("must be 0 to %d characters", MaxMessageLen))
	}
	msg := store.Message{Type: store.AgentMessage, Text: message, AgentID: agent.ID, AgentName: agent.Name}
	if err := store.CheckMessage(&msg); err != nil {
		return Sent{}, err
	}
	th, err := e.Thread(ctx, threadID)
	if err != nil {
		return Sent{}, err
	}
	return e.threadTurn(ctx, th, func(t *store.Turn) error {
		if message != "" {
			t.Append(msg)
		}
		t.Thread.Mode = mode
		return nil
	})
}

// threadTurn runs fn on a thread in a store transaction of its session,
// in the session's queue, and then tells subscribers what changed. It
// leaves the session's state alone but for its expiry, set as a turn
// would when the session is new.
func (e *Engine) threadTurn(ctx context.Context, th store.Thread, fn func(t *store.Turn) error) (Sent, error) {
	if err := e.queues.acquire(ctx, th.SessionID); err != nil {
		return Sent{}, err
	}
	defer e.queues.release(th.SessionID)
	var out Sent
	var before store.Thread
	var last *store.Turn
	timeout := e.bot.Load().timeout
	err := e.st.Update(ctx, th.SessionID, func(t *store.Turn) error {
		if err := t.UseThread(th.ID); err != nil {
			return err
		}
		if t.New {
			t.Session.ExpiresAt = t.Now.Add(timeout)
		}
		before, last = *t.Thread, t
		if err := fn(t); err != nil {
			return err
		}
		e.deliver(t)
		return nil
	})
	if err != nil {
		return Sent{}, fmt.Errorf("engine: thread %q: %w", th.PublicID(), err)
	}
	if len(last.Deliveries) > 0 {
		e.wakeWebhooks()
	}
	// Committed: the messages have their numbers.
	out.Thread = *last.Thread
	out.Messages = slices.Clone(last.Messages)
	if subs := e.subscribers(); len(subs) > 0 {
		now := e.now()
		for _, m := range out.Messages {
			e.emit(subs, Event{Kind: EventMessage, SessionID: th.SessionID, UserID: out.Thread.UserID, ThreadID: th.ID, Time: now, Thread: out.Thread, Message: m})
		}
		if before.Mode != out.Thread.Mode || before.Escalated != out.Thread.Escalated {
			e.emit(subs, Event{Kind: EventThreadChanged, SessionID: th.SessionID, UserID: out.Thread.UserID, ThreadID: th.ID, Time: now, Thread: out.Thread})
		}
	}
	return out, nil
}

// emitThread tells subscribers about a thread.
func (e *Engine) emitThread(th store.Thread, kind EventKind) {
	if subs := e.subscribers(); len(subs) > 0 {
		e.emit(subs, Event{Kind: kind, SessionID: th.SessionID, UserID: th.UserID, ThreadID: th.ID, Time: e.now(), Thread: th})
	}
}

// ThreadUser returns the user a thread is tied to, or nil if none.
func (e *Engine) ThreadUser(ctx context.Context, th store.Thread) (*store.User, error) {
	if th.UserID == "" {
		return nil, nil
	}
	u, err := e.st.User(ctx, th.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil // deleted meanwhile
	}
	if err != nil {
		return nil, fmt.Errorf("engine: the thread's user: %w", err)
	}
	return &u, nil
}
