package browsertest

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// findFirefox returns $PARLEY_FIREFOX or the first Firefox on $PATH.
func findFirefox() string {
	if p := os.Getenv("PARLEY_FIREFOX"); p != "" {
		return p
	}
	for _, name := range []string{"firefox-esr", "firefox"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// firefoxPrefs go into the fresh profile's user.js, on top of the
// preferences Firefox's remote agent applies for automation (no updates,
// telemetry, safe browsing or other requests of the browser's own): a
// blank start page, and touch events, which desktop Firefox turns off
// without a touch screen, so that Tap sends real touches.
//
// A touch that lasts longer than apz.max_tap_time (300 ms) is no tap in
// Firefox: no click follows it. The remote agent sends the touch's start
// and its end as two steps, each a round trip to the page's process,
// timed when they are sent: on a loaded machine, or while the page is
// busy with the touch's start, more than 300 ms fall between them, and
// a tap was lost. A person's touch is timed by the screen, not by the
// load; the tests' taps count as taps however long they take to send.
var firefoxPrefs = map[string]any{
	"browser.startup.page":         0,
	"browser.startup.homepage":     "about:blank",
	"browser.aboutwelcome.enabled": false,
	"dom.w3c_touch_events.enabled": 1,
	"apz.max_tap_time":             int(Timeout / time.Millisecond),
}

// startTimeout bounds the start of Firefox, from its launch to its
// session, which only stops a browser that would never be ready: with
// the machine's CPUs busy, the start has taken over two minutes.
const startTimeout = 5 * time.Minute

// A firefox is a headless Firefox driven with WebDriver BiDi, which it
// speaks natively: one process, and a user context (its own cookies and
// storage) per page.
type firefox struct {
	cmd  *exec.Cmd
	conn *bidiConn

	mu    sync.Mutex
	pages map[string]*Page // by browsing context, frames included
}

func startFirefox(path string) (browser, func(), error) {
	profile, err := os.MkdirTemp("", "parley-firefox-")
	if err != nil {
		return nil, nil, err
	}
	var prefs strings.Builder
	for k, v := range firefoxPrefs {
		j, _ := json.Marshal(v)
		fmt.Fprintf(&prefs, "user_pref(%q, %s);\n", k, j)
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(prefs.String()), 0o644); err != nil {
		os.RemoveAll(profile)
		return nil, nil, err
	}
	cmd := exec.Command(path, "--headless", "--no-remote", "--profile", profile, "--remote-debugging-port=0")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1")
	stderr, err := cmd.StderrPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		os.RemoveAll(profile)
		return nil, nil, err
	}
	f := &firefox{cmd: cmd, pages: map[string]*Page{}}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop := func() {
		if f.conn != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			f.conn.call(ctx, "browser.close", nil, nil)
			cancel()
			f.conn.close()
		}
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		os.RemoveAll(profile)
	}

	// Firefox says where it listens on stderr; the rest of its output is
	// kept for an error message.
	found := make(chan string, 1)
	var (
		outMu sync.Mutex
		out   []string
	)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "WebDriver BiDi listening on "); ok {
				found <- strings.TrimSpace(u)
				continue
			}
			outMu.Lock()
			if len(out) < 50 {
				out = append(out, line)
			}
			outMu.Unlock()
		}
		io.Copy(io.Discard, stderr)
	}()
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	var url string
	select {
	case url = <-found:
	case <-exited:
	case <-ctx.Done():
	}
	if url == "" {
		stop()
		outMu.Lock()
		defer outMu.Unlock()
		return nil, nil, fmt.Errorf("no WebDriver BiDi endpoint announced after %v: %s", time.Since(began).Round(time.Second), strings.Join(out, "\n"))
	}
	f.conn, err = dialBiDi(ctx, url+"/session", f.event)
	if err == nil {
		err = f.conn.call(ctx, "session.subscribe", map[string]any{"events": []string{
			"log.entryAdded", "network.beforeRequestSent", "browsingContext.contextCreated",
		}}, nil)
	}
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("after %v: %w", time.Since(began).Round(time.Second), err)
	}
	return f, stop, nil
}

// event records what makes a page fail: it runs on the connection's
// reading goroutine.
func (f *firefox) event(method string, params json.RawMessage) {
	var e struct {
		Context string `json:"context"`
		Parent  string `json:"parent"`
		Source  struct {
			Context string `json:"context"`
		} `json:"source"`
		Type    string `json:"type"`
		Level   string `json:"level"`
		Text    string `json:"text"`
		Request struct {
			URL string `json:"url"`
		} `json:"request"`
	}
	if json.Unmarshal(params, &e) != nil {
		return
	}
	f.mu.Lock()
	p := f.pages[e.Context]
	if e.Context == "" {
		p = f.pages[e.Source.Context]
	}
	if method == "browsingContext.contextCreated" && f.pages[e.Parent] != nil {
		f.pages[e.Context] = f.pages[e.Parent] // a frame of the page
	}
	f.mu.Unlock()
	if p == nil {
		return // the browser's own work, or a page being closed
	}
	switch method {
	case "log.entryAdded":
		if e.Level == "error" {
			kind := "console error: "
			if e.Type == "javascript" {
				kind = "script error: "
			}
			p.record(kind + e.Text)
		}
	case "network.beforeRequestSent":
		p.request(e.Request.URL)
	}
}

