package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/internal/browsertest"
)

// inWidget is the JavaScript path of the first element of the widget's
// shadow root matching the selector.
func inWidget(selector string) string {
	return "document.querySelector('.parley-widget').shadowRoot.querySelector(" + jsString(selector) + ")"
}

// widgetLog is the JavaScript expression of the text of the widget's
// messages.
var widgetLog = inWidget(".log") + ".textContent"

// typeInto empties the field with the id and types text into it with
// key events, as a person would.
func typeInto(p *browsertest.Page, id, text string) {
	p.Eval(`document.getElementById(`+jsString(id)+`).value = ''`, nil)
	p.Click(`document.getElementById(` + jsString(id) + `)`)
	p.Type(text)
}

// TestDashboardAutomatedMessage: an operator writes an automated message
// for the visitors of the pricing page; a condition typed wrong is
// flagged with its line and column beside the field, the right one clears
// it, and the message saved is listed. A visitor opening the widget on the
// pricing page then gets it, sent by the page view. The operator edits it
// and deletes it.
func TestDashboardAutomatedMessage(t *testing.T) { browsertest.Each(t, testDashboardAutomatedMessage) }

func testDashboardAutomatedMessage(t *testing.T, k browsertest.Kind) {
	s := newOpServer(t)
	b := k.Start(t, s.Listener.Addr().String())

	op := b.NewPage(t, "dashboard")
	signIn(op, s.URL+"/dashboard/", opDeveloper)
	op.Wait("the users tab", `!document.getElementById('desk').hidden`)
	op.Click(`document.querySelector('[data-tab=automated]')`)
	op.Wait("the automated messages", `!document.getElementById('automated').hidden && !document.getElementById('am-empty').hidden`)

	typeInto(op, "am-name", "Pricing help")
	typeInto(op, "am-condition", `page.path == "/shop/pricing" &&`)
	op.Wait("the condition flagged", `document.getElementById('am-condition-error').textContent.startsWith('Line 1, column ')`)
	var flagged struct {
		Message, Invalid, DescribedBy string
	}
	op.Eval(`(() => { const c = document.getElementById('am-condition');
		return {message: document.getElementById('am-condition-error').textContent,
			invalid: c.getAttribute('aria-invalid'), describedBy: c.getAttribute('aria-describedby')}; })()`, &flagged)
	if flagged.Invalid != "true" || !strings.Contains(flagged.DescribedBy, "am-condition-error") {
		t.Errorf("the bad condition: %+v; want aria-invalid and the message described by the field", flagged)
	}
	op.Screenshot("bad-condition")
	op.Axe()

	op.Type(` time_on_page >= 0`)
	op.Wait("the condition accepted", `document.getElementById('am-condition-error').textContent === '' &&
		!document.getElementById('am-condition').hasAttribute('aria-invalid')`)
	typeInto(op, "am-text", "Questions about our prices? Ask me!")
	op.Click(`document.querySelector('#am-form button[type=submit]')`)
	op.Wait("the saved message listed", `[...document.querySelectorAll('#am-rows tr td:first-child')].some(td => td.textContent === 'Pricing help')`)
	var row []string
	op.Eval(`[...document.querySelector('#am-rows tr').children].slice(0, 4).map(td => td.textContent)`, &row)
	if strings.Join(row, "|") != `Pricing help|A page is viewed|page.path == "/shop/pricing" && time_on_page >= 0|Questions about our prices? Ask me!` {
		t.Errorf("the row: %q", row)
	}
	op.Screenshot("saved")

	// A visitor on the pricing page opens the widget: the page view sent
	// the message.
	visitor := b.NewPage(t, "widget")
	visitor.Navigate(s.URL + "/shop/pricing")
	visitor.Click(inWidget(".launcher"))
	visitor.Wait("the automated message", widgetLog+".includes('Questions about our prices? Ask me!')")
	visitor.Screenshot("automated")
	visitor.Axe()

	// The operator edits the message, then deletes it.
	op.Click(`document.querySelector('#am-rows tr button[aria-label="Edit Pricing help"]')`)
	op.Wait("the form filled", `document.getElementById('am-text').value === 'Questions about our prices? Ask me!'`)
	typeInto(op, "am-text", "Ask me about our prices!")
	op.Click(`document.querySelector('#am-form button[type=submit]')`)
	op.Wait("the edited message", `[...document.querySelectorAll('#am-rows tr td:nth-child(4)')].some(td => td.textContent === 'Ask me about our prices!')`)
	var listed struct {
		Messages []struct{ Name, Text string }
	}
	s.call(t, opDeveloper, "POST", "/userbot/automated-messages.get", nil, &listed)
	if len(listed.Messages) != 1 || listed.Messages[0].Text != "Ask me about our prices!" {
		t.Errorf("after the edit, the bot has %+v", listed.Messages)
	}
	op.Eval(`window.confirm = () => true`, nil)
	op.Click(`document.querySelector('#am-rows tr button[aria-label="Delete Pricing help"]')`)
	op.Wait("no message left", `document.querySelectorAll('#am-rows tr').length === 0 && !document.getElementById('am-empty').hidden`)
	s.call(t, opDeveloper, "POST", "/userbot/automated-messages.get", nil, &listed)
	if len(listed.Messages) != 0 {
		t.Errorf("after the delete, the bot has %+v", listed.Messages)
	}
}

