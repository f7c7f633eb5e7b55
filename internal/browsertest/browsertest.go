// Package browsertest drives real browsers, headless Chromium and
// Firefox, for the tests of Parley's web face (package web): it finds the
// browsers, runs a test once in each ([Each]), opens pages in separate
// browser contexts (two visitors, or a visitor and an agent, share no
// storage), taps, clicks and types with real input events, saves
// screenshots, checks accessibility with axe-core inside the page, and
// fails a test on a script error, a console error (a
// Content-Security-Policy violation is one) or a request to a host other
// than the ones the test allows. A step that fails says what the page
// showed: its address and the end of its text, shadow roots included.
//
// # Finding the browsers
//
// Chromium is $PARLEY_CHROMIUM, else the first of chromium,
// chromium-browser, google-chrome and google-chrome-stable on $PATH
// (Debian's package "chromium" installs /usr/bin/chromium). Firefox is
// $PARLEY_FIREFOX, else firefox-esr or firefox on $PATH (Debian's package
// "firefox-esr"). Without one a test is skipped with a message saying
// so, unless $PARLEY_BROWSER is "required", as .ci/run sets it: then the
// test fails, so that CI never passes by skipping.
//
// Browser tests do not run with -short (as under an emulator, where
// .ci/run passes it).
//
// # axe-core
//
// [Page.Axe] runs axe-core's axe.min.js, from npm: $PARLEY_AXE names the
// file, else it is looked for in parley-axe/node_modules/axe-core/ under
// the user's cache directory, where .ci/run installs it with
// "npm install --prefix ~/.cache/parley-axe axe-core". Without it, Axe
// fails under PARLEY_BROWSER=required and logs that nothing was checked
// otherwise.
//
// # Screenshots
//
// [Page.Screenshot] writes PNGs into $PARLEY_SCREENSHOTS/<test name>/
// when the variable is set (they are kept), else into the test's
// temporary directory (they are removed with it). A failing action saves
// one too.
//
// # Design decisions
//
// The tests speak to a [Page], which is the same in every browser; a
// small driver per browser does the rest: chromedp over the DevTools
// protocol for Chromium, and for Firefox, which no longer speaks that
// protocol, a minimal client of WebDriver BiDi, the W3C protocol Firefox
// speaks natively (https://w3c.github.io/webdriver-bidi/), over the
// WebSocket package Parley already uses. One browser process per
// package ([Main]) or per test, and a browser context per page, so that
// tests stay independent and can run in parallel; a timeout on every
// action, so that a page that never shows what a test
// waits for fails the test instead of hanging it. Elements inside the
// widget's shadow root are reached with JavaScript paths, and taps and
// clicks are real input events at the element's place on the screen, so
// an element hidden under another cannot be tapped.
//
// # Caveats
//
// Only the browser versions installed are tested (Debian ships one
// Firefox, the extended-support release). Firefox has no mobile or touch
// emulation in WebDriver BiDi: [Screen.Mobile] and [Screen.Touch] size
// the viewport only there, and touch events are enabled for every
// Firefox page so that [Page.Tap] sends real touches. Firefox counts a
// touch longer than 300 ms as no tap, and the remote agent times the
// touch's start and end when it sends them, which a loaded machine
// spreads apart: the tests' Firefox counts a touch of any length as a
// tap.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Timeout bounds every action of a Page. It only stops a test that
// would hang: an action returns as soon as it is done, and on a loaded
// 2-core machine running the whole suite with -race a step has taken
// over 15 seconds.
const Timeout = 60 * time.Second

// A Kind is a browser the tests run in.
type Kind string

// The browsers, by the name of their subtests in [Each].
const (
	Chromium Kind = "chromium"
	Firefox  Kind = "firefox"
)

// Kinds lists every browser, in the order [Each] runs them.
var Kinds = []Kind{Chromium, Firefox}

