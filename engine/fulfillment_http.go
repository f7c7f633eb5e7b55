package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// DefaultWebhookTimeout is how long HTTPWebhook waits for an answer.
const DefaultWebhookTimeout = 5 * time.Second

// maxWebhookReply bounds the body of a fulfillment webhook's answer.
const maxWebhookReply = 1 << 20

// WebhookRequest is the JSON body HTTPWebhook posts: the turn so far.
type WebhookRequest struct {
	Webhook           string            `json:"webhook"`
	SessionID         string            `json:"sessionId"`
	UserID            string            `json:"userId,omitempty"`
	Query             string            `json:"query,omitempty"`
	StoryID           string            `json:"storyId"`
	Interaction       Interaction       `json:"interaction"`
	Parameters        map[string]string `json:"parameters"`
	SessionAttributes map[string]string `json:"sessionAttributes"`
	UserAttributes    map[string]string `json:"userAttributes"`
}

// WebhookReply is the JSON a fulfillment webhook answers with, every field
// optional: messages, each a string (a text message) or an object of the
// chat response's fulfillment (type text, image, quickReplies, buttons,
// card or carousel); attributes to set (an empty value removes one); and
// goto, the id or name of an interaction to continue at.
type WebhookReply struct {
	Messages          []json.RawMessage `json:"messages"`
	SessionAttributes map[string]string `json:"sessionAttributes"`
	UserAttributes    map[string]string `json:"userAttributes"`
	Goto              string            `json:"goto"`
}

// HTTPWebhook returns a Webhook that posts each call as a WebhookRequest
// to rawURL (http or https) and reads a WebhookReply, for a bot whose
// fulfillment is a web service rather than Go code. With a token, each
// call carries it in X-WEBHOOK-TOKEN and the signature of the body under
// it in X-Webhook-Signature (see Sign), so the service can check the call
// is the bot's. A call that fails — no answer within timeout (0 means
// DefaultWebhookTimeout), a status other than 2xx, a reply that is not the
// JSON above — returns an error wrapping ErrWebhookFailed: the turn goes
// on with the interaction's fallback. client nil means a client of its own.
func HTTPWebhook(rawURL, token string, timeout time.Duration, client *http.Client) (Webhook, error) {
	p, err := newPoster(rawURL, token, "parley-fulfillment", timeout, client)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, call WebhookCall) (WebhookResult, error) {
		body, err := json.Marshal(WebhookRequest{
			Webhook: call.Name, SessionID: call.SessionID, UserID: call.UserID, Query: call.Query,
			StoryID: call.StoryID, Interaction: call.Interaction, Parameters: nonNil(call.Parameters),
			SessionAttributes: nonNil(call.SessionAttributes), UserAttributes: nonNil(call.UserAttributes),
		})
		if err != nil {
			return WebhookResult{}, err
		}
		b, err := p.post(ctx, body)
		if err != nil {
			return WebhookResult{}, err
		}
		return parseReply(b)
	}, nil
}

// parseReply reads a WebhookReply. An empty body answers nothing.
func parseReply(b []byte) (WebhookResult, error) {
	var res WebhookResult
	if len(bytes.TrimSpace(b)) == 0 {
		return res, nil
	}
	var r WebhookReply
	if err := json.Unmarshal(b, &r); err != nil {
		return res, fmt.Errorf("%w: the answer is not a JSON reply: %v", ErrWebhookFailed, err)
	}
	for i, m := range r.Messages {
		var text string
		if json.Unmarshal(m, &text) == nil {
			res.Fulfillment = append(res.Fulfillment, Fulfillment{Type: TypeText, Message: text})
			continue
		}
		var f Fulfillment
		if err := json.Unmarshal(m, &f); err != nil {
			return WebhookResult{}, fmt.Errorf("%w: messages[%d]: want a string or a message object", ErrWebhookFailed, i)
		}
		switch f.Type {
		case TypeText, TypeImage, TypeQuickReplies, TypeButtons, TypeCard, TypeCarousel:
		default:
			return WebhookResult{}, fmt.Errorf("%w: messages[%d]: unknown type %q", ErrWebhookFailed, i, f.Type)
		}
		res.Fulfillment = append(res.Fulfillment, f)
	}
	res.SessionAttributes, res.UserAttributes, res.Goto = r.SessionAttributes, r.UserAttributes, r.Goto
	return res, nil
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// checkHookURL returns an error unless rawURL is an http or https URL
// with a host.
func checkHookURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("engine: webhook URL %q: want http:// or https:// and a host", rawURL)
	}
	return nil
}

// A poster posts signed JSON to a host's service: what HTTPWebhook,
// HTTPCodeSender and HTTPCalendar share.
type poster struct {
	url, token, agent string
	timeout           time.Duration
	client            *http.Client
}

// newPoster checks rawURL and fills the defaults: DefaultWebhookTimeout
// for a timeout of 0, a client of its own for nil.
func newPoster(rawURL, token, agent string, timeout time.Duration, client *http.Client) (*poster, error) {
	if err := checkHookURL(rawURL); err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = DefaultWebhookTimeout
	}
	if client == nil {
		client = &http.Client{}
	}
	return &poster{url: rawURL, token: token, agent: agent, timeout: timeout, client: client}, nil
}

// post posts body as JSON, with the token and the body's signature when
// the token is not "", and returns the answer's body; an error (no answer
// within the timeout, a status other than 2xx, an answer over
// maxWebhookReply bytes) wraps ErrWebhookFailed.
func (p *poster) post(ctx context.Context, body []byte) ([]byte, error) {
	client, rawURL, token, agent := p.client, p.url, p.token, p.agent
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWebhookFailed, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", agent)
	if token != "" {
		req.Header.Set(HeaderToken, token)
		req.Header.Set(HeaderSignature, Sign(token, body))
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWebhookFailed, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxWebhookReply+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: read the answer: %v", ErrWebhookFailed, err)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, fmt.Errorf("%w: status %d", ErrWebhookFailed, resp.StatusCode)
	case len(b) > maxWebhookReply:
		return nil, fmt.Errorf("%w: an answer over %d bytes", ErrWebhookFailed, maxWebhookReply)
	}
	return b, nil
}