// TestDashboardQA: an operator saves a Q&A (a missing answer is flagged
// beside its field first), edits its answer, and a visitor asking the
// question in the widget gets the new answer, markup shown as text; the
// operator then deletes it.
func TestDashboardQA(t *testing.T) { browsertest.Each(t, testDashboardQA) }

func testDashboardQA(t *testing.T, k browsertest.Kind) {
	s := newOpServer(t)
	b := k.Start(t, s.Listener.Addr().String())

	op := b.NewPage(t, "dashboard")
	signIn(op, s.URL+"/dashboard/", opDeveloper)
	op.Wait("the users tab", `!document.getElementById('desk').hidden`)
	op.Click(`document.querySelector('[data-tab=qa]')`)
	op.Wait("the Q&A", `!document.getElementById('qa').hidden && !document.getElementById('qa-empty').hidden`)

	typeInto(op, "qa-label", "wifi")
	typeInto(op, "qa-questions", "what is the wifi password\ris there wifi here")
	op.Click(`document.querySelector('#qa-form button[type=submit]')`)
	op.Wait("the missing answer flagged", `document.getElementById('qa-answer-error').textContent !== '' &&
		document.getElementById('qa-answer').getAttribute('aria-invalid') === 'true'`)
	// The refusal is the one problem the page had: a 400 in the console.
	for _, pr := range op.Problems() {
		if !strings.Contains(pr, "status of 400") || !strings.Contains(pr, "qeafilter.save") {
			t.Errorf("browsertest: page dashboard: %s", pr)
		}
	}
	op.Screenshot("missing-answer")
	op.Axe()

	typeInto(op, "qa-answer", "Ask at the counter.")
	op.Click(`document.querySelector('#qa-form button[type=submit]')`)
	op.Wait("the saved Q&A", `document.querySelector('#qa-rows tr td') && document.querySelector('#qa-rows tr td').textContent === 'wifi'`)
	var questions []string
	op.Eval(`[...document.querySelectorAll('#qa-rows tr td:nth-child(2) li')].map(li => li.textContent)`, &questions)
	if strings.Join(questions, "|") != "what is the wifi password|is there wifi here" {
		t.Errorf("the questions listed: %q", questions)
	}

	const answer = `The password is <b onmouseover="window.pwned=1">beans4all</b>.`
	op.Click(`document.querySelector('#qa-rows tr button[aria-label="Edit wifi"]')`)
	op.Wait("the form filled", `document.getElementById('qa-answer').value === 'Ask at the counter.'`)
	typeInto(op, "qa-answer", answer)
	op.Click(`document.querySelector('#qa-form button[type=submit]')`)
	op.Wait("the edited answer", `document.querySelector('#qa-rows tr td:nth-child(3)').textContent === `+jsString(answer))
	noScriptRan(t, op, "#qa")
	op.Screenshot("saved")

	visitor := b.NewPage(t, "widget")
	visitor.Navigate(s.URL + "/shop/home")
	visitor.Click(inWidget(".launcher"))
	visitor.Wait("the widget's thread", `Object.keys(localStorage).some(k => k.startsWith('parley:'))`)
	visitor.Click(inWidget(".input"))
	visitor.Type("what is the wifi password\r")
	visitor.Wait("the bot's answer", widgetLog+".includes("+jsString(answer)+")")
	var pwned bool
	visitor.Eval(`!!window.pwned || `+inWidget(".log")+`.querySelectorAll('b').length > 0`, &pwned)
	if pwned {
		t.Error("the answer's markup became elements in the widget")
	}
	visitor.Screenshot("answered")
	visitor.Axe()

	op.Eval(`window.confirm = () => true`, nil)
	op.Click(`document.querySelector('#qa-rows tr button[aria-label="Delete wifi"]')`)
	op.Wait("no Q&A left", `document.querySelectorAll('#qa-rows tr').length === 0`)
	var found struct{ Count int }
	s.call(t, opDeveloper, "POST", "/userbot/qeafilter.search", map[string]any{}, &found)
	if found.Count != 0 {
		t.Errorf("after the delete, %d Q&A are left", found.Count)
	}
}

