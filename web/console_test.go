package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/internal/browsertest"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
	"github.com/parleybot/parley/web"
)

// The tokens of the operator tests' server.
const (
	opClient    = "client-token-0123456789"
	opDeveloper = "developer-token-0123456789"
	opAgent     = "agent-token-ada-0123456789"
)

// xss is what a hostile visitor types as a message or a name: it must show
// as these characters, never run.
const xss = `<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>`

// An opServer is parley serve's stack (the web face over the APIs, with a
// developer, a client and an agent token) for a small shop bot, on
// loopback.
type opServer struct {
	*httptest.Server
	eng *engine.Engine
	bot string // /v0/chatbots/{chatbotId}
	// hold, when set, serves every request in place of the server: it
	// calls serve, and may hold the request or its answer back.
	hold atomic.Pointer[func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc)]
}

func newOpServer(t *testing.T) *opServer {
	t.Helper()
	return newBotServer(t, shopBot)
}

// shopBot is the bot of newOpServer.
const shopBot = `
stories:
  - name: Shop
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hello! Ask me about your order."}]}
      - {name: Hours, says: [opening hours, when are you open], responses: [{text: "We open at nine."}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry, I did not get that."}]}
`

// newBotServer is newOpServer for another bot file, with engine options.
// Besides the web face and the APIs, it serves a shop's pages at
// /shop/{page}, each with the widget's script tag.
func newBotServer(t *testing.T, botYAML string, opts ...engine.Option) *opServer {
	t.Helper()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(botYAML)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	eng, err := engine.New(db, bot, opts...)
	if err != nil {
		t.Fatal(err)
	}
	h, err := httpadapter.New(eng, httpadapter.WithClientToken(opClient), httpadapter.WithDeveloperToken(opDeveloper),
		httpadapter.WithAgentToken(opAgent, engine.Agent{ID: "ada", Name: "Ada"}))
	if err != nil {
		t.Fatal(err)
	}
	site := web.New(h)
	s := &opServer{eng: eng, bot: "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)}
	serve := func(w http.ResponseWriter, r *http.Request) {
		page, ok := strings.CutPrefix(r.URL.Path, "/shop/")
		if !ok {
			site.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", web.Policy)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Shop: %[1]s</title></head>
<body><main><h1>The shop's %[1]s page</h1></main>
<script src="/widget.js" data-chatbot="%[2]s" data-token="%[3]s" async></script></body></html>`,
			html.EscapeString(page), httpadapter.ChatbotID(httpadapter.DefaultBotName), opClient)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hold := s.hold.Load(); hold != nil {
			(*hold)(w, r, serve)
			return
		}
		serve(w, r)
	}))
	t.Cleanup(func() { h.CloseStreams(); s.Close() })
	return s
}

// call sends a request of the APIs with token and decodes the answer's
// data into out (if not nil), failing unless it is a 200.
func (s *opServer) call(t *testing.T, token, method, path string, body, out any) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, s.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var answer struct{ Data json.RawMessage }
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil || res.StatusCode != 200 {
		t.Fatalf("%s %s: status %d, %v", method, path, res.StatusCode, err)
	}
	if out != nil {
		if err := json.Unmarshal(answer.Data, out); err != nil {
			t.Fatal(err)
		}
	}
}

// visitor starts a thread as the widget does and says text in it; it
// returns the thread's id and token.
func (s *opServer) visitor(t *testing.T, email, text string) (id, token string) {
	t.Helper()
	var created struct {
		Thread struct {
			ThreadID   string `json:"threadId"`
			ChatUserID string `json:"chatUserId"`
		} `json:"thread"`
		ThreadToken string `json:"threadToken"`
	}
	body := map[string]any{}
	if email != "" {
		body["chatUserEmail"] = email
	}
	s.call(t, opClient, "POST", s.bot+"/threads", body, &created)
	id, token = created.Thread.ThreadID, created.ThreadToken
	s.call(t, token, "POST", s.bot+"/message", map[string]any{"message": text, "threadId": id}, nil)
	return id, token
}

// signIn opens page path and signs in with token.
func signIn(p *browsertest.Page, url, token string) {
	p.Navigate(url)
	p.Click(`document.getElementById('token')`)
	p.Type(token + "\r")
}

// noScriptRan checks that no hostile text became markup or ran.
func noScriptRan(t *testing.T, p *browsertest.Page, where string) {
	t.Helper()
	var bad struct {
		Pwned bool
		Imgs  int
	}
	p.Eval(`({pwned: !!window.pwned, imgs: document.querySelectorAll('`+where+` img, `+where+` script').length})`, &bad)
	if bad.Pwned || bad.Imgs != 0 {
		t.Errorf("hostile text became markup in %s: ran %v, %d img or script elements", where, bad.Pwned, bad.Imgs)
	}
}

// A visitor asks for a person; an agent, signed in to the console in a
// browser context of its own, sees the conversation first, answers it,
// sees the visitor's next message arrive live, and hands it back to the
// bot. The visitor's thread has the agent's answer. The console shows the
// visitor's tags and the pages they viewed. Hostile text in the visitor's
// name, message and a page's title shows as text.
func TestConsoleAgentAnswers(t *testing.T) { browsertest.Each(t, testConsoleAgentAnswers) }

func testConsoleAgentAnswers(t *testing.T, k browsertest.Kind) {
	s := newOpServer(t)
	b := k.Start(t, s.Listener.Addr().String())

	// An older conversation with the bot, and one whose visitor asks for a
	// person, with a hostile name and message.
	s.visitor(t, "bob@example.com", "opening hours")
	id, token := s.visitor(t, "eve@example.com", xss)
	var th struct {
		Thread struct {
			ChatUserID string `json:"chatUserId"`
		} `json:"thread"`
	}
	s.call(t, token, "GET", s.bot+"/threads/"+id, nil, &th)
	if _, err := s.eng.UpdateUser(t.Context(), th.Thread.ChatUserID, map[string]string{"default_name": xss}); err != nil {
		t.Fatal(err)
	}
	if err := s.eng.AddTags(t.Context(), []string{"vip"}, []string{th.Thread.ChatUserID}); err != nil {
		t.Fatal(err)
	}
	// The pages the visitor viewed before asking, one with a hostile title.
	s.call(t, token, "POST", s.bot+"/threads/"+id+"/page-views", map[string]any{"url": "https://shop.example/pricing", "title": "Pricing"}, nil)
	s.call(t, token, "POST", s.bot+"/threads/"+id+"/page-views", map[string]any{"url": "https://shop.example/returns", "title": xss}, nil)
	s.call(t, token, "POST", s.bot+"/threads/"+id+"/escalate", map[string]any{"escalationPrompt": "Talk to a person"}, nil)

	agent := b.NewPage(t, "console")
	signIn(agent, s.URL+"/console/", opAgent)
	agent.Wait("the conversations", `document.querySelectorAll('#threads .thread').length === 2`)
	// The one waiting for a person comes first.
	agent.Wait("the waiting conversation first", `document.querySelector('#threads .thread').dataset.thread === `+jsString(id))
	agent.Click(`document.querySelector('#threads .thread')`)
	agent.Wait("its messages", `[...document.querySelectorAll('#messages .msg.user .text')].some(e => e.textContent === `+jsString(xss)+`)`)
	agent.Wait("the visitor's tags", `document.querySelector('#user-tags li') && document.querySelector('#user-tags li').textContent === 'vip'`)
	agent.Wait("the visitor's visits", `document.querySelectorAll('#user-visits li').length === 2`)
	var visits []struct{ Page, URL, When string }
	agent.Eval(`[...document.querySelectorAll('#user-visits li')].map(li => ({page: li.querySelector('.page').textContent,
		url: li.querySelector('.url').textContent, when: li.querySelector('time').getAttribute('datetime')}))`, &visits)
	if len(visits) != 2 || visits[0].Page != xss || visits[0].URL != "https://shop.example/returns" ||
		visits[1].Page != "Pricing" || visits[1].URL != "https://shop.example/pricing" || visits[0].When == "" {
		t.Errorf("the visits shown: %+v; want the returns page (its title as text), then pricing, with their times", visits)
	}
	var heading string
	agent.Eval(`document.getElementById('conv-h').textContent`, &heading)
	if heading != "Conversation with "+xss {
		t.Errorf("heading %q, want the hostile name as text", heading)
	}
	noScriptRan(t, agent, "#desk")
	agent.Screenshot("waiting")

	// The agent answers with the keyboard: the answer box has the focus.
	agent.Type("Hello, Ada here. Let me look.\r")
	agent.Wait("the agent's answer", `[...document.querySelectorAll('#messages .msg.agent .text')].some(e => e.textContent === 'Hello, Ada here. Let me look.')`)
	agent.Wait("the answer sent", `document.getElementById('status').textContent === 'Sent.'`)

	// The visitor writes again: the console shows it live.
	s.call(t, token, "POST", s.bot+"/message", map[string]any{"message": "Thanks! It is order 42.", "threadId": id}, nil)
	agent.Wait("the visitor's live message", `[...document.querySelectorAll('#messages .msg.user .text')].some(e => e.textContent === 'Thanks! It is order 42.')`)
	agent.Wait("the announcement", `document.getElementById('status').textContent.includes('Thanks! It is order 42.')`)
	agent.Screenshot("answered")
	agent.Axe()

	agent.Click(`document.getElementById('hand-back')`)
	agent.Wait("the bot back", `document.getElementById('take-over').disabled === false`)

	// The visitor's thread shows the agent's answer, and the bot's again.
	var got struct {
		Thread struct {
			Mode     string `json:"mode"`
			Messages []struct {
				MessageType string `json:"messageType"`
				AgentName   string `json:"agentName"`
				Answer      *struct{ Text string }
			} `json:"messages"`
		} `json:"thread"`
	}
	s.call(t, token, "GET", s.bot+"/threads/"+id, nil, &got)
	var answered bool
	for _, m := range got.Thread.Messages {
		answered = answered || m.MessageType == "AGENT_MESSAGE" && m.AgentName == "Ada" && m.Answer != nil && m.Answer.Text == "Hello, Ada here. Let me look."
	}
	if !answered || got.Thread.Mode != "AI" {
		t.Errorf("the visitor's thread: mode %s, messages %+v; want Ada's answer and AI mode", got.Thread.Mode, got.Thread.Messages)
	}
}

// A message that arrives while the console opens its conversation (after
// the server read the conversation, before the console had it) shows in
// the conversation.
func TestConsoleLiveWhileOpening(t *testing.T) { browsertest.Each(t, testConsoleLiveWhileOpening) }

func testConsoleLiveWhileOpening(t *testing.T, k browsertest.Kind) {
	s := newOpServer(t)
	id, token := s.visitor(t, "", "opening hours")
	read, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) }) // before the server closes
	var held atomic.Bool
	hold := func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		if r.Method != http.MethodGet || r.URL.Path != s.bot+"/threads/"+id || !held.CompareAndSwap(false, true) {
			serve(w, r)
			return
		}
		rec := httptest.NewRecorder()
		serve(rec, r)
		close(read)
		<-release
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}
	s.hold.Store(&hold)
	b := k.Start(t, s.Listener.Addr().String())
	agent := b.NewPage(t, "console")
	signIn(agent, s.URL+"/console/", opAgent)
	agent.Wait("the conversation listed", `document.querySelector('#threads .thread')`)
	agent.Click(`document.querySelector('#threads .thread')`)
	select {
	case <-read:
	case <-time.After(browsertest.Timeout):
		t.Fatal("the console did not read the conversation")
	}
	s.call(t, token, "POST", s.bot+"/message", map[string]any{"message": "Is it ready?", "threadId": id}, nil)
	agent.Wait("the message and its answer, live in the list", `document.querySelector('#threads .thread .last').textContent === 'Sorry, I did not get that.'`)
	once.Do(func() { close(release) })
	agent.Wait("the live message in the conversation", `[...document.querySelectorAll('#messages .msg .text')].map(e => e.textContent).join('|') ===
		'opening hours|We open at nine.|Is it ready?|Sorry, I did not get that.'`)
}

// An operator imports a CSV in the dashboard and sees the users, with a
// hostile name as text; the statistics show as charts with the messages
// that fell back.
func TestDashboardImportAndStatistics(t *testing.T) {
	browsertest.Each(t, testDashboardImportAndStatistics)
}

func testDashboardImportAndStatistics(t *testing.T, k browsertest.Kind) {
	s := newOpServer(t)
	b := k.Start(t, s.Listener.Addr().String())
	for _, q := range []string{"Where is my parcel?", "where is my  parcel?", "opening hours", "refund please"} {
		s.visitor(t, "", q)
	}
	csv := filepath.Join(t.TempDir(), "customers.csv")
	rows := "userId,email,name,plan,tags\n" +
		"c-1,ann@example.com,Ann Lee,gold,vip;newsletter\n" +
		"c-2,bob@example.com,\"Stone, Bob\",free,\n" +
		"c-3,eve@example.com,\"" + strings.ReplaceAll(xss, `"`, `""`) + "\",free,vip\n" +
		",,Nobody,free,\n"
	if err := os.WriteFile(csv, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}

	op := b.NewPage(t, "dashboard")
	signIn(op, s.URL+"/dashboard/", opDeveloper)
	op.Wait("the users tab", `!document.getElementById('desk').hidden && !document.getElementById('users').hidden`)
	op.SetFiles(`document.getElementById('csv')`, csv)
	op.Click(`document.querySelector('#import button[type=submit]')`)
	op.Wait("the import's result", `document.getElementById('import-result').textContent.startsWith('Imported 4 rows: 3 created')`)
	op.Wait("the imported users", `document.querySelectorAll('#user-rows tr').length >= 3`)
	var state struct {
		Progress float64
		Names    []string
		Errors   []string
	}
	op.Eval(`({progress: document.getElementById('import-progress').value,
		names: [...document.querySelectorAll('#user-rows tr td:nth-child(2)')].map(e => e.textContent),
		errors: [...document.querySelectorAll('#import-errors li')].map(e => e.textContent)})`, &state)
	if state.Progress != 100 || !slices.Contains(state.Names, "Ann Lee") || !slices.Contains(state.Names, "Stone, Bob") || !slices.Contains(state.Names, xss) ||
		len(state.Errors) != 1 || !strings.HasPrefix(state.Errors[0], "Line 5") {
		t.Errorf("after the import: %+v", state)
	}
	noScriptRan(t, op, "#users")
	op.Screenshot("users")

	// A file larger than a frame of the socket (1 MiB) goes in chunks,
	// cut anywhere (within lines, and likely within characters).
	var many strings.Builder
	many.WriteString("userId,name\n")
	for i := range 50000 {
		fmt.Fprintf(&many, "m-%d,Zoë Łukasz %d\n", i, i)
	}
	if err := os.WriteFile(csv, []byte(many.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	op.SetFiles(`document.getElementById('csv')`, csv)
	op.Click(`document.querySelector('#import button[type=submit]')`)
	op.Wait("the large import's result", `document.getElementById('import-result').textContent.startsWith('Imported 50000 rows: 50000 created')`)
	last, err := s.eng.FindUsers(context.Background(), store.UserQuery{Filters: []store.Filter{
		{Field: "attributes.default_name", Op: store.OpEquals, Value: "Zoë Łukasz 49999"}}})
	if err != nil || len(last.Users) != 1 || last.Users[0].UserID != "m-49999" {
		t.Errorf("the last user of the large import: %+v, %v", last.Users, err)
	}

	// Filter by tag.
	op.Eval(`(() => { const s = document.getElementById('f-tag'); s.value = 'vip'; s.dispatchEvent(new Event('change')); return 0 })()`, nil)
	op.Wait("the vip users", `document.querySelectorAll('#user-rows tr').length === 2`)
	op.Axe()

	op.Click(`document.querySelector('[data-tab=stats]')`)
	op.Wait("the charts", `document.querySelectorAll('#charts svg').length === 6`)
	op.Wait("the fallback queries", `document.querySelector('#fallbacks td') && document.querySelector('#fallbacks td').textContent === 'where is my parcel?'`)
	var top []string
	op.Eval(`[...document.querySelectorAll('#fallbacks tr')].map(r => r.textContent)`, &top)
	if fmt.Sprint(top) != "[where is my parcel?2 refund please1]" {
		t.Errorf("fallback queries %q", top)
	}
	op.Screenshot("statistics")
	op.Axe()
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
