package engine

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/parleybot/parley/store"
)

// Outgoing webhooks, in SiteGPT's terms: ADD_MESSAGE for every message
// appended to a thread (to the thread's webhookUrl and the bot's Messages
// webhook), CONVERSATION_ESCALATED when a thread goes to agents (the bot's
// Escalation webhook) and NEW_LEAD when a thread's user gives an email
// (the bot's Leads webhook; in a turn, when a SYSTEM_MESSAGE
// PROVIDED_EMAIL says the user gave one). A turn stores its deliveries in the store's
// outbox in its own transaction; RunWebhooks posts them, at least once, in
// order per thread and receiver, retrying with backoff.

// Webhook events.
const (
	WebhookMessage   = "ADD_MESSAGE"
	WebhookEscalated = "CONVERSATION_ESCALATED"
	WebhookLead      = "NEW_LEAD"
)

// Headers of a webhook call. The token goes in X-WEBHOOK-TOKEN, as SiteGPT
// sends it; X-Webhook-Signature is "sha256=" and the hex HMAC-SHA256 of
// the body under the token, so that a receiver can check that the body is
// the sender's; X-Webhook-Id is the event's id, the same at every attempt,
// for the receiver to drop repeats.
const (
	HeaderToken     = "X-WEBHOOK-TOKEN"
	HeaderSignature = "X-Webhook-Signature"
	HeaderEventID   = "X-Webhook-Id"
	HeaderEvent     = "X-Webhook-Event"
)

// An Endpoint is a receiver of webhooks: an http or https URL and the
// token sent with (and signing) every call.
type Endpoint struct {
	URL, Token string
}

// Webhooks are a bot's webhooks (SiteGPT's Messages, Escalation and Leads
// hooks). Each Endpoint with a URL is on.
type Webhooks struct {
	// ChatbotID names the bot in every payload.
	ChatbotID                    string
	Messages, Escalations, Leads Endpoint
}

// WithWebhooks sets the bot's webhooks. By default there are none (a
// thread's own webhookUrl still gets its messages).
func WithWebhooks(w Webhooks) Option {
	return func(c *config) error {
		for name, ep := range map[string]Endpoint{"Messages": w.Messages, "Escalations": w.Escalations, "Leads": w.Leads} {
			if err := store.CheckWebhookURL("engine: WithWebhooks: "+name, ep.URL); err != nil {
				return err
			}
			if len(ep.Token) > store.MaxToken {
				return fmt.Errorf("engine: WithWebhooks: %s token longer than %d", name, store.MaxToken)
			}
		}
		c.hooksOut = w
		return nil
	}
}

// WebhookMessageData is the data of an ADD_MESSAGE: SiteGPT's message, with
// question and answer as strings.
type WebhookMessageData struct {
	ChatbotID         string  `json:"chatbotId"`
	ThreadID          string  `json:"threadId"`
	MessageID         string  `json:"messageId"`
	Seq               int     `json:"seq"`
	MessageType       string  `json:"messageType"`
	SystemMessageType *string `json:"systemMessageType"`
	Question          *string `json:"question"`
	// Goto and Trigger say how a USER_MESSAGE was sent when it was not
	// typed (Parley's): the interaction id of the button pressed, whose
	// title is the question, or the event name of a trigger.
	Goto      string   `json:"goto,omitempty"`
	Trigger   string   `json:"trigger,omitempty"`
	Answer    *string  `json:"answer"`
	AgentID   *string  `json:"agentId"`
	AgentName *string  `json:"agentName"`
	IconURL   *string  `json:"iconUrl"`
	GptModel  *string  `json:"gptModel"`
	Sources   []string `json:"sources"`
	CreatedAt string   `json:"createdAt"`
}

// WebhookThreadData is the data of CONVERSATION_ESCALATED and NEW_LEAD.
// A NEW_LEAD for a company seen for the first time names the company, and
// the thread only if the activity came through one ("" otherwise).
type WebhookThreadData struct {
	ChatbotID string          `json:"chatbotId"`
	ThreadID  string          `json:"threadId"`
	Mode      string          `json:"mode"`
	Escalated bool            `json:"escalated"`
	User      *WebhookUser    `json:"user"`
	Company   *WebhookCompany `json:"company,omitempty"`
}

// WebhookCompany is the company of a NEW_LEAD: its domain and its name,
// "" if unknown.
type WebhookCompany struct {
	Domain string `json:"domain"`
	Name   string `json:"name"`
}

// WebhookUser is the user of a thread in a webhook.
type WebhookUser struct {
	ID          string  `json:"id"`
	Email       *string `json:"email"`
	Name        *string `json:"name"`
	PhoneNumber *string `json:"phoneNumber"`
}

