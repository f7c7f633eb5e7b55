package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// Visits: the pages users view (Userbot's intel.visitdetails). The page,
// or the host serving it, reports each page view with PageView; the store
// keeps the last store.MaxVisits visits of each user (or of a session
// without a user), with the times landed and left. They feed the
// conditions of automated messages (visits, pages, page_counts) and the
// user's details.

// A Page is a page a user views.
type Page struct {
	// URL is the page's address (http or https, up to 2,048 characters).
	URL string
	// Title is the page's title, up to 256 characters.
	Title string
	// Referrer is the page the user came from, "" if none.
	Referrer string
}

// A PageVisit reports that a user views a page, or leaves it (the page or
// the host calls PageView).
type PageVisit struct {
	// SessionID is the session of the user's chat (10–64 characters).
	// With a ThreadID it may be "": the thread's session.
	SessionID string
	// ThreadID, if not "", is the thread the page shows: the automated
	// messages the page view sends go there, and its user is the
	// visitor unless UserID says.
	ThreadID string
	// UserID ties the session to a user (their userId or store id), ""
	// to leave it as it is.
	UserID string
	Page
	// IP is the address the page view came from, "" if unknown: what a
	// CompanyResolver may name a company by.
	IP string
	// Left reports that the user left the page (sent as the page unloads,
	// with navigator.sendBeacon for instance): the open visit is closed
	// and nothing is sent. Page may then be empty.
	Left bool
}

// PageView records that a user views a page, or has left it: the visit is
// stored for the user (or the session, without a user), closing the one
// before; the page and the time on it feed the conditions of automated
// messages, and the messages triggered by page views are sent. It returns
// the messages sent.
func (e *Engine) PageView(ctx context.Context, v PageVisit) ([]store.Message, error) {
	var publicThread string
	if v.ThreadID != "" {
		th, err := e.Thread(ctx, v.ThreadID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, &NotFoundError{Field: "threadId", Err: store.ErrNotFound}
		}
		if err != nil {
			return nil, err
		}
		if v.SessionID != "" && v.SessionID != th.SessionID {
			return nil, invalid("sessionId", "must be the thread's session")
		}
		v.ThreadID, v.SessionID, publicThread = th.ID, th.SessionID, th.PublicID()
		if v.UserID == "" {
			v.UserID = th.UserID
		}
	}
	if err := store.CheckSessionID(v.SessionID); err != nil {
		return nil, err
	}
	if !v.Left || v.URL != "" {
		if err := checkPage(&v.Page); err != nil {
			return nil, err
		}
	}
	var userID string
	var user *store.User
	if v.UserID != "" {
		u, err := e.findUser(ctx, v.UserID)
		if err != nil {
			return nil, &NotFoundError{Field: "userId", Err: store.ErrNotFound}
		}
		userID, user = u.ID, &u
	}
	visitor, err := e.visitor(ctx, v.SessionID, userID)
	if err != nil {
		return nil, err
	}
	if v.Left {
		if err := e.st.EndVisit(ctx, visitor); err != nil {
			return nil, fmt.Errorf("engine: page left: %w", err)
		}
		return nil, nil
	}
	if _, err := e.st.AddVisit(ctx, store.Visit{Visitor: visitor, SessionID: v.SessionID, URL: v.URL, Title: v.Title, Referrer: v.Referrer}); err != nil {
		return nil, fmt.Errorf("engine: page view: %w", err)
	}
	if visitor != v.SessionID {
		userID = visitor
	}
	e.noteLead(ctx, Visitor{User: user, SessionID: v.SessionID, IP: v.IP}, userID, true, publicThread)
	set, err := e.autoMessages(ctx)
	if err != nil {
		return nil, err
	}
	now := e.now()
	e.auto.mu.Lock()
	w := e.auto.watched(v.SessionID)
	if userID != "" {
		w.userID = userID
	}
	w.threadID = v.ThreadID
	w.page, w.landed, w.active = v.Page, now, now
	w.views++
	clear(w.firedFor)
	e.auto.mu.Unlock()
	return e.automate(ctx, set.page, occasion{sessionID: v.SessionID, threadID: v.ThreadID, userID: userID, event: store.OnPageView})
}

// visitor is whose visits a page view of session sessionID adds to: the
// user's (userID, else the session's user, else the user an earlier page
// view of the session named), or the session's.
func (e *Engine) visitor(ctx context.Context, sessionID, userID string) (string, error) {
	if userID != "" {
		return userID, nil
	}
	s, err := e.st.Session(ctx, sessionID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("engine: page view: %w", err)
	}
	if s.UserID != "" {
		return s.UserID, nil
	}
	e.auto.mu.Lock()
	defer e.auto.mu.Unlock()
	if w := e.auto.watch[sessionID]; w != nil && w.userID != "" {
		return w.userID, nil // an earlier page view named the user
	}
	return sessionID, nil
}

func checkPage(p *Page) error {
	if p.URL == "" || len(p.URL) > store.MaxURL {
		return invalid("url", "must be 1 to 2,048 characters")
	}
	if u, err := url.Parse(p.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid("url", "must be an http or https URL")
	}
	if len([]rune(p.Title)) > store.MaxPageTitle {
		return invalid("title", "must be 0 to 256 characters")
	}
	if len(p.Referrer) > store.MaxURL {
		return invalid("referrer", "must be 0 to 2,048 characters")
	}
	return nil
}

// Visits returns the pages a user viewed, newest first (the last
// store.MaxVisits): who is the user's userId or store id, or the id of a
// session without a user.
func (e *Engine) Visits(ctx context.Context, who string) ([]store.Visit, error) {
	if who == "" {
		return nil, invalid("userId", "is required")
	}
	visitor := who
	if u, err := e.findUser(ctx, who); err == nil {
		visitor = u.ID
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	} else if store.CheckSessionID(who) != nil {
		return nil, &NotFoundError{Field: "userId", Err: store.ErrNotFound}
	}
	visits, err := e.st.Visits(ctx, visitor)
	if err != nil {
		return nil, fmt.Errorf("engine: visits: %w", err)
	}
	return visits, nil
}

// usesVisits reports whether a condition reads the stored visits.
func usesVisits(c *story.AutomationCondition) bool {
	return c.Uses("visits") || c.Uses("pages") || c.Uses("page_counts")
}

// visitsEnv fills what conditions see of the visitor's stored visits.
func (e *Engine) visitsEnv(ctx context.Context, env *story.AutomationEnv, visitor string) error {
	visits, err := e.st.Visits(ctx, visitor)
	if err != nil {
		return err
	}
	env.Visits = len(visits)
	env.Pages = []string{}
	env.PageCounts = make(map[string]int, len(visits))
	for _, v := range visits {
		p := pathOf(v.URL)
		if env.PageCounts[p] == 0 {
			env.Pages = append(env.Pages, p)
		}
		env.PageCounts[p]++
	}
	return nil
}

// pathOf is the path of a page's URL, "/" for none.
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}