// Each runs test once in every browser, as subtests named after them
// ("chromium", "firefox"), so "go test -run TestX/firefox" runs one.
func Each(t *testing.T, test func(t *testing.T, k Kind)) {
	t.Helper()
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) { test(t, k) })
	}
}

// Find returns the path of the browser to run, or "" if there is none.
func (k Kind) Find() string {
	switch k {
	case Chromium:
		return findChromium()
	case Firefox:
		return findFirefox()
	}
	return ""
}

// required reports whether a missing browser or axe-core fails the test.
func required() bool { return os.Getenv("PARLEY_BROWSER") == "required" }

// missing skips the test, or fails it when the browser is required.
func missing(t testing.TB, format string, a ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, a...)
	if required() {
		t.Fatalf("browsertest: %s (PARLEY_BROWSER=required)", msg)
	}
	t.Skipf("browsertest: %s; skipping (set PARLEY_BROWSER=required to fail instead)", msg)
}

// browser is what a Browser needs of one: pages.
type browser interface {
	newPage(t testing.TB, p *Page) (driver, error)
}

// driver is what a Page needs of a browser's tab; every call is bounded
// by ctx.
type driver interface {
	navigate(ctx context.Context, url string) error
	eval(ctx context.Context, expr string) (json.RawMessage, error)
	tap(ctx context.Context, x, y float64) error
	click(ctx context.Context, x, y float64) error
	keys(ctx context.Context, text string) error
	screenshot(ctx context.Context) ([]byte, error)
	emulate(ctx context.Context, s Screen) error
	setFiles(ctx context.Context, el string, paths []string) error
}

// A Browser is one headless browser process, stopped when the test ends.
type Browser struct {
	kind  Kind
	b     browser
	allow []string // hosts (host:port) pages may request
}

// Start starts a headless Chromium for the test: it is Chromium.Start.
// A test that holds for every browser uses [Each] and [Kind.Start].
func Start(t testing.TB, allow ...string) *Browser {
	t.Helper()
	return Chromium.Start(t, allow...)
}

// Start starts the headless browser for the test, or skips the test (see
// the package doc); under [Main] it returns the browser the package's
// tests share, started by the first. Pages may request only the hosts
// given, as "host:port" (an httptest server's Listener.Addr().String()).
func (k Kind) Start(t testing.TB, allow ...string) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("browsertest: browser tests do not run with -short")
	}
	start, hint := startChromium, "install Debian's chromium (apt-get install chromium) or set PARLEY_CHROMIUM"
	switch k {
	case Chromium:
	case Firefox:
		start, hint = startFirefox, "install Debian's firefox-esr (apt-get install firefox-esr) or set PARLEY_FIREFOX"
	default:
		t.Fatalf("browsertest: unknown browser %q", k)
	}
	path := k.Find()
	if path == "" {
		missing(t, "no %s found: %s", k, hint)
	}
	shared.Lock()
	defer shared.Unlock()
	r := shared.running[k]
	if r == nil {
		r = &running{}
		var stop func()
		if r.b, stop, r.err = start(path); r.err == nil {
			if shared.running != nil {
				r.stop = stop
				shared.running[k] = r
			} else {
				t.Cleanup(stop)
			}
		} else if shared.running != nil {
			shared.running[k] = r // the next tests fail as fast
		}
	}
	if r.err != nil {
		missing(t, "cannot start %s: %v", path, r.err)
	}
	return &Browser{kind: k, b: r.b, allow: allow}
}

// A running browser is one process, or why it could not start.
type running struct {
	b    browser
	stop func()
	err  error
}

// shared holds the browsers of a package's tests under Main.
var shared struct {
	sync.Mutex
	running map[Kind]*running // nil unless Main runs the tests
}

