package engine

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// A turn is one Chat call. Its run method is the function given to
// store.Sessions.Update: it may run more than once, so everything it
// computes is reset at the start of each attempt, and the only thing that
// outlives an attempt is memo, the results of the host's hooks, so that a
// retried attempt reuses them instead of calling the host again.
//
// Turns are recycled (see turns): Chat takes one, and frees it once it
// has copied the Response out.
type turn struct {
	fn     func(*store.Turn) error // run, bound once for the turn's lifetime
	e      *Engine
	cb     *compiled
	req    Request
	ctx    context.Context
	userID string // store id of the request's user, "" if none
	// threadID is the thread the turn goes to, "" for the session's.
	threadID string
	// said is what the user said of a goto (a button's title), "" if
	// nothing.
	said string
	// auto is the id of the automated message the turn sends, "" if none.
	auto string
	memo map[string]hookResult
	attempt
}

// attempt is the part of a turn that run resets at each attempt.
type attempt struct {
	t        *store.Turn
	cs       *cstory
	now      time.Time
	rng      uint64
	resp     Response
	res      *Result
	env      story.Env
	params   map[string]string // parameters of the interaction answering
	ctxPar   map[string]string // parameters of the active context, before the turn
	delay    int
	debug    bool
	fallback bool
	handoff  bool
	agent    bool
	doReset  bool
	// mode and escalated are the thread's before the turn.
	mode      string
	escalated bool
	// upstream is set when a host hook failed and the turn went on
	// without it.
	upstream bool
	// email is the user's email before the turn.
	email string
	// lang is the turn's language, one of the bot's (see turnLanguage).
	lang string
	// persona is the persona the turn answers in; selected is the
	// thread's after the turn's persona actions, when one ran.
	persona, selected string
	personaAction     bool
	doEnd             bool
	notes             []attrNote // attributes left out, logged after the commit
	// meetings are the meetings the turn's meeting actions ask for,
	// recorded after the commit.
	meetings []meetingRequest
	// found caches what each entity's extractor found in the query: a
	// turn may extract the parameters of one interaction several times
	// (a condition, the answer to a question, then entering it).
	found    []found
	foundBuf [4]found
}

// found is what one entity's extractor found in the query.
type found struct {
	entity string
	hits   []nlu.Entity
}

// turns recycles turns, so that a Chat call allocates neither the turn
// nor the function it gives the store.
var turns = sync.Pool{New: func() any {
	tr := new(turn)
	tr.fn = tr.run
	return tr
}}

// free forgets everything of the Chat call (a turn in the pool must not
// keep its maps and slices alive) and puts tr back in the pool.
func (tr *turn) free() {
	*tr = turn{fn: tr.fn}
	turns.Put(tr)
}

type hookResult struct {
	web       WebhookResult
	available bool
	code      Code
	err       error
}

