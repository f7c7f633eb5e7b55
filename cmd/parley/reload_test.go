package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

const reloadBot = `stories:
  - name: Main
    interactions:
      - {name: Welcome, role: start, says: [hello], responses: [{text: "%s"}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`

// TestServeReload changes the bot under a running parley serve while
// clients chat without pause: -watch picks up a good change, a broken
// one is logged with its position and leaves the running bot, and SIGHUP
// loads the fixed files. No turn fails meanwhile.
func TestServeReload(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bot.yaml")
	writeFile(t, file, fmt.Sprintf(reloadBot, "version one"))
	s := startServe(t, "-bot", file, "-memory", "-developer-token", testDevToken, "-watch", "-watch-interval", "20ms")

	var (
		stop   atomic.Bool
		failed atomic.Int32
		mu     sync.Mutex
		last   string
		wg     sync.WaitGroup
	)
	for c := range 4 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				var resp struct {
					Result struct {
						Fulfillment []struct{ Message string } `json:"fulfillment"`
					} `json:"result"`
				}
				body := fmt.Sprintf(`{"sessionId":"reload-client-%d-%d","query":"hello"}`, c, i)
				if code := call(t, s.addr, "POST", "/query", testDevToken, body, &resp); code != 200 || len(resp.Result.Fulfillment) == 0 {
					failed.Add(1)
					continue
				}
				mu.Lock()
				last = resp.Result.Fulfillment[0].Message
				mu.Unlock()
			}
		})
	}
	answer := func() string {
		mu.Lock()
		defer mu.Unlock()
		return last
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; log:\n%s", what, s.stderr.String())
			}
		}
	}
	waitFor("the first answers", func() bool { return answer() == "version one" })

	replaceFile(t, file, fmt.Sprintf(reloadBot, "version two"))
	waitFor("-watch to load version two", func() bool { return answer() == "version two" })

	replaceFile(t, file, "stories:\n  - name: Main\n    interactions:\n      - {name: Welcome, role: start, responses: [{text: \"{{nothing}}\"}]}\n")
	waitFor("the broken bot's errors in the log", func() bool { return strings.Contains(s.stderr.String(), "still serving the bot loaded before") })
	log := s.stderr.String()
	if !strings.Contains(log, file+":4:") {
		t.Errorf("the log names no position in %s:\n%s", file, log)
	}
	time.Sleep(50 * time.Millisecond)
	if got := answer(); got != "version two" {
		t.Errorf("after a broken reload: got %q, want version two", got)
	}

	// A fix with the same size and within the same clock tick could escape
	// -watch; SIGHUP reloads whatever is there.
	replaceFile(t, file, fmt.Sprintf(reloadBot, "version three"))
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor("version three", func() bool { return answer() == "version three" })
	if !strings.Contains(s.stderr.String(), "reload: bot reloaded") {
		t.Errorf("no reload logged:\n%s", s.stderr.String())
	}
	stop.Store(true)
	wg.Wait()
	if n := failed.Load(); n > 0 {
		t.Errorf("%d turns failed during the reloads", n)
	}
}

// replaceFile writes path whole in one step, as editors save (a temporary
// file renamed over it): -watch never sees it half written, which an
// os.WriteFile paused between truncating and writing can show on a busy
// machine.
func replaceFile(t *testing.T, path, data string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestFingerprint: the fingerprint changes with a file's content or a new
// bot file in a directory, and not with other files.
func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.yaml"), "x")
	fp := func() string {
		s, err := fingerprint([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := fp()
	writeFile(t, filepath.Join(dir, "notes.txt"), "x")
	if fp() != before {
		t.Error("a .txt file changed the fingerprint")
	}
	writeFile(t, filepath.Join(dir, "b.yml"), "y")
	if fp() == before {
		t.Error("a new .yml file left the fingerprint")
	}
}
