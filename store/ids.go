package store

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
	"time"
)

// IDs hands out the ids of a store's records: 12 bytes in hex, a strictly
// increasing timestamp (the clock, or one nanosecond past the last id)
// followed by 4 random bytes chosen by NewIDs, so that ids sort in creation
// order and the processes sharing a store never hand out the same one.
// IDs is safe for concurrent use.
type IDs struct {
	last atomic.Int64 // the timestamp of the last id handed out
	rand [4]byte
}

// NewIDs returns an IDs with random bytes of its own.
func NewIDs() *IDs {
	g := new(IDs)
	rand.Read(g.rand[:])
	return g
}

// Next returns a fresh id at the time now.
func (g *IDs) Next(now time.Time) string {
	t := now.UnixNano()
	for {
		last := g.last.Load()
		ts := max(t, last+1)
		if g.last.CompareAndSwap(last, ts) {
			var b [12]byte
			binary.BigEndian.PutUint64(b[:], uint64(ts))
			copy(b[8:], g.rand[:])
			return hex.EncodeToString(b[:])
		}
	}
}

// NewUUID returns a random (version 4) UUID: the userId of a user created
// with neither a userId nor an email.
func NewUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
