package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// A UserUpsert is one row of an import given to UpsertUsers: it names a
// user by UserID, else by the default_email of Attributes (ignoring case),
// and says what to merge into that user. No user named yet is created.
type UserUpsert struct {
	// UserID is the user's userId, or "" to name the user by email.
	UserID string
	// Attributes are merged into the user's as UpdateUser merges them (an
	// empty value removes one); default_email may name the user.
	Attributes map[string]string
	// Tags are tag names the user gets.
	Tags []string
	// Segments are ids of segments of explicit members the user joins.
	Segments []string
}

// Upserted is what UpsertUsers did with one UserUpsert.
type Upserted struct {
	// ID is the user's id; "" when Err is set.
	ID string
	// Created says that the upsert created the user rather than updated it.
	Created bool
	// Err, if not nil, is why nothing of the upsert was stored: a
	// *FieldError, ErrConflict (its userId or email belongs to someone
	// else) or ErrNotFound (a segment that does not exist).
	Err error
}

// CheckUpsert checks an upsert on its own: a valid userId if any, valid
// attributes (at most 99; empty values remove), at most 100 valid tags and
// 100 segment ids, and a userId or a default_email to name the user by.
func CheckUpsert(up *UserUpsert) error {
	if up.UserID != "" {
		if err := CheckUserID(up.UserID); err != nil {
			return err
		}
	}
	if len(up.Attributes) > 0 {
		if err := CheckAttributeUpdate("attributes", up.Attributes); err != nil {
			return err
		}
	}
	if up.UserID == "" && up.Attributes[AttrEmail] == "" {
		return invalid("userId", "must be given, or attributes.default_email, to name the user")
	}
	return CheckUser(&User{Tags: up.Tags, Segments: up.Segments})
}

// An UpsertPlan is what a batch of upserts comes to, computed by
// PlanUpserts before anything is written: the outcome of each upsert and
// the users to write. Backends share it, so that the rules of an upsert
// read the same whichever stores it.
type UpsertPlan struct {
	// Results has one Upserted per upsert.
	Results []Upserted
	// Users are the users the upserts created or changed, each once, in
	// the order the upserts first touched them.
	Users []*PlannedUser
}

// A PlannedUser is a user as an UpsertPlan leaves it.
type PlannedUser struct {
	// Old is the user as stored before the batch; nil for a new user.
	Old *User
	// New is the user to store.
	New User

	kept bool // in UpsertPlan.Users
}

// Added returns the tags and segments New has and Old had not.
func (p *PlannedUser) Added() (tags, segments []string) {
	if p.Old == nil {
		return p.New.Tags, p.New.Segments
	}
	for _, t := range p.New.Tags {
		if !p.Old.HasTag(t) {
			tags = append(tags, t)
		}
	}
	for _, s := range p.New.Segments {
		if !p.Old.InSegment(s) {
			segments = append(segments, s)
		}
	}
	return tags, segments
}

// EmailChanged reports whether New's default_email, ignoring case, is
// not Old's, and returns both in lower case ("" for none or a new user's
// old one).
func (p *PlannedUser) EmailChanged() (changed bool, old, new string) {
	new = strings.ToLower(p.New.Email())
	if p.Old != nil {
		old = strings.ToLower(p.Old.Email())
	}
	return old != new, old, new
}

// UpsertLookup is how PlanUpserts reads a backend, in the transaction that
// will write the plan.
type UpsertLookup struct {
	// ByUserID returns the user with that userId, or nil.
	ByUserID func(userID string) (*User, error)
	// ByEmail returns the user with that default_email (given in lower
	// case), or nil.
	ByEmail func(email string) (*User, error)
	// Segment returns nil for a segment of explicit members, ErrNotFound
	// for no segment, and a *FieldError for a saved filter's.
	Segment func(id string) error
	// NewUser checks u as CreateUser does and returns the user to store,
	// with its id, userId and times set.
	NewUser func(u *User) (User, error)
}

// PlanUpserts applies ups in order to the users look reads and returns
// the plan; see Users.UpsertUsers for the rules. It returns an error only
// when look does.
func PlanUpserts(ups []UserUpsert, look UpsertLookup) (*UpsertPlan, error) {
	p := &planner{
		look:     look,
		byUserID: make(map[string]*PlannedUser, len(ups)),
		byEmail:  make(map[string]*PlannedUser, len(ups)),
		byID:     make(map[string]*PlannedUser, len(ups)),
		segs:     map[string]error{},
		plan:     &UpsertPlan{Results: make([]Upserted, len(ups)), Users: make([]*PlannedUser, 0, len(ups))},
	}
	for i := range ups {
		r, err := p.apply(&ups[i])
		if err != nil {
			return nil, err
		}
		p.plan.Results[i] = r
	}
	return p.plan, nil
}

type planner struct {
	look     UpsertLookup
	byUserID map[string]*PlannedUser // nil: known absent
	byEmail  map[string]*PlannedUser // lower case; nil: known absent
	byID     map[string]*PlannedUser
	segs     map[string]error
	plan     *UpsertPlan
}

