package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

const (
	testClientToken = "client-token-for-tests"
	testDevToken    = "developer-token-for-tests"
)

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// A served is a "parley serve" running in-process.
type served struct {
	addr   string
	cancel context.CancelFunc
	code   chan int
	stderr *lockedBuffer
}

// startServe runs "parley serve args..." until the test ends (or cancel is
// called) and returns once it listens.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &served{cancel: cancel, code: make(chan int, 1), stderr: &lockedBuffer{}}
	go func() {
		s.code <- run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...), strings.NewReader(""), pw, s.stderr)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		<-s.code
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	_, addr, ok := strings.Cut(strings.TrimSpace(line), " on http://")
	if err != nil || !ok {
		t.Fatalf("serve did not start: %q %v; stderr: %s", line, err, s.stderr.String())
	}
	s.addr = addr
	return s
}

// call sends one request and decodes the JSON answer into out (if not
// nil), returning the status.
func call(t *testing.T, addr, method, path, token, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

func TestServeTokens(t *testing.T) {
	t.Setenv("PARLEY_CLIENT_TOKEN", "")
	t.Setenv("PARLEY_DEVELOPER_TOKEN", "")
	bot := "../../examples/coffee/bot.yaml"
	checkFailures(t, []failure{
		{"ErrNoDeveloperToken", []string{"serve", "-bot", bot, "-memory", "-client-token", "c"}, 1, "parley serve: no developer token"},
		{"ErrNoTokenAtAll", []string{"serve", "-bot", bot, "-memory", "-no-developer-token"}, 1, "parley serve: no token at all"},
		{"ErrNoBot", []string{"serve", "-memory", "-developer-token", "d"}, 2, "parley serve: no bot given"},
		{"ErrNoData", []string{"serve", "-bot", bot, "-developer-token", "d"}, 2, "parley serve: give one of -data DIR"},
		{"ErrBadBot", []string{"serve", "-bot", "nope.yaml", "-memory", "-developer-token", "d"}, 1, "nope.yaml: cannot read bot file"},
		{"ErrLastSeenEvery", []string{"serve", "-bot", bot, "-memory", "-developer-token", "d", "-lastseen-every", "-1m"}, 2, "parley serve: -lastseen-every -1m0s: want a duration from 0 to 24h"},
		{"ErrLastSeenEveryLong", []string{"serve", "-bot", bot, "-memory", "-developer-token", "d", "-lastseen-every", "25h"}, 2, "parley serve: -lastseen-every 25h0m0s: want a duration from 0 to 24h"},
		{"ErrMemoryBudgetSmall", []string{"serve", "-bot", bot, "-memory", "-developer-token", "d", "-memory-budget", "16MB"}, 2, "parley serve: -memory-budget 16MB: want at least 32MB"},
		{"ErrMemoryBudgetUnit", []string{"serve", "-bot", bot, "-memory", "-developer-token", "d", "-memory-budget", "lots"}, 2, `invalid value "lots" for flag -memory-budget: want a size such as 512MB or 2GB`},
		{"ErrMemoryBudgetNegative", []string{"serve", "-bot", bot, "-memory", "-developer-token", "d", "-memory-budget", "-1GB"}, 2, `invalid value "-1GB" for flag -memory-budget`},
		{"ErrLastSeenEveryUnit", []string{"serve", "-bot", bot, "-memory", "-developer-token", "d", "-lastseen-every", "5"}, 2, `invalid value "5" for flag -lastseen-every`},
	})

	t.Run("Environment", func(t *testing.T) {
		t.Setenv("PARLEY_CLIENT_TOKEN", testClientToken)
		t.Setenv("PARLEY_DEVELOPER_TOKEN", testDevToken)
		s := startServe(t, "-bot", bot, "-memory", "-quiet")
		if got := call(t, s.addr, "GET", "/users", testDevToken, "", nil); got != http.StatusOK {
			t.Errorf("developer token: got %d, want 200", got)
		}
		if got := call(t, s.addr, "GET", "/users", testClientToken, "", nil); got != http.StatusForbidden {
			t.Errorf("client token: got %d, want 403", got)
		}
	})
	t.Run("ClientOnly", func(t *testing.T) {
		s := startServe(t, "-bot", bot, "-memory", "-quiet", "-no-developer-token", "-client-token", testClientToken, "-lastseen-every", "1m")
		if got := call(t, s.addr, "POST", "/query", testClientToken, `{"sessionId":"session-serve","query":"hello"}`, nil); got != http.StatusOK {
			t.Errorf("client token: got %d, want 200", got)
		}
	})
}

// TestServeShutdown stops the server while a request is in flight (its
// handler waiting for the body) and checks that the request is still answered, the
// process exits cleanly, and the turn is in the store afterwards.
func TestServeShutdown(t *testing.T) {
	data := t.TempDir()
	s := startServe(t, "-bot", "../../examples/coffee/bot.yaml", "-data", data, "-developer-token", testDevToken, "-quiet")
	var created []struct{ ID string }
	if got := call(t, s.addr, "POST", "/users", testDevToken, `{"userId":"joe","attributes":{"default_name":"Joe"}}`, &created); got != http.StatusOK {
		t.Fatalf("create user: got %d", got)
	}

	// The request asks for "100 Continue", which the server sends when the
	// handler starts reading the body: from then on the request is in
	// flight.
	body := `{"sessionId":"session-shutdown","userId":"joe","query":"a large latte please"}`
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", testDevToken, len(body))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("got %v %v, want 100 Continue", resp, err)
	}

	s.cancel()
	// Wait until the listener is closed: shutdown has begun.
	for {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := io.WriteString(conn, body); err != nil {
		t.Fatal(err)
	}
	resp, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("in-flight request: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("in-flight request: got %d, want 200", resp.StatusCode)
	}
	if code := <-s.code; code != 0 {
		t.Errorf("got exit code %d, want 0; stderr: %s", code, s.stderr.String())
	}
	s.code <- 0 // for the cleanup

	db, err := badgerstore.Open(data)
	if err != nil {
		t.Fatalf("reopen the store: %v", err)
	}
	defer db.Close()
	threads, err := db.Conversations(t.Context(), created[0].ID)
	if err != nil || len(threads) != 1 {
		t.Fatalf("got threads %v (%v), want 1", threads, err)
	}
	msgs, err := db.Messages(t.Context(), threads[0].ID, 0, store.MaxMessagesPage)
	if err != nil || len(msgs) < 2 || msgs[0].Type != store.UserMessage || msgs[0].Text != "a large latte please" {
		t.Errorf("got messages %+v (%v), want the turn's", msgs, err)
	}
}

// TestServeSlowHeaders checks the read header timeout: a client that
// never finishes its headers is cut off, and others are served meanwhile.
func TestServeSlowHeaders(t *testing.T) {
	s := startServe(t, "-bot", "../../examples/coffee/bot.yaml", "-memory", "-developer-token", testDevToken, "-quiet", "-read-header-timeout", "200ms")
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /query HTTP/1.1\r\nHost: x\r\nAuthor")
	if got := call(t, s.addr, "POST", "/query", testDevToken, `{"sessionId":"session-fast","query":"hello"}`, nil); got != http.StatusOK {
		t.Errorf("other client: got %d, want 200", got)
	}
	// The server closes the slow connection; the deadline only keeps a
	// broken server from hanging the test.
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, err = io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Errorf("the server kept a client that never finished its headers")
	}
}