// run is the body of the turn's transaction.
func (tr *turn) run(t *store.Turn) error {
	tr.attempt = attempt{}
	tr.t = t
	if tr.auto != "" {
		t.Counters.Automated++
	}
	tr.found = tr.foundBuf[:0]
	tr.now = tr.e.now()
	tr.debug = tr.req.Debug
	req, cb, s := &tr.req, tr.cb, t.Session
	tr.res = &tr.resp.Result
	res := tr.res
	tr.resp.SessionID = req.SessionID
	tr.resp.Status = Status{Code: 200, Type: "success"}
	res.Source = SourceBot
	res.ResolvedQuery = firstOf(req.Query, req.Trigger, req.Goto)
	res.Confidence = cb.confidence
	if req.Confidence != 0 {
		res.Confidence = req.Confidence
	}

	if tr.userID != "" {
		if err := t.SetUser(tr.userID); err != nil {
			return fmt.Errorf("engine: user %q: %w", req.UserID, err)
		}
	}
	if tr.threadID != "" {
		if err := t.UseThread(tr.threadID); err != nil {
			return fmt.Errorf("engine: %w", err)
		}
		if uid := t.Thread.UserID; uid != "" && t.User == nil {
			if err := t.SetUser(uid); err != nil {
				return fmt.Errorf("engine: the thread's user: %w", err)
			}
		}
	}
	if t.Thread != nil {
		tr.mode, tr.escalated = t.Thread.Mode, t.Thread.Escalated
	}

	// The story: the request's, else the session's, else the default.
	var cs *cstory
	if req.StoryID != "" {
		cs = cb.stories[req.StoryID]
	}
	if cs == nil {
		cs = cb.stories[s.StoryID]
	}
	if cs == nil {
		cs = cb.def
	}
	if req.Goto != "" {
		cs = cb.stories[cb.inters[req.Goto].Story.ID]
	}
	tr.moveTo(cs)
	// State naming interactions the bot no longer has (after a reload).
	if len(s.Contexts) > 0 && cb.inters[s.Contexts[0].InteractionID] == nil {
		s.Contexts = nil
	}
	if s.Slot != nil && cb.inters[s.Slot.InteractionID] == nil {
		s.Slot = nil
	}
	var shown string // the interaction that gave the last answer, before a reset
	if len(s.Contexts) > 0 {
		shown = s.Contexts[0].InteractionID
	}
	if req.Reset {
		resetSession(s)
		if t.Thread != nil && t.Thread.Mode == store.ModeAgent {
			t.Thread.Mode = store.ModeAI
		}
	}
	s.ExpiresAt = t.Now.Add(cb.timeout)
	keepOpen(s, cb.timeout)

	// Variants are picked from a stream that depends only on the seed,
	// the session and its position in its thread.
	tr.rng = tr.e.seed ^ fnv64(req.SessionID)
	if t.Thread != nil {
		tr.rng += uint64(t.Thread.Messages) * 0x9e3779b97f4a7c15
	}

	agentMode := t.Thread != nil && t.Thread.EndedAt.IsZero() && t.Thread.Mode == store.ModeAgent
	if !agentMode {
		// Room for the user's message and the bot's, in one allocation.
		t.Messages = slices.Grow(t.Messages, 2)
	}
	// The user's message: typed, a button pressed or a trigger. An
	// automated message's goto is the bot's doing, not the user's.
	switch {
	case req.Query != "":
		t.Append(store.Message{Type: store.UserMessage, Text: req.Query})
	case tr.auto != "":
	case req.Goto != "":
		said := tr.said
		if said == "" {
			said = tr.pressed(shown, req.Goto)
		}
		t.Append(store.Message{Type: store.UserMessage, Text: said, Goto: req.Goto})
	case req.Trigger != "":
		t.Append(store.Message{Type: store.UserMessage, Text: req.Trigger, Trigger: req.Trigger})
	}
	if t.Thread != nil && t.Thread.EndedAt.IsZero() {
		tr.persona = t.Thread.Persona // an ended thread's is not the next one's
	}
	if tr.persona == "" {
		tr.persona = tr.e.AssignedPersona()
	}
	if v := s.Verification; v != nil && req.Query != "" && isCode(req.Query) {
		// The user enters the one-time code awaited.
		tr.checkCode(v)
		res.Source = SourceVerification
		tr.finishResult()
		tr.e.deliver(t)
		return nil
	}
	if agentMode {
		// A human agent has the conversation: record the message only.
		res.Source = SourceAgent
		tr.finishResult()
		tr.e.deliver(t)
		return nil
	}
	if limit := cb.bot.Settings.MessageLimit; limit > 0 && tr.auto == "" && t.Thread.Messages >= limit {
		// The thread is full: record the message (typed, pressed or a
		// trigger), say so, answer no more.
		t.Append(store.Message{Type: store.SystemMessage, SystemType: store.ExceededUsageLimits})
		res.Source = SourceLimit
		tr.finishResult()
		tr.e.deliver(t)
		return nil
	}

	if t.Thread != nil && req.Query != "" && tr.e.escalationPrompt(req.Query) {
		// The user chose an escalation follow-up prompt: a person takes
		// the thread over and the bot stays silent.
		escalate(t)
		res.Source = SourceAgent
		tr.finishResult()
		tr.e.deliver(t)
		return nil
	}
	var user map[string]string
	if t.User != nil {
		user = t.User.Attributes
	}
	tr.email = tr.givenEmail()
	tr.lang = cb.turnLanguage(req.Language, user["default_language"])
	tr.env = story.Env{User: user, Session: s.Attributes, Message: req.Query, Failures: s.Failures, Time: tr.now.In(tr.e.conditionZone(cb, user))}
	if len(s.Contexts) > 0 {
		tr.ctxPar = s.Contexts[0].Parameters
	}

	if err := tr.pick(); err != nil {
		return err
	}
	if tr.doEnd {
		endSession(s, t)
	} else if tr.doReset {
		resetSession(s)
	}
	tr.finishResult()
	tr.appendBotMessage()
	if tr.fallback {
		t.Counters.Fallbacks++
		t.Fallback = fallbackText(tr.req.Query)
	}
	if tr.handoff && tr.agent {
		escalate(t)
	}
	if tr.upstream {
		t.Append(store.Message{Type: store.SystemMessage, SystemType: store.UpstreamProblem})
	}
	if tr.personaAction {
		selectPersona(t, tr.selected)
	}
	if email := tr.givenEmail(); email != "" && email != tr.email {
		// The user gave an email address: a lead (see Engine.deliver).
		t.Append(store.Message{Type: store.SystemMessage, SystemType: store.ProvidedEmail, Text: email})
		if tr.e.codes != nil && t.User != nil {
			tr.startVerification(email)
		}
	}
	if tr.doEnd && t.Thread != nil {
		t.Thread.EndedAt = t.Now
	}
	tr.e.deliver(t)
	return nil
}

// givenEmail returns the email the conversation knows: the user's
// default_email attribute, or the session's when it has no user.
func (tr *turn) givenEmail() string {
	if u := tr.t.User; u != nil {
		return u.Attributes[store.AttrEmail]
	}
	return tr.t.Session.Attributes[store.AttrEmail]
}

// moveTo makes cs the session's story. Moving to another story leaves the
// contexts and the pending question of the old one.
func (tr *turn) moveTo(cs *cstory) {
	s := tr.t.Session
	if s.StoryID != cs.s.ID {
		if s.StoryID != "" {
			s.Contexts, s.Slot, s.Blocked, s.Failures = nil, nil, nil, 0
		}
		s.StoryID = cs.s.ID
	}
	tr.cs = cs
}

// pressed returns what the user pressed to go to the interaction target
// when the request does not say it: the title of a button that continues
// there, from the responses of the interaction shown (the one that gave
// the last answer, "" if none) or else of any interaction of the target's
// story, and the target's name if no button does.
func (tr *turn) pressed(shown, target string) string {
	to := tr.cb.inters[target]
	var user map[string]string
	if tr.t.User != nil {
		user = tr.t.User.Attributes
	}
	lang := tr.cb.turnLanguage(tr.req.Language, user["default_language"])
	if in := tr.cb.inters[shown]; in != nil {
		if title := buttonTo(in.Responses, to, lang); title != nil {
			return title.Render(tr.lookup)
		}
	}
	for _, in := range to.Story.Interactions {
		if title := buttonTo(in.Responses, to, lang); title != nil {
			return title.Render(tr.lookup)
		}
	}
	return to.Name
}

