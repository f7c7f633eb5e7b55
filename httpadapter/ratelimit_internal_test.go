package httpadapter

import (
	"strconv"
	"testing"
	"time"
)

// TestLimiterBounded: a flood of distinct keys, as from an attacker
// rotating addresses, never grows a limiter past its bound, while a key
// that is still limited keeps its bucket when full ones can go instead.
func TestLimiterBounded(t *testing.T) {
	l := newLimiter(1, 2)
	now := time.Unix(1e9, 0)
	l.take("busy", now)
	l.take("busy", now)
	if ok, _ := l.take("busy", now); ok {
		t.Fatal("third request in a burst of 2: got allowed")
	}
	for i := range 4 * maxKeys {
		now = now.Add(time.Microsecond)
		l.take(strconv.Itoa(i), now)
	}
	n := 0
	for i := range l.shards {
		n += len(l.shards[i].buckets)
	}
	if n > maxKeys {
		t.Errorf("got %d buckets, want at most %d", n, maxKeys)
	}
	ok, wait := l.take("busy", now)
	if ok || wait <= 0 {
		t.Errorf("busy key after the flood: got allowed %v, wait %v; want still limited", ok, wait)
	}
	if ok, _ := l.take("busy", now.Add(2*time.Second)); !ok {
		t.Error("busy key after 2 s: got refused, want allowed")
	}
}