// emailBot asks for an email address and keeps it as the user's.
const emailBot = `stories:
  - name: Desk
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hello!"}]}
      - name: Email
        says: [my email is ann@example.com, you can reach me at bo@example.org]
        parameters: [{name: email, entity: sys.email, required: true, prompts: ["What is your email address?"]}]
        responses: [{set: {user: {default_email: "{{email}}"}}}, {text: "Thanks, I will write to you."}]
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`

// TestWidgetVerifiesEmail: a customer gives a new email address in the
// widget; the server sends a code, and the widget offers a labelled field
// for it, which has the focus. A wrong code is flagged there; the visitor
// asks for a new code and enters it, and the address is verified.
func TestWidgetVerifiesEmail(t *testing.T) { browsertest.Each(t, testWidgetVerifiesEmail) }

func testWidgetVerifiesEmail(t *testing.T, k browsertest.Kind) {
	var mu sync.Mutex
	var codes []engine.Code
	s := newBotServer(t, emailBot, engine.WithCodeSender(func(_ context.Context, c engine.Code) error {
		mu.Lock()
		defer mu.Unlock()
		codes = append(codes, c)
		return nil
	}))
	sent := func() []engine.Code {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(codes)
	}
	b := k.Start(t, s.Listener.Addr().String())
	p := b.NewPage(t, "widget")
	p.Navigate(s.URL + "/shop/account")
	p.Click(inWidget(".launcher"))
	p.Wait("the widget's thread", `Object.keys(localStorage).some(k => k.startsWith('parley:'))`)
	// Only a thread with a user is verified: the shop ties its signed-in
	// customer to the widget's thread, by an old address.
	var thread struct{ Thread, Token string }
	p.Eval(`Object.keys(localStorage).filter(k => k.startsWith('parley:')).map(k => JSON.parse(localStorage[k]))[0]`, &thread)
	s.call(t, opAgent, "PATCH", s.bot+"/threads/"+thread.Thread, map[string]any{"chatUser": map[string]any{"email": "ann@old.example"}}, nil)
	p.Click(inWidget(".input"))
	p.Type("my email is ann@example.com\r")
	p.Wait("the field for the code, focused", inWidget(".code-form")+".hidden === false && "+
		inWidget(".code")+" === document.querySelector('.parley-widget').shadowRoot.activeElement")
	var field struct{ Label, Help, Autocomplete string }
	p.Eval(`(() => { const r = document.querySelector('.parley-widget').shadowRoot, c = r.querySelector('.code');
		return {label: c.labels[0].textContent, help: r.getElementById(c.getAttribute('aria-describedby').split(' ')[0]).textContent,
			autocomplete: c.getAttribute('autocomplete')}; })()`, &field) // Firefox's c.autocomplete is "" for a token it does not fill
	if field.Label != "Verification code" || !strings.Contains(field.Help, "We sent a code") || field.Autocomplete != "one-time-code" {
		t.Errorf("the code's field: %+v", field)
	}
	if got := sent(); len(got) != 1 || got[0].Email != "ann@example.com" {
		t.Fatalf("codes sent: %+v, want one to ann@example.com", got)
	}
	p.Screenshot("code")
	p.Axe()

	wrong := "000000"
	if sent()[0].Code == wrong {
		wrong = "111111"
	}
	p.Type(wrong + "\r")
	p.Wait("the wrong code flagged", inWidget(".code-result")+".textContent.startsWith('That code is not right.') && "+
		inWidget(".code")+".getAttribute('aria-invalid') === 'true'")
	p.Screenshot("wrong")

	p.Click(inWidget(".resend"))
	p.Wait("the new code sent", inWidget(".code-result")+".textContent === 'A new code is on its way.'")
	got := sent()
	if len(got) != 2 {
		t.Fatalf("codes sent after asking again: %d, want 2", len(got))
	}
	p.Click(inWidget(".code"))
	p.Type(got[1].Code + "\r")
	p.Wait("the address verified", inWidget(".code-form")+".hidden && "+widgetLog+".includes('Email address verified.')")
	var shown bool
	p.Eval(widgetLog+".includes("+jsString(got[1].Code)+")", &shown)
	if shown {
		t.Error("the code shows in the conversation")
	}
	p.Screenshot("verified")
	p.Axe()

	var th struct {
		Thread struct {
			ChatUser struct {
				Email    string `json:"email"`
				Verified bool   `json:"verified"`
			} `json:"chatUser"`
		} `json:"thread"`
	}
	s.call(t, thread.Token, "GET", s.bot+"/threads/"+thread.Thread, nil, &th)
	if !th.Thread.ChatUser.Verified || th.Thread.ChatUser.Email != "ann@example.com" {
		t.Errorf("the thread's user: %+v, want ann@example.com verified", th.Thread.ChatUser)
	}
}

