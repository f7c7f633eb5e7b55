package httpadapter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// SiteGPT's v0 API: /v0/chatbots/{chatbotId}/... over the same engines.

// V0Response is the body of every successful answer of SiteGPT's API:
// success true, the endpoint's fixed sentence, and its data (null for
// most changes).
type V0Response struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
	Data    any    `json:"data"`
}

// V0ErrorBody is the body of every error of SiteGPT's API.
type V0ErrorBody struct {
	Success bool    `json:"success"` // false
	Message string  `json:"message"`
	Data    any     `json:"data"` // null
	Error   V0Error `json:"error"`
}

// V0Error says what went wrong: a code such as API_KEY_NOT_VALID,
// REQUEST_VALIDATION_FAILED (with details naming each field),
// CHATBOT_NOT_FOUND or THREAD_NOT_FOUND, and a message for people.
type V0Error struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details []V0FieldError `json:"details"`
}

// V0FieldError is one field at fault in a REQUEST_VALIDATION_FAILED.
type V0FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

var errNoChatbot = &apiError{status: http.StatusNotFound, field: "chatbotId", message: "no chatbot has this id"}

func (h *Handler) siteGPTRoutes() {
	v := func(method, path string, need scope, fn http.HandlerFunc) {
		h.route(method+" /v0/chatbots/{chatbotId}"+path, need, h.perBot(fn))
	}
	h.route("GET /v0/chatbots", scopeAgent, h.listChatbots)
	v("GET", "", scopeClient, h.getChatbot)
	v("POST", "/threads", scopeClient, h.createThread)
	v("GET", "/threads", scopeAgent, h.listThreads)
	v("GET", "/threads/{threadId}", scopeThread, h.getThread)
	v("PATCH", "/threads/{threadId}", scopeAgent, h.updateThread)
	v("DELETE", "/threads/{threadId}", scopeDeveloper, h.deleteThread)
	v("POST", "/threads/{threadId}/escalate", scopeThread, h.escalate)
	v("POST", "/threads/{threadId}/verification-code", scopeThread, h.sendCode)
	v("POST", "/threads/{threadId}/take-over", scopeAgent, h.takeOver)
	v("POST", "/threads/{threadId}/switch-to-ai", scopeAgent, h.switchToAI)
	v("POST", "/threads/{threadId}/read", scopeAgent, h.markRead)
	v("POST", "/message", scopeClient, h.sendMessage)
	v("PATCH", "/messages/{messageId}", scopeThread, h.updateMessage)
	v("GET", "/threads/{threadId}/events", scopeThread, h.threadEvents)
	v("GET", "/threads/{threadId}/user", scopeAgent, h.threadChatUser)
	v("POST", "/threads/{threadId}/page-views", scopeThread, h.threadPageView)
	v("GET", "/events", scopeAgent, h.botEvents)
	h.promptRoutes(v)
	h.personaRoutes(v)
	v("PATCH", "/appearance", scopeDeveloper, h.updateAppearance)
}

// appearanceRequest is the body of PATCH .../appearance: each field given
// replaces the current one.
type appearanceRequest struct {
	Title           *string           `json:"title"`
	WelcomeMessage  *string           `json:"welcomeMessage"`
	PlaceholderText *string           `json:"placeholderText"`
	BrandColor      *string           `json:"brandColor"`
	BrandTextColor  *string           `json:"brandTextColor"`
	RTL             *bool             `json:"rtl"`
	Locale          *string           `json:"locale"`
	Localization    map[string]string `json:"localization"`
}

// PATCH /v0/chatbots/{chatbotId}/appearance: Update Chatbot Appearance,
// the title, texts, colours, direction and words chat pages show (see
// engine.UpdateAppearance: kept until the bot reloads or the server
// restarts).
func (h *Handler) updateAppearance(w http.ResponseWriter, r *http.Request) {
	var req appearanceRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	_, err := h.engine(r).UpdateAppearance(engine.AppearanceUpdate{Title: req.Title, WelcomeMessage: req.WelcomeMessage,
		PlaceholderText: req.PlaceholderText, BrandColor: req.BrandColor, BrandTextColor: req.BrandTextColor,
		RTL: req.RTL, Locale: req.Locale, Localization: req.Localization})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.ok(w, "Updated the chatbot appearance successfully", map[string]any{})
}

// ok writes a successful answer.
func (h *Handler) ok(w http.ResponseWriter, message string, data any) {
	h.reply(w, http.StatusOK, V0Response{Success: true, Message: message, Data: data})
}