func (f *firefox) newPage(t testing.TB, p *Page) (driver, error) {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	var uc struct {
		UserContext string `json:"userContext"`
	}
	if err := f.conn.call(ctx, "browser.createUserContext", nil, &uc); err != nil {
		return nil, err
	}
	var bc struct {
		Context string `json:"context"`
	}
	err := f.conn.call(ctx, "browsingContext.create", map[string]any{"type": "tab", "userContext": uc.UserContext}, &bc)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.pages[bc.Context] = p
	f.mu.Unlock()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), Timeout)
		defer cancel()
		f.conn.call(ctx, "browser.removeUserContext", map[string]any{"userContext": uc.UserContext}, nil)
		f.mu.Lock()
		for id, q := range f.pages {
			if q == p {
				delete(f.pages, id)
			}
		}
		f.mu.Unlock()
	})
	fp := &firefoxPage{conn: f.conn, context: bc.Context}
	// The size of Chromium's window, for the same layout in both.
	return fp, fp.emulate(ctx, Screen{Width: 1280, Height: 800})
}

// A firefoxPage is a tab in a user context of its own.
type firefoxPage struct {
	conn    *bidiConn
	context string
}

func (f *firefoxPage) navigate(ctx context.Context, url string) error {
	return f.conn.call(ctx, "browsingContext.navigate", map[string]any{"context": f.context, "url": url, "wait": "complete"}, nil)
}

// evaluate runs the expression in the page, awaiting a promise.
func (f *firefoxPage) evaluate(ctx context.Context, expr string) (*evaluateResult, error) {
	var r evaluateResult
	err := f.conn.call(ctx, "script.evaluate", map[string]any{
		"expression":      expr,
		"target":          map[string]any{"context": f.context},
		"awaitPromise":    true,
		"resultOwnership": "none",
	}, &r)
	if err != nil {
		return nil, err
	}
	return &r, r.err()
}

func (f *firefoxPage) eval(ctx context.Context, expr string) (json.RawMessage, error) {
	r, err := f.evaluate(ctx, expr)
	if err != nil {
		return nil, err
	}
	return r.Result.toJSON()
}

// pointer performs a press and release at (x, y) with a pointer of the
// type (mouse or touch).
func (f *firefoxPage) pointer(ctx context.Context, typ string, x, y float64) error {
	return f.conn.call(ctx, "input.performActions", map[string]any{
		"context": f.context,
		"actions": []any{map[string]any{
			"type": "pointer", "id": typ, "parameters": map[string]any{"pointerType": typ},
			"actions": []any{
				map[string]any{"type": "pointerMove", "x": int(math.Round(x)), "y": int(math.Round(y))},
				map[string]any{"type": "pointerDown", "button": 0},
				map[string]any{"type": "pointerUp", "button": 0},
			},
		}},
	}, nil)
}

func (f *firefoxPage) tap(ctx context.Context, x, y float64) error {
	return f.pointer(ctx, "touch", x, y)
}

func (f *firefoxPage) click(ctx context.Context, x, y float64) error {
	return f.pointer(ctx, "mouse", x, y)
}

func (f *firefoxPage) keys(ctx context.Context, text string) error {
	var actions []any
	for _, r := range text {
		key := string(r)
		if r == '\r' || r == '\n' {
			key = "\uE007" // Enter
		}
		actions = append(actions, map[string]any{"type": "keyDown", "value": key}, map[string]any{"type": "keyUp", "value": key})
	}
	return f.conn.call(ctx, "input.performActions", map[string]any{
		"context": f.context,
		"actions": []any{map[string]any{"type": "key", "id": "keyboard", "actions": actions}},
	}, nil)
}

func (f *firefoxPage) screenshot(ctx context.Context) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	if err := f.conn.call(ctx, "browsingContext.captureScreenshot", map[string]any{"context": f.context}, &r); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.Data)
}

// emulate sets the viewport's size and scale; BiDi has no touch or mobile
// emulation in Firefox (touch events are on for every page, see
// firefoxPrefs).
func (f *firefoxPage) emulate(ctx context.Context, s Screen) error {
	return f.conn.call(ctx, "browsingContext.setViewport", map[string]any{
		"context":          f.context,
		"viewport":         map[string]any{"width": s.Width, "height": s.Height},
		"devicePixelRatio": s.scale(),
	}, nil)
}

func (f *firefoxPage) setFiles(ctx context.Context, el string, paths []string) error {
	r, err := f.evaluate(ctx, el)
	if err != nil {
		return err
	}
	if r.Result.SharedID == "" {
		return errors.New(el + " is not an element")
	}
	return f.conn.call(ctx, "input.setFiles", map[string]any{
		"context": f.context, "element": map[string]any{"sharedId": r.Result.SharedID}, "files": paths,
	}, nil)
}