// apply plans one upsert; an error in its Upserted leaves the plan as it
// was.
func (p *planner) apply(up *UserUpsert) (Upserted, error) {
	fail := func(err error) (Upserted, error) {
		if isStoreFailure(err) {
			return Upserted{}, err
		}
		return Upserted{Err: err}, nil
	}
	if err := CheckUpsert(up); err != nil {
		return Upserted{Err: err}, nil
	}
	for _, s := range up.Segments {
		if err := p.segment(s); err != nil {
			return fail(err)
		}
	}
	var pu *PlannedUser
	var err error
	if up.UserID != "" {
		if pu, err = p.userID(up.UserID); err != nil {
			return fail(err)
		}
	}
	email := up.Attributes[AttrEmail]
	if pu == nil && email != "" {
		if pu, err = p.email(email); err != nil {
			return fail(err)
		}
		if pu != nil && up.UserID != "" {
			return fail(fmt.Errorf("%w: attributes.default_email %q belongs to user %q", ErrConflict, email, pu.New.UserID))
		}
	}
	if pu == nil {
		return p.create(up)
	}
	n := pu.New.Clone()
	if len(up.Attributes) > 0 {
		n.Attributes = MergeAttributes(n.Attributes, up.Attributes)
		if len(n.Attributes) == 0 {
			return fail(invalid("attributes", "must leave the user at least 1 attribute"))
		}
		if err := CheckAttributes("attributes", n.Attributes); err != nil {
			return fail(err)
		}
	}
	if ne := strings.ToLower(n.Email()); ne != "" && ne != strings.ToLower(pu.New.Email()) {
		other, err := p.email(ne)
		if err != nil {
			return fail(err)
		}
		if other != nil && other != pu {
			return fail(fmt.Errorf("%w: attributes.default_email %q is in use", ErrConflict, n.Email()))
		}
	}
	if n.Tags, _ = AddTagNames(n.Tags, up.Tags); len(n.Tags) > MaxTagsPerUser {
		return fail(invalid("tags", fmt.Sprintf("the user would have more than %d tags", MaxTagsPerUser)))
	}
	for _, s := range up.Segments {
		if !n.InSegment(s) {
			n.Segments = append(n.Segments, s)
		}
	}
	slices.Sort(n.Segments)
	p.keep(pu, n)
	return Upserted{ID: n.ID}, nil
}

// create plans a new user.
func (p *planner) create(up *UserUpsert) (Upserted, error) {
	// NewUser copies what it keeps; only the attributes to leave out
	// (empty values) need a copy first.
	in := User{UserID: up.UserID, Attributes: up.Attributes, Tags: up.Tags, Segments: up.Segments}
	for _, v := range up.Attributes {
		if v == "" {
			if in.Attributes = MergeAttributes(nil, up.Attributes); len(in.Attributes) == 0 {
				in.Attributes = nil
			}
			break
		}
	}
	u, err := p.look.NewUser(&in)
	if err != nil {
		return Upserted{Err: err}, nil
	}
	if up.UserID == "" {
		// The email became the userId: it must be free as one.
		taken, err := p.userID(u.UserID)
		if err != nil {
			return Upserted{}, err
		}
		if taken != nil {
			return Upserted{Err: fmt.Errorf("%w: userId %q is in use", ErrConflict, u.UserID)}, nil
		}
	}
	pu := &PlannedUser{}
	p.byID[u.ID] = pu
	p.byUserID[u.UserID] = pu
	p.keep(pu, u)
	return Upserted{ID: u.ID, Created: true}, nil
}

// keep makes n the planned state of pu.
func (p *planner) keep(pu *PlannedUser, n User) {
	if old, e := strings.ToLower(pu.New.Email()), strings.ToLower(n.Email()); old != e {
		if old != "" {
			p.byEmail[old] = nil
		}
		if e != "" {
			p.byEmail[e] = pu
		}
	}
	pu.New = n
	if !pu.kept {
		pu.kept = true
		p.plan.Users = append(p.plan.Users, pu)
	}
}

func (p *planner) userID(userID string) (*PlannedUser, error) {
	if pu, ok := p.byUserID[userID]; ok {
		return pu, nil
	}
	u, err := p.look.ByUserID(userID)
	if err != nil {
		return nil, err
	}
	pu := p.known(u)
	p.byUserID[userID] = pu
	return pu, nil
}

func (p *planner) email(email string) (*PlannedUser, error) {
	e := strings.ToLower(email)
	if pu, ok := p.byEmail[e]; ok {
		return pu, nil
	}
	u, err := p.look.ByEmail(e)
	if err != nil {
		return nil, err
	}
	pu := p.known(u)
	p.byEmail[e] = pu
	return pu, nil
}

// known returns the planned user for u, a user read from the backend.
func (p *planner) known(u *User) *PlannedUser {
	if u == nil {
		return nil
	}
	if pu, ok := p.byID[u.ID]; ok {
		return pu
	}
	pu := &PlannedUser{Old: u, New: u.Clone()}
	p.byID[u.ID] = pu
	p.byUserID[u.UserID] = pu
	if e := strings.ToLower(u.Email()); e != "" {
		p.byEmail[e] = pu
	}
	return pu
}

func (p *planner) segment(id string) error {
	err, ok := p.segs[id]
	if !ok {
		err = p.look.Segment(id)
		p.segs[id] = err
	}
	return err
}

// isStoreFailure reports whether err is the backend failing rather than
// an upsert breaking a rule.
func isStoreFailure(err error) bool {
	return !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrConflict) && !errors.Is(err, ErrNotFound)
}
