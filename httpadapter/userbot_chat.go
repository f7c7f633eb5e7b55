package httpadapter

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// Conversations on Userbot's socket: an operator's view of the bot's
// chats (a chat, "session" in Userbot's words, is a thread of the Threads
// API, known by its public id), taking a chat over and handing it back,
// writing into it, and the chat-notification pushes. One model underneath:
// the engine's threads, modes and agent messages, which SiteGPT's routes
// serve too.
//
//	robin sv OPERATORID get sessions 20 0     → {"sessions":[ChatSession]}, newest first; the
//	                                            offset is a multiple of the limit
//	robin sv OPERATORID get SESSIONID         → {"session":ChatSession,"messages":[ChatMessage]}
//	chat-assign-to-agent {"session":"<id>","message":"Hi, I'm Ada"}  → {"session":ChatSession}
//	chat-assign-to-bot {"session":"<id>"}     → {"session":ChatSession}
//	say WSPATH -100 SESSIONID Hello, how can I help?   → {"session":ChatSession,"message":ChatMessage}
//
// OPERATORID is the id who returns; WSPATH the chatbotId (every session's
// wspath); the words after SESSIONID are the message, as typed. An
// operator's messages are AGENT_MESSAGEs carrying the operator's id and
// name; while a socket has chosen a bot, its operator is present as an
// agent, so the bot's hand-offs succeed. The server pushes, on channel
// chat-notification, each conversation that needs an operator:
//
//	← {"channel":"chat-notification","status":{"code":200,"type":"success"},
//	   "data":{"reason":"escalated","session":ChatSession,"message":ChatMessage}}
//
// with reason "escalated" (a hand-off to agents) or "message" (the user
// wrote into a conversation in AGENT mode).

// ChatSession is a conversation on Userbot's socket.
type ChatSession struct {
	ID           string `json:"id"`     // the thread's public id
	WSPath       string `json:"wspath"` // the bot's chatbotId, for say
	UserID       string `json:"userId,omitempty"`
	Mode         string `json:"mode"` // AI or AGENT
	Escalated    bool   `json:"escalated"`
	FirstMessage string `json:"firstMessage"`
	Messages     int    `json:"messages"`
	Read         int    `json:"read"`
	StartedAt    string `json:"startedAt"`
	UpdatedAt    string `json:"updatedAt"`
}

// ChatMessage is a message of a conversation on Userbot's socket.
type ChatMessage struct {
	Seq        int    `json:"seq"`
	Type       string `json:"type"`
	SystemType string `json:"systemType,omitempty"`
	Text       string `json:"text"`
	AgentID    string `json:"agentId,omitempty"`
	AgentName  string `json:"agentName,omitempty"`
	Reaction   string `json:"reaction,omitempty"`
	// Goto and Trigger say how a user's message was sent when it was not
	// typed: the interaction id of the button pressed (Text is its
	// title), or the event name of a trigger (which Text is too).
	Goto      string `json:"goto,omitempty"`
	Trigger   string `json:"trigger,omitempty"`
	CreatedAt string `json:"createdAt"`
}

func (s *socket) session(th *store.Thread) ChatSession {
	return ChatSession{ID: th.PublicID(), WSPath: s.id, UserID: th.UserID, Mode: th.Mode, Escalated: th.Escalated,
		FirstMessage: th.FirstMessage, Messages: th.Messages, Read: th.Read, StartedAt: stamp(th.StartedAt), UpdatedAt: stamp(th.UpdatedAt)}
}

func chatMessage(m *store.Message) ChatMessage {
	return ChatMessage{Seq: m.Seq, Type: m.Type, SystemType: m.SystemType, Text: m.Text, AgentID: m.AgentID,
		AgentName: m.AgentName, Reaction: m.Reaction, Goto: m.Goto, Trigger: m.Trigger, CreatedAt: stamp(m.CreatedAt)}
}

var errOtherOperator = &apiError{status: http.StatusForbidden, field: "user.id", message: "must be the id of the operator logged in (who)"}

// agent is the operator as an agent of the engine.
func (s *socket) agent() engine.Agent { return engine.Agent{ID: s.op.id, Name: s.op.name} }

// ready checks that the socket may work on chats: logged in, with a bot.
func (s *socket) ready() error {
	switch {
	case s.op == nil:
		return errNotLoggedIn
	case s.bot == nil:
		return errNoBot
	}
	return nil
}

// robin serves "robin sv OPERATORID get sessions LIMIT OFFSET" and "robin
// sv OPERATORID get SESSIONID".
func (s *socket) robin(words []string) {
	channel := strings.Join(words, ".")
	if err := s.ready(); err != nil {
		s.reply(channel, nil, err)
		return
	}
	switch {
	case len(words) < 5 || words[1] != "sv" || words[3] != "get":
		s.reply(channel, nil, badRequest("", "write robin sv OPERATORID get sessions LIMIT OFFSET, or robin sv OPERATORID get SESSIONID"))
	case words[2] != s.op.id:
		s.reply(channel, nil, errOtherOperator)
	case words[4] == "sessions" && len(words) == 7:
		data, err := s.sessions(words[5], words[6])
		s.reply(channel, data, err)
	case len(words) == 5:
		data, err := s.conversation(words[4])
		s.reply(channel, data, err)
	default:
		s.reply(channel, nil, badRequest("", "write robin sv OPERATORID get sessions LIMIT OFFSET, or robin sv OPERATORID get SESSIONID"))
	}
}

