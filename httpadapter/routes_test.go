package httpadapter_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
)

// TestRoutes walks every route once, as the README's curl session does.
func TestRoutes(t *testing.T) {
	s := newServer(t)
	id := s.createUser(t, "joe", map[string]string{"default_name": "Joe", "default_email": "joe@example.com"})

	resp := s.chat(t, clientToken, engine.Request{SessionID: "session-joe-1", UserID: "joe", Query: "a latte please"})
	if got := resp.Result.Interaction.Name; got != "Order" {
		t.Errorf("chat: got interaction %q, want Order", got)
	}
	if len(resp.Result.Fulfillment) != 1 || resp.Result.Fulfillment[0].Message != "Coming up." {
		t.Errorf("chat: got fulfillment %+v, want Coming up.", resp.Result.Fulfillment)
	}
	if resp.SessionID != "session-joe-1" || resp.Status.Type != "success" || resp.Status.Code != 200 {
		t.Errorf("chat: got sessionId %q, status %+v", resp.SessionID, resp.Status)
	}

	var list httpadapter.UserList
	s.dev(t, "GET", "/users", nil).decode(t, &list)
	if list.Count != 1 || len(list.Data) != 1 || list.Data[0].ID != id {
		t.Fatalf("list: got %+v, want the one user %s", list, id)
	}
	u := list.Data[0]
	if u.UserID != "joe" || u.Conversations != 1 || deref(u.Attributes["default_name"]) != "Joe" {
		t.Errorf("list: got %+v", u)
	}
	if v, ok := u.Attributes["default_url"]; !ok || v != nil {
		t.Errorf("list: got default_url %v (present %v), want null", v, ok)
	}

	s.dev(t, "PUT", "/users/"+id, map[string]any{"attributes": map[string]string{"default_city": "Paris"}}).decode(t, &httpadapter.Done{})
	s.dev(t, "PUT", "/users/"+id+"/session", map[string]any{"sessionId": "session-joe-1", "attributes": map[string]string{"table": "7"}}).decode(t, &httpadapter.Done{})

	var segs []httpadapter.Created
	s.dev(t, "POST", "/users/segments", map[string]string{"name": "Leads"}).decode(t, &segs)
	seg := segs[0].ID
	var slist httpadapter.SegmentList
	s.dev(t, "GET", "/users/segments", nil).decode(t, &slist)
	if slist.Count != 1 || slist.Data[0].ID != seg || slist.Data[0].Name != "Leads" {
		t.Errorf("segments: got %+v, want Leads %s", slist, seg)
	}
	s.dev(t, "POST", "/users/segments/members", map[string]any{"segments": []string{seg}, "users": []string{id}}).decode(t, &httpadapter.Done{})

	var d httpadapter.UserDetails
	s.dev(t, "GET", "/users/"+id, nil).decode(t, &d)
	if d.UserID != "joe" || deref(d.Attributes["default_city"]) != "Paris" || d.SessionAttributes["table"] != "7" {
		t.Errorf("details: got %+v", d)
	}
	if len(d.Conversations) != 1 || deref(d.Conversations[0].FirstMessage) != "a latte please" {
		t.Errorf("details: got conversations %+v, want one starting with a latte please", d.Conversations)
	}
	if len(d.Segments) != 1 || d.Segments[0].ID != seg || d.Segments[0].Name != "Leads" {
		t.Errorf("details: got segments %+v, want Leads", d.Segments)
	}

	// null, like "", removes an attribute.
	s.dev(t, "PUT", "/users/"+id, `{"attributes": {"default_city": null}}`).decode(t, &httpadapter.Done{})
	var d2 httpadapter.UserDetails
	s.dev(t, "GET", "/users/"+id, nil).decode(t, &d2)
	if v, ok := d2.Attributes["default_city"]; !ok || v != nil {
		t.Errorf("after removal: got default_city %v (present %v), want null", deref(v), ok)
	}

	s.dev(t, "DELETE", "/users/"+id, nil).decode(t, &httpadapter.Done{})
	r := s.dev(t, "GET", "/users/"+id, nil)
	if e := r.errorBody(t); r.status != http.StatusNotFound || e.Field != "id" {
		t.Errorf("after delete: got %d %+v, want 404 naming id", r.status, e)
	}
	s.dev(t, "GET", "/users", nil).decode(t, &list)
	if list.Count != 0 {
		t.Errorf("after delete: got %d users, want 0", list.Count)
	}
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// TestListUsersQuery checks the query string of List users, filters
// included, as the package documentation describes it.
func TestListUsersQuery(t *testing.T) {
	s := newServer(t)
	var ids []string
	for _, c := range []struct{ user, city string }{{"ann", "Paris"}, {"bob", "Rome"}, {"cat", "Paris"}} {
		ids = append(ids, s.createUser(t, c.user, map[string]string{"default_city": c.city}))
	}
	var seg []httpadapter.Created
	s.dev(t, "POST", "/users/segments", map[string]string{"name": "VIP"}).decode(t, &seg)
	s.dev(t, "POST", "/users/segments/members", map[string]any{"segments": []string{seg[0].ID}, "users": []string{ids[1]}}).decode(t, &httpadapter.Done{})
	s.chat(t, devToken, engine.Request{SessionID: "session-ann-1", UserID: "ann", Query: "hello"})

	for _, tc := range []struct {
		name  string
		query url.Values
		want  []string // userIds, in order
	}{
		{"Default", nil, []string{"cat", "bob", "ann"}},
		{"Limit", url.Values{"limit": {"2"}}, []string{"cat", "bob"}},
		{"After", url.Values{"after": {ids[1]}}, []string{"ann"}},
		{"Asc", url.Values{"sort.order": {"asc"}}, []string{"ann", "bob", "cat"}},
		{"LastSeen", url.Values{"sort.field": {"lastSeen"}, "limit": {"1"}}, []string{"ann"}},
		{"Equals", url.Values{"filters": {"attributes.default_city:equals:Paris"}}, []string{"cat", "ann"}},
		{"Any", url.Values{"match": {"any"}, "filters": {"attributes.default_city:equals:Rome", "attributes.default_city:contains:ari"}}, []string{"cat", "bob", "ann"}},
		{"All", url.Values{"filters": {"attributes.default_city:equals:Paris", "attributes.default_city:notEquals:Paris"}}, nil},
		{"Exists", url.Values{"filters": {"attributes.default_city:exists"}, "limit": {"1"}}, []string{"cat"}},
		{"Segment", url.Values{"filters": {"segment:equals:" + seg[0].ID}}, []string{"bob"}},
		{"NotSegment", url.Values{"filters": {"segment:notEquals:" + seg[0].ID}}, []string{"cat", "ann"}},
		{"Banned", url.Values{"filters": {"banned:equals:false"}, "limit": {"1"}}, []string{"cat"}},
		{"CreatedBefore", url.Values{"filters": {"createdAt:before:" + time.Now().Add(time.Hour).Format(time.RFC3339Nano)}, "limit": {"1"}}, []string{"cat"}},
		{"CreatedAfter", url.Values{"filters": {"createdAt:after:" + time.Now().Add(time.Hour).In(time.FixedZone("", 3600)).Format(time.RFC3339)}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var list httpadapter.UserList
			s.dev(t, "GET", "/users?"+tc.query.Encode(), nil).decode(t, &list)
			var got []string
			for _, u := range list.Data {
				got = append(got, u.UserID)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") || list.Count != len(tc.want) {
				t.Errorf("got %v (count %d), want %v", got, list.Count, tc.want)
			}
		})
	}
}

// TestSegmentsRoutePrecedence checks that /users/segments is not taken for
// a user id by the methods it has no route for.
func TestSegmentsRoutePrecedence(t *testing.T) {
	s := newServer(t)
	var list httpadapter.SegmentList
	s.dev(t, "GET", "/users/segments", nil).decode(t, &list)
	r := s.do(t, offSpec(t.Context()), "DELETE", "/users/segments", devToken, nil)
	if e := r.errorBody(t); r.status != http.StatusBadRequest || e.Field != "id" {
		t.Errorf("DELETE /users/segments: got %d %+v, want 400 naming id (no segment route has DELETE)", r.status, e)
	}
}
