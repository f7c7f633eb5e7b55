package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// A Company is a lead (Userbot's intel): an organisation whose people
// visit the site or chat with the bot, known by its domain. The engine
// recognises it from its users' email domains or from a host's resolver
// and records their activity; operators rank, tag and follow up on it.
type Company struct {
	// Domain names the company: a lowercase domain name such as
	// "acme.com" (1–253 characters of letters, digits, '-' and '.').
	Domain string
	// Name is what the company is called, "" if unknown.
	Name string
	// Tags are the operators' labels (up to MaxCompanyTags, each 1–128
	// characters), in the order they were added.
	Tags []string
	// People is how many users are the company's (see [Companies]).
	People int
	// Visits counts the page views from the company.
	Visits int
	// FirstSeen is when the company was first recognised, LastActive the
	// last activity from it.
	FirstSeen, LastActive time.Time
}

// Limits of companies.
const (
	MaxDomain      = 253  // characters of a Company's Domain
	MaxCompanyTags = 100  // tags per company
	MaxCompanyTag  = 128  // characters of a company's tag
	MaxPeople      = 1000 // people CompanyPeople returns
	MaxCompanyPage = 100  // companies per ListCompanies
)

// CheckDomain checks a company's domain (field names it in the error).
func CheckDomain(field, d string) error {
	ok := len(d) >= 1 && len(d) <= MaxDomain && strings.Contains(d, ".") && d[0] != '.' && d[len(d)-1] != '.' && !strings.Contains(d, "..")
	for i := 0; ok && i < len(d); i++ {
		c := d[i]
		ok = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.'
	}
	if !ok {
		return invalid(field, "must be a lowercase domain name such as acme.com (1 to 253 letters, digits, '-' and '.')")
	}
	return nil
}

// CheckCompanyTags checks the tags of one change to a company's tags.
func CheckCompanyTags(field string, tags []string) error {
	if len(tags) < 1 || len(tags) > MaxCompanyTags {
		return invalid(field, fmt.Sprintf("must have 1 to %d tags", MaxCompanyTags))
	}
	for i, t := range tags {
		if err := checkLen(fmt.Sprintf("%s[%d]", field, i), t, 1, MaxCompanyTag); err != nil {
			return err
		}
	}
	return nil
}

// CheckCompanyName checks a company's name: 0–256 characters.
func CheckCompanyName(name string) error {
	return checkLen("name", name, 0, MaxName)
}

// EditTags returns tags with add appended (those it lacks) and remove
// taken out, or a *FieldError if the result would have more than
// MaxCompanyTags. add and remove are checked with [CheckCompanyTags]
// when not empty.
func EditTags(tags, add, remove []string) ([]string, error) {
	if len(add) > 0 {
		if err := CheckCompanyTags("add", add); err != nil {
			return nil, err
		}
	}
	if len(remove) > 0 {
		if err := CheckCompanyTags("remove", remove); err != nil {
			return nil, err
		}
	}
	out := make([]string, 0, len(tags)+len(add))
	for _, t := range tags {
		if !contains(remove, t) {
			out = append(out, t)
		}
	}
	for _, t := range add {
		if !contains(out, t) && !contains(remove, t) {
			out = append(out, t)
		}
	}
	if len(out) > MaxCompanyTags {
		return nil, invalid("add", fmt.Sprintf("a company keeps at most %d tags", MaxCompanyTags))
	}
	return out, nil
}

// CompanyActivity is what a store records of a company's activity.
type CompanyActivity struct {
	// Domain and Name are the company's (Name kept if "").
	Domain, Name string
	// UserID, if not "", is a user seen from the company: they become
	// one of its people, and leave the company they were of.
	UserID string
	// PageView counts a page view.
	PageView bool
	// NewLead are webhook deliveries to enqueue if, and only if, the
	// company is new: in the same transaction, so that the first
	// activity of a company sends them exactly once across processes.
	NewLead []Delivery
}

// CheckActivity checks the fields of an activity a store is given (the
// store checks NewLead's deliveries as it enqueues them).
func CheckActivity(a *CompanyActivity) error {
	if err := CheckDomain("domain", a.Domain); err != nil {
		return err
	}
	if err := CheckCompanyName(a.Name); err != nil {
		return err
	}
	if a.UserID != "" {
		return CheckID("userId", a.UserID)
	}
	return nil
}

// A CompanyQuery asks for one page of companies, most recently active
// first.
type CompanyQuery struct {
	// Limit is the page's size, 1–100 (0: 20); Offset the companies to
	// skip first.
	Limit, Offset int
	// Tag, if not "", keeps the companies with that tag.
	Tag string
}

// Normalize checks q and fills its defaults.
func (q CompanyQuery) Normalize() (CompanyQuery, error) {
	if q.Limit == 0 {
		q.Limit = 20
	}
	if q.Limit < 1 || q.Limit > MaxCompanyPage {
		return q, invalid("limit", fmt.Sprintf("must be 1 to %d", MaxCompanyPage))
	}
	if q.Offset < 0 {
		return q, invalid("offset", "must not be negative")
	}
	if q.Tag != "" {
		if err := checkLen("tag", q.Tag, 1, MaxCompanyTag); err != nil {
			return q, err
		}
	}
	return q, nil
}

// Companies keeps companies (leads), their people and tags.
// Implementations are safe for concurrent use.
type Companies interface {
	// RecordActivity records activity from a company now (see
	// [CompanyActivity]): it creates the company if it is new (FirstSeen now,
	// NewLead enqueued), sets its LastActive and Name, counts a page view
	// and adds the user to its people, in one transaction. It returns the
	// company and whether it was new. An unknown user is ErrNotFound.
	RecordActivity(ctx context.Context, a CompanyActivity) (Company, bool, error)
	// Company returns the company with the given domain.
	Company(ctx context.Context, domain string) (Company, error)
	// ListCompanies returns one page of companies, most recently active
	// first (then by domain, from z to a).
	ListCompanies(ctx context.Context, q CompanyQuery) ([]Company, error)
	// CompanyPeople returns the IDs of up to MaxPeople of the company's
	// people, oldest users first. A user is of one company at a time:
	// the last one RecordActivity saw them from.
	CompanyPeople(ctx context.Context, domain string) ([]string, error)
	// TagCompany adds the tags add (those it lacks, at the end) and
	// removes the tags remove, and returns the company. More than
	// MaxCompanyTags tags is a *FieldError and changes nothing.
	TagCompany(ctx context.Context, domain string, add, remove []string) (Company, error)
}
