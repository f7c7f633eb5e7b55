package httpadapter

import (
	"net/http"
	"net/netip"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// Page views: the page (with its thread token) or the host (with the
// developer token) reports the pages users view, which the engine keeps as
// visits and which may send automated messages:
//
//	POST /v0/chatbots/{chatbotId}/threads/{threadId}/page-views  {"url","title","referrer","left"}
//	POST /page-views  {"sessionId","userId","ip","url","title","referrer","left"}
//
// A page's own page view carries its address (WithTrustedProxies says
// whose X-Forwarded-For to believe); the host gives the user's as "ip".
// The engine's CompanyResolver may name the user's company by it.

// pageView is the body of both routes; SessionID and UserID only in the
// chat API's.
type pageView struct {
	URL      string `json:"url"`
	Title    string `json:"title"`
	Referrer string `json:"referrer"`
	Left     bool   `json:"left"`
}

func (p *pageView) visit() engine.PageVisit {
	return engine.PageVisit{Page: engine.Page{URL: p.URL, Title: p.Title, Referrer: p.Referrer}, Left: p.Left}
}

// PageViewResult is the body answering POST /page-views: sent is the
// number of automated messages the page view sent.
type PageViewResult struct {
	Timestamp string        `json:"timestamp"`
	Status    engine.Status `json:"status"`
	Sent      int           `json:"sent"`
}

// POST /page-views: the host reports a page view of any session or user.
func (h *Handler) pageView(w http.ResponseWriter, r *http.Request) {
	var req struct {
		SessionID string `json:"sessionId"`
		UserID    string `json:"userId"`
		IP        string `json:"ip"`
		pageView
	}
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	v := req.visit()
	v.SessionID, v.UserID = req.SessionID, req.UserID
	if req.IP != "" {
		ip, err := netip.ParseAddr(req.IP)
		if err != nil {
			h.fail(w, r, badRequest("ip", "must be an IPv4 or IPv6 address"))
			return
		}
		v.IP = ip.String()
	}
	msgs, err := h.engine(r).PageView(r.Context(), v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.reply(w, http.StatusOK, PageViewResult{Timestamp: h.timestamp(), Status: success, Sent: len(msgs)})
}

// V0PageView is the data answering a page view of a thread: the automated
// messages it sent into the thread.
type V0PageView struct {
	Messages []V0ThreadMessage `json:"messages"`
}

// POST /v0/chatbots/{chatbotId}/threads/{threadId}/page-views: the page
// showing a thread reports a page view of its user.
func (h *Handler) threadPageView(w http.ResponseWriter, r *http.Request) {
	var req pageView
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	th, err := h.threadRef(r, r.PathValue("threadId"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := req.visit()
	v.ThreadID = th.ID
	if ip, _ := h.clientIP(r); ip.IsValid() {
		v.IP = ip.String()
	}
	msgs, err := h.engine(r).PageView(r.Context(), v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.ok(w, "Recorded the page view successfully", V0PageView{Messages: v0Messages(msgs, answerPrompts(h.engine(r)))})
}

// Visit is one page a user viewed, in the replies of intel.visitdetails.
type Visit struct {
	URL      string  `json:"url"`
	Title    string  `json:"title"`
	Referrer string  `json:"referrer"`
	LandedAt string  `json:"landedAt"`
	LeftAt   *string `json:"leftAt"` // null while on the page
}

func visit(v *store.Visit) Visit {
	out := Visit{URL: v.URL, Title: v.Title, Referrer: v.Referrer, LandedAt: stamp(v.LandedAt)}
	if !v.LeftAt.IsZero() {
		out.LeftAt = strPtr(stamp(v.LeftAt))
	}
	return out
}

// opVisits is intel.visitdetails {"userId"}: a user's visits (or a
// session's, by its id), newest first.
func opVisits(c *opCall) (any, error) {
	var p struct {
		UserID string `json:"userId"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	visits, err := c.eng.Visits(c.ctx, p.UserID)
	if err != nil {
		return nil, withField("userId", err)
	}
	out := make([]Visit, len(visits))
	for i := range visits {
		out[i] = visit(&visits[i])
	}
	return map[string]any{"visits": out}, nil
}

// visitSummary is what a ChatUser says of the user's visits: how many are
// kept, and the last.
func visitSummary(c *opCall, u *ChatUser) error {
	visits, err := c.eng.Visits(c.ctx, u.ID)
	if err != nil {
		return err
	}
	u.Visits = len(visits)
	if len(visits) > 0 {
		v := visit(&visits[0])
		u.LastVisit = &v
	}
	return nil
}
