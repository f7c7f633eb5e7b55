package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeVisitors: with parley serve's default limits, twenty visitors
// of one page, all behind one address and sharing the client token, chat
// at once without a 429, while one visitor sending far more than a person
// types is slowed down alone.
func TestServeVisitors(t *testing.T) {
	s := startServe(t, "-bot", "../../examples/coffee/bot.yaml", "-memory", "-quiet",
		"-developer-token", testDevToken, "-client-token", testClientToken)
	var refused atomic.Int32
	var wg sync.WaitGroup
	for v := range 20 {
		wg.Go(func() {
			for i := range 20 {
				body := fmt.Sprintf(`{"sessionId":"visitor-%02d-of-the-page","query":"a large latte please %d"}`, v, i)
				if got := call(t, s.addr, "POST", "/query", testClientToken, body, nil); got != http.StatusOK {
					refused.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := refused.Load(); n > 0 {
		t.Errorf("%d of 400 turns refused, want none", n)
	}
	limited := 0
	for range 100 {
		if call(t, s.addr, "POST", "/query", testClientToken, `{"sessionId":"a-script-in-a-loop","query":"hello"}`, nil) == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Error("100 turns of one session at once: got no 429")
	}
	if got := call(t, s.addr, "POST", "/query", testClientToken, `{"sessionId":"visitor-00-of-the-page","query":"hello"}`, nil); got != http.StatusOK {
		t.Errorf("another visitor meanwhile: got %d, want 200", got)
	}
}

// TestServeShortBody: a body shorter than its Content-Length is answered
// 408 with the error body once the body timeout passes, although the
// server's read and write timeouts are equal.
func TestServeShortBody(t *testing.T) {
	s := startServe(t, "-bot", "../../examples/coffee/bot.yaml", "-memory", "-quiet", "-developer-token", testDevToken,
		"-body-timeout", "300ms", "-read-timeout", "5s", "-write-timeout", "5s")
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST /query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 80\r\n\r\n{\"sessionId\":", testDevToken)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestTimeout || !strings.Contains(string(b), `"code":408`) {
		t.Errorf("got %d %s, want 408 with the error body", resp.StatusCode, b)
	}
}

func TestServeCORS(t *testing.T) {
	bot := "../../examples/coffee/bot.yaml"
	for _, origin := range []string{"shop.example", "javascript:alert(1)", "https://a.example/path"} {
		code, _, errs := parley(t, []string{"serve", "-bot", bot, "-memory", "-developer-token", "d", "-cors", origin})
		if want := fmt.Sprintf("parley serve: httpadapter: CORS origin %q", origin); code != 1 || !strings.Contains(errs, want) {
			t.Errorf("-cors %s: got exit code %d, stderr %q; want 1 and %q", origin, code, errs, want)
		}
	}
	s := startServe(t, "-bot", bot, "-memory", "-quiet", "-developer-token", testDevToken, "-cors", "https://a.example, https://b.example")
	for _, origin := range []string{"https://a.example", "https://b.example"} {
		req, _ := http.NewRequest("OPTIONS", "http://"+s.addr+"/query", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != origin {
			t.Errorf("Origin %s: got Access-Control-Allow-Origin %q", origin, got)
		}
	}
}
