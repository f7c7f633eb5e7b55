package httpadapter

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// success is the chat API's status of every answered request.
var success = engine.Status{Code: http.StatusOK, Type: "success"}

// Done is the body of a request that changed something and returns nothing
// else (Update user, Update session attributes, Delete user, adding
// segment members).
type Done struct {
	Timestamp string        `json:"timestamp"`
	Status    engine.Status `json:"status"`
}

// Created is one element of the array answering Create user and Create
// segment: the new record's id.
type Created struct {
	ID        string        `json:"id"`
	Timestamp string        `json:"timestamp"`
	Status    engine.Status `json:"status"`
}

// chatRequest is the body of Chat with bot: an engine.Request, whose
// confidence and lifespan are read here too, because the API's ranges
// exclude the 0 that means "the bot's setting" to the engine.
type chatRequest struct {
	engine.Request
	Confidence *float64 `json:"confidence"`
	Lifespan   *int     `json:"lifespan"`
}

// request returns the engine.Request of c, or the error for an explicit 0.
func (c *chatRequest) request() (engine.Request, error) {
	req := c.Request
	if c.Confidence != nil {
		if *c.Confidence == 0 {
			return req, badRequest("confidence", fmt.Sprintf("must be %.1f to %.1f", story.MinConfidence, story.MaxConfidence))
		}
		req.Confidence = *c.Confidence
	}
	if c.Lifespan != nil {
		if *c.Lifespan == 0 {
			return req, badRequest("lifespan", fmt.Sprintf("must be %d to %d", story.MinLifespan, story.MaxLifespan))
		}
		req.Lifespan = *c.Lifespan
	}
	return req, nil
}

// chatResponse is an engine.Response with its result's sessionParameters
// in the API's shape.
type chatResponse struct {
	Result chatResult `json:"result"` // first, as in the API's example
	engine.Response
}

type chatResult struct {
	engine.Result
	SessionParameters map[string]*string `json:"sessionParameters"`
}

// POST /query: Chat with bot. The body is an engine.Request, the answer an
// engine.Response whose sessionParameters list every default_* attribute,
// null when unset.
func (h *Handler) query(w http.ResponseWriter, r *http.Request) {
	var body chatRequest
	if err := h.decode(w, r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	req, err := body.request()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if h.endUsers != nil && scopeOf(r.Context()) == scopeClient {
		key := "s\x00" + req.SessionID
		if req.UserID != "" {
			key = "u\x00" + req.UserID
		}
		if ok, wait := h.endUsers.take(key, time.Now()); !ok {
			retryAfter(w, wait)
			h.fail(w, r, errRateLimited)
			return
		}
	}
	resp, err := h.engine(r).Chat(r.Context(), req)
	if err != nil {
		h.fail(w, r, withField("userId", err))
		return
	}
	h.reply(w, http.StatusOK, chatResponse{Response: resp, Result: chatResult{
		Result:            resp.Result,
		SessionParameters: withDefaults(resp.Result.SessionParameters, sessionDefaults),
	}})
}

// createUserRequest is the body of Create user.
type createUserRequest struct {
	UserID     *string           `json:"userId"`
	Segments   idList            `json:"segments"`
	Attributes map[string]string `json:"attributes"`
}

// POST /users: Create user. The API requires a userId unless
// attributes.default_email is given (the engine would make up a UUID).
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	var req createUserRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	u := store.User{Segments: req.Segments, Attributes: req.Attributes}
	if req.UserID != nil {
		u.UserID = *req.UserID
		if u.UserID == "" {
			h.fail(w, r, badRequest("userId", fmt.Sprintf("must be 1 to %d characters", store.MaxUserID)))
			return
		}
	} else if len(u.Attributes) > 0 && u.Attributes[store.AttrEmail] == "" {
		// The other fields' errors first, as the engine gives them.
		if err := store.CheckUser(&u); err != nil {
			h.fail(w, r, err)
			return
		}
		h.fail(w, r, badRequest("userId", "is required unless attributes.default_email is given"))
		return
	}
	u, err := h.engine(r).CreateUser(r.Context(), u)
	if err != nil {
		h.fail(w, r, withField("segments", err))
		return
	}
	h.reply(w, http.StatusOK, []Created{{ID: u.ID, Timestamp: h.timestamp(), Status: success}})
}

// defaultAttributes are the attributes the chat API's user object always
// lists, null when the user has no value.
var defaultAttributes = []string{
	"default_email", "default_name", "default_url", "default_avatar",
	"default_language", "default_timezone", "default_gender", "default_ip",
	"default_city", "default_region", "default_country", "default_referrer",
	"default_username",
}

