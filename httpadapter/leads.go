package httpadapter

import (
	"strings"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// Lead is a company in the replies of Userbot's intel operations.
type Lead struct {
	Company    string   `json:"company"` // its domain
	Name       string   `json:"name"`
	Tags       []string `json:"tags"`
	People     int      `json:"people"`
	Visits     int      `json:"visits"`
	FirstSeen  string   `json:"firstSeen"`
	LastActive string   `json:"lastActive"`
}

func lead(c *store.Company) Lead {
	l := Lead{Company: c.Domain, Name: c.Name, Tags: c.Tags, People: c.People, Visits: c.Visits,
		FirstSeen: stamp(c.FirstSeen), LastActive: stamp(c.LastActive)}
	if l.Tags == nil {
		l.Tags = []string{}
	}
	return l
}

// Person is one of a company's key people: their name, surname and
// contacts.
type Person struct {
	ID       string `json:"id"`
	UserID   string `json:"userId"`
	Name     string `json:"name"`
	Surname  string `json:"surname"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	LastSeen string `json:"lastSeen"`
}

// AttrSurname is the attribute a person's surname is read from; without
// it, default_name is split at its first space.
const AttrSurname = "default_surname"

func person(u *store.User) Person {
	name, surname := u.Attributes[store.AttrName], u.Attributes[AttrSurname]
	if surname == "" {
		name, surname, _ = strings.Cut(name, " ")
	}
	return Person{ID: u.ID, UserID: u.UserID, Name: name, Surname: surname, Email: u.Attributes[store.AttrEmail],
		Phone: u.Attributes[engine.AttrPhone], LastSeen: stamp(u.LastSeen)}
}

// opLeads is intel.leadlist {"limit","offset","tag"}: the companies the
// users come from, most recently active first.
func opLeads(c *opCall) (any, error) {
	var p struct {
		Limit  int    `json:"limit"`
		Offset int    `json:"offset"`
		Tag    string `json:"tag"`
	}
	if err := c.payload(&p, false); err != nil {
		return nil, err
	}
	cs, err := c.eng.Leads(c.ctx, engine.LeadQuery{Limit: p.Limit, Offset: p.Offset, Tag: p.Tag})
	if err != nil {
		return nil, err
	}
	leads := make([]Lead, len(cs))
	for i := range cs {
		leads[i] = lead(&cs[i])
	}
	return map[string]any{"leads": leads, "count": len(leads)}, nil
}

// opKeyPeople is intel.keypeople {"company"}: the company's people, the
// most recently seen first.
func opKeyPeople(c *opCall) (any, error) {
	var p struct {
		Company string `json:"company"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	if err := store.CheckDomain("company", p.Company); err != nil {
		return nil, err
	}
	users, err := c.eng.KeyPeople(c.ctx, p.Company)
	if err != nil {
		return nil, err
	}
	people := make([]Person, len(users))
	for i := range users {
		people[i] = person(&users[i])
	}
	return map[string]any{"people": people}, nil
}

func opLeadTagAdd(c *opCall) (any, error)    { return c.tagLead(false) }
func opLeadTagRemove(c *opCall) (any, error) { return c.tagLead(true) }

// tagLead is intel.addtag and intel.removetag {"company","tags"} (or
// "tag"): the company with its tags after the change.
func (c *opCall) tagLead(remove bool) (any, error) {
	var p struct {
		Company string   `json:"company"`
		Tag     string   `json:"tag"`
		Tags    []string `json:"tags"`
	}
	if err := c.payload(&p, true); err != nil {
		return nil, err
	}
	if p.Tag != "" {
		p.Tags = append(p.Tags, p.Tag)
	}
	if err := store.CheckDomain("company", p.Company); err != nil {
		return nil, err
	}
	if err := store.CheckCompanyTags("tags", p.Tags); err != nil {
		return nil, err
	}
	add, del := p.Tags, []string(nil)
	if remove {
		add, del = nil, p.Tags
	}
	co, err := c.eng.TagLead(c.ctx, p.Company, add, del)
	if err != nil {
		return nil, err
	}
	return map[string]any{"company": lead(&co)}, nil
}