// TestServeSignal runs parley serve as a child process and stops it with
// SIGTERM.
func TestServeSignal(t *testing.T) {
	if os.Getenv("PARLEY_SERVE_CHILD") == "1" {
		os.Args = []string{"parley", "serve", "-bot", "../../examples/coffee/bot.yaml", "-memory", "-addr", "127.0.0.1:0", "-quiet"}
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeSignal$")
	cmd.Env = append(os.Environ(), "PARLEY_SERVE_CHILD=1", "PARLEY_DEVELOPER_TOKEN="+testDevToken)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	line, err := r.ReadString('\n')
	_, addr, ok := strings.Cut(strings.TrimSpace(line), " on http://")
	if err != nil || !ok {
		cmd.Process.Kill()
		t.Fatalf("child did not start: %q %v; stderr: %s", line, err, stderr.String())
	}
	if got := call(t, addr, "POST", "/query", testDevToken, `{"sessionId":"session-signal","query":"hello"}`, nil); got != http.StatusOK {
		t.Errorf("got %d, want 200", got)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(r)
	if err := cmd.Wait(); err != nil {
		t.Errorf("child exited with %v; stderr: %s", err, stderr.String())
	}
	if !strings.Contains(string(rest), "shutting down") {
		t.Errorf("got stdout %q, want it to say it is shutting down", rest)
	}
}

// TestServeSeveralBots serves two named bots, each with a chatbotId and a
// store of its own under -data.
func TestServeSeveralBots(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PARLEY_CLIENT_TOKEN", testClientToken)
	t.Setenv("PARLEY_DEVELOPER_TOKEN", testDevToken)
	s := startServe(t, "-quiet", "-data", dir, "-bot", "hello=testdata/hello.yaml", "-bot", "coffee=../../examples/coffee/bot.yaml")
	var list struct {
		Data struct {
			Chatbots []struct{ ID, Title string } `json:"chatbots"`
		} `json:"data"`
	}
	if code := call(t, s.addr, "GET", "/v0/chatbots", testDevToken, "", &list); code != 200 || len(list.Data.Chatbots) != 2 {
		t.Fatalf("GET /v0/chatbots: %d %+v", code, list)
	}
	hello, coffee := list.Data.Chatbots[0], list.Data.Chatbots[1]
	// A bot's title is its file's (coffee's), else its name.
	if hello.Title != "hello" || coffee.Title != "Coffee kiosk" || hello.ID == coffee.ID {
		t.Errorf("chatbots: got %+v", list.Data.Chatbots)
	}
	var sent struct {
		Data struct {
			Message struct {
				ThreadID string `json:"threadId"`
			} `json:"message"`
		} `json:"data"`
	}
	if code := call(t, s.addr, "POST", "/v0/chatbots/"+coffee.ID+"/message", testDevToken, `{"message":"a latte please"}`, &sent); code != 200 {
		t.Fatalf("send to coffee: %d", code)
	}
	// The thread is coffee's, not hello's.
	if code := call(t, s.addr, "GET", "/v0/chatbots/"+hello.ID+"/threads/"+sent.Data.Message.ThreadID, testDevToken, "", nil); code != 404 {
		t.Errorf("coffee's thread through hello: got %d, want 404", code)
	}
	if code := call(t, s.addr, "GET", "/v0/chatbots/"+coffee.ID+"/threads/"+sent.Data.Message.ThreadID, testDevToken, "", nil); code != 200 {
		t.Errorf("coffee's thread: got %d, want 200", code)
	}
	for _, name := range []string{"hello", "coffee"} {
		if _, err := os.Stat(dir + "/" + name + "/MANIFEST"); err != nil {
			t.Errorf("store of %s: %v", name, err)
		}
	}
}

func TestParseBots(t *testing.T) {
	got, err := parseBots([]string{"a=x.yaml", "b=y.yaml", "a=z.yaml"})
	if err != nil || fmt.Sprint(got) != "[{a [x.yaml z.yaml]} {b [y.yaml]}]" {
		t.Errorf("named: got %v, %v", got, err)
	}
	got, err = parseBots([]string{"x.yaml", "dir/"})
	if err != nil || fmt.Sprint(got) != "[{ [x.yaml dir/]}]" {
		t.Errorf("plain: got %v, %v", got, err)
	}
	if _, err := parseBots([]string{"a=x.yaml", "y.yaml"}); err == nil {
		t.Error("mixed: got no error")
	}
}

// "parley serve" serves the web face beside the APIs.
func TestServeWeb(t *testing.T) {
	s := startServe(t, "-bot", "../../examples/coffee/bot.yaml", "-memory", "-quiet", "-developer-token", testDevToken)
	for path, ctype := range map[string]string{"/widget.js": "text/javascript; charset=utf-8", "/kiosk/": "text/html; charset=utf-8"} {
		resp, err := http.Get("http://" + s.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ctype || resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: %d %q, policy %q; want 200 %q with a policy", path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"), ctype)
		}
	}
	if got := call(t, s.addr, "GET", "/v0/chatbots", testDevToken, "", nil); got != http.StatusOK {
		t.Errorf("GET /v0/chatbots: got %d, want 200", got)
	}
	if got := call(t, s.addr, "GET", "//users", testDevToken, "", nil); got != http.StatusNotFound {
		t.Errorf("GET //users: got %d, want 404 from the API", got)
	}
}
