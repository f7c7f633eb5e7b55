package engine

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley/store"
)

// Leads (Userbot's intel): the companies the bot's users come from. A
// company is recognised by the host's CompanyResolver if it has one (from
// the user, or the address a page view came from), else from the domain
// of the user's email, unless that is a free email provider's (the list
// in freemail.txt, embedded). Page views and chat turns record the
// company's activity in the store (store.Companies): the lead list ranks
// companies by their last activity, key people are the users seen from a
// company, and operators tag companies. The first activity of a company
// sends a NEW_LEAD to the bot's Leads webhook, enqueued with the company
// in one transaction.

//go:embed freemail.txt
var freeMailList string

// freeMail is the set of free email providers' domains.
var freeMail = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(freeMailList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// FreeMail reports whether domain (lowercase) is a free email provider's,
// whose addresses make no lead.
func FreeMail(domain string) bool { return freeMail[domain] }

// A Visitor is what the engine knows of someone when it asks a
// CompanyResolver for their company.
type Visitor struct {
	// User is the user, nil for a session without one.
	User *store.User
	// SessionID is the session.
	SessionID string
	// IP is the address a page view came from, "" if unknown (a chat
	// turn, or a host that did not say).
	IP string
}

// A CompanyResolver names the company a visitor is from: a reverse-IP
// service, a CRM. It returns the company's domain (lowercase, such as
// "acme.com") and name, or "" for the domain if it does not know, and
// the engine falls back on the user's email. It is called at most once
// per page view, and once per user every LeadInterval for chat turns;
// an error is logged and treated as unknown.
type CompanyResolver interface {
	Company(ctx context.Context, v Visitor) (domain, name string, err error)
}

// WithCompanyResolver sets the host's CompanyResolver. By default
// companies come from users' email domains only.
func WithCompanyResolver(r CompanyResolver) Option {
	return func(c *config) error {
		if r == nil {
			return errors.New("engine: WithCompanyResolver: nil resolver")
		}
		c.resolver = r
		return nil
	}
}

// LeadInterval is how often chat turns of one user record their
// company's activity: the first turn does, the next ones within the
// interval do not. Page views always do.
const LeadInterval = 10 * time.Minute

// maxLeadSeen bounds the users whose last recorded activity an engine
// remembers; beyond it, it forgets them all and records again.
const maxLeadSeen = 100000

// leadState is an engine's memory of recent chat activity.
type leadState struct {
	mu   sync.Mutex
	seen map[string]time.Time // by user id
}

// due reports whether a chat turn of user at now records activity, and
// if so notes it.
func (l *leadState) due(user string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	last, ok := l.seen[user]
	if ok && now.Sub(last) < LeadInterval && !now.Before(last) {
		return false
	}
	if l.seen == nil || len(l.seen) >= maxLeadSeen {
		l.seen = map[string]time.Time{}
	}
	l.seen[user] = now
	return true
}

// companyOf names the company of v: the resolver's, else the email's
// domain; "" if none.
func (e *Engine) companyOf(ctx context.Context, v Visitor) (domain, name string) {
	if e.resolver != nil {
		d, n, err := e.resolve(ctx, v)
		if err != nil {
			e.log.Warn("engine: company resolver", "err", err)
		} else if d != "" {
			if err := store.CheckDomain("domain", d); err != nil {
				e.log.Warn("engine: company resolver gave a bad domain", "domain", d)
			} else {
				return d, n
			}
		}
	}
	if v.User == nil {
		return "", ""
	}
	return EmailDomain(v.User.Attributes[store.AttrEmail]), ""
}

func (e *Engine) resolve(ctx context.Context, v Visitor) (domain, name string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine: company resolver panicked: %v", r)
		}
	}()
	return e.resolver.Company(ctx, v)
}

// EmailDomain returns the domain of an email address, lowercase, if it
// can name a company: "" for no address, a malformed one, or a free email
// provider's.
func EmailDomain(email string) string {
	i := strings.LastIndexByte(email, '@')
	if i < 0 {
		return ""
	}
	d := strings.ToLower(email[i+1:])
	if store.CheckDomain("email", d) != nil || freeMail[d] {
		return ""
	}
	return d
}

