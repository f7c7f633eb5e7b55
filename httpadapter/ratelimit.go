package httpadapter

import (
	"hash/maphash"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// limiter is a token bucket per key (an end user, a client address): each
// key may take rate requests a second on average, burst at once. It keeps
// at most maxKeys buckets: a bucket that has filled up again is the same as
// none and is dropped first, then buckets that would allow a request; only
// past that do keys being limited lose theirs (and get a fresh burst),
// rather than memory growing. Safe for
// concurrent use.
type limiter struct {
	rate, burst float64
	seed        maphash.Seed
	shards      [limiterShards]limiterShard
}

const (
	limiterShards = 16
	// maxKeys bounds the buckets of one limiter: about 100 bytes each,
	// a few megabytes in all.
	maxKeys = 1 << 16
)

type limiterShard struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	l := &limiter{rate: rate, burst: float64(burst), seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].buckets = make(map[string]*bucket)
	}
	return l
}

// take takes one request from key's bucket at now. When it is empty it
// returns false and how long until a request is allowed again.
func (l *limiter) take(key string, now time.Time) (bool, time.Duration) {
	return l.takeN(key, now, 1)
}

// blocked reports whether key's bucket is empty at now, without taking
// anything, and how long until it is not.
func (l *limiter) blocked(key string, now time.Time) (bool, time.Duration) {
	ok, wait := l.takeN(key, now, 0)
	return !ok, wait
}

// takeN takes n (0 or 1) from key's bucket; with n 0 it only looks.
func (l *limiter) takeN(key string, now time.Time, n float64) (bool, time.Duration) {
	sh := &l.shards[maphash.String(l.seed, key)%limiterShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b := sh.buckets[key]
	if b == nil {
		if n == 0 {
			return true, 0
		}
		if len(sh.buckets) >= maxKeys/limiterShards {
			l.evict(sh, now)
		}
		b = &bucket{tokens: l.burst, last: now}
		sh.buckets[key] = b
	}
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = min(l.burst, b.tokens+dt*l.rate)
		b.last = now
	}
	need := max(n, 1)
	if b.tokens >= need {
		b.tokens -= n
		return true, 0
	}
	return false, time.Duration((need - b.tokens) / l.rate * float64(time.Second))
}

// evict makes room in sh at now: it drops the buckets that are full (the
// same as none), then those that would allow a request, and only then,
// if it must, buckets of keys being limited.
func (l *limiter) evict(sh *limiterShard, now time.Time) {
	target := maxKeys / limiterShards * 3 / 4
	for _, floor := range []float64{l.burst, 1, math.Inf(-1)} {
		for k, b := range sh.buckets {
			if len(sh.buckets) <= target {
				return
			}
			if b.tokens+now.Sub(b.last).Seconds()*l.rate >= floor {
				delete(sh.buckets, k)
			}
		}
	}
}

// retryAfter sets Retry-After to wait, in whole seconds, at least 1.
func retryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
}

// clientAddress returns the key of the client's address (clientIP). An
// IPv6 address counts by its /64 network, which one end user usually has
// whole.
func (h *Handler) clientAddress(r *http.Request) string {
	addr, host := h.clientIP(r)
	if !addr.IsValid() {
		return host
	}
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// clientIP returns the client's IP address: the peer's, or, when the peer
// is a trusted proxy, the last address of X-Forwarded-For that is not one.
// If the peer's address is not an IP address, it returns none and the
// peer's address as it is.
func (h *Handler) clientIP(r *http.Request) (netip.Addr, string) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, host
	}
	addr = addr.Unmap()
	if h.trusted(addr) {
		fwd := r.Header.Values("X-Forwarded-For")
	walk:
		for i := len(fwd) - 1; i >= 0; i-- {
			parts := strings.Split(fwd[i], ",")
			for j := len(parts) - 1; j >= 0; j-- {
				a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
				if err != nil {
					break walk
				}
				addr = a.Unmap()
				if !h.trusted(addr) {
					break walk
				}
			}
		}
	}
	return addr, host
}

// trusted reports whether addr is one of the proxies of WithTrustedProxies.
func (h *Handler) trusted(addr netip.Addr) bool {
	for _, p := range h.cfg.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