// buttonTo returns the title of the first button of rs, in a response of
// language lang or of every language, that continues at target; nil if
// none does.
func buttonTo(rs []*story.Response, target *story.Interaction, lang string) *story.Template {
	find := func(bs []*story.Button) *story.Template {
		for _, b := range bs {
			if b.Kind == story.ButtonGoto && b.Goto == target {
				return b.Title
			}
		}
		return nil
	}
	for _, r := range rs {
		if r.Language != "" && r.Language != lang {
			continue
		}
		var title *story.Template
		switch {
		case r.QuickReplies != nil:
			title = find(r.QuickReplies.Buttons)
		case r.Buttons != nil:
			title = find(r.Buttons.Buttons)
		case r.Card != nil:
			title = find(r.Card.Buttons)
		}
		for _, c := range r.Carousel {
			if title == nil {
				title = find(c.Buttons)
			}
		}
		if title != nil {
			return title
		}
	}
	return nil
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// resetSession returns the session to the root and forgets its attributes,
// its pending question and its backtracking blocks.
func resetSession(s *store.Session) {
	s.Contexts, s.Slot, s.Attributes, s.Blocked, s.Failures = nil, nil, nil, nil, 0
}

// endSession ends the session: it expires now, so the next message starts a
// new one.
func endSession(s *store.Session, t *store.Turn) {
	resetSession(s)
	s.ExpiresAt = t.Now
}

// pick chooses the interaction that answers and runs it:
// goto > trigger > pending slot filling > NLU > fallback.
func (tr *turn) pick() error {
	req, cs, s := &tr.req, tr.cs, tr.t.Session
	switch {
	case req.Goto != "":
		s.Slot = nil
		return tr.enter(tr.cb.inters[req.Goto], 1, nil, 0)
	case req.Trigger != "":
		var in *story.Interaction
		if req.Trigger == "welcome" {
			in = cs.s.Welcome
		} else {
			in = cs.triggers[req.Trigger]
		}
		if in == nil {
			// A trigger of another story: enter moves the session there.
			if in = tr.cb.triggers[req.Trigger]; in == nil {
				return invalid("trigger", "must name a trigger of the bot (or be \"welcome\")")
			}
		}
		s.Slot = nil
		return tr.enter(in, 1, nil, 0)
	}
	if s.Slot != nil {
		done, err := tr.fillSlot()
		if done || err != nil {
			return err
		}
	}
	in, score, best := tr.match()
	if in == nil {
		return tr.fallBack(best)
	}
	return tr.enter(in, score, nil, 0)
}

// match ranks the eligible interactions against the query and returns the
// best one that reaches the threshold and whose condition holds, with its
// score, and the best score below the threshold (a fallback's score).
func (tr *turn) match() (*story.Interaction, float64, float64) {
	s := tr.t.Session
	mt := tr.cs.in(tr.lang, tr.cb.lang)
	if mt == nil {
		return nil, 0, 0
	}
	ctxID := ""
	if len(s.Contexts) > 0 {
		ctxID = s.Contexts[0].InteractionID
	}
	el := mt.under(ctxID)
	set := el.set
	if len(s.Blocked) > 0 {
		labels := make([]string, 0, len(el.labels))
		for _, l := range el.labels {
			if !contains(s.Blocked, l) {
				labels = append(labels, l)
			}
		}
		set = mt.matcher.Set(labels...)
	}
	ms := mt.matcher.Predict(tr.req.Query, set)
	var sel *story.Interaction
	var score, best float64
	for _, m := range ms {
		if m.Score < tr.res.Confidence {
			best = max(best, m.Score) // a fallback's score
		}
		if !tr.debug && (sel != nil || m.Score < tr.res.Confidence) {
			continue // neither selected nor listed
		}
		in := tr.cb.inters[m.Label]
		ok := m.Score >= tr.res.Confidence
		if ok {
			if c := target(in).Condition; c != nil {
				env := tr.env
				env.Params = noParams
				if len(target(in).Parameters) > 0 {
					env.Params = tr.extract(target(in), nil, "")
				}
				env.Score = m.Score
				ok, _ = c.Eval(&env)
			}
		}
		if ok && sel == nil {
			sel, score = in, m.Score
		}
		if tr.debug {
			tr.res.Candidates = append(tr.res.Candidates, Candidate{ID: in.ID, Name: in.Name, Score: m.Score, Keyword: m.Keyword, Eligible: ok})
		}
	}
	return sel, score, best
}

// turnLanguage returns the language of a turn: the first of the
// request's and the user's default_language that names one of the bot's
// languages (by name or ISO 639-1 code, a region such as "de-AT" aside),
// else the bot's default.
func (cb *compiled) turnLanguage(candidates ...string) string {
	for _, c := range candidates {
		if c == "" {
			continue
		}
		base, _, _ := strings.Cut(strings.ReplaceAll(c, "_", "-"), "-")
		for _, want := range []string{nlu.LanguageName(c), nlu.LanguageName(base)} {
			for _, l := range languages(cb.bot) {
				if nlu.LanguageName(l) == want {
					return l
				}
			}
		}
	}
	return cb.lang
}

// responseLanguage returns the language whose responses of rs a turn in
// lang gives: lang if one of rs is in it, else the default def. A
// response without a language is in the default language if it is a
// message (sayable); an action without one runs in every language.
func responseLanguage(rs []*story.Response, lang, def string) string {
	for _, r := range rs {
		if r.Language == lang {
			return lang
		}
	}
	return def
}

// sayable reports whether responses of kind k say something, in a
// language, rather than act.
func sayable(k story.ResponseKind) bool {
	switch k {
	case story.KindText, story.KindImage, story.KindQuickReplies, story.KindButtons, story.KindCard, story.KindCarousel:
		return true
	}
	return false
}

// noParams is the parameters of an interaction that has none, for a
// condition to read. Never written.
var noParams = map[string]string{}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// target follows a reference.
func target(in *story.Interaction) *story.Interaction {
	if in.Reference != nil {
		return in.Reference
	}
	return in
}

// fallBack answers with the contextual fallback of the active context, or
// else the story's fallback, and uses up one unit of the context's
// lifespan.
func (tr *turn) fallBack(best float64) error {
	s := tr.t.Session
	fb := tr.cs.s.Fallback
	if len(s.Contexts) > 0 {
		if in := tr.cb.inters[s.Contexts[0].InteractionID]; in != nil && in.Fallback != nil {
			fb = in.Fallback
		}
		s.Contexts[0].Lifespan--
		if s.Contexts[0].Lifespan <= 0 {
			s.Contexts = nil
		}
	}
	s.Failures++
	tr.env.Failures = s.Failures
	tr.fallback = true
	tr.res.Score = best
	tr.setInteraction(fb)
	tr.params = map[string]string{}
	return tr.respond(fb, fb.Responses, 0, place{id: fb.ID, depth: -1})
}

// lifespan is the lifespan a matched context starts with.
func (tr *turn) lifespan() int {
	if tr.req.Lifespan != 0 {
		return tr.req.Lifespan
	}
	return tr.cb.lifespan
}

// enter runs a selected interaction: it becomes the active context, its
// parameters are extracted (params holds those already collected), a
// missing required one is asked for, and otherwise its responses run.
// depth is 1 inside a goto, where a further goto is not followed.
func (tr *turn) enter(in *story.Interaction, score float64, params map[string]string, depth int) error {
	in = target(in)
	if in.Story.ID != tr.cs.s.ID {
		tr.moveTo(tr.cb.stories[in.Story.ID]) // a goto into another story
	}
	s := tr.t.Session
	tr.res.Score = score
	tr.setInteraction(in)
	params = tr.extract(in, params, "")
	tr.params = params
	// The context keeps the parameters of the ancestors it was reached
	// through, so that a follow-up's templates can name them.
	cp := params
	if len(tr.ctxPar) > 0 && len(s.Contexts) > 0 && (s.Contexts[0].InteractionID == in.ID || isAncestor(s.Contexts[0].InteractionID, in)) {
		cp = clone(tr.ctxPar)
		for k, v := range params {
			cp[k] = v
		}
	}
	// The session is the turn's own copy: its context list and pending
	// question are reused rather than allocated again.
	if cap(s.Contexts) > 0 {
		s.Contexts = s.Contexts[:1]
	} else {
		s.Contexts = make([]store.Context, 1)
	}
	s.Contexts[0] = store.Context{InteractionID: in.ID, Lifespan: tr.lifespan(), Parameters: cp}
	s.Failures = 0
	tr.env.Failures = 0
	tr.env.Score = score
	tr.env.Params = params
	if len(s.Blocked) > 0 && !contains(s.Blocked, in.ID) {
		s.Blocked = append(s.Blocked, in.ID)
	}
	for _, p := range in.Parameters {
		if p.Required && params[p.Name] == "" {
			attempts := 0
			if s.Slot != nil && s.Slot.InteractionID == in.ID && s.Slot.Parameter == p.Name {
				attempts = s.Slot.Attempts
			}
			if s.Slot == nil {
				s.Slot = new(store.SlotFilling)
			}
			*s.Slot = store.SlotFilling{InteractionID: in.ID, Parameter: p.Name, Parameters: params, Attempts: attempts}
			tr.prompt(p)
			return nil
		}
	}
	s.Slot = nil
	return tr.respond(in, in.Responses, depth, place{id: in.ID, depth: depth})
}

// isAncestor reports whether the interaction with id is a parent, or a
// parent's parent, ..., of in.
func isAncestor(id string, in *story.Interaction) bool {
	for p := in.Parent; p != nil; p = p.Parent {
		if p.ID == id {
			return true
		}
	}
	return false
}

// prompt asks for a required parameter.
func (tr *turn) prompt(p *story.Parameter) {
	tr.res.Incomplete = true
	if len(p.Prompts) == 0 {
		return
	}
	tr.say(p.Prompts[tr.variant(len(p.Prompts))].Render(tr.lookup))
}

// fillSlot tries the query as the answer to the pending question. It
// reports done when it answered the turn; otherwise the query goes to NLU
// as usual (a clear match of another interaction leaves the question).
func (tr *turn) fillSlot() (bool, error) {
	s := tr.t.Session
	slot := s.Slot
	in := tr.cb.inters[slot.InteractionID]
	p := in.Parameter(slot.Parameter)
	if p == nil {
		s.Slot = nil
		return false, nil
	}
	params := make(map[string]string, len(slot.Parameters)+1)
	for k, v := range slot.Parameters {
		params[k] = v
	}
	params = tr.extract(in, params, p.Name)
	if params[p.Name] != "" {
		return true, tr.enter(in, 1, params, 0)
	}
	// No answer to the question: a clear match of another interaction
	// leaves it, one scoring at least halfway from the confidence to 1
	// (0.75 by default): the confidence takes what the matcher ranks
	// right, but an answer that merely shares a word with another
	// interaction ("i'm not sure" and "sure") must not drop the question.
	if other, score, _ := tr.match(); other != nil && target(other) != in && score >= (1+tr.res.Confidence)/2 {
		s.Slot = nil
		return true, tr.enter(other, score, nil, 0)
	}
	slot.Attempts++
	slot.Parameters = params
	tr.setInteraction(in)
	tr.params = params
	tr.res.Score = 0
	tr.env.Params = params
	if slot.Attempts > p.Retries {
		// Give up: the give-up message, or else the fallback.
		s.Slot = nil
		if p.GiveUp == nil {
			err := tr.fallBack(0)
			tr.res.Incomplete = true
			return true, err
		}
		tr.res.Incomplete = true
		tr.say(p.GiveUp.Render(tr.lookup))
		return true, nil
	}
	tr.prompt(p)
	return true, nil
}

// extract fills the interaction's missing parameters: first from the
// request's parameters, then from the query. sys.any takes the whole query,
// and only as the answer to its own question (asked).
func (tr *turn) extract(in *story.Interaction, params map[string]string, asked string) map[string]string {
	if params == nil {
		params = make(map[string]string, len(in.Parameters))
	}
	if len(in.Parameters) == 0 {
		return params
	}
	for k, v := range tr.req.Parameters {
		if in.Parameter(k) != nil {
			params[k] = v
		}
	}
	q := tr.req.Query
	if q == "" {
		return params
	}
	// How many hits of each entity parameters have taken. Interactions
	// have few parameters: a short list beats a map.
	type taken struct {
		entity string
		hits   []nlu.Entity
		used   int
	}
	var buf [4]taken
	seen := buf[:0]
	for _, p := range in.Parameters {
		if params[p.Name] != "" {
			continue
		}
		if p.System == "any" {
			if p.Name == asked {
				params[p.Name] = strings.TrimSpace(q)
			} else if v, ok := fromMarks(in, p.Name, q); ok {
				params[p.Name] = truncate(v, MaxParameterValue)
			}
			continue
		}
		x := tr.cb.extract[tr.lang][p.Entity]
		if x == nil {
			continue
		}
		var f *taken
		for i := range seen {
			if seen[i].entity == p.Entity {
				f = &seen[i]
				break
			}
		}
		if f == nil {
			seen = append(seen, taken{entity: p.Entity, hits: tr.hits(p.Entity, x)})
			f = &seen[len(seen)-1]
		}
		if f.used < len(f.hits) {
			params[p.Name] = truncate(f.hits[f.used].Value, MaxParameterValue)
			f.used++
		}
	}
	return params
}

// hits returns what x, the extractor of entity, finds in the query,
// extracting it once per turn.
func (tr *turn) hits(entity string, x nlu.Extractor) []nlu.Entity {
	for _, f := range tr.found {
		if f.entity == entity {
			return f.hits
		}
	}
	hs := x.Extract(tr.req.Query)
	tr.found = append(tr.found, found{entity: entity, hits: hs})
	return hs
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// lookup resolves a template placeholder: the interaction's parameters,
// then the active context's, then session attributes, then user
// attributes.
func (tr *turn) lookup(name string) (string, bool) {
	if v := tr.params[name]; v != "" {
		return v, true
	}
	if v := tr.ctxPar[name]; v != "" {
		return v, true
	}
	if v := tr.t.Session.Attributes[name]; v != "" {
		return v, true
	}
	if u := tr.t.User; u != nil {
		if v := u.Attributes[name]; v != "" {
			return v, true
		}
	}
	return "", false
}

// variant returns a variant index in [0, n).
func (tr *turn) variant(n int) int {
	if n <= 1 {
		return 0
	}
	// splitmix64
	tr.rng += 0x9e3779b97f4a7c15
	z := tr.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return int(z % uint64(n))
}

func (tr *turn) setInteraction(in *story.Interaction) {
	tr.res.Interaction = Interaction{ID: in.ID, Name: in.Name, Action: in.Action}
}

// add appends a fulfillment entry, giving it the delay accumulated so far.
func (tr *turn) add(f Fulfillment) {
	f.Delay = tr.delay
	tr.delay = 0
	tr.res.Fulfillment = append(tr.res.Fulfillment, f)
}

func (tr *turn) say(text string) {
	tr.add(Fulfillment{Type: TypeText, Message: text})
}

// action records an action in a debug result, with its details as key,
// value pairs. Without debug, it builds nothing.
func (tr *turn) action(typ string, kv ...string) {
	if !tr.debug {
		return
	}
	var data map[string]string
	if len(kv) > 0 {
		data = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i]] = kv[i+1]
		}
	}
	tr.res.Fulfillment = append(tr.res.Fulfillment, Fulfillment{Type: typ, Data: data})
}