func (s *socket) sessions(limitArg, offsetArg string) (any, error) {
	limit, err := strconv.Atoi(limitArg)
	if err != nil || limit < 1 || limit > store.MaxThreadsPage {
		return nil, badRequest("limit", fmt.Sprintf("must be 1 to %d", store.MaxThreadsPage))
	}
	offset, err := strconv.Atoi(offsetArg)
	if err != nil || offset < 0 || offset%limit != 0 {
		return nil, badRequest("offset", "must be 0 or a multiple of limit")
	}
	page, err := s.bot.ListThreads(s.ctx, store.ThreadQuery{Page: offset/limit + 1, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]ChatSession, len(page.Threads))
	for i := range page.Threads {
		out[i] = s.session(&page.Threads[i])
	}
	return map[string]any{"sessions": out}, nil
}

func (s *socket) conversation(id string) (any, error) {
	th, err := s.bot.Thread(s.ctx, id)
	if err != nil {
		return nil, withField("session.id", err)
	}
	msgs, err := s.bot.AllMessages(s.ctx, th)
	if err != nil {
		return nil, err
	}
	out := make([]ChatMessage, len(msgs))
	for i := range msgs {
		out[i] = chatMessage(&msgs[i])
	}
	return map[string]any{"session": s.session(&th), "messages": out}, nil
}

// say serves "say WSPATH -100 SESSIONID MESSAGE...": words holds the first
// four words, text the rest of the frame as typed.
func (s *socket) say(frame string) {
	const channel = "say"
	if err := s.ready(); err != nil {
		s.reply(channel, nil, err)
		return
	}
	f := strings.SplitN(strings.TrimSpace(frame), " ", 5)
	if len(f) < 5 || f[2] != "-100" {
		s.reply(channel, nil, badRequest("", "write say WSPATH -100 SESSIONID MESSAGE"))
		return
	}
	if b := s.u.bot(f[1]); b == nil || b.Engine != s.bot {
		s.reply(channel, nil, badRequest("wspath", "must be the chatbotId of the bot chosen with sitekey"))
		return
	}
	sent, err := s.bot.Send(s.ctx, engine.Message{ThreadID: f[3], From: engine.FromAgent, Agent: s.agent(), Text: f[4]})
	if err != nil {
		s.reply(channel, nil, withField("session.id", err))
		return
	}
	data := map[string]any{"session": s.session(&sent.Thread)}
	if len(sent.Messages) > 0 {
		data["message"] = chatMessage(&sent.Messages[len(sent.Messages)-1])
	}
	s.reply(channel, data, nil)
}

// assign serves chat-assign-to-agent and chat-assign-to-bot.
func (s *socket) assign(channel, payload string) {
	if err := s.ready(); err != nil {
		s.reply(channel, nil, err)
		return
	}
	var p struct {
		Session string `json:"session"`
		Message string `json:"message"`
	}
	call := &opCall{raw: []byte(payload)}
	if err := call.payload(&p, true); err != nil {
		s.reply(channel, nil, err)
		return
	}
	if p.Session == "" {
		s.reply(channel, nil, badRequest("session", "must be the id of a session"))
		return
	}
	switch_ := s.bot.TakeOver
	if channel == "chat-assign-to-bot" {
		switch_ = s.bot.HandBack
	}
	sent, err := switch_(s.ctx, p.Session, s.agent(), p.Message)
	if err != nil {
		s.reply(channel, nil, withField("session", err))
		return
	}
	s.reply(channel, map[string]any{"session": s.session(&sent.Thread)}, nil)
}

// notify pushes the events of feed, a Feed of the chosen bot, as
// chat-notification frames until ctx ends; the operator is present as an
// agent meanwhile.
func (s *socket) notify(ctx context.Context, eng *engine.Engine, feed *engine.Feed) {
	a := s.agent()
	var err error
	defer func() { feed.Close() }()
	for {
		for ev := range feed.C {
			if ev.Kind != engine.EventMessage {
				continue
			}
			reason := ""
			switch {
			case ev.Message.Type == store.SystemMessage && ev.Message.SystemType == store.ConversationEscalated:
				reason = "escalated"
			case ev.Message.Type == store.UserMessage && ev.Thread.Mode == store.ModeAgent && ev.Message.Seq == ev.Thread.Messages:
				// The last message of its change: a user message that
				// came with a hand-off is told by the hand-off.
				reason = "message"
			default:
				continue
			}
			s.reply("chat-notification", map[string]any{"reason": reason, "session": s.session(&ev.Thread), "message": chatMessage(&ev.Message)}, nil)
		}
		if !errors.Is(feed.Err(), engine.ErrSlowReader) || ctx.Err() != nil {
			return
		}
		// Too slow: follow again from now on.
		if feed, err = eng.Follow(ctx, engine.Follow{Agent: &a}); err != nil {
			return
		}
	}
}
