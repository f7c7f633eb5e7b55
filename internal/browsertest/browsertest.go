// Package browsertest drives headless Chromium for the tests of Parley's
// web face (package web): it finds the browser, opens pages in separate
// browser contexts (two visitors, or a visitor and an agent, share no
// storage), saves screenshots, checks accessibility with axe-core inside
// the page, and fails a test on a script error, a console error (a
// Content-Security-Policy violation is one) or a request to a host other
// than the ones the test allows.
//
// # Finding the browser
//
// The browser is $PARLEY_CHROMIUM, else the first of chromium,
// chromium-browser, google-chrome and google-chrome-stable on $PATH
// (Debian's package "chromium" installs /usr/bin/chromium). Without one a
// test is skipped with a message saying so, unless $PARLEY_BROWSER is
// "required", as .ci/run sets it: then the test fails, so that CI never
// passes by skipping.
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
// One Chromium per test, started in about a second, rather than one per
// package, so that tests stay independent and can run in parallel; a
// timeout on every action, so that a page that never shows what a test
// waits for fails the test instead of hanging it. Elements inside the
// widget's shadow root are reached with JavaScript paths, and taps and
// clicks are real input events at the element's place on the screen, so
// an element hidden under another cannot be tapped.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Timeout bounds every action of a Page.
const Timeout = 15 * time.Second

// Find returns the path of the browser to run, or "" if there is none.
func Find() string {
	if p := os.Getenv("PARLEY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
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

// A Browser is one headless Chromium process, stopped when the test ends.
type Browser struct {
	ctx   context.Context // the browser's own chromedp context
	allow []string        // hosts (host:port) pages may request
}

// Start starts a headless Chromium for the test, or skips the test (see
// the package doc). Pages may request only the hosts given, as
// "host:port" (an httptest server's Listener.Addr().String()).
func Start(t testing.TB, allow ...string) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("browsertest: browser tests do not run with -short")
	}
	path := Find()
	if path == "" {
		missing(t, "no browser found: install Debian's chromium (apt-get install chromium) or set PARLEY_CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		missing(t, "cannot start %s: %v", path, err)
	}
	return &Browser{ctx: ctx, allow: allow}
}

// A Page is a tab in a browser context of its own: its storage (such as
// the widget's thread in localStorage) is not shared with other Pages.
// Its methods fail the test on error; a Page belongs to one goroutine.
type Page struct {
	t    testing.TB
	ctx  context.Context
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
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	p := &Page{t: t, ctx: ctx, name: name, dir: screenshotDir(t), allow: b.allow}
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, cdplog.Enable, cdp.Empty{})
		return err
	}))
	if err == nil {
		err = chromedp.Listen(ctx, p.listen)
	}
	if err != nil {
		cancel()
		t.Fatalf("browsertest: open page %s: %v", name, err)
	}
	t.Cleanup(func() {
		p.mu.Lock()
		for _, pr := range p.problems {
			t.Errorf("browsertest: page %s: %s", name, pr)
		}
		p.mu.Unlock()
		cancel()
	})
	return p
}

// listen records what makes a page fail: it runs on chromedp's reading
// goroutine, so it only appends.
func (p *Page) listen(ev any) {
	var problem string
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		problem = "script error: " + exceptionText(e.ExceptionDetails)
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range e.Args {
				args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			problem = "console error: " + strings.Join(args, " ")
		}
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError {
			problem = fmt.Sprintf("%s error: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(e.Request.URL)
		if err == nil && (u.Scheme == "data" || u.Scheme == "blob" || slices.Contains(p.allow, u.Host)) {
			return
		}
		problem = "request to a host not allowed: " + e.Request.URL
	}
	if problem != "" {
		p.mu.Lock()
		p.problems = append(p.problems, problem)
		p.mu.Unlock()
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
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

// Context returns the page's chromedp context, for actions this package
// has no helper for; bound it with context.WithTimeout.
func (p *Page) Context() context.Context { return p.ctx }

// Navigate loads the URL and waits for the page's load event.
func (p *Page) Navigate(url string) {
	p.t.Helper()
	p.Do(chromedp.Navigate(url))
}

// Do runs the actions with [Timeout], and fails the test (saving a
// screenshot) on error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail("%v", err)
	}
}

// fail saves a screenshot and fails the test.
func (p *Page) fail(format string, a ...any) {
	p.t.Helper()
	shot := p.Screenshot("failed")
	p.t.Fatalf("browsertest: page %s: %s (screenshot %s)", p.name, fmt.Sprintf(format, a...), shot)
}

// Eval evaluates a JavaScript expression (a promise is awaited) and
// decodes its value into out, which may be nil.
func (p *Page) Eval(expr string, out any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err == nil && out != nil {
		err = json.Unmarshal(v, out)
	}
	if err != nil {
		p.fail("eval %s: %v", expr, err)
	}
}

// Wait polls the JavaScript expression until it is truthy, failing the
// test after [Timeout] with what description says was awaited.
func (p *Page) Wait(description, expr string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	// A loop of evaluations rather than chromedp.Poll, whose predicate
	// is compiled with new Function, which the pages' policy forbids.
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		if err == nil && ok {
			return
		}
		if ctx.Err() != nil {
			if err == nil {
				err = ctx.Err()
			}
			p.fail("waiting for %s: %v", description, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Tap sends a touch tap (touchstart, touchend) at the middle of the
// element the JavaScript expression el evaluates to, after scrolling it
// into view. The element must be the one on top at that point.
func (p *Page) Tap(el string) {
	p.t.Helper()
	x, y := p.center(el)
	p.Do(chromedp.TapXY(x, y))
}

// Click clicks with the mouse at the middle of the element, as Tap does.
func (p *Page) Click(el string) {
	p.t.Helper()
	x, y := p.center(el)
	p.Do(chromedp.MouseClickXY(x, y))
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

// Type types text into the focused element with key events.
func (p *Page) Type(text string) {
	p.t.Helper()
	p.Do(chromedp.KeyEvent(text))
}

// Screenshot saves a PNG of the viewport as name.png and returns its
// path ("" if it could not be taken, which is logged).
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
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
	// Evaluated through the DevTools protocol, the script is not subject
	// to the page's Content-Security-Policy, but the inline styles it
	// applies while it checks are: those refusals are axe's, not the
	// page's, and are forgotten.
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