// A place names a list of responses in the bot: the responses of an
// interaction entered at a goto depth (or answering as the fallback, depth
// -1), or a hand-off's branch in them. With a response's index it keys the
// memo of the host's answers; the key is built only when a hook runs.
type place struct {
	id     string // the interaction
	depth  int
	branch string // "/2/success" for the success branch of response 2, ...
}

// key returns the memo key of response i of p for a hook kind.
func (p place) key(kind string, i int) string {
	if p.depth < 0 {
		return kind + " " + p.id + p.branch + "/" + strconv.Itoa(i)
	}
	return kind + " " + p.id + "@" + strconv.Itoa(p.depth) + p.branch + "/" + strconv.Itoa(i)
}

// respond runs responses of in: messages, then actions, in order. at
// names rs's place in the bot.
func (tr *turn) respond(in *story.Interaction, rs []*story.Response, depth int, at place) error {
	s := tr.t.Session
	if tr.res.Fulfillment == nil {
		tr.res.Fulfillment = make([]Fulfillment, 0, messages(rs))
	}
	lang := responseLanguage(rs, tr.lang, tr.cb.lang)
	for i, r := range rs {
		if cmp.Or(r.Language, tr.cb.lang) != lang && (r.Language != "" || sayable(r.Kind)) {
			continue // a message of another language
		}
		if r.Filter != nil {
			tr.env.Session = s.Attributes
			if ok, _ := r.Filter.Eval(&tr.env); !ok {
				continue
			}
		}
		switch r.Kind {
		case story.KindText:
			if v := tr.textVariants(r); len(v) > 0 {
				tr.say(v[tr.variant(len(v))].Render(tr.lookup))
			}
		case story.KindPersona:
			name := r.Persona
			if name == story.DefaultPersona {
				name = ""
			}
			tr.selected, tr.personaAction = name, true
			tr.persona = name
			if name == "" {
				tr.persona = tr.e.AssignedPersona()
			}
			tr.action(TypePersona, "name", r.Persona)
		case story.KindImage:
			tr.add(Fulfillment{Type: TypeImage, Message: r.Image.Render(tr.lookup)})
		case story.KindQuickReplies:
			tr.add(Fulfillment{Type: TypeQuickReplies, Title: r.QuickReplies.Title.Render(tr.lookup), Buttons: tr.buttons(r.QuickReplies.Buttons)})
		case story.KindButtons:
			tr.add(Fulfillment{Type: TypeButtons, Title: r.Buttons.Title.Render(tr.lookup), Buttons: tr.buttons(r.Buttons.Buttons)})
		case story.KindCard:
			tr.add(tr.card(r.Card))
		case story.KindCarousel:
			f := Fulfillment{Type: TypeCarousel, Cards: make([]Fulfillment, 0, len(r.Carousel))}
			for _, c := range r.Carousel {
				f.Cards = append(f.Cards, tr.card(c))
			}
			tr.add(f)
		case story.KindDelay:
			tr.delay += int(r.Delay / time.Millisecond)
		case story.KindSet:
			if err := tr.set(in, r); err != nil {
				return err
			}
		case story.KindGoto:
			if depth > 0 {
				tr.action(TypeGoto, "id", r.Goto.ID, "name", r.Goto.Name, "followed", "false")
				continue
			}
			tr.action(TypeGoto, "id", r.Goto.ID, "name", r.Goto.Name, "followed", "true")
			return tr.enter(r.Goto, 1, nil, depth+1)
		case story.KindReset:
			tr.doReset = true
			tr.action(TypeReset)
		case story.KindEnd:
			tr.doEnd = true
			tr.action(TypeEnd)
		case story.KindMeeting:
			m := meetingRequest{title: r.Meeting.Title.Render(tr.lookup), start: r.Meeting.Start.Render(tr.lookup), length: r.Meeting.Length, at: r.Pos}
			if r.Meeting.Notes != nil {
				m.notes = r.Meeting.Notes.Render(tr.lookup)
			}
			tr.meetings = append(tr.meetings, m)
			tr.action(TypeMeeting, "title", m.title, "start", m.start)
		case story.KindGoal:
			tr.t.Counters.AddGoal(r.Goal)
			tr.action(TypeGoal, "name", r.Goal)
		case story.KindBacktracking:
			if r.Backtracking {
				s.Blocked = nil
			} else if len(s.Blocked) == 0 {
				s.Blocked = []string{in.ID}
			}
			tr.action(TypeBacktracking, "on", strconv.FormatBool(r.Backtracking))
		case story.KindHandoff:
			if tr.handoff {
				continue // one hand-off per turn
			}
			key := at.key("handoff", i)
			hr, ok := tr.memo[key]
			if !ok {
				hr.available, hr.err = tr.callHandoff(in)
				tr.remember(key, hr)
				if hr.err != nil {
					tr.e.log.Warn("engine: the hand-off hook failed; no agent taken", "session", tr.req.SessionID, "err", hr.err)
				}
			}
			if hr.err != nil {
				// The host could not say: no agent, and the thread
				// records why (PROBLEMS_WITH_UPSTREAM_PROVIDER).
				hr.available, tr.upstream = false, true
			}
			tr.handoff, tr.agent = true, hr.available
			tr.action(TypeHandoff, "available", strconv.FormatBool(hr.available))
			br := r.Handoff.Failure
			if hr.available {
				br = r.Handoff.Success
			}
			if br.Goto != nil {
				// A branch is the outcome of the hand-off, not a goto
				// action: it is followed even inside a goto.
				tr.action(TypeGoto, "id", br.Goto.ID, "name", br.Goto.Name, "followed", "true")
				return tr.enter(br.Goto, 1, nil, depth+1)
			}
			branch := "failure"
			if hr.available {
				branch = "success"
			}
			sub := at
			sub.branch += "/" + strconv.Itoa(i) + "/" + branch
			if err := tr.respond(in, br.Responses, depth, sub); err != nil {
				return err
			}
		case story.KindWebhook:
			next, err := tr.webhook(in, r.Webhook, at, i)
			if err != nil {
				return err
			}
			if next != nil {
				if next == in {
					return nil // a failing webhook in the fallback: it has said what it could
				}
				if next.Role == story.RoleElse {
					tr.fallback = true
					tr.setInteraction(next)
					return tr.respond(next, next.Responses, depth, place{id: next.ID, depth: -1, branch: "/webhook-failed"})
				}
				if depth > 0 {
					tr.action(TypeGoto, "id", next.ID, "name", next.Name, "followed", "false")
					continue
				}
				tr.action(TypeGoto, "id", next.ID, "name", next.Name, "followed", "true")
				return tr.enter(next, 1, nil, depth+1)
			}
		}
	}
	return nil
}