// WebhookBody is the body of every webhook call.
type WebhookBody struct {
	Event     string          `json:"event"`
	EventID   string          `json:"eventId"`
	CreatedAt string          `json:"createdAt"`
	Data      json.RawMessage `json:"data"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func webhookUser(u *store.User) *WebhookUser {
	if u == nil {
		return nil
	}
	return &WebhookUser{ID: u.ID, Email: optional(u.Attributes[store.AttrEmail]), Name: optional(u.Attributes[store.AttrName]), PhoneNumber: optional(u.Attributes[AttrPhone])}
}

// deliveryKey orders the deliveries of one thread to one receiver.
func deliveryKey(threadID, url string) string {
	sum := sha256.Sum256([]byte(url))
	return threadID + ":" + hex.EncodeToString(sum[:8])
}

// deliver adds to the turn the deliveries of its messages. The messages
// are numbered from the thread's count on (see store.Turn.Deliver).
func (e *Engine) deliver(t *store.Turn) {
	th := t.Thread
	w := &e.hooksOut
	if th == nil || len(t.Messages) == 0 || th.WebhookURL == "" && w.Messages.URL == "" && w.Escalations.URL == "" && w.Leads.URL == "" {
		return
	}
	for i := range t.Messages {
		m := &t.Messages[i]
		seq := th.Messages + i + 1
		created := m.CreatedAt
		if created.IsZero() {
			created = t.Now
		}
		d := WebhookMessageData{
			ChatbotID: w.ChatbotID, ThreadID: th.PublicID(), MessageID: th.ID + "-" + strconv.Itoa(seq), Seq: seq,
			MessageType: m.Type, SystemMessageType: optional(m.SystemType),
			AgentID: optional(m.AgentID), AgentName: optional(m.AgentName), IconURL: optional(m.IconURL),
			Sources: []string{}, CreatedAt: created.UTC().Format(TimestampFormat),
		}
		switch m.Type {
		case store.UserMessage:
			d.Question, d.Goto, d.Trigger = optional(m.Text), m.Goto, m.Trigger
		case store.BotMessage:
			d.Answer = &m.Text
			if i > 0 && t.Messages[i-1].Type == store.UserMessage {
				d.Question = &t.Messages[i-1].Text
			}
		case store.AgentMessage:
			d.Answer = &m.Text
		}
		payload, _ := json.Marshal(d)
		for _, ep := range []Endpoint{{th.WebhookURL, th.WebhookToken}, w.Messages} {
			if ep.URL != "" {
				t.Deliver(store.Delivery{Key: deliveryKey(th.ID, ep.URL), Event: WebhookMessage, URL: ep.URL, Token: ep.Token, Payload: payload})
			}
		}
		if m.Type == store.SystemMessage && m.SystemType == store.ProvidedEmail && w.Leads.URL != "" {
			user := webhookUser(t.User)
			if user == nil {
				user = &WebhookUser{Email: optional(m.Text)}
			}
			data, _ := json.Marshal(WebhookThreadData{ChatbotID: w.ChatbotID, ThreadID: th.PublicID(), Mode: th.Mode, Escalated: th.Escalated, User: user})
			t.Deliver(store.Delivery{Key: deliveryKey(th.ID, w.Leads.URL), Event: WebhookLead, URL: w.Leads.URL, Token: w.Leads.Token, Payload: data})
		}
		if m.Type == store.SystemMessage && m.SystemType == store.ConversationEscalated && w.Escalations.URL != "" {
			data, _ := json.Marshal(WebhookThreadData{ChatbotID: w.ChatbotID, ThreadID: th.PublicID(), Mode: th.Mode, Escalated: true, User: webhookUser(t.User)})
			t.Deliver(store.Delivery{Key: deliveryKey(th.ID, w.Escalations.URL), Event: WebhookEscalated, URL: w.Escalations.URL, Token: w.Escalations.Token, Payload: data})
		}
	}
}

// wakeWebhooks tells RunWebhooks that deliveries wait.
func (e *Engine) wakeWebhooks() {
	select {
	case e.outboxWake <- struct{}{}:
	default:
	}
}

// lead enqueues a NEW_LEAD for a thread whose user gave an email.
func (e *Engine) lead(ctx context.Context, th store.Thread, u store.User) error {
	ep := e.hooksOut.Leads
	if ep.URL == "" {
		return nil
	}
	data, _ := json.Marshal(WebhookThreadData{ChatbotID: e.hooksOut.ChatbotID, ThreadID: th.PublicID(), Mode: th.Mode, Escalated: th.Escalated, User: webhookUser(&u)})
	if _, err := e.st.Enqueue(ctx, store.Delivery{Key: deliveryKey(th.ID, ep.URL), Event: WebhookLead, URL: ep.URL, Token: ep.Token, Payload: data}); err != nil {
		return fmt.Errorf("engine: enqueue NEW_LEAD: %w", err)
	}
	e.wakeWebhooks()
	return nil
}

// Delivery settings of RunWebhooks.
const (
	webhookTimeout     = 10 * time.Second // per call
	webhookConcurrency = 32               // calls at once, each of another thread or receiver
	webhookPoll        = time.Second      // how often the outbox is read when nothing wakes it
	webhookMaxBackoff  = 10 * time.Minute
	webhookGiveUp      = 72 * time.Hour // a delivery failing this long is dropped (and logged)
)

// backoff is the wait before attempt n+1: 1 s doubling up to 10 minutes,
// ±20 %.
func backoff(attempts int) time.Duration {
	d := time.Second << min(attempts, 20)
	d = min(d, webhookMaxBackoff)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// RunWebhooks posts the outbox's deliveries until ctx ends: each delivery
// at least once (again after a crash, if its answer was not recorded),
// those of one thread to one receiver one at a time and in order, others
// in parallel (up to 32 at once). A receiver that answers 2xx has the
// delivery; anything else, or no answer within 10 seconds, is retried
// after 1 s, 2 s, 4 s ... up to 10 minutes, and a delivery still failing
// after 72 hours is dropped and logged. Run it once per engine (several
// processes over one store may each run it: receivers then see more
// repeats). It returns ctx's error.
func (e *Engine) RunWebhooks(ctx context.Context, client *http.Client) error {
	if client == nil {
		client = &http.Client{Timeout: webhookTimeout}
	}
	type result struct{ key string }
	inflight := map[string]bool{}
	done := make(chan result, webhookConcurrency)
	poll := time.NewTimer(0)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			for range len(inflight) {
				<-done
			}
			return ctx.Err()
		case r := <-done:
			delete(inflight, r.key)
		case <-e.outboxWake:
		case <-poll.C:
		}
		if len(inflight) >= webhookConcurrency {
			continue
		}
		due, err := e.st.DueDeliveries(ctx, e.now(), 100)
		if err != nil && ctx.Err() == nil {
			e.log.Error("engine: read the webhook outbox", "err", err)
		}
		for _, d := range due {
			if inflight[d.Key] || len(inflight) >= webhookConcurrency {
				continue
			}
			inflight[d.Key] = true
			go func() {
				e.post(ctx, client, d)
				done <- result{d.Key}
			}()
		}
		poll.Reset(webhookPoll)
	}
}

// post makes one attempt of d and records its outcome.
func (e *Engine) post(ctx context.Context, client *http.Client, d store.Delivery) {
	body, _ := json.Marshal(WebhookBody{Event: d.Event, EventID: d.ID, CreatedAt: d.CreatedAt.UTC().Format(TimestampFormat), Data: d.Payload})
	err := e.call(ctx, client, d, body)
	if ctx.Err() != nil {
		return // shutting down: the delivery stays for the next run
	}
	bg := context.WithoutCancel(ctx)
	if err == nil {
		if err := e.st.Delivered(bg, d.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			e.log.Error("engine: record a webhook delivered", "id", d.ID, "err", err)
		}
		return
	}
	now := e.now()
	if now.Sub(d.CreatedAt) > webhookGiveUp {
		e.log.Error("engine: webhook dropped after failing for 72 hours", "id", d.ID, "event", d.Event, "url", d.URL, "err", err)
		e.st.Delivered(bg, d.ID)
		return
	}
	e.log.Warn("engine: webhook failed; retrying", "id", d.ID, "event", d.Event, "url", d.URL, "attempts", d.Attempts+1, "err", err)
	if err := e.st.RetryDelivery(bg, d.ID, now.Add(backoff(d.Attempts)), err.Error()); err != nil && !errors.Is(err, store.ErrNotFound) {
		e.log.Error("engine: record a webhook's failure", "id", d.ID, "err", err)
	}
}

func (e *Engine) call(ctx context.Context, client *http.Client, d store.Delivery, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "parley-webhooks")
	req.Header.Set(HeaderEventID, d.ID)
	req.Header.Set(HeaderEvent, d.Event)
	if d.Token != "" {
		req.Header.Set(HeaderToken, d.Token)
	}
	req.Header.Set(HeaderSignature, Sign(d.Token, body))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

// Sign returns the X-Webhook-Signature of body under token: "sha256=" and
// the hex HMAC-SHA256. A receiver compares it with hmac.Equal.
func Sign(token string, body []byte) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