// noteLead records activity of the company of v (whose User, if nil, is
// read when userID is not ""), if it has one: a page view (pageView), or
// a chat turn, at most once per LeadInterval per user. threadID names
// the thread in a NEW_LEAD, if known.
func (e *Engine) noteLead(ctx context.Context, v Visitor, userID string, pageView bool, threadID string) {
	if !pageView && (userID == "" || !e.leads.due(userID, e.now())) {
		return
	}
	if v.User == nil && userID != "" {
		u, err := e.st.User(ctx, userID)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				e.log.Warn("engine: read a lead's user", "user", userID, "err", err)
			}
			return
		}
		v.User = &u
	}
	domain, name := e.companyOf(ctx, v)
	if domain == "" {
		return
	}
	a := store.CompanyActivity{Domain: domain, Name: name, PageView: pageView}
	if v.User != nil {
		a.UserID = v.User.ID
	}
	if ep := e.hooksOut.Leads; ep.URL != "" {
		data, _ := json.Marshal(WebhookThreadData{ChatbotID: e.hooksOut.ChatbotID, ThreadID: threadID, Mode: store.ModeAI,
			User: webhookUser(v.User), Company: &WebhookCompany{Domain: domain, Name: name}})
		a.NewLead = []store.Delivery{{Key: deliveryKey("company:"+domain, ep.URL), Event: WebhookLead, URL: ep.URL, Token: ep.Token, Payload: data}}
	}
	_, isNew, err := e.st.RecordActivity(ctx, a)
	if err != nil {
		e.log.Warn("engine: record a company's activity", "domain", domain, "err", err)
		return
	}
	if isNew && len(a.NewLead) > 0 {
		e.wakeWebhooks()
	}
}

// LeadQuery asks for one page of leads.
type LeadQuery = store.CompanyQuery

// Leads returns one page of the companies the bot's users come from, most
// recently active first (Userbot's intel.leadlist).
func (e *Engine) Leads(ctx context.Context, q LeadQuery) ([]store.Company, error) {
	cs, err := e.st.ListCompanies(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("engine: leads: %w", err)
	}
	return cs, nil
}

// Lead returns one company by its domain.
func (e *Engine) Lead(ctx context.Context, domain string) (store.Company, error) {
	c, err := e.st.Company(ctx, domain)
	if errors.Is(err, store.ErrNotFound) {
		return c, &NotFoundError{Field: "company", Err: store.ErrNotFound}
	}
	return c, err
}

// KeyPeople returns a company's people, the most recently seen first
// (Userbot's intel.keypeople): up to store.MaxPeople users.
func (e *Engine) KeyPeople(ctx context.Context, domain string) ([]store.User, error) {
	ids, err := e.st.CompanyPeople(ctx, domain)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &NotFoundError{Field: "company", Err: store.ErrNotFound}
	}
	if err != nil {
		return nil, fmt.Errorf("engine: key people: %w", err)
	}
	people := make([]store.User, 0, len(ids))
	for _, id := range ids {
		u, err := e.st.User(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("engine: key people: %w", err)
		}
		people = append(people, u)
	}
	slices.SortStableFunc(people, func(a, b store.User) int { return b.LastSeen.Compare(a.LastSeen) })
	return people, nil
}

// TagLead adds tags to a company and removes others (Userbot's
// intel.addtag and intel.removetag), and returns the company.
func (e *Engine) TagLead(ctx context.Context, domain string, add, remove []string) (store.Company, error) {
	c, err := e.st.TagCompany(ctx, domain, add, remove)
	if errors.Is(err, store.ErrNotFound) {
		return c, &NotFoundError{Field: "company", Err: store.ErrNotFound}
	}
	if err != nil {
		return c, fmt.Errorf("engine: tag lead: %w", err)
	}
	return c, nil
}