// v0Codes maps statuses to SiteGPT's error codes, for the errors that have
// no code of their own.
var v0Codes = map[int]string{
	http.StatusBadRequest:            "REQUEST_VALIDATION_FAILED",
	http.StatusUnauthorized:          "API_KEY_NOT_VALID",
	http.StatusForbidden:             "FORBIDDEN",
	http.StatusNotFound:              "NOT_FOUND",
	http.StatusMethodNotAllowed:      "METHOD_NOT_ALLOWED",
	http.StatusRequestTimeout:        "REQUEST_TIMEOUT",
	http.StatusConflict:              "CONFLICT",
	http.StatusRequestEntityTooLarge: "REQUEST_TOO_LARGE",
	http.StatusTooManyRequests:       "RATE_LIMIT_EXCEEDED",
	http.StatusInternalServerError:   "INTERNAL_SERVER_ERROR",
	http.StatusServiceUnavailable:    "SERVICE_UNAVAILABLE",
	http.StatusBadGateway:            "PROBLEMS_WITH_UPSTREAM_PROVIDER",
}

// v0NotFound names the error code of an id that named nothing.
var v0NotFound = map[string]string{
	"chatbotId": "CHATBOT_NOT_FOUND",
	"threadId":  "THREAD_NOT_FOUND",
	"messageId": "MESSAGE_NOT_FOUND",
	"promptId":  "PROMPT_NOT_FOUND",
	"personaId": "PERSONA_NOT_FOUND",
	"path":      "ROUTE_NOT_FOUND",
	"":          "ROUTE_NOT_FOUND",
}

// failV0 writes the SiteGPT error body for an error already translated to
// a status, a message and a field.
func (h *Handler) failV0(w http.ResponseWriter, status int, message, field string) {
	body := V0ErrorBody{Message: message, Error: V0Error{Code: v0Codes[status], Message: message}}
	switch status {
	case http.StatusUnauthorized:
		body.Message = "Failed to authenticate"
		body.Error.Message = "Authorization header does not contain valid API key"
	case http.StatusBadRequest:
		body.Message = "Request validation failed"
		if field != "" {
			body.Error.Details = []V0FieldError{{Field: field, Message: message}}
		}
	case http.StatusNotFound:
		if code, ok := v0NotFound[field]; ok {
			body.Error.Code = code
		}
	case http.StatusConflict:
		if field == "threadId" {
			body.Error.Code, body.Error.Message, body.Message = "THREAD_ID_TAKEN", "a thread with this threadId exists", "a thread with this threadId exists"
		}
	}
	h.reply(w, status, body)
}

// threadRef resolves the thread of the path (or of id), checking that the
// request's token may reach it.
func (h *Handler) threadRef(r *http.Request, id string) (store.Thread, error) {
	if err := mayReachBot(r); err != nil {
		return store.Thread{}, err
	}
	th, err := h.engine(r).Thread(r.Context(), id)
	if err != nil {
		return store.Thread{}, withField("threadId", err)
	}
	if err := mayReach(r, th); err != nil {
		return store.Thread{}, err
	}
	return th, nil
}

var errOtherThread = &apiError{status: http.StatusForbidden, field: "threadId", message: "this token may not reach this thread"}

// mayReach checks that a thread token reaches only its thread, of its
// bot, and the client token none (it only starts threads).
func mayReach(r *http.Request, th store.Thread) error {
	switch scopeOf(r.Context()) {
	case scopeClient:
		return errOtherThread
	case scopeThread:
	default:
		return nil
	}
	p := principalOf(r.Context())
	if p.threadID != th.ID || p.chatbotID != botOf(r).id {
		return errOtherThread
	}
	return nil
}

// mayReachBot checks that a thread token is used with its own bot.
func mayReachBot(r *http.Request) error {
	if scopeOf(r.Context()) == scopeThread && principalOf(r.Context()).chatbotID != botOf(r).id {
		return errOtherThread
	}
	return nil
}

func botOf(r *http.Request) *served {
	b, _ := r.Context().Value(botKey{}).(*served)
	return b
}

// Chatbot is SiteGPT's chatbot object, with what Parley knows of a bot.
type Chatbot struct {
	ID              string          `json:"id"`
	Title           string          `json:"title"`
	Description     string          `json:"description"`
	Suggestions     []V0Prompt      `json:"suggestions"`
	NextSuggestions []V0Prompt      `json:"nextSuggestions"`
	Settings        ChatbotSettings `json:"settings"`
}

