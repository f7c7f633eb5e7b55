package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// findChromium returns $PARLEY_CHROMIUM or the first Chromium on $PATH.
func findChromium() string {
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

// chromium is a headless Chromium driven with the DevTools protocol
// through chromedp.
type chromium struct {
	ctx context.Context // the browser's own chromedp context
}

func startChromium(path string) (browser, func(), error) {
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
	stop := func() { cancel(); cancelAlloc() }
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, err
	}
	return &chromium{ctx: ctx}, stop, nil
}

func (c *chromium) newPage(t testing.TB, p *Page) (driver, error) {
	ctx, cancel := chromedp.NewContext(c.ctx, chromedp.WithNewBrowserContext())
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, cdplog.Enable, cdp.Empty{})
		return err
	}))
	if err == nil {
		err = chromedp.Listen(ctx, func(ev any) { chromiumEvent(p, ev) })
	}
	if err != nil {
		cancel()
		return nil, err
	}
	t.Cleanup(cancel)
	return &chromiumPage{ctx: ctx}, nil
}

// chromiumEvent records what makes a page fail: it runs on chromedp's
// reading goroutine.
func chromiumEvent(p *Page, ev any) {
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text = d.Exception.Description
		}
		p.record("script error: " + text)
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range e.Args {
				args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			p.record("console error: " + strings.Join(args, " "))
		}
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError {
			p.record(fmt.Sprintf("%s error: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	case *network.EventRequestWillBeSent:
		p.request(e.Request.URL)
	}
}

// A chromiumPage is a tab in a browser context of its own.
type chromiumPage struct{ ctx context.Context }

func (c *chromiumPage) navigate(ctx context.Context, url string) error {
	_, err := run(ctx, c.ctx, chromedp.Navigate(url))
	return err
}

// run runs the action in the page's chromedp context pctx, cancelled
// when ctx is.
func run[T any](ctx, pctx context.Context, a chromedp.Action[T]) (T, error) {
	rctx, cancel := context.WithCancel(pctx)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	v, err := chromedp.Run(rctx, a)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return v, err
}

func (c *chromiumPage) eval(ctx context.Context, expr string) (json.RawMessage, error) {
	return run(ctx, c.ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
}

func (c *chromiumPage) tap(ctx context.Context, x, y float64) error {
	_, err := run(ctx, c.ctx, chromedp.TapXY(x, y))
	return err
}

func (c *chromiumPage) click(ctx context.Context, x, y float64) error {
	_, err := run(ctx, c.ctx, chromedp.MouseClickXY(x, y))
	return err
}

func (c *chromiumPage) keys(ctx context.Context, text string) error {
	_, err := run(ctx, c.ctx, chromedp.KeyEvent(text))
	return err
}

func (c *chromiumPage) screenshot(ctx context.Context) ([]byte, error) {
	return run(ctx, c.ctx, chromedp.CaptureScreenshot())
}

func (c *chromiumPage) emulate(ctx context.Context, s Screen) error {
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(s.scale())}
	if s.Mobile {
		opts = append(opts, chromedp.EmulateMobile)
	} else if s.Touch {
		opts = append(opts, chromedp.EmulateTouch)
	}
	_, err := run(ctx, c.ctx, chromedp.EmulateViewport(int64(s.Width), int64(s.Height), opts...))
	return err
}

func (c *chromiumPage) setFiles(ctx context.Context, el string, paths []string) error {
	_, err := run(ctx, c.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		obj, err := chromedp.Evaluate[*runtime.RemoteObject](el)(ctx, t)
		if err != nil {
			return err
		}
		if obj.ObjectID == "" {
			return fmt.Errorf("%s is not an element", el)
		}
		_, err = cdp.Call(ctx, t, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: paths, ObjectID: obj.ObjectID})
		return err
	}))
	return err
}