// sessionDefaults are the attributes a chat result's sessionParameters
// always list: the user object's, and the two more of the API's example.
var sessionDefaults = append(slices.Clip(defaultAttributes), "default_id", "default_real_name")

// attributes returns a user's attributes in the user object's shape.
func attributes(m map[string]string) map[string]*string {
	return withDefaults(m, defaultAttributes)
}

// withDefaults returns m with every one of defaults it lacks as null.
func withDefaults(m map[string]string, defaults []string) map[string]*string {
	out := make(map[string]*string, len(m)+len(defaults))
	for _, k := range defaults {
		out[k] = nil
	}
	for k, v := range m {
		out[k] = &v
	}
	return out
}

func formatTime(t time.Time) string { return t.UTC().Format(engine.TimestampFormat) }

// User is the chat API's user object, an element of List users.
type User struct {
	ID            string             `json:"id"`
	UserID        string             `json:"userId"`
	Banned        bool               `json:"banned"`
	Attributes    map[string]*string `json:"attributes"`
	Conversations int                `json:"conversations"`
	CreatedAt     string             `json:"createdAt"`
	LastSeen      string             `json:"lastSeen"`
}

// UserList is the body answering List users: one page, and its length.
type UserList struct {
	Data  []User `json:"data"`
	Count int    `json:"count"`
}

// GET /users: List users.
func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) {
	q, err := userQuery(r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.engine(r).ListUsers(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list := UserList{Data: make([]User, 0, len(page.Users)), Count: len(page.Users)}
	for _, u := range page.Users {
		list.Data = append(list.Data, User{
			ID: u.ID, UserID: u.UserID, Banned: u.Banned,
			Attributes:    attributes(u.Attributes),
			Conversations: u.Conversations,
			CreatedAt:     formatTime(u.CreatedAt), LastSeen: formatTime(u.LastSeen),
		})
	}
	h.reply(w, http.StatusOK, list)
}

// userQuery reads the query string of List users into a store.UserQuery,
// leaving every check of the values to the engine. Each parameter may be
// given once, except filters: see the package documentation for their
// encoding.
func userQuery(v url.Values) (store.UserQuery, error) {
	var q store.UserQuery
	for _, name := range slices.Sorted(maps.Keys(v)) {
		vals := v[name]
		if name != "filters" && len(vals) > 1 {
			return q, badRequest(name, "must be given once")
		}
		switch name {
		case "limit":
			n, err := strconv.Atoi(vals[0])
			if err != nil {
				return q, badRequest(name, "must be an integer")
			}
			q.Limit = n
			if n == 0 {
				// 0 means the default to the engine; here it is a
				// value, and the engine's range must refuse it.
				q.Limit = -1
			}
		case "after":
			q.After = vals[0]
		case "sort.field":
			q.Sort = vals[0]
		case "sort.order":
			q.Order = vals[0]
		case "match":
			q.Match = vals[0]
		case "filters":
			for i, s := range vals {
				f, err := parseFilter(i, s)
				if err != nil {
					return q, err
				}
				q.Filters = append(q.Filters, f)
			}
		default:
			return q, badRequest(name, "unknown parameter")
		}
	}
	return q, nil
}

// parseFilter reads "field:op[:value]". The value of a createdAt or
// lastSeen filter is an RFC 3339 time.
func parseFilter(i int, s string) (store.Filter, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) < 2 {
		return store.Filter{}, badRequest("filters["+strconv.Itoa(i)+"]", "must be field:op or field:op:value")
	}
	f := store.Filter{Field: parts[0], Op: parts[1]}
	if len(parts) == 3 {
		f.Value = parts[2]
	}
	if (f.Field == store.FieldCreatedAt || f.Field == store.FieldLastSeen) && f.Value != "" {
		t, err := time.Parse(time.RFC3339Nano, f.Value)
		if err != nil {
			return store.Filter{}, badRequest("filters["+strconv.Itoa(i)+"].value", "must be an RFC 3339 time")
		}
		f.Time = t
	}
	return f, nil
}

// Conversation is one conversation of a UserDetails.
type Conversation struct {
	ID           string  `json:"id"`
	CreatedAt    string  `json:"createdAt"`
	FirstMessage *string `json:"firstMessage"`
}

// UserDetails is the chat API's user details object, the body answering
// List single user.
type UserDetails struct {
	ID                string              `json:"id"`
	UserID            string              `json:"userId"`
	Banned            bool                `json:"banned"`
	Attributes        map[string]*string  `json:"attributes"`
	SessionAttributes map[string]string   `json:"sessionAttributes"`
	Conversations     []Conversation      `json:"conversations"`
	Segments          []engine.SegmentRef `json:"segments"`
	CreatedAt         string              `json:"createdAt"`
	LastSeen          string              `json:"lastSeen"`
}

// GET /users/{id}: List single user.
func (h *Handler) user(w http.ResponseWriter, r *http.Request) {
	d, err := h.engine(r).User(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, withField("id", err))
		return
	}
	out := UserDetails{
		ID: d.ID, UserID: d.UserID, Banned: d.Banned,
		Attributes:        attributes(d.Attributes),
		SessionAttributes: d.SessionAttributes,
		Conversations:     make([]Conversation, 0, len(d.Conversations)),
		Segments:          d.Segments,
		CreatedAt:         formatTime(d.CreatedAt), LastSeen: formatTime(d.LastSeen),
	}
	for _, c := range d.Conversations {
		cv := Conversation{ID: c.ID, CreatedAt: formatTime(c.CreatedAt)}
		if c.FirstMessage != "" {
			cv.FirstMessage = &c.FirstMessage
		}
		out.Conversations = append(out.Conversations, cv)
	}
	h.reply(w, http.StatusOK, out)
}

