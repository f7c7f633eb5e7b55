package store

import (
	"context"
	"time"
)

// A Visit is a page a visitor viewed (Userbot's intel.visitdetails): its
// address and title, where the visitor came from, and when they landed on
// it and left it.
type Visit struct {
	// ID is the store's 24-hex id; ids sort in the order visits landed.
	ID string
	// Visitor is who viewed the page: a user's ID, or the session id of
	// a session without a user (see [CheckRecipient]).
	Visitor string
	// SessionID is the session the page was viewed in.
	SessionID string
	// URL is the page's address (up to 2,048 characters), Title its
	// title (up to 256) and Referrer the page before it, "" if none.
	URL      string
	Title    string
	Referrer string
	// LandedAt is when the visitor landed on the page; LeftAt when they
	// left it, zero while they are (as far as the store knows) still on
	// it.
	LandedAt time.Time
	LeftAt   time.Time
}

// MaxVisits is how many visits a store keeps per visitor: adding one more
// drops the oldest. A hundred pages cover what conditions and operators
// look at (the pages of the last days), and bound what one visitor costs.
const MaxVisits = 100

// MaxPageTitle bounds the characters of a Visit's Title.
const MaxPageTitle = 256

// CheckVisit checks the fields of a visit a store is given.
func CheckVisit(v *Visit) error {
	if err := CheckVisitor(v.Visitor); err != nil {
		return err
	}
	if err := CheckSessionID(v.SessionID); err != nil {
		return err
	}
	if err := checkLen("url", v.URL, 1, MaxURL); err != nil {
		return err
	}
	if err := checkLen("title", v.Title, 0, MaxPageTitle); err != nil {
		return err
	}
	return checkLen("referrer", v.Referrer, 0, MaxURL)
}

// CheckVisitor checks a visitor: a user's id or a session id.
func CheckVisitor(visitor string) error {
	if CheckRecipient(visitor) != nil {
		return invalid("visitor", "must be a user's id or a session id")
	}
	return nil
}

// Visits keeps the pages visitors view. Implementations are safe for
// concurrent use.
type Visits interface {
	// AddVisit records that v.Visitor landed on a page now (see
	// [CheckVisit]; ID, LandedAt and LeftAt are set by the store): it
	// closes the visitor's previous visit if it is still open (its LeftAt
	// becomes now), stores v, and drops the visitor's oldest visits
	// beyond MaxVisits, in one transaction. It returns v as stored.
	AddVisit(ctx context.Context, v Visit) (Visit, error)
	// EndVisit closes the visitor's last visit, if it is still open: they
	// left the page now. With no open visit it does nothing.
	EndVisit(ctx context.Context, visitor string) error
	// Visits returns the visitor's visits, newest first (at most
	// MaxVisits).
	Visits(ctx context.Context, visitor string) ([]Visit, error)
}
