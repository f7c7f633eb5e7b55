package httpadapter_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store"
)

// TestIntelLeads: page views of users with company emails make leads,
// which the intel operations list, show the people of and tag, on the
// socket and over REST.
func TestIntelLeads(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	for _, u := range []store.User{
		{UserID: "ann", Attributes: map[string]string{"default_email": "ann@acme.com", "default_name": "Ann Lee", "default_phone": "+39 02 1234"}},
		{UserID: "bob", Attributes: map[string]string{"default_email": "bob@globex.example"}},
		{UserID: "eve", Attributes: map[string]string{"default_email": "eve@gmail.com"}},
	} {
		if _, err := s.eng.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []struct{ user, url string }{{"ann", "https://shop.example/"}, {"eve", "https://shop.example/"}, {"bob", "https://shop.example/pricing"}} {
		if r := s.do(t, t.Context(), "POST", "/page-views", devToken, map[string]any{"sessionId": "session-" + v.user + "-01", "userId": v.user, "url": v.url, "ip": "203.0.113.9"}); r.status != 200 {
			t.Fatalf("page view: %d %s", r.status, r.body)
		}
	}
	if r := s.do(t, offSpec(t.Context()), "POST", "/page-views", devToken, map[string]any{"sessionId": "session-ann-01", "url": "https://shop.example/", "ip": "not-an-ip"}); r.status != 400 {
		t.Errorf("bad ip: got %d %s", r.status, r.body)
	}

	w := dialSocket(t, s)
	w.login()
	var leads struct {
		Leads []httpadapter.Lead `json:"leads"`
		Count int                `json:"count"`
	}
	w.ok(`intel.leadlist`, "intel.leadlist", &leads)
	var got []string
	for _, l := range leads.Leads {
		got = append(got, fmt.Sprintf("%s:%d:%d", l.Company, l.People, l.Visits))
	}
	if fmt.Sprint(got) != "[globex.example:1:1 acme.com:1:1]" || leads.Count != 2 {
		t.Errorf("intel.leadlist: got %v (count %d)", got, leads.Count)
	}
	w.ok(`intel.leadlist {"limit": 1, "offset": 1}`, "intel.leadlist", &leads)
	if len(leads.Leads) != 1 || leads.Leads[0].Company != "acme.com" {
		t.Errorf("intel.leadlist page 2: got %+v", leads.Leads)
	}

	var people struct {
		People []httpadapter.Person `json:"people"`
	}
	w.ok(`intel.keypeople {"company": "acme.com"}`, "intel.keypeople", &people)
	if len(people.People) != 1 || people.People[0].Name != "Ann" || people.People[0].Surname != "Lee" ||
		people.People[0].Email != "ann@acme.com" || people.People[0].Phone != "+39 02 1234" {
		t.Errorf("intel.keypeople: got %+v", people.People)
	}

	var tagged struct {
		Company httpadapter.Lead `json:"company"`
	}
	w.ok(`intel.addtag {"company": "acme.com", "tags": ["hot", "enterprise"]}`, "intel.addtag", &tagged)
	if fmt.Sprint(tagged.Company.Tags) != "[hot enterprise]" {
		t.Errorf("intel.addtag: got %+v", tagged.Company)
	}
	w.ok(`intel.removetag {"company": "acme.com", "tag": "hot"}`, "intel.removetag", &tagged)
	if fmt.Sprint(tagged.Company.Tags) != "[enterprise]" {
		t.Errorf("intel.removetag: got %+v", tagged.Company)
	}
	w.ok(`intel.leadlist {"tag": "enterprise"}`, "intel.leadlist", &leads)
	if len(leads.Leads) != 1 || leads.Leads[0].Company != "acme.com" {
		t.Errorf("intel.leadlist by tag: got %+v", leads.Leads)
	}

	for _, c := range []struct {
		frame, field string
		code         int
	}{
		{`intel.keypeople {"company": "nowhere.example"}`, "company", 404},
		{`intel.keypeople {"company": "Not A Domain"}`, "company", 400},
		{`intel.keypeople`, "", 400},
		{`intel.addtag {"company": "acme.com", "tags": []}`, "tags", 400},
		{`intel.addtag {"company": "nowhere.example", "tags": ["x"]}`, "company", 404},
		{`intel.removetag {"company": "acme.com", "tags": [""]}`, "tags[0]", 400},
		{`intel.leadlist {"limit": 101}`, "limit", 400},
		{`intel.leadlist {"offset": -1}`, "offset", 400},
		{`intel.leadlist {"color": "red"}`, "color", 400},
	} {
		if r := w.send(c.frame); r.Status.Code != c.code || r.Field != c.field {
			t.Errorf("%s: got %d field %q (%s), want %d field %q", c.frame, r.Status.Code, r.Field, r.Status.Message, c.code, c.field)
		}
	}

	// The same over REST.
	r := s.do(t, t.Context(), "POST", "/userbot/intel.keypeople", devToken, map[string]any{"company": "globex.example"})
	var rest struct {
		Data struct {
			People []httpadapter.Person `json:"people"`
		} `json:"data"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &rest) != nil || len(rest.Data.People) != 1 || rest.Data.People[0].UserID != "bob" {
		t.Errorf("POST /userbot/intel.keypeople: %d %s", r.status, r.body)
	}
}
