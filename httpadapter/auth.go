package httpadapter

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/parleybot/parley/engine"
)

// agentToken is an agent token as a Handler keeps it.
type agentToken struct {
	digest [sha256.Size]byte
	agent  engine.Agent
}

// threadTokens makes and checks thread tokens: "pt." followed by the
// chatbotId and the thread's store id, and an HMAC-SHA256 of both under
// the Handler's key, so that checking one needs no store.
type threadTokens struct{ key []byte }

// newThreadTokens derives the key from the Handler's tokens, so that thread
// tokens outlive a restart with the same tokens and die with a change of
// them; without tokens, the key is random.
func newThreadTokens(c *config) threadTokens {
	if c.client == nil && c.developer == nil {
		k := make([]byte, 32)
		rand.Read(k)
		return threadTokens{k}
	}
	m := hmac.New(sha256.New, []byte("parley thread tokens"))
	m.Write(c.developer)
	m.Write([]byte{0})
	m.Write(c.client)
	return threadTokens{m.Sum(nil)}
}

const threadTokenPrefix = "pt."

func (t threadTokens) sign(payload string) string {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// make returns the token of thread threadID (a store id) of the bot with
// chatbotID.
func (t threadTokens) make(chatbotID, threadID string) string {
	payload := chatbotID + "." + threadID
	return threadTokenPrefix + payload + "." + t.sign(payload)
}

// parse checks a thread token and returns what it grants.
func (t threadTokens) parse(token string) (chatbotID, threadID string, ok bool) {
	rest, found := strings.CutPrefix(token, threadTokenPrefix)
	i := strings.LastIndexByte(rest, '.')
	if !found || len(rest) > 128 || i < 0 {
		return "", "", false
	}
	payload, sig := rest[:i], rest[i+1:]
	if !hmac.Equal([]byte(sig), []byte(t.sign(payload))) {
		return "", "", false
	}
	chatbotID, threadID, found = strings.Cut(payload, ".")
	return chatbotID, threadID, found
}

// A scope is what a token may do; a wider scope may do everything a
// narrower one may.
type scope uint8

const (
	scopeNone      scope = iota // no valid token
	scopeClient                 // POST /query, and starting threads
	scopeThread                 // a client's, and one thread of one bot
	scopeAgent                  // every thread of every bot, as one agent
	scopeDeveloper              // every route
)

func (s scope) String() string {
	switch s {
	case scopeClient:
		return "client"
	case scopeThread:
		return "thread"
	case scopeAgent:
		return "agent"
	case scopeDeveloper:
		return "developer"
	}
	return "none"
}

// A principal is who a request's token speaks for, beyond its scope: the
// agent of an agent token, the thread of a thread token.
type principal struct {
	agent     engine.Agent
	chatbotID string // of a thread token
	threadID  string // store id, of a thread token
}

type principalKey struct{}

func principalOf(ctx context.Context) principal {
	p, _ := ctx.Value(principalKey{}).(principal)
	return p
}

type scopeKey struct{}

func scopeOf(ctx context.Context) scope {
	s, _ := ctx.Value(scopeKey{}).(scope)
	return s
}

// authenticate returns the scope of the request's bearer token. Both
// tokens are compared, each in constant time over SHA-256 digests, so the
// time taken tells nothing of either token, not even its length. A client
// address that failed too often is refused before its token is looked at.
// A 401 carries WWW-Authenticate, as RFC 6750 asks.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) (scope, principal, error) {
	if h.cfg.noAuth {
		return scopeDeveloper, principal{}, nil
	}
	var addr string
	if h.failures != nil {
		addr = h.clientAddress(r)
		if blocked, wait := h.failures.blocked(addr, time.Now()); blocked {
			retryAfter(w, wait)
			return scopeNone, principal{}, errAuthLimited
		}
	}
	token, given := bearerToken(r.Header.Get("Authorization"))
	found := scopeNone
	var who principal
	if token != "" {
		got := sha256.Sum256([]byte(token))
		for _, s := range []scope{scopeDeveloper, scopeClient} {
			d := h.digests[s]
			if d != nil && subtle.ConstantTimeCompare(got[:], d[:]) == 1 && found == scopeNone {
				found = s
			}
		}
		for _, a := range h.cfg.agents {
			if subtle.ConstantTimeCompare(got[:], a.digest[:]) == 1 && found == scopeNone {
				found, who.agent = scopeAgent, a.agent
			}
		}
		if found == scopeNone {
			if bot, thread, ok := h.threadTokens.parse(token); ok {
				found, who.chatbotID, who.threadID = scopeThread, bot, thread
			}
		}
	}
	if found != scopeNone {
		return found, who, nil
	}
	if h.failures != nil {
		h.failures.take(addr, time.Now())
	}
	if given {
		w.Header().Set("WWW-Authenticate", `Bearer realm="parley", error="invalid_token"`)
	} else {
		w.Header().Set("WWW-Authenticate", `Bearer realm="parley"`)
	}
	return scopeNone, principal{}, errUnauthorized
}

// bearerToken reads the credentials of an Authorization header: the scheme
// Bearer in any case, one or more spaces, and the token (Go has already
// trimmed the value's ends). given reports whether the header tried to
// give a token at all.
func bearerToken(auth string) (token string, given bool) {
	if auth == "" {
		return "", false
	}
	scheme, rest, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	token = strings.TrimLeft(rest, " \t")
	if strings.ContainsAny(token, " \t") {
		return "", true
	}
	return token, true
}

// digest returns the SHA-256 of token, or nil for no token.
func digest(token []byte) *[sha256.Size]byte {
	if token == nil {
		return nil
	}
	d := sha256.Sum256(token)
	return &d
}

// allow takes one request from the limiter of scope s, or returns the
// error saying when to retry.
func (h *Handler) allow(w http.ResponseWriter, s scope) error {
	lim := h.limiters[s]
	if lim == nil {
		return nil
	}
	now := time.Now()
	res := lim.ReserveN(now, 1)
	delay := res.DelayFrom(now)
	if res.OK() && delay == 0 {
		return nil
	}
	res.CancelAt(now)
	retryAfter(w, delay)
	return errRateLimited
}