// messages returns how many of rs are messages, to size a Fulfillment.
func messages(rs []*story.Response) int {
	n := 0
	for _, r := range rs {
		switch r.Kind {
		case story.KindText, story.KindImage, story.KindQuickReplies, story.KindButtons, story.KindCard, story.KindCarousel:
			n++
		}
	}
	return n
}

func (tr *turn) remember(key string, hr hookResult) {
	if tr.memo == nil {
		tr.memo = make(map[string]hookResult)
	}
	tr.memo[key] = hr
}

func (tr *turn) buttons(bs []*story.Button) []Button {
	out := make([]Button, 0, len(bs))
	for _, b := range bs {
		btn := Button{Title: b.Title.Render(tr.lookup)}
		switch b.Kind {
		case story.ButtonPostback:
			btn.Type, btn.Value = ButtonPostback, b.Postback.Render(tr.lookup)
		case story.ButtonGoto:
			btn.Type, btn.Value = ButtonGoto, b.Goto.ID
		case story.ButtonURL:
			btn.Type, btn.Value = ButtonURL, b.URL.Render(tr.lookup)
		}
		out = append(out, btn)
	}
	return out
}

func (tr *turn) card(c *story.Card) Fulfillment {
	return Fulfillment{
		Type:     TypeCard,
		Title:    c.Title.Render(tr.lookup),
		Subtitle: c.Subtitle.Render(tr.lookup),
		Image:    c.Image.Render(tr.lookup),
		Buttons:  tr.buttons(c.Buttons),
	}
}