// ChatbotSettings are the settings of a Chatbot Parley has.
type ChatbotSettings struct {
	Mode string `json:"mode"` // the mode new threads start in
	// AgentsPresent is the number of agents connected now (Parley's).
	AgentsPresent int `json:"agentsPresent"`
	// EmailVerification reports that a user who gives an email address is
	// sent a one-time code to enter in the thread (Parley's; see
	// engine.WithCodeSender).
	EmailVerification bool `json:"emailVerification"`
	// The appearance of a chat page, from the bot file's settings
	// (story.Appearance), each null or absent when the file gives none.
	WelcomeMessage  *string           `json:"welcomeMessage"`
	PlaceholderText *string           `json:"placeholderText"`
	BrandColor      *string           `json:"brandColor"`
	BrandTextColor  *string           `json:"brandTextColor"`
	RTL             bool              `json:"rtl"`
	Locale          *string           `json:"locale"`
	Localization    map[string]string `json:"localization,omitempty"`
}

// chatbotOf describes a bot: its title and description are the host's
// (Bot.Title, Bot.Description), else the bot file's, else its name, and
// its appearance the bot file's, an edit of PATCH .../appearance
// replacing either; its
// suggestions are its quick prompts and its nextSuggestions its follow-up
// prompts.
func chatbotOf(b *served) Chatbot {
	set := b.Engine.Bot().Settings
	looks := b.Engine.Appearance()
	a := looks.Appearance
	title, desc := firstOf(b.Title, set.Title, b.Name), firstOf(b.Description, set.Description)
	if looks.Title != set.Title && looks.Title != "" {
		title = looks.Title // an operator's edit (PATCH .../appearance)
	}
	return Chatbot{
		ID: b.id, Title: title, Description: desc,
		Suggestions:     v0Prompts(engine.QuickPrompts, b.Engine.Prompts(engine.QuickPrompts)),
		NextSuggestions: v0Prompts(engine.FollowUpPrompts, b.Engine.Prompts(engine.FollowUpPrompts)),
		Settings: ChatbotSettings{
			Mode: store.ModeAI, AgentsPresent: len(b.Engine.AgentsPresent()), EmailVerification: b.Engine.VerifiesEmail(),
			WelcomeMessage: strPtr(a.WelcomeMessage), PlaceholderText: strPtr(a.PlaceholderText),
			BrandColor: strPtr(a.BrandColor), BrandTextColor: strPtr(a.BrandTextColor),
			RTL: a.RTL, Locale: strPtr(a.Locale), Localization: a.Localization,
		},
	}
}

// GET /v0/chatbots
func (h *Handler) listChatbots(w http.ResponseWriter, r *http.Request) {
	out := make([]Chatbot, len(h.bots))
	for i, b := range h.bots {
		out[i] = chatbotOf(b)
	}
	h.ok(w, "Fetched all the chatbots successfully", map[string]any{"chatbots": out})
}

// GET /v0/chatbots/{chatbotId}: with the client token too, since a chat
// page shows the bot's title, appearance and quick prompts.
func (h *Handler) getChatbot(w http.ResponseWriter, r *http.Request) {
	if err := mayReachBot(r); err != nil {
		h.fail(w, r, err)
		return
	}
	h.ok(w, "Fetched the chatbot successfully", map[string]any{"chatbot": chatbotOf(botOf(r))})
}

// V0Text is the question or the answer of a message. A question the user
// did not type says how it was sent (Parley's): Goto is the interaction id
// of the button pressed, whose title is Text; Trigger the event name of a
// trigger, which is Text too.
type V0Text struct {
	Text      string `json:"text"`
	Timestamp string `json:"timestamp"`
	Goto      string `json:"goto,omitempty"`
	Trigger   string `json:"trigger,omitempty"`
}

// V0MessageFields are the fields of SiteGPT's message shared by a thread's
// messages and Send Message's answer. A user's question and the bot's
// answer to it are one message (NORMAL_MESSAGE) whose id is the answer's.
type V0MessageFields struct {
	Question          *V0Text          `json:"question"`
	Answer            *V0Text          `json:"answer"`
	Reaction          *string          `json:"reaction"`
	Sources           []string         `json:"sources"`
	MessageType       string           `json:"messageType"`
	SystemMessageType *string          `json:"systemMessageType"`
	IconURL           *string          `json:"iconUrl"`
	AgentName         *string          `json:"agentName"`
	Prompts           []V0AnswerPrompt `json:"prompts"`
	GptModel          *string          `json:"gptModel"`
	Escalated         bool             `json:"escalated"`
	// Seq is the number of the message's last part in its thread
	// (Parley's), the position a live stream resumes from.
	Seq int `json:"seq"`
	// Fulfillment is the bot's answer as the chat API's fulfillment
	// (Parley's): its texts, images, quick replies, buttons, cards and
	// carousels with their delays, for a page to show them as they are;
	// absent when the answer is text only, which answer.text holds.
	Fulfillment json.RawMessage `json:"fulfillment,omitempty"`
}

