package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/parleybot/parley/internal/browsertest"
)

// startScreen runs "coffee -web" until the test ends and returns the
// address it serves.
func startScreen(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	var errw strings.Builder
	go func() {
		code <- run(ctx, append([]string{"-web", "-memory", "-addr", "127.0.0.1:0"}, args...), strings.NewReader(""), pw, &errw)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if c := <-code; c != 0 {
			t.Errorf("coffee -web: exit code %d", c)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	_, rest, ok := strings.Cut(line, "http://")
	addr, _, _ := strings.Cut(rest, "/")
	if err != nil || !ok {
		t.Fatalf("coffee -web did not start: %q %v", line, err)
	}
	return addr
}

// shadow is the JavaScript path of an element in the widget's shadow
// root.
func shadow(selector string) string {
	return `document.querySelector('.parley-widget').shadowRoot.querySelector(` + "`" + selector + "`" + `)`
}

// chip is the JavaScript path of the last button titled title.
func chip(title string) string {
	return `[...document.querySelector('.parley-widget').shadowRoot.querySelectorAll('button.chip')].filter(b => b.textContent === ` + "`" + title + "`" + `).pop()`
}

// TestScreenOrder orders a coffee on the kiosk's touch screen by tapping
// only; the drink-ready message arrives by itself.
func TestScreenOrder(t *testing.T) { browsertest.Each(t, testScreenOrder) }

func testScreenOrder(t *testing.T, k browsertest.Kind) {
	addr := startScreen(t, "-brew", "500ms")
	b := k.Start(t, addr)
	p := b.NewPage(t, "kiosk")
	p.Emulate(browsertest.Screen{Width: 1024, Height: 768, Touch: true})
	p.Navigate("http://" + addr + "/")
	var loc string
	p.Eval(`location.pathname + location.hash`, &loc)
	if !strings.HasPrefix(loc, "/kiosk/#chatbot=") || !strings.Contains(loc, "&token=") {
		t.Fatalf("/ led to %q, want the kiosk page with its bot and token", loc)
	}
	p.Wait("the quick prompts", chip("Large oat latte"))
	p.Wait("the welcome", shadow(".log")+`.textContent.includes('Hello! Tap a drink to order it')`)
	var header string
	p.Eval(`getComputedStyle(`+shadow("header")+`).backgroundColor`, &header)
	if header != "rgb(107, 58, 31)" {
		t.Errorf("the header's colour is %s, want the bot's brand colour #6b3a1f", header)
	}
	p.Screenshot("1-start")
	p.Axe()

	p.Tap(chip("Large oat latte"))
	p.Wait("the confirmation", shadow(".log")+`.textContent.includes('One large latte with oat milk and no sugar. Shall I start brewing?')`)
	p.Screenshot("2-confirm")
	p.Tap(chip("Yes, brew it"))
	p.Wait("brewing", shadow(".log")+`.textContent.includes('Brewing your large latte now.')`)
	p.Screenshot("3-brewing")
	p.Wait("the drink, ready", shadow(".log")+`.textContent.includes('Your latte is ready. Enjoy')`)
	p.Screenshot("4-ready")
	p.Axe()

	// The next customer starts over.
	p.Tap(shadow(".restart"))
	p.Wait("a new order", chip("Small espresso")+` && !`+shadow(".log")+`.textContent.includes('latte')`)

	resp, err := http.Get("http://" + addr + "/kiosk/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Security-Policy") == "" {
		t.Error("the kiosk page has no Content-Security-Policy")
	}
}
