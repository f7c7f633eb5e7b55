package httpadapter

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// A scope is what a token may do; a wider scope may do everything a
// narrower one may.
type scope uint8

const (
	scopeNone      scope = iota // no valid token
	scopeClient                 // POST /query only
	scopeDeveloper              // every route
)

func (s scope) String() string {
	switch s {
	case scopeClient:
		return "client"
	case scopeDeveloper:
		return "developer"
	}
	return "none"
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
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) (scope, error) {
	if h.cfg.noAuth {
		return scopeDeveloper, nil
	}
	var addr string
	if h.failures != nil {
		addr = h.clientAddress(r)
		if blocked, wait := h.failures.blocked(addr, time.Now()); blocked {
			retryAfter(w, wait)
			return scopeNone, errAuthLimited
		}
	}
	token, given := bearerToken(r.Header.Get("Authorization"))
	found := scopeNone
	if token != "" {
		got := sha256.Sum256([]byte(token))
		for _, s := range []scope{scopeDeveloper, scopeClient} {
			d := h.digests[s]
			if d != nil && subtle.ConstantTimeCompare(got[:], d[:]) == 1 && found == scopeNone {
				found = s
			}
		}
	}
	if found != scopeNone {
		return found, nil
	}
	if h.failures != nil {
		h.failures.take(addr, time.Now())
	}
	if given {
		w.Header().Set("WWW-Authenticate", `Bearer realm="parley", error="invalid_token"`)
	} else {
		w.Header().Set("WWW-Authenticate", `Bearer realm="parley"`)
	}
	return scopeNone, errUnauthorized
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
