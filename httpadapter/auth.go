package httpadapter

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"math"
	"net/http"
	"strconv"
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
// time taken tells nothing of either token, not even its length.
func (h *Handler) authenticate(r *http.Request) (scope, error) {
	if h.cfg.noAuth {
		return scopeDeveloper, nil
	}
	auth := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return scopeNone, errUnauthorized
	}
	got := sha256.Sum256([]byte(token))
	found := scopeNone
	for _, s := range []scope{scopeDeveloper, scopeClient} {
		d := h.digests[s]
		if d != nil && subtle.ConstantTimeCompare(got[:], d[:]) == 1 && found == scopeNone {
			found = s
		}
	}
	if found == scopeNone {
		return scopeNone, errUnauthorized
	}
	return found, nil
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
	secs := 1
	if res.OK() {
		secs = max(1, int(math.Ceil(delay.Seconds())))
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return errRateLimited
}