// TestWidgetMessageBeforeItsThread: a visitor who types as soon as the
// window opens, while a slow server is still making the thread, sees the
// message at once, and the bot answers it once the thread is there.
func TestWidgetMessageBeforeItsThread(t *testing.T) {
	browsertest.Each(t, testWidgetMessageBeforeItsThread)
}

func testWidgetMessageBeforeItsThread(t *testing.T, k browsertest.Kind) {
	s := newOpServer(t)
	release := make(chan struct{})
	var once sync.Once
	open := func() { once.Do(func() { close(release) }) }
	t.Cleanup(open) // before the server closes
	hold := func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/threads") {
			<-release
		}
		serve(w, r)
	}
	s.hold.Store(&hold)
	b := k.Start(t, s.Listener.Addr().String())
	p := b.NewPage(t, "widget")
	p.Navigate(s.URL + "/shop/home")
	p.Click(inWidget(".launcher"))
	p.Click(inWidget(".input"))
	p.Type("when are you open\r")
	p.Wait("the message, shown at once", inWidget(".bubble.user")+" && "+widgetLog+".includes('when are you open')")
	var threads int
	p.Eval(`Object.keys(localStorage).filter(k => k.startsWith('parley:')).length`, &threads)
	if threads != 0 {
		t.Fatal("the widget had its thread before the server made it: nothing tested")
	}
	open()
	p.Wait("the bot's answer", widgetLog+".includes('We open at nine.')")
	var texts []string
	p.Eval(`[...`+inWidget(".log")+`.querySelectorAll('.bubble .text')].map(e => e.textContent)`, &texts)
	if want := "[when are you open We open at nine.]"; fmt.Sprint(texts) != want {
		t.Errorf("the conversation: %q, want %s", texts, want)
	}
	p.Screenshot("answered")
}