// set runs the set action r of in, through assign. A value longer than
// the store allows fails the turn with an error naming the response's
// place in the bot: cutting it would store something the bot's author did
// not write.
func (tr *turn) set(in *story.Interaction, r *story.Response) error {
	var data map[string]string
	if tr.debug {
		data = make(map[string]string, len(r.Set))
	}
	for _, a := range r.Set {
		v := a.Value.Render(tr.lookup)
		skipped, err := tr.assign(a.Scope, a.Name, v)
		if err != nil {
			return fmt.Errorf("engine: %s:%d:%d: interaction %q sets %s.%s: %w", r.Pos.File, r.Pos.Line, r.Pos.Col, in.Name, a.Scope, a.Name, err)
		}
		if skipped != "" {
			tr.note(fmt.Sprintf("set at %s:%d:%d", r.Pos.File, r.Pos.Line, r.Pos.Col), a.Scope, a.Name, skipped)
		} else if data != nil {
			data[a.Scope.String()+"."+a.Name] = v
		}
	}
	tr.seeAttributes()
	if tr.debug {
		tr.res.Fulfillment = append(tr.res.Fulfillment, Fulfillment{Type: TypeSetAttributes, Data: data})
	}
	return nil
}

// checkValue checks the length of a value the bot or a webhook gives the
// attribute name.
func checkValue(v, name string) error {
	max := store.MaxAttributeValue
	if name == store.AttrName {
		max = store.MaxName
	}
	if n := utf8.RuneCountInString(v); n > max {
		return fmt.Errorf("%w: %d characters, more than %d", ErrValueTooLong, n, max)
	}
	return nil
}