// attributesRequest is the body of Update user.
type attributesRequest struct {
	Attributes map[string]string `json:"attributes"`
}

// PUT /users/{id}: Update user.
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) {
	var req attributesRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.engine(r).UpdateUser(r.Context(), r.PathValue("id"), req.Attributes); err != nil {
		h.fail(w, r, withField("id", err))
		return
	}
	h.done(w)
}

// sessionRequest is the body of Update session attributes.
type sessionRequest struct {
	SessionID  string            `json:"sessionId"`
	Attributes map[string]string `json:"attributes"`
}

// PUT /users/{id}/session: Update session attributes.
func (h *Handler) updateSession(w http.ResponseWriter, r *http.Request) {
	var req sessionRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.engine(r).UpdateUserSessionAttributes(r.Context(), r.PathValue("id"), req.SessionID, req.Attributes); err != nil {
		// The engine's *NotFoundError names id or sessionId.
		h.fail(w, r, err)
		return
	}
	h.done(w)
}

// DELETE /users/{id}: delete a user and everything about them.
func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request) {
	if err := h.engine(r).DeleteUser(r.Context(), r.PathValue("id")); err != nil {
		h.fail(w, r, withField("id", err))
		return
	}
	h.done(w)
}

// Segment is one segment of a SegmentList.
type Segment struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Members   int    `json:"members"`
	CreatedAt string `json:"createdAt"`
}

// SegmentList is the body answering GET /users/segments: every segment,
// oldest first.
type SegmentList struct {
	Data  []Segment `json:"data"`
	Count int       `json:"count"`
}

// GET /users/segments: list segments.
func (h *Handler) listSegments(w http.ResponseWriter, r *http.Request) {
	segs, err := h.engine(r).ListSegments(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list := SegmentList{Data: make([]Segment, 0, len(segs)), Count: len(segs)}
	for _, s := range segs {
		list.Data = append(list.Data, Segment{ID: s.ID, Name: s.Name, Members: s.Members, CreatedAt: formatTime(s.CreatedAt)})
	}
	h.reply(w, http.StatusOK, list)
}

// segmentRequest is the body of POST /users/segments.
type segmentRequest struct {
	Name string `json:"name"`
}

// POST /users/segments: create a segment.
func (h *Handler) createSegment(w http.ResponseWriter, r *http.Request) {
	var req segmentRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.engine(r).CreateSegment(r.Context(), req.Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.reply(w, http.StatusOK, []Created{{ID: s.ID, Timestamp: h.timestamp(), Status: success}})
}

// membersRequest is the body of POST /users/segments/members.
type membersRequest struct {
	Segments []string `json:"segments"`
	Users    []string `json:"users"`
}

// POST /users/segments/members: add users to segments.
func (h *Handler) addMembers(w http.ResponseWriter, r *http.Request) {
	var req membersRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.engine(r).AddToSegments(r.Context(), req.Segments, req.Users); err != nil {
		h.fail(w, r, err)
		return
	}
	h.done(w)
}

func (h *Handler) done(w http.ResponseWriter) {
	h.reply(w, http.StatusOK, Done{Timestamp: h.timestamp(), Status: success})
}
