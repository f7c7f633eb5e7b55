package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/internal/browsertest"
)

const testAgentToken = "agent-token-for-tests-alice"

// A shop is a web site on another origin than Parley's, with the
// widget's script tag in its pages and a strict policy of its own.
type shop struct {
	*httptest.Server
	parley *served
}

// startShop serves a shop whose pages carry the widget of a "parley
// serve" allowing the shop's origin, with an agent, Alice.
func startShop(t *testing.T) *shop {
	t.Helper()
	s := &shop{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" && r.URL.Path != "/pricing" {
			http.NotFound(w, r)
			return
		}
		origin := "http://" + s.parley.addr
		w.Header().Set("Content-Security-Policy", fmt.Sprintf("default-src 'self'; script-src %[1]s; style-src %[1]s; connect-src %[1]s; img-src 'self' %[1]s data:", origin))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>The coffee shop</title></head>
<body><main><h1>The coffee shop</h1><p>Beans, machines and a kiosk that talks.</p></main>
<script src="%s/widget.js" data-chatbot="%s" data-token="%s" async></script>
</body></html>`, origin, httpadapter.ChatbotID(httpadapter.DefaultBotName), testClientToken)
	}))
	t.Cleanup(s.Close)
	s.parley = startServe(t, "-bot", "../../examples/coffee/bot.yaml", "-memory", "-quiet",
		"-client-token", testClientToken, "-developer-token", testDevToken, "-agent", "Alice="+testAgentToken,
		"-cors", s.URL)
	return s
}

// inWidget is the JavaScript path of the first element of the widget's
// shadow root matching the selector.
func inWidget(selector string) string {
	return "document.querySelector('.parley-widget').shadowRoot.querySelector(`" + selector + "`)"
}

// logText is the JavaScript expression of the text of the widget's
// messages.
var logText = inWidget(".log") + ".textContent"

// chip is the JavaScript path of the last enabled button titled title in
// the widget.
func chip(title string) string {
	return "[...document.querySelector('.parley-widget').shadowRoot.querySelectorAll('button.chip')].filter(b => b.textContent === `" + title + "` && !b.disabled).pop()"
}

// say types a message into the widget and sends it with Enter.
func say(p *browsertest.Page, text string) {
	p.Click(inWidget(".input"))
	p.Type(text + "\r")
}

// threadOf returns the thread the widget of p follows.
func threadOf(t *testing.T, p *browsertest.Page) string {
	var thread string
	p.Eval(`Object.keys(localStorage).filter(k => k.startsWith('parley:')).map(k => JSON.parse(localStorage[k]).thread)[0]`, &thread)
	if thread == "" {
		t.Fatal("the widget keeps no thread")
	}
	return thread
}

// TestWidgetAgentAnswers: on a shop's page, a visitor opens the widget,
// chats with the bot by typing and tapping, asks for a person, and an
// agent's answer (sent with the agent's token) appears by itself; a
// reload resumes the conversation.
func TestWidgetAgentAnswers(t *testing.T) { browsertest.Each(t, testWidgetAgentAnswers) }

func testWidgetAgentAnswers(t *testing.T, k browsertest.Kind) {
	s := startShop(t)
	b := k.Start(t, s.Listener.Addr().String(), s.parley.addr)
	p := b.NewPage(t, "widget")
	p.Navigate(s.URL + "/")
	p.Click(inWidget(".launcher"))
	p.Wait("the window", inWidget(".window")+".hidden === false && "+inWidget(".title")+".textContent === 'Coffee kiosk'")
	p.Wait("the quick prompts", chip("Menu"))
	var focused string
	p.Eval(inWidget(":focus")+".className", &focused)
	if focused != "input" {
		t.Errorf("focus on %q after opening, want the message input", focused)
	}
	p.Screenshot("1-open")
	p.Axe()

	say(p, "hello")
	p.Wait("the welcome with its quick replies", chip("Order a drink"))
	p.Tap(chip("Prices")) // a goto button
	p.Wait("the prices carousel", inWidget(".carousel .card h4")+" && "+logText+".includes('Plant milks are free of charge.')")
	var images, links int
	p.Eval(inWidget(".log")+".querySelectorAll('img').length", &images)
	p.Eval(inWidget(".carousel")+".querySelectorAll('a.link').length", &links)
	if images != 0 || links != 3 {
		t.Errorf("the carousel's images on another host: %d img, %d links; want 0 and 3 links", images, links)
	}
	p.Click(inWidget(".react.up"))
	p.Wait("the reaction", inWidget(".react.up")+".getAttribute('aria-pressed') === 'true'")
	p.Screenshot("2-carousel")

	p.Click(inWidget(".person"))
	p.Wait("the escalation", logText+".includes('A person will answer you here shortly.')")
	thread := threadOf(t, p)
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	body := fmt.Sprintf(`{"message": "Hi, I'm Alice. What can I do for you?", "threadId": %q, "from": "AGENT"}`, thread)
	if got := call(t, s.parley.addr, "POST", bot+"/message", testAgentToken, body, nil); got != http.StatusOK {
		t.Fatalf("the agent's message: status %d", got)
	}
	p.Wait("the agent's answer", inWidget(".bubble.agent")+" && "+inWidget(".bubble.agent")+".textContent.includes('Alice') && "+logText+".includes('What can I do for you?')")
	p.Screenshot("3-agent")
	p.Axe()

	// A reload resumes the thread, its history shown once.
	p.Navigate(s.URL + "/pricing")
	p.Click(inWidget(".launcher"))
	p.Wait("the history", logText+".includes('What can I do for you?')")
	if again := threadOf(t, p); again != thread {
		t.Errorf("after a reload: thread %q, want %q", again, thread)
	}
	var agents int
	p.Eval(inWidget(".log")+".querySelectorAll('.bubble.agent').length", &agents)
	if agents != 1 {
		t.Errorf("after a reload: %d agent messages shown, want 1", agents)
	}
}

// TestWidgetConsoleHandOff: a visitor asks for a person in the widget;
// an agent, signed in to the console in a second browser context (no
// storage shared with the visitor's), opens the conversation and answers
// by typing; the widget shows the answer by itself, and the visitor's
// reply reaches the console live.
func TestWidgetConsoleHandOff(t *testing.T) { browsertest.Each(t, testWidgetConsoleHandOff) }

func testWidgetConsoleHandOff(t *testing.T, k browsertest.Kind) {
	s := startShop(t)
	b := k.Start(t, s.Listener.Addr().String(), s.parley.addr)
	visitor := b.NewPage(t, "visitor")
	visitor.Navigate(s.URL + "/")
	visitor.Click(inWidget(".launcher"))
	visitor.Wait("the quick prompts", chip("Menu"))
	visitor.Click(inWidget(".person"))
	visitor.Wait("the escalation", logText+".includes('A person will answer you here shortly.')")
	thread := threadOf(t, visitor)

	agent := b.NewPage(t, "agent")
	agent.Navigate("http://" + s.parley.addr + "/console/")
	agent.Click(`document.getElementById('token')`)
	agent.Type(testAgentToken + "\r")
	agent.Wait("the waiting conversation", "document.querySelector('#threads .thread') && document.querySelector('#threads .thread').dataset.thread === '"+thread+"'")
	var shared bool
	agent.Eval(`Object.keys(localStorage).some(k => k.startsWith('parley:'))`, &shared)
	if shared {
		t.Error("the agent's context sees the visitor's storage")
	}
	agent.Click(`document.querySelector('#threads .thread')`)
	agent.Wait("the conversation", `document.getElementById('conv-h').textContent.startsWith('Conversation with')`)
	agent.Type("Hi, Alice here. What can I get you?\r")
	agent.Wait("the answer sent", `document.getElementById('status').textContent === 'Sent.'`)

	visitor.Wait("the agent's answer", inWidget(".bubble.agent")+" && "+logText+".includes('Hi, Alice here. What can I get you?')")
	visitor.Screenshot("answered")
	say(visitor, "A flat white, please.")
	agent.Wait("the visitor's reply, live", `[...document.querySelectorAll('#messages .msg.user .text')].some(e => e.textContent === 'A flat white, please.')`)
	agent.Screenshot("reply")
	agent.Axe()
}

// TestWidgetXSS: markup in a visitor's message, in an agent's message and
// in a user attribute the bot says back is shown as text, and runs
// nothing.
func TestWidgetXSS(t *testing.T) { browsertest.Each(t, testWidgetXSS) }

func testWidgetXSS(t *testing.T, k browsertest.Kind) {
	s := startShop(t)
	b := k.Start(t, s.Listener.Addr().String(), s.parley.addr)
	p := b.NewPage(t, "xss")
	p.Navigate(s.URL + "/")
	p.Click(inWidget(".launcher"))
	p.Wait("the quick prompts", chip("Menu"))
	const attack = `<img src=x onerror="window.pwned=1">`
	say(p, attack)
	p.Wait("the fallback", logText+".includes(\"I didn't get that\") || "+logText+".includes('only a coffee machine')")

	// The visitor's name, a user attribute, is markup; the bot greets them by it.
	thread := threadOf(t, p)
	bot := "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName)
	body := fmt.Sprintf(`{"chatUser": {"email": "eve@example.com", "name": %q}}`, `<script>window.pwned=2</script>`)
	if got := call(t, s.parley.addr, "PATCH", bot+"/threads/"+thread, testAgentToken, body, nil); got != http.StatusOK {
		t.Fatalf("set the user's name: status %d", got)
	}
	body = fmt.Sprintf(`{"message": %q, "threadId": %q, "from": "AGENT"}`, `<b onmouseover="window.pwned=3">bold</b>`, thread)
	if got := call(t, s.parley.addr, "POST", bot+"/message", testAgentToken, body, nil); got != http.StatusOK {
		t.Fatalf("the agent's message: status %d", got)
	}
	p.Wait("the agent's markup", logText+".includes('<b onmouseover=')")
	say(p, "hello")
	p.Wait("the greeting by name", logText+".includes('<script>window.pwned=2</script>!')")
	p.Screenshot("xss")

	var got struct {
		Pwned    any
		Elements int
		Texts    []string
	}
	p.Eval(`({pwned: window.pwned ?? null, elements: `+inWidget(".log")+`.querySelectorAll('img, script, b').length,
		texts: [...`+inWidget(".log")+`.querySelectorAll('.text')].map(e => e.textContent)})`, &got)
	if got.Pwned != nil || got.Elements != 0 {
		t.Errorf("window.pwned = %v, %d img/script/b elements in the log; want none", got.Pwned, got.Elements)
	}
	joined := strings.Join(got.Texts, "\n")
	for _, want := range []string{attack, `<b onmouseover="window.pwned=3">bold</b>`} {
		if !strings.Contains(joined, want) {
			t.Errorf("texts %q: want %q shown as text", got.Texts, want)
		}
	}
}

// TestWidgetPhone: on a phone-sized screen the open window fills the
// screen and passes the accessibility check.
func TestWidgetPhone(t *testing.T) { browsertest.Each(t, testWidgetPhone) }

func testWidgetPhone(t *testing.T, k browsertest.Kind) {
	s := startShop(t)
	b := k.Start(t, s.Listener.Addr().String(), s.parley.addr)
	p := b.NewPage(t, "phone")
	p.Emulate(browsertest.Screen{Width: 390, Height: 844, Scale: 2, Mobile: true})
	p.Navigate(s.URL + "/")
	p.Tap(inWidget(".launcher"))
	p.Wait("the quick prompts", chip("Menu"))
	p.Tap(chip("Menu"))
	p.Wait("the menu's buttons", chip("Latte"))
	var box struct{ Width, Height float64 }
	p.Eval(`(() => { const r = `+inWidget(".window")+`.getBoundingClientRect(); return {width: r.width, height: r.height}; })()`, &box)
	if box.Width != 390 || box.Height != 844 {
		t.Errorf("the window on a 390×844 screen: %v×%v, want the whole screen", box.Width, box.Height)
	}
	p.Screenshot("menu")
	p.Axe()
}

// TestWidgetAppearance: the bot file's appearance sets the widget's
// colours, direction, language and words.
func TestWidgetAppearance(t *testing.T) { browsertest.Each(t, testWidgetAppearance) }

func testWidgetAppearance(t *testing.T, k browsertest.Kind) {
	bot := filepath.Join(t.TempDir(), "bot.yaml")
	if err := os.WriteFile(bot, []byte(`settings:
  title: مقهى
  appearance:
    welcome_message: أهلاً وسهلاً
    placeholder_text: اكتب رسالتك
    brand_color: "#064e3b"
    rtl: true
    locale: ar
    localization: {send: أرسل, person: تحدث إلى شخص, open: افتح المحادثة}
stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, says: [hello], responses: [{text: مرحبا}]}
      - {name: Fallback, role: else, responses: [{text: عفواً؟}]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	origin := ""
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>مقهى</title></head>
<body><main><h1>مقهى</h1></main><script src="%s/widget.js" data-chatbot="%s" data-token="%s" async></script></body></html>`,
			origin, httpadapter.ChatbotID(httpadapter.DefaultBotName), testClientToken)
	}))
	t.Cleanup(site.Close)
	s := startServe(t, "-bot", bot, "-memory", "-quiet", "-client-token", testClientToken, "-developer-token", testDevToken, "-cors", site.URL)
	origin = "http://" + s.addr
	b := k.Start(t, site.Listener.Addr().String(), s.addr)
	p := b.NewPage(t, "rtl")
	p.Navigate(site.URL + "/")
	p.Click(inWidget(".launcher"))
	p.Wait("the welcome", logText+".includes('أهلاً وسهلاً')")
	var got struct {
		Dir, Lang, Send, Person, Placeholder, Header string
		LauncherLeft                                 float64
	}
	p.Eval(`(() => { const r = document.querySelector('.parley-widget').shadowRoot, f = r.querySelector('.parley');
		return {dir: f.dir, lang: f.lang, send: r.querySelector('.send').textContent, person: r.querySelector('.person').textContent,
			placeholder: r.querySelector('.input').placeholder, header: getComputedStyle(r.querySelector('header')).backgroundColor,
			launcherLeft: r.querySelector('.launcher').getBoundingClientRect().left}; })()`, &got)
	if got.Dir != "rtl" || got.Lang != "ar" || got.Send != "أرسل" || got.Person != "تحدث إلى شخص" || got.Placeholder != "اكتب رسالتك" ||
		got.Header != "rgb(6, 78, 59)" || got.LauncherLeft > 100 {
		t.Errorf("got %+v, want the bot's appearance, right to left with the launcher on the left", got)
	}
	say(p, "hello")
	p.Wait("the answer", logText+".includes('مرحبا')")
	p.Screenshot("rtl")
	p.Axe()
}