// webhook calls the host's function registered under name, else the URL
// the bot's settings give it, once per Chat call, and merges its result.
// next is where the turn goes on instead of the interaction's next
// response: the interaction its result names in Goto, or a fallback when
// it failed with ErrWebhookFailed.
func (tr *turn) webhook(in *story.Interaction, name string, at place, i int) (next *story.Interaction, err error) {
	fn := tr.e.hooks[name]
	if fn == nil {
		fn = tr.cb.hooks[name]
	}
	if fn == nil {
		tr.action(TypeWebhook, "name", name, "registered", "false")
		return nil, nil
	}
	key := at.key("webhook", i)
	hr, ok := tr.memo[key]
	if !ok {
		hr.web, hr.err = tr.callWebhook(fn, name, in)
		tr.remember(key, hr)
		if errors.Is(hr.err, ErrWebhookFailed) {
			tr.e.log.Warn("engine: the webhook failed; the fallback answers", "webhook", name, "session", tr.req.SessionID, "err", hr.err)
		}
	}
	if errors.Is(hr.err, ErrWebhookFailed) {
		tr.action(TypeWebhook, "name", name, "registered", "true", "failed", "true")
		tr.upstream = true
		if in.Fallback != nil {
			return in.Fallback, nil
		}
		return tr.cs.s.Fallback, nil
	}
	if hr.err != nil {
		return nil, hr.err
	}
	tr.action(TypeWebhook, "name", name, "registered", "true")
	for _, m := range hr.web.Messages {
		tr.say(truncate(m, story.MaxTextLen))
	}
	for _, f := range hr.web.Fulfillment {
		tr.add(f)
	}
	if err := tr.mergeHook(name, &hr.web); err != nil {
		return nil, err
	}
	if g := hr.web.Goto; g != "" {
		next = tr.cb.inters[g]
		if next == nil {
			next = tr.cs.s.InteractionByName(g)
		}
		if next == nil {
			return nil, fmt.Errorf("engine: webhook %q: goto %q names no interaction of story %q", name, g, tr.cs.s.Name)
		}
	}
	return next, nil
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (tr *turn) callWebhook(fn Webhook, name string, in *story.Interaction) (res WebhookResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine: webhook %q panicked: %v", name, r)
		}
	}()
	call := WebhookCall{
		Name:              name,
		SessionID:         tr.req.SessionID,
		Query:             tr.req.Query,
		StoryID:           tr.cs.s.ID,
		Interaction:       Interaction{ID: in.ID, Name: in.Name, Action: in.Action},
		Parameters:        clone(tr.params),
		SessionAttributes: clone(tr.t.Session.Attributes),
	}
	if u := tr.t.User; u != nil {
		call.UserID = u.ID
		call.UserAttributes = clone(u.Attributes)
	}
	res, err = fn(tr.ctx, call)
	if err != nil {
		err = fmt.Errorf("engine: webhook %q: %w", name, err)
	}
	return res, err
}