// Main runs the package's tests and returns their exit code, as m.Run
// does, with one process per browser shared by all of them (each page
// still has a browser context of its own), stopped when they are done. A
// package with several browser tests calls it from its TestMain,
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
//
// and saves starting a browser per test (Firefox takes seconds to be
// ready). Without it, each Start starts a browser for its test alone.
func Main(m *testing.M) int {
	shared.Lock()
	shared.running = map[Kind]*running{}
	shared.Unlock()
	defer func() {
		shared.Lock()
		defer shared.Unlock()
		for _, r := range shared.running {
			if r.stop != nil {
				r.stop()
			}
		}
		shared.running = nil
	}()
	return m.Run()
}

// Kind returns which browser b is.
func (b *Browser) Kind() Kind { return b.kind }

// A Page is a tab in a browser context of its own: its storage (such as
// the widget's thread in localStorage) is not shared with other Pages.
// Its methods fail the test on error; a Page belongs to one goroutine.
type Page struct {
	t    testing.TB
	drv  driver
	name string
	dir  string

	mu       sync.Mutex
	problems []string
	allow    []string
}

// NewPage opens a tab in a new browser context, named name in screenshots
// and messages. The test fails at its end if the page had a script error,
// a console error or a request to a host not allowed.
func (b *Browser) NewPage(t testing.TB, name string) *Page {
	t.Helper()
	p := &Page{t: t, name: name, dir: screenshotDir(t), allow: b.allow}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, pr := range p.problems {
			t.Errorf("browsertest: page %s: %s", name, pr)
		}
	})
	drv, err := b.b.newPage(t, p)
	if err != nil {
		t.Fatalf("browsertest: open page %s in %s: %v", name, b.kind, err)
	}
	p.drv = drv
	return p
}

// record adds a problem that fails the test; drivers call it from their
// reading goroutines.
func (p *Page) record(problem string) {
	p.mu.Lock()
	p.problems = append(p.problems, problem)
	p.mu.Unlock()
}

// request records a request to a host not allowed.
func (p *Page) request(rawURL string) {
	u, err := url.Parse(rawURL)
	if err == nil && (u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about" || slices.Contains(p.allow, u.Host)) {
		return
	}
	p.record("request to a host not allowed: " + rawURL)
}

// Problems returns the problems recorded so far and forgets them, for a
// test that provokes one on purpose.
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.problems
	p.problems = nil
	return out
}

// Navigate loads the URL and waits for the page's load event.
func (p *Page) Navigate(url string) {
	p.t.Helper()
	p.do("navigate to "+url, func(ctx context.Context) error { return p.drv.navigate(ctx, url) })
}

// do runs the step with [Timeout], and fails the test (saving a
// screenshot) on error.
func (p *Page) do(what string, step func(ctx context.Context) error) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := step(ctx); err != nil {
		p.fail("%s: %v", what, err)
	}
}

// fail saves a screenshot and fails the test, saying what the page
// showed.
func (p *Page) fail(format string, a ...any) {
	p.t.Helper()
	shot := p.Screenshot("failed")
	p.t.Fatalf("browsertest: page %s: %s (screenshot %s)\n%s", p.name, fmt.Sprintf(format, a...), shot, p.shows())
}

// showsMax bounds the text of a page that a failure quotes: its end,
// where a conversation's newest messages are.
const showsMax = 2000

// shows returns the address of the page and the text it shows (shadow
// roots included, hidden elements left out), for a failure's message.
func (p *Page) shows() string {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout/4)
	defer cancel()
	v, err := p.drv.eval(ctx, `(() => {
		const out = [];
		const walk = n => {
			if (n.nodeType === Node.TEXT_NODE) {
				const t = n.data.replace(/\s+/g, ' ').trim();
				if (t) out.push(t);
				return;
			}
			if (n.nodeType === Node.ELEMENT_NODE && (n.hidden || ['script', 'style', 'link', 'template'].includes(n.localName))) return;
			if (n.shadowRoot) walk(n.shadowRoot);
			for (const c of n.childNodes) walk(c);
		};
		walk(document.body || document.documentElement);
		return {url: location.href, text: out.join(' | ')};
	})()`)
	var got struct{ URL, Text string }
	if err == nil {
		err = json.Unmarshal(v, &got)
	}
	if err != nil {
		return fmt.Sprintf("the page's text could not be read: %v", err)
	}
	if r := []rune(got.Text); len(r) > showsMax {
		got.Text = "…" + string(r[len(r)-showsMax:])
	}
	return fmt.Sprintf("the page at %s shows: %s", got.URL, got.Text)
}

