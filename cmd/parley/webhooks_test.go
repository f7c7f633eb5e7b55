package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
)

// startChild runs "parley serve args..." as a child process (this test
// binary) and returns it and its address once it listens.
func startChild(t *testing.T, args ...string) (*exec.Cmd, string) {
	t.Helper()
	a, _ := json.Marshal(append([]string{"parley", "serve", "-addr", "127.0.0.1:0", "-quiet"}, args...))
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
	cmd.Env = append(os.Environ(), "PARLEY_SERVE_CHILD_ARGS="+string(a), "PARLEY_DEVELOPER_TOKEN="+testDevToken, "PARLEY_WEBHOOK_TOKEN=hook-secret")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	_, addr, ok := strings.Cut(strings.TrimSpace(line), " on http://")
	if err != nil || !ok {
		t.Fatalf("child did not start: %q %v; stderr: %s", line, err, stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	return cmd, addr
}

// TestServeChild is the child of startChild.
func TestServeChild(t *testing.T) {
	args := os.Getenv("PARLEY_SERVE_CHILD_ARGS")
	if args == "" {
		t.Skip("run by startChild")
	}
	json.Unmarshal([]byte(args), &os.Args)
	main()
}

// hookReceiver records webhook calls: down (503), slow, or up.
type hookReceiver struct {
	mode  atomic.Value
	mu    sync.Mutex
	byID  map[string]string // event id → thread:seq
	calls int
}

func (r *hookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if r.mode.Load() == "down" || req.Header.Get(engine.HeaderSignature) != engine.Sign("hook-secret", body) {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if r.mode.Load() == "slow" {
		time.Sleep(100 * time.Millisecond)
	}
	var b engine.WebhookBody
	var d engine.WebhookMessageData
	json.Unmarshal(body, &b)
	json.Unmarshal(b.Data, &d)
	r.mu.Lock()
	r.calls++
	r.byID[b.EventID] = fmt.Sprintf("%s:%d", d.ThreadID, d.Seq)
	r.mu.Unlock()
}

// TestServeWebhooksAcrossKill posts a bot's messages to a receiver that is
// down, then slow, then back, while parley serve is killed with SIGKILL and
// started again: no event is lost, and an event that comes twice comes
// with the same event id.
func TestServeWebhooksAcrossKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts parley serve twice")
	}
	rcv := &hookReceiver{byID: map[string]string{}}
	rcv.mode.Store("down")
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	dir := t.TempDir()
	args := []string{"-bot", "../../examples/coffee/bot.yaml", "-data", dir, "-webhook-messages", srv.URL}
	cmd, addr := startChild(t, args...)
	const threads, turns = 4, 5
	for i := range threads {
		for j := range turns {
			body := fmt.Sprintf(`{"message":"a latte please %d","threadId":"t%d"}`, j, i)
			if j == 0 {
				if code := call(t, addr, "POST", "/v0/chatbots/"+chatbotID()+"/threads", testDevToken, fmt.Sprintf(`{"threadId":"t%d"}`, i), nil); code != 200 {
					t.Fatalf("create thread: %d", code)
				}
				body = fmt.Sprintf(`{"message":"a latte please","threadId":"t%d"}`, i)
			}
			if code := call(t, addr, "POST", "/v0/chatbots/"+chatbotID()+"/message", testDevToken, body, nil); code != 200 {
				t.Fatalf("send: %d", code)
			}
		}
	}
	// Slow: some get through; then the process dies without warning.
	rcv.mode.Store("slow")
	waitUntil(t, func() bool { rcv.mu.Lock(); defer rcv.mu.Unlock(); return rcv.calls >= 3 })
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	rcv.mode.Store("up")
	startChild(t, args...)
	want := threads * turns * 2 // a question and an answer a turn
	waitUntil(t, func() bool { rcv.mu.Lock(); defer rcv.mu.Unlock(); return len(rcv.byID) >= want })
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	seen := map[string]string{}
	for id, ev := range rcv.byID {
		if other, ok := seen[ev]; ok {
			t.Errorf("event %s came with two ids, %s and %s", ev, id, other)
		}
		seen[ev] = id
	}
	for i := range threads {
		for seq := 1; seq <= turns*2; seq++ {
			if _, ok := seen[fmt.Sprintf("t%d:%d", i, seq)]; !ok {
				t.Errorf("lost: thread t%d message %d", i, seq)
			}
		}
	}
	t.Logf("%d events, %d calls (%d repeats)", len(rcv.byID), rcv.calls, rcv.calls-len(rcv.byID))
}

// chatbotID is the chatbotId of the one bot of plain -bot flags.
func chatbotID() string { return httpadapter.ChatbotID(httpadapter.DefaultBotName) }

// waitUntil polls cond; the bound only keeps a broken server from hanging
// the test.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