func (tr *turn) callHandoff(in *story.Interaction) (ok bool, err error) {
	if tr.e.handof == nil {
		return tr.e.agents.present(), nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine: hand-off hook panicked: %v", r)
		}
	}()
	call := HandoffCall{
		SessionID:   tr.req.SessionID,
		Query:       tr.req.Query,
		StoryID:     tr.cs.s.ID,
		Interaction: Interaction{ID: in.ID, Name: in.Name, Action: in.Action},
	}
	if tr.t.Thread != nil {
		call.ThreadID = tr.t.Thread.ID
	}
	if u := tr.t.User; u != nil {
		call.UserID = u.ID
	}
	ok, err = tr.e.handof(tr.ctx, call)
	if err != nil {
		err = fmt.Errorf("engine: hand-off hook: %w", err)
	}
	return ok, err
}

// finishResult fills the parts of the result that describe the session
// after the turn.
func (tr *turn) finishResult() {
	res, s, t := tr.res, tr.t.Session, tr.t
	res.StoryID = s.StoryID
	if res.Parameters = tr.params; res.Parameters == nil {
		res.Parameters = map[string]string{}
	}
	var sp map[string]string
	if t.User == nil || len(t.User.Attributes) == 0 {
		sp = maps.Clone(s.Attributes)
	} else {
		sp = maps.Clone(t.User.Attributes)
		maps.Copy(sp, s.Attributes)
	}
	if sp == nil {
		sp = map[string]string{}
	}
	res.SessionParameters = sp
	res.Contexts = make([]Context, 0, len(s.Contexts))
	for _, c := range s.Contexts {
		in := tr.cb.inters[c.InteractionID]
		p := c.Parameters
		if p == nil {
			p = map[string]string{}
		}
		res.Contexts = append(res.Contexts, Context{ID: in.ID, Name: in.Name, Action: in.Action, Parameters: p})
	}
	if len(s.Contexts) > 0 {
		res.Lifespan = s.Contexts[0].Lifespan
	}
	if res.Fulfillment == nil {
		res.Fulfillment = []Fulfillment{}
	}
}

// fnv64 is FNV-1a.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// appendBotMessage records the bot's answer in the thread: its text, and
// the fulfillment as JSON unless the answer is text alone (which the
// message's text already holds).
func (tr *turn) appendBotMessage() {
	fs := tr.res.Fulfillment
	rich, actions := false, false
	for i := range fs {
		if !isMessage(fs[i].Type) {
			actions = true
		} else if fs[i].Type != TypeText || fs[i].Delay > 0 {
			rich = true
		}
	}
	var raw json.RawMessage
	if rich {
		msgs := fs
		if actions {
			msgs = make([]Fulfillment, 0, len(fs))
			for _, f := range fs {
				if isMessage(f.Type) {
					msgs = append(msgs, f)
				}
			}
		}
		raw = appendFulfillments(make([]byte, 0, fulfillmentsSize(msgs)), msgs)
	}
	tr.t.Append(store.Message{
		Type:          store.BotMessage,
		Text:          texts(fs),
		Fulfillment:   raw,
		InteractionID: tr.res.Interaction.ID,
		Score:         tr.res.Score,
	})
}

// isMessage reports whether a fulfillment of type typ is a message, as
// opposed to the record of an action that only debug results carry.
func isMessage(typ string) bool {
	switch typ {
	case TypeText, TypeImage, TypeQuickReplies, TypeButtons, TypeCard, TypeCarousel:
		return true
	}
	return false
}

// texts returns the text messages of fs, one a line.
func texts(fs []Fulfillment) string {
	n, size, one := 0, 0, ""
	for i := range fs {
		if fs[i].Type == TypeText {
			n, size, one = n+1, size+1+len(fs[i].Message), fs[i].Message
		}
	}
	if n <= 1 {
		return one
	}
	var b strings.Builder
	b.Grow(size - 1)
	sep := ""
	for i := range fs {
		if fs[i].Type == TypeText {
			b.WriteString(sep)
			b.WriteString(fs[i].Message)
			sep = "\n"
		}
	}
	return b.String()
}

// events yields the events of the committed turn, one at a time: an
// Event is large (the request, the response, a thread and a message), and
// a slice of them would cost a turn several kilobytes of garbage.
func (tr *turn) events(resp *Response, yield func(Event)) {
	ev := Event{Kind: EventTurn, SessionID: tr.req.SessionID, Time: tr.now, Request: tr.req, Response: *resp}
	if tr.t.User != nil {
		ev.UserID = tr.t.User.ID
	}
	if tr.t.Thread != nil {
		ev.ThreadID = tr.t.Thread.ID
	}
	yield(ev)
	if tr.fallback {
		ev.Kind = EventFallback
		yield(ev)
	}
	if tr.handoff {
		ev.Kind = EventHandoff
		ev.Agent = tr.agent
		yield(ev)
	}
	if th := tr.t.Thread; th != nil {
		ev = Event{SessionID: ev.SessionID, UserID: ev.UserID, ThreadID: ev.ThreadID, Time: ev.Time, Thread: *th}
		if tr.t.NewThread() {
			ev.Kind = EventThreadCreated
			yield(ev)
			tr.mode, tr.escalated = store.ModeAI, false
		}
		for _, m := range tr.t.Messages {
			ev.Kind, ev.Message = EventMessage, m
			yield(ev)
		}
		if th.Mode != tr.mode || th.Escalated != tr.escalated {
			ev.Kind, ev.Message = EventThreadChanged, store.Message{}
			yield(ev)
		}
	}
}

// fallbackText is a message a fallback answered as it is counted among the
// bot's fallback queries: lower case, control characters dropped, spaces
// collapsed, so that "Refund?" and " refund? " count as one.
func fallbackText(q string) string {
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, q)
	return strings.Join(strings.Fields(strings.ToLower(q)), " ")
}