// Eval evaluates a JavaScript expression (a promise is awaited) and
// decodes its value, as JSON.stringify gives it, into out, which may be
// nil.
func (p *Page) Eval(expr string, out any) {
	p.t.Helper()
	p.do("eval "+expr, func(ctx context.Context) error {
		v, err := p.drv.eval(ctx, expr)
		if err == nil && out != nil {
			err = json.Unmarshal(v, out)
		}
		return err
	})
}

// Wait polls the JavaScript expression until it is truthy, failing the
// test after [Timeout] with what description says was awaited and what
// the page shows.
func (p *Page) Wait(description, expr string) {
	p.t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	var last error // of the last evaluation that ended before the deadline
	for {
		v, err := p.drv.eval(ctx, "!!("+expr+")")
		if err == nil && string(v) == "true" {
			return
		}
		if ctx.Err() != nil {
			why := "it stayed false"
			if last != nil {
				why = "the last evaluation failed: " + last.Error()
			}
			p.fail("waiting for %s: not so after %v (%s)", description, time.Since(start).Round(time.Second), why)
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
}

// Tap sends a touch tap at the middle of the element the JavaScript
// expression el evaluates to, after scrolling it into view. The element
// must be the one on top at that point.
func (p *Page) Tap(el string) {
	p.t.Helper()
	x, y := p.center(el)
	p.do("tap "+el, func(ctx context.Context) error { return p.drv.tap(ctx, x, y) })
}

// Click clicks with the mouse at the middle of the element, as Tap does.
func (p *Page) Click(el string) {
	p.t.Helper()
	x, y := p.center(el)
	p.do("click "+el, func(ctx context.Context) error { return p.drv.click(ctx, x, y) })
}

// center returns the middle of the element el in the viewport, checking
// that it is the element (or inside it) that a tap there would reach.
func (p *Page) center(el string) (x, y float64) {
	p.t.Helper()
	p.Wait(el+" to be on screen", `(() => { const e = `+el+`; return e && e.getClientRects().length > 0 })()`)
	var c struct {
		X, Y float64
		Top  bool
	}
	p.Eval(`(() => {
		const e = `+el+`;
		e.scrollIntoView({block: 'nearest', inline: 'nearest'});
		const r = e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
		let top = document.elementFromPoint(x, y);
		while (top && top.shadowRoot && top.shadowRoot.elementFromPoint(x, y) && top.shadowRoot.elementFromPoint(x, y) !== top) {
			top = top.shadowRoot.elementFromPoint(x, y);
		}
		return {x, y, top: !!top && (top === e || e.contains(top))};
	})()`, &c)
	if !c.Top {
		p.fail("%s is covered by another element", el)
	}
	return c.X, c.Y
}

// Type types text into the focused element with key events; "\r" is
// the Enter key.
func (p *Page) Type(text string) {
	p.t.Helper()
	p.do(fmt.Sprintf("type %q", text), func(ctx context.Context) error { return p.drv.keys(ctx, text) })
}

// A Screen is what [Page.Emulate] makes the page's screen.
type Screen struct {
	Width, Height int     // the viewport, in CSS pixels
	Scale         float64 // device pixels per CSS pixel; 0 is 1
	Touch         bool    // a touch screen (Chromium only; see the Caveats)
	Mobile        bool    // a phone: touch, and the page's viewport meta tag (Chromium only)
}

func (s Screen) scale() float64 {
	if s.Scale == 0 {
		return 1
	}
	return s.Scale
}

// Emulate gives the page the screen s; call it before Navigate.
func (p *Page) Emulate(s Screen) {
	p.t.Helper()
	p.do(fmt.Sprintf("emulate %+v", s), func(ctx context.Context) error { return p.drv.emulate(ctx, s) })
}

// SetFiles chooses the files at paths in the file input the JavaScript
// expression el evaluates to, as a person would in the file picker; the
// input fires its change event.
func (p *Page) SetFiles(el string, paths ...string) {
	p.t.Helper()
	p.do("set the files of "+el, func(ctx context.Context) error { return p.drv.setFiles(ctx, el, paths) })
}

// Screenshot saves a PNG of the viewport as name.png and returns its
// path ("" if it could not be taken, which is logged).
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	png, err := p.drv.screenshot(ctx)
	if err != nil {
		p.t.Logf("browsertest: screenshot %s of %s: %v", name, p.name, err)
		return ""
	}
	path := filepath.Join(p.dir, p.name+"-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Logf("browsertest: %v", err)
		return ""
	}
	p.t.Logf("browsertest: screenshot %s", path)
	return path
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func screenshotDir(t testing.TB) string {
	root := os.Getenv("PARLEY_SCREENSHOTS")
	if root == "" {
		return t.TempDir()
	}
	dir := filepath.Join(root, unsafeName.ReplaceAllString(t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("browsertest: PARLEY_SCREENSHOTS: %v", err)
	}
	return dir
}

// AxeScript returns the path of axe.min.js (see the package doc), or ""
// if it is not there.
func AxeScript() string {
	if p := os.Getenv("PARLEY_AXE"); p != "" {
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	p := filepath.Join(cache, "parley-axe", "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// A Violation is one rule of axe-core that the page breaks.
type Violation struct {
	ID, Impact, Help string
	Nodes            []struct{ Target []any }
}

// Axe runs axe-core on the page as it is now (shadow roots included) and
// fails the test for every serious or critical violation; minor and
// moderate ones are logged.
func (p *Page) Axe() {
	p.t.Helper()
	for _, v := range p.Violations() {
		msg := fmt.Sprintf("axe %s (%s): %s, at %v", v.ID, v.Impact, v.Help, v.Nodes)
		if v.Impact == "serious" || v.Impact == "critical" {
			p.t.Errorf("browsertest: page %s: %s", p.name, msg)
		} else {
			p.t.Logf("browsertest: page %s: %s", p.name, msg)
		}
	}
	if p.t.Failed() {
		p.Screenshot("axe")
	}
}

// Violations runs axe-core on the page as it is now and returns every
// violation it finds, or none (logging why) when axe-core is not found
// and not required.
func (p *Page) Violations() []Violation {
	p.t.Helper()
	path := AxeScript()
	if path == "" {
		if required() {
			p.t.Fatal("browsertest: axe-core not found: set PARLEY_AXE to axe.min.js (PARLEY_BROWSER=required)")
		}
		p.t.Log("browsertest: axe-core not found (set PARLEY_AXE): accessibility not checked")
		return nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		p.t.Fatalf("browsertest: PARLEY_AXE: %v", err)
	}
	// Evaluated through the browser's protocol, the script is not
	// subject to the page's Content-Security-Policy, but in Chromium the
	// inline styles it applies while it checks are: those refusals are
	// axe's, not the page's, and are forgotten.
	p.mu.Lock()
	before := len(p.problems)
	p.mu.Unlock()
	p.Eval(string(src)+";0", nil)
	var vs []Violation
	p.Eval(`axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)`, &vs)
	p.mu.Lock()
	p.problems = append(p.problems[:before], slices.DeleteFunc(p.problems[before:], func(s string) bool {
		return strings.Contains(s, "Applying inline style violates")
	})...)
	p.mu.Unlock()
	return vs
}
