package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley/internal/browsertest"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/pgstore"
	"github.com/parleybot/parley/store/pgstore/pgtest"
)

// TestMain lets a test run this binary as "parley serve": with
// PARLEY_SERVE_ARGS set (arguments separated by \x1f) it is the program.
// The browser tests share one process per browser.
func TestMain(m *testing.M) {
	if args := os.Getenv("PARLEY_SERVE_ARGS"); args != "" {
		os.Args = append([]string{"parley"}, strings.Split(args, "\x1f")...)
		main()
	}
	// Tests that run parley serve in this process leave the test binary's
	// memory limit alone (see -memory-budget).
	if os.Getenv("GOMEMLIMIT") == "" {
		os.Setenv("GOMEMLIMIT", "off")
	}
	os.Exit(browsertest.Main(m))
}

// A process is a parley serve running as a child process.
type process struct {
	cmd    *exec.Cmd
	addr   string
	stderr *lockedBuffer
	done   chan struct{}
}

// startProcess runs "parley serve args..." in a child process until the
// test ends, and returns once it listens.
func startProcess(t testing.TB, args ...string) *process {
	t.Helper()
	return startProcessEnv(t, nil, args...)
}

// startProcessEnv is startProcess with env ("KEY=value") added to, or
// replacing, the test's environment.
func startProcessEnv(t testing.TB, env []string, args ...string) *process {
	t.Helper()
	args = append([]string{"serve", "-addr", "127.0.0.1:0", "-quiet"}, args...)
	p := &process{cmd: exec.Command(os.Args[0]), stderr: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), "PARLEY_SERVE_ARGS="+strings.Join(args, "\x1f"), "PARLEY_DEVELOPER_TOKEN="+testDevToken)
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	r := bufio.NewReader(stdout)
	line, err := r.ReadString('\n')
	_, addr, ok := strings.Cut(strings.TrimSpace(line), " on http://")
	if err != nil || !ok {
		t.Fatalf("parley serve did not start: %q %v; stderr: %s", line, err, p.stderr.String())
	}
	go io.Copy(io.Discard, r)
	p.addr = addr
	return p
}

// loadClient sends turns the way a load balancer in front of several
// processes would, with connections kept alive.
var loadClient = &http.Client{
	Transport: &http.Transport{MaxIdleConnsPerHost: 128, MaxConnsPerHost: 128},
	Timeout:   time.Minute,
}

// turn sends one query of a session and reports whether it was
// acknowledged (200).
func turn(addr, session string, n int) (bool, error) {
	body := fmt.Sprintf(`{"sessionId":%q,"query":"turn %d"}`, session, n)
	req, err := http.NewRequest("POST", "http://"+addr+"/query", strings.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Authorization", "Bearer "+testDevToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := loadClient.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("POST /query: %d %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	return true, nil
}

// storedTurns returns, for each session, the turn numbers of its user
// messages in the store, in the order of its threads and messages.
func storedTurns(t *testing.T, db *pgstore.DB) map[string][]int {
	t.Helper()
	ctx := context.Background()
	var threads []store.Thread
	for page := 1; ; page++ {
		p, err := db.ListThreads(ctx, store.ThreadQuery{Page: page, Limit: store.MaxThreadsPage})
		if err != nil {
			t.Fatal(err)
		}
		threads = append(threads, p.Threads...)
		if !p.HasMore {
			break
		}
	}
	slices.Reverse(threads) // oldest first
	out := map[string][]int{}
	for _, th := range threads {
		for after := 0; ; {
			msgs, err := db.Messages(ctx, th.ID, after, store.MaxMessagesPage)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) == 0 {
				break
			}
			for _, m := range msgs {
				after = m.Seq
				if m.Type != store.UserMessage {
					continue
				}
				n, err := strconv.Atoi(strings.TrimPrefix(m.Text, "turn "))
				if err != nil {
					t.Fatalf("thread %s: user message %q", th.ID, m.Text)
				}
				out[th.SessionID] = append(out[th.SessionID], n)
			}
		}
	}
	return out
}

// TestServeTwoProcesses runs two parley serve processes on one PostgreSQL
// schema and drives 64 sessions of 100 turns through both at once, each
// session's turns alternating between them: every turn is applied once,
// in order. Then it drives 64 more sessions and kills one process with
// SIGKILL part way: the clients go on with the other, and every turn
// either process acknowledged is stored, once, in order.
func TestServeTwoProcesses(t *testing.T) {
	connString, schema := pgtest.Schema(t)
	args := []string{"-bot", "../../examples/coffee/bot.yaml", "-store", connString, "-schema", schema}
	a := startProcess(t, args...)
	b := startProcess(t, args...)
	db, err := pgstore.Open(context.Background(), connString, pgstore.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	const sessions, turns = 64, 100
	began := time.Now()
	var wg sync.WaitGroup
	for s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sid := fmt.Sprintf("two-processes-%02d", s)
			for n := range turns {
				addr := a.addr
				if (s+n)%2 == 1 {
					addr = b.addr
				}
				if _, err := turn(addr, sid, n); err != nil {
					t.Errorf("%s turn %d: %v", sid, n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.Fatalf("stderr of a: %s\nstderr of b: %s", a.stderr.String(), b.stderr.String())
	}
	t.Logf("%d turns through two processes in %v", sessions*turns, time.Since(began).Round(time.Millisecond))
	stored := storedTurns(t, db)
	want := make([]int, turns)
	for i := range want {
		want[i] = i
	}
	for s := range sessions {
		sid := fmt.Sprintf("two-processes-%02d", s)
		if !slices.Equal(stored[sid], want) {
			t.Errorf("%s: stored turns %v, want 0 to %d once each, in order", sid, stored[sid], turns-1)
		}
	}

	// Kill b with SIGKILL once a third of the turns are acknowledged.
	var acked atomic.Int64
	killed, clientsDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(killed)
		for acked.Load() < sessions*turns/3 {
			select {
			case <-clientsDone:
				return
			case <-time.After(time.Millisecond):
			}
		}
		b.cmd.Process.Kill()
		<-b.done
	}()
	ackedTurns := make([][]int, sessions)
	for s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sid := fmt.Sprintf("killed-mid-load-%02d", s)
			bDown := false
			for n := range turns {
				addr := a.addr
				if (s+n)%2 == 1 && !bDown {
					addr = b.addr
				}
				ok, err := turn(addr, sid, n)
				if err != nil && addr == b.addr {
					bDown = true // the balancer takes b out; this turn was not acknowledged
					continue
				}
				if err != nil {
					t.Errorf("%s turn %d through the process left: %v", sid, n, err)
					return
				}
				if ok {
					ackedTurns[s] = append(ackedTurns[s], n)
					acked.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(clientsDone)
	<-killed
	stored = storedTurns(t, db)
	lost, unacked := 0, 0
	for s := range sessions {
		sid := fmt.Sprintf("killed-mid-load-%02d", s)
		got := stored[sid]
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("%s: stored turns %v, want each at most once, in order", sid, got)
		}
		for _, n := range ackedTurns[s] {
			if _, found := slices.BinarySearch(got, n); !found {
				lost++
				t.Errorf("%s: acknowledged turn %d is not stored", sid, n)
			}
		}
		unacked += len(got) - len(ackedTurns[s])
	}
	total := 0
	for _, ts := range ackedTurns {
		total += len(ts)
	}
	if total == sessions*turns {
		t.Errorf("every turn was acknowledged: the kill came too late to test anything")
	}
	t.Logf("after SIGKILL: %d turns acknowledged, %d lost; %d stored turns whose answer the kill cut off", total, lost, unacked)
}