// V0AnswerPrompt is a follow-up prompt as it comes with the bot's answer:
// a button titled Title that sends Description.
type V0AnswerPrompt struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// answerPrompts returns the follow-up prompts the bot's answers carry: the
// bot's current ones (an answer stored before an edit shows the prompts of
// now, since messages do not keep them).
func answerPrompts(e *engine.Engine) []V0AnswerPrompt {
	ps := e.Prompts(engine.FollowUpPrompts)
	out := make([]V0AnswerPrompt, len(ps))
	for i, p := range ps {
		out[i] = V0AnswerPrompt{ID: p.ID, Title: p.Title, Description: p.Description}
	}
	return out
}

// V0ThreadMessage is a message in a thread.
type V0ThreadMessage struct {
	MessageID string `json:"messageId"`
	V0MessageFields
}

// V0SentMessage is Send Message's answer.
type V0SentMessage struct {
	ID string `json:"id"`
	V0MessageFields
	ThreadID     string   `json:"threadId"`
	SmartPrompts []string `json:"smartPrompts"`
	ChatbotID    string   `json:"chatbotId"`
}

// messageID is the id SiteGPT's API knows a message by.
func messageID(threadID string, seq int) string { return threadID + "-" + strconv.Itoa(seq) }

// parseMessageID reads a messageId back.
func parseMessageID(id string) (thread string, seq int, ok bool) {
	thread, n, found := strings.Cut(id, "-")
	seq, err := strconv.Atoi(n)
	return thread, seq, found && store.ValidID(thread) && err == nil && seq > 0
}

func textOf(m *store.Message) *V0Text {
	return &V0Text{Text: m.Text, Timestamp: formatTime(m.CreatedAt), Goto: m.Goto, Trigger: m.Trigger}
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// v0Messages pairs a thread's messages the way SiteGPT shows them: a
// user's message followed by the bot's answer is one NORMAL_MESSAGE. The
// bot's answers carry prompts, its follow-up prompts.
func v0Messages(msgs []store.Message, prompts []V0AnswerPrompt) []V0ThreadMessage {
	out := make([]V0ThreadMessage, 0, len(msgs))
	for i := 0; i < len(msgs); i++ {
		m := &msgs[i]
		f := V0MessageFields{
			MessageType: m.Type, Reaction: strPtr(m.Reaction), Sources: []string{}, Prompts: []V0AnswerPrompt{},
			IconURL: strPtr(m.IconURL), AgentName: strPtr(m.AgentName), Seq: m.Seq,
		}
		switch m.Type {
		case store.UserMessage:
			f.Question = textOf(m)
			if i+1 < len(msgs) && msgs[i+1].Type == store.BotMessage {
				i++
				m = &msgs[i]
				f.MessageType, f.Answer, f.Reaction, f.Seq = store.BotMessage, textOf(m), strPtr(m.Reaction), m.Seq
				f.Fulfillment = m.Fulfillment
			}
		case store.SystemMessage:
			f.SystemMessageType = strPtr(m.SystemType)
			f.Escalated = m.SystemType == store.ConversationEscalated
		default:
			f.Answer, f.Fulfillment = textOf(m), m.Fulfillment
		}
		if f.MessageType == store.BotMessage && prompts != nil {
			f.Prompts = prompts
		}
		out = append(out, V0ThreadMessage{MessageID: messageID(m.ThreadID, m.Seq), V0MessageFields: f})
	}
	return out
}

// V0ChatUser is the user of a thread.
type V0ChatUser struct {
	ID          string  `json:"id"`
	Email       *string `json:"email"`
	Name        *string `json:"name"`
	PhoneNumber *string `json:"phoneNumber"`
	Verified    bool    `json:"verified"`
	CreatedAt   string  `json:"createdAt"`
	UpdatedAt   string  `json:"updatedAt"`
}

func chatUserOf(u *store.User) *V0ChatUser {
	if u == nil {
		return nil
	}
	return &V0ChatUser{
		ID: u.ID, Email: strPtr(u.Attributes[store.AttrEmail]), Name: strPtr(u.Attributes[store.AttrName]),
		PhoneNumber: strPtr(u.Attributes[engine.AttrPhone]), Verified: u.Verified(),
		CreatedAt: formatTime(u.CreatedAt), UpdatedAt: formatTime(u.LastSeen),
	}
}

// V0Thread is a thread with its messages.
type V0Thread struct {
	ThreadID          string            `json:"threadId"`
	Mode              string            `json:"mode"`
	Messages          []V0ThreadMessage `json:"messages"`
	StartedAt         string            `json:"startedAt"`
	UpdatedAt         string            `json:"updatedAt"`
	EndedAt           *string           `json:"endedAt"`
	ChatUserID        *string           `json:"chatUserId"`
	ChatbotID         string            `json:"chatbotId"`
	ChatUser          *V0ChatUser       `json:"chatUser"`
	Escalated         bool              `json:"escalated"`
	WebhookURL        *string           `json:"webhookUrl"`
	TotalMessagesRead int               `json:"totalMessagesRead"`
	TotalMessages     int               `json:"totalMessages"`
	// PersonaID is the thread's persona (Parley's), null for none.
	PersonaID *string `json:"personaId"`
}

func timePtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := formatTime(t)
	return &s
}

// v0Thread renders th with its messages.
func (h *Handler) v0Thread(r *http.Request, th store.Thread, withMessages bool) (V0Thread, error) {
	eng := h.engine(r)
	u, err := eng.ThreadUser(r.Context(), th)
	if err != nil {
		return V0Thread{}, err
	}
	out := V0Thread{
		ThreadID: th.PublicID(), Mode: th.Mode, Messages: []V0ThreadMessage{},
		StartedAt: formatTime(th.StartedAt), UpdatedAt: formatTime(th.UpdatedAt), EndedAt: timePtr(th.EndedAt),
		ChatUserID: strPtr(th.UserID), ChatbotID: botOf(r).id, ChatUser: chatUserOf(u),
		Escalated: th.Escalated, WebhookURL: strPtr(th.WebhookURL),
		TotalMessagesRead: th.Read, TotalMessages: th.Messages, PersonaID: strPtr(th.Persona),
	}
	if withMessages && th.Messages > 0 {
		msgs, err := eng.AllMessages(r.Context(), th)
		if err != nil {
			return V0Thread{}, err
		}
		out.Messages = v0Messages(msgs, answerPrompts(eng))
	}
	return out, nil
}

type createThreadRequest struct {
	ThreadID      *string `json:"threadId"`
	Mode          *string `json:"mode"`
	ChatUserEmail *string `json:"chatUserEmail"`
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// POST /v0/chatbots/{chatbotId}/threads: Create Thread. The answer adds
// threadToken, the bearer token an end user's page uses for this thread.
func (h *Handler) createThread(w http.ResponseWriter, r *http.Request) {
	var req createThreadRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.ThreadID != nil && *req.ThreadID == "" {
		h.fail(w, r, badRequest("threadId", "must be 1 to 128 characters, or absent"))
		return
	}
	th, err := h.engine(r).CreateThread(r.Context(), engine.NewThread{
		ThreadID: deref(req.ThreadID), Mode: deref(req.Mode), UserEmail: deref(req.ChatUserEmail),
	})
	if err != nil {
		h.fail(w, r, withField("threadId", err))
		return
	}
	out, err := h.v0Thread(r, th, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.ok(w, "Created the chatbot thread successfully", map[string]any{
		"thread": out, "threadToken": h.threadTokens.make(botOf(r).id, th.ID),
	})
}

// GET /v0/chatbots/{chatbotId}/threads/{threadId}: Fetch Thread.
func (h *Handler) getThread(w http.ResponseWriter, r *http.Request) {
	th, err := h.threadRef(r, r.PathValue("threadId"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out, err := h.v0Thread(r, th, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.ok(w, "Fetched the thread successfully", map[string]any{"thread": out})
}

// V0ThreadUser is the data of GET .../threads/{threadId}/user (Parley's):
// what an agent sees of the thread's user, in the shape of Userbot's
// operations, with the names of the user's segments; User is null when
// the thread has no user. Visits are the pages the user (or, without one,
// the thread's session) viewed, newest first, as far as kept.
type V0ThreadUser struct {
	User     *ChatUser           `json:"user"`
	Segments []engine.SegmentRef `json:"segments"`
	Visits   []Visit             `json:"visits"`
}

// GET /v0/chatbots/{chatbotId}/threads/{threadId}/user: the thread's user
// for the agent console (agent and developer tokens).
func (h *Handler) threadChatUser(w http.ResponseWriter, r *http.Request) {
	th, err := h.threadRef(r, r.PathValue("threadId"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	eng := h.engine(r)
	u, err := eng.ThreadUser(r.Context(), th)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := V0ThreadUser{Segments: []engine.SegmentRef{}, Visits: []Visit{}}
	visitor := th.SessionID
	if u != nil {
		c := chatUser(u)
		out.User = &c
		d, err := eng.User(r.Context(), u.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		out.Segments = d.Segments
		visitor = u.ID
	}
	visits, err := eng.Visits(r.Context(), visitor)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.fail(w, r, err)
		return
	}
	for i := range visits {
		out.Visits = append(out.Visits, visit(&visits[i]))
	}
	if out.User != nil {
		out.User.Visits = len(out.Visits)
		if len(out.Visits) > 0 {
			out.User.LastVisit = &out.Visits[0]
		}
	}
	h.ok(w, "Fetched the thread's user successfully", out)
}

// V0ThreadSummary is a thread in Fetch All Threads.
type V0ThreadSummary struct {
	ThreadID               string           `json:"threadId"`
	Mode                   string           `json:"mode"`
	StartedAt              string           `json:"startedAt"`
	UpdatedAt              string           `json:"updatedAt"`
	EndedAt                *string          `json:"endedAt"`
	ChatUser               *V0ChatUser      `json:"chatUser"`
	Escalated              bool             `json:"escalated"`
	Important              bool             `json:"important"`
	Resolved               bool             `json:"resolved"`
	TotalMessagesRead      int              `json:"totalMessagesRead"`
	LastMessage            *V0ThreadMessage `json:"lastMessage"`
	TotalMessages          int              `json:"totalMessages"`
	TotalPositiveMessages  int              `json:"totalPositiveMessages"`
	TotalNegativeMessages  int              `json:"totalNegativeMessages"`
	TotalGpt4MessagesCount int              `json:"totalGpt4MessagesCount"`
}

// listThreadsQuery are the query parameters of Fetch All Threads.
var listThreadsQuery = []string{"page", "limit", "mode", "escalated", "read", "chatUserId", "from", "to"}

// GET /v0/chatbots/{chatbotId}/threads: Fetch All Threads, newest first,
// with page and limit (default 20, at most 100) and the filters mode,
// escalated, read, chatUserId, from and to (RFC 3339, on startedAt).
func (h *Handler) listThreads(w http.ResponseWriter, r *http.Request) {
	q, err := threadQuery(r.URL.Query())
	if err == nil {
		q, err = q.Normalize()
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	eng := h.engine(r)
	page, err := eng.ListThreads(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]V0ThreadSummary, 0, len(page.Threads))
	prompts := answerPrompts(eng)
	for _, th := range page.Threads {
		u, err := eng.ThreadUser(r.Context(), th)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		s := V0ThreadSummary{
			ThreadID: th.PublicID(), Mode: th.Mode, StartedAt: formatTime(th.StartedAt), UpdatedAt: formatTime(th.UpdatedAt),
			EndedAt: timePtr(th.EndedAt), ChatUser: chatUserOf(u), Escalated: th.Escalated,
			TotalMessagesRead: th.Read, TotalMessages: th.Messages,
		}
		if th.Messages > 0 {
			msgs, err := eng.AllMessages(r.Context(), th)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			for _, m := range msgs {
				switch m.Reaction {
				case store.Positive:
					s.TotalPositiveMessages++
				case store.Negative:
					s.TotalNegativeMessages++
				}
			}
			if v := v0Messages(msgs, prompts); len(v) > 0 {
				s.LastMessage = &v[len(v)-1]
			}
		}
		out = append(out, s)
	}
	h.ok(w, "Fetched the chatbot threads successfully", map[string]any{
		"threads": out, "page": q.Page, "limit": q.Limit, "hasMore": page.HasMore,
	})
}

func threadQuery(v url.Values) (store.ThreadQuery, error) {
	var q store.ThreadQuery
	for k, vs := range v {
		known := false
		for _, name := range listThreadsQuery {
			known = known || k == name
		}
		if !known {
			return q, badRequest(k, "unknown query parameter; want "+strings.Join(listThreadsQuery, ", "))
		}
		if len(vs) > 1 {
			return q, badRequest(k, "must be given once")
		}
	}
	num := func(name string, p *int) error {
		if s := v.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return badRequest(name, "must be an integer")
			}
			*p = n
			if n == 0 {
				return badRequest(name, "must be at least 1")
			}
		}
		return nil
	}
	boolean := func(name string) (*bool, error) {
		switch v.Get(name) {
		case "":
			return nil, nil
		case "true":
			b := true
			return &b, nil
		case "false":
			return new(bool), nil
		}
		return nil, badRequest(name, "must be true or false")
	}
	when := func(name string, t *time.Time) error {
		if s := v.Get(name); s != "" {
			var err error
			if *t, err = time.Parse(time.RFC3339Nano, s); err != nil {
				return badRequest(name, "must be an RFC 3339 time such as 2026-01-02T15:04:05Z")
			}
		}
		return nil
	}
	var err error
	if err = num("page", &q.Page); err != nil {
		return q, err
	}
	if err = num("limit", &q.Limit); err != nil {
		return q, err
	}
	if q.Escalated, err = boolean("escalated"); err != nil {
		return q, err
	}
	if q.Read, err = boolean("read"); err != nil {
		return q, err
	}
	if err = when("from", &q.From); err != nil {
		return q, err
	}
	if err = when("to", &q.To); err != nil {
		return q, err
	}
	q.Mode, q.UserID = v.Get("mode"), v.Get("chatUserId")
	if q.UserID != "" && !store.ValidID(q.UserID) {
		return q, badRequest("chatUserId", "must be 24 hex digits")
	}
	return q, nil
}

type chatUserRequest struct {
	Email       *string `json:"email"`
	Name        *string `json:"name"`
	PhoneNumber *string `json:"phoneNumber"`
	Phone       *string `json:"phone"`
}

type updateThreadRequest struct {
	Mode              *string          `json:"mode"`
	WebhookURL        *string          `json:"webhookUrl"`
	WebhookToken      *string          `json:"webhookToken"`
	ChatUser          *chatUserRequest `json:"chatUser"`
	TotalMessagesRead *int             `json:"totalMessagesRead"`
}

// PATCH /v0/chatbots/{chatbotId}/threads/{threadId}: Update Thread, and
// (Parley's) totalMessagesRead.
func (h *Handler) updateThread(w http.ResponseWriter, r *http.Request) {
	var req updateThreadRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	th, err := h.threadRef(r, r.PathValue("threadId"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u := engine.ThreadUpdate{Mode: req.Mode, WebhookURL: req.WebhookURL, WebhookToken: req.WebhookToken}
	if c := req.ChatUser; c != nil {
		if c.Email == nil {
			h.fail(w, r, badRequest("chatUser.email", "is required"))
			return
		}
		phone := c.PhoneNumber
		if phone == nil {
			phone = c.Phone
		}
		u.ChatUser = &engine.ChatUser{Email: *c.Email, Name: deref(c.Name), Phone: deref(phone)}
	}
	eng := h.engine(r)
	if _, err := eng.UpdateThread(r.Context(), th.ID, u); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.TotalMessagesRead != nil {
		if _, err := eng.MarkRead(r.Context(), th.ID, *req.TotalMessagesRead); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.ok(w, "Updated the chatbot thread successfully", nil)
}

// DELETE /v0/chatbots/{chatbotId}/threads/{threadId}
func (h *Handler) deleteThread(w http.ResponseWriter, r *http.Request) {
	h.onThread(w, r, "Deleted the chatbot thread successfully", func(eng *engine.Engine, th store.Thread) error {
		return eng.DeleteThread(r.Context(), th.ID)
	})
}

// onThread runs fn on the thread of the path, once the token is known to
// reach it, and answers sentence, or fn's error.
func (h *Handler) onThread(w http.ResponseWriter, r *http.Request, sentence string, fn func(*engine.Engine, store.Thread) error) {
	th, err := h.threadRef(r, r.PathValue("threadId"))
	if err == nil {
		err = fn(h.engine(r), th)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.ok(w, sentence, nil)
}

type escalateRequest struct {
	EscalationPrompt *string `json:"escalationPrompt"`
}

// POST /v0/chatbots/{chatbotId}/threads/{threadId}/escalate: Escalate
// Conversation. The body may be empty.
func (h *Handler) escalate(w http.ResponseWriter, r *http.Request) {
	var req escalateRequest
	if err := h.decodeOptional(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	h.onThread(w, r, "Escalated the conversation successfully", func(eng *engine.Engine, th store.Thread) error {
		_, err := eng.Escalate(r.Context(), th.ID, deref(req.EscalationPrompt))
		return err
	})
}

// POST /v0/chatbots/{chatbotId}/threads/{threadId}/verification-code:
// send a new one-time code to the email of the thread's user, who enters
// it in the thread (Parley's; SiteGPT's widget verifies emails by code
// too).
func (h *Handler) sendCode(w http.ResponseWriter, r *http.Request) {
	h.onThread(w, r, "Sent the verification code successfully", func(eng *engine.Engine, th store.Thread) error {
		return eng.SendCode(r.Context(), th.ID)
	})
}

type modeRequest struct {
	Message   *string `json:"message"`
	AgentName *string `json:"agentName"`
}

// agentOf returns who writes as an agent: an agent token's agent, or the
// agentName the developer gives.
func agentOf(r *http.Request, name *string) engine.Agent {
	if scopeOf(r.Context()) == scopeAgent {
		return principalOf(r.Context()).agent
	}
	return engine.Agent{Name: deref(name)}
}

// POST .../threads/{threadId}/take-over: an agent takes the thread (AGENT
// mode), optionally saying message.
func (h *Handler) takeOver(w http.ResponseWriter, r *http.Request) {
	h.switchMode(w, r, "Took over the conversation successfully", (*engine.Engine).TakeOver)
}

// POST .../threads/{threadId}/switch-to-ai: the thread returns to the bot.
func (h *Handler) switchToAI(w http.ResponseWriter, r *http.Request) {
	h.switchMode(w, r, "Switched the conversation to AI successfully", (*engine.Engine).HandBack)
}

func (h *Handler) switchMode(w http.ResponseWriter, r *http.Request, sentence string,
	fn func(*engine.Engine, context.Context, string, engine.Agent, string) (engine.Sent, error)) {
	var req modeRequest
	if err := h.decodeOptional(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	h.onThread(w, r, sentence, func(eng *engine.Engine, th store.Thread) error {
		_, err := fn(eng, r.Context(), th.ID, agentOf(r, req.AgentName), deref(req.Message))
		return err
	})
}

// POST .../threads/{threadId}/read: every message of the thread is read.
func (h *Handler) markRead(w http.ResponseWriter, r *http.Request) {
	h.onThread(w, r, "Marked the thread as read successfully", func(eng *engine.Engine, th store.Thread) error {
		_, err := eng.MarkRead(r.Context(), th.ID, -1)
		return err
	})
}

type sendMessageRequest struct {
	Message   *string `json:"message"`
	ThreadID  *string `json:"threadId"`
	From      *string `json:"from"`
	AgentName *string `json:"agentName"`
	IconURL   *string `json:"iconUrl"`
	Goto      *string `json:"goto"`
}

var errAgentsOnly = &apiError{status: http.StatusForbidden, field: "from", message: "only agent and developer tokens may send as AGENT"}

// POST /v0/chatbots/{chatbotId}/message: Send Message. Without threadId a
// new thread starts, and the answer adds its threadToken.
func (h *Handler) sendMessage(w http.ResponseWriter, r *http.Request) {
	var req sendMessageRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.Message == nil {
		h.fail(w, r, badRequest("message", "is required"))
		return
	}
	if err := mayReachBot(r); err != nil {
		h.fail(w, r, err)
		return
	}
	m := engine.Message{Text: *req.Message, From: deref(req.From), IconURL: deref(req.IconURL), Goto: deref(req.Goto)}
	sc := scopeOf(r.Context())
	if m.From == engine.FromAgent {
		if sc < scopeAgent {
			h.fail(w, r, errAgentsOnly)
			return
		}
		m.Agent = agentOf(r, req.AgentName)
	}
	if req.ThreadID != nil && *req.ThreadID != "" {
		th, err := h.threadRef(r, *req.ThreadID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		m.ThreadID = th.ID
	} else if sc == scopeThread {
		// A thread token speaks in its own thread.
		m.ThreadID = principalOf(r.Context()).threadID
	}
	sent, err := h.engine(r).Send(r.Context(), m)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := v0Messages(sent.Messages, answerPrompts(h.engine(r)))
	// The message of the call: the user's question with the bot's answer,
	// or the agent's message; a system message after it is left to the
	// thread.
	var first V0ThreadMessage
	if len(v) > 0 {
		first = v[0]
	}
	out := V0SentMessage{
		ID: first.MessageID, V0MessageFields: first.V0MessageFields,
		ThreadID: sent.Thread.PublicID(), SmartPrompts: []string{}, ChatbotID: botOf(r).id,
	}
	data := map[string]any{"message": out}
	if m.ThreadID == "" {
		data["threadToken"] = h.threadTokens.make(botOf(r).id, sent.Thread.ID)
	}
	h.ok(w, "Sent the message successfully", data)
}

type updateMessageRequest struct {
	ThreadID *string `json:"threadId"`
	Reaction *string `json:"reaction"`
}

// PATCH /v0/chatbots/{chatbotId}/messages/{messageId}: Update Message (a
// reaction).
func (h *Handler) updateMessage(w http.ResponseWriter, r *http.Request) {
	var req updateMessageRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	thread, seq, ok := parseMessageID(r.PathValue("messageId"))
	if !ok {
		h.fail(w, r, withField("messageId", fmt.Errorf("messageId %q: %w", r.PathValue("messageId"), store.ErrNotFound)))
		return
	}
	if req.Reaction == nil {
		h.fail(w, r, badRequest("reaction", "is required"))
		return
	}
	if err := store.CheckReaction(*req.Reaction, false); err != nil {
		h.fail(w, r, err)
		return
	}
	th, err := h.threadRef(r, thread)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if req.ThreadID != nil && *req.ThreadID != th.ID && *req.ThreadID != th.Alias {
		h.fail(w, r, badRequest("threadId", "must be the thread of the message"))
		return
	}
	if err := h.engine(r).React(r.Context(), th.ID, seq, *req.Reaction); err != nil {
		h.fail(w, r, withField("messageId", err))
		return
	}
	h.ok(w, "Updated the message successfully", nil)
}

// decodeOptional decodes a body that may be absent or empty.
func (h *Handler) decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return h.decode(w, r, v)
}
