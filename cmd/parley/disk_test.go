package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parleybot/parley/store/badgerstore"
)

// mountTmpfs mounts a tmpfs of size bytes on a new directory, for the
// test's life, or skips the test saying why it cannot.
func mountTmpfs(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("cannot mount a tmpfs to fill (needs root or CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

func freeBytes(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

func writeFiller(t *testing.T, path string, size int) {
	t.Helper()
	if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFullDisk fills a 128 MB filesystem through the API: writes are
// refused with 507 and the error body before the disk is full, reads go
// on, writes resume when space is freed without a restart, a restart on
// the full disk fails with a message saying what to do, and no write that
// was acknowledged is lost.
func TestFullDisk(t *testing.T) {
	fsDir := mountTmpfs(t, 128<<20)
	data := filepath.Join(fsDir, "data")
	writeFiller(t, filepath.Join(fsDir, "filler-1"), 32<<20)
	// filler-2 is more than the reserve, so that removing it at the end
	// lets the store open however full the store left the disk.
	writeFiller(t, filepath.Join(fsDir, "filler-2"), 24<<20)
	args := []string{"-bot", "../../examples/coffee/bot.yaml", "-data", data, "-developer-token", testDevToken,
		"-quiet", "-profile", "small", "-disk-reserve", "24MB"}
	s := startServe(t, args...)

	big := strings.Repeat("x", 1000)
	var acked []string
	fill := func(round int) {
		t.Helper()
		for i := 0; ; i++ {
			if i == 20000 {
				t.Fatalf("round %d: 20,000 users of 8 KB and no 507", round)
			}
			id := fmt.Sprintf("user-%d-%05d", round, i)
			var body strings.Builder
			fmt.Fprintf(&body, `{"userId":%q,"attributes":{`, id)
			for a := range 8 {
				if a > 0 {
					body.WriteString(",")
				}
				fmt.Fprintf(&body, `"a%d":%q`, a, big)
			}
			body.WriteString("}}")
			var e struct {
				Status struct {
					Code    int
					Message string
				}
			}
			var raw json.RawMessage
			code := call(t, s.addr, "POST", "/users", testDevToken, body.String(), &raw)
			if code == http.StatusOK {
				acked = append(acked, id)
				continue
			}
			json.Unmarshal(raw, &e)
			if code != http.StatusInsufficientStorage || e.Status.Code != 507 || !strings.Contains(e.Status.Message, "storage is full") {
				t.Fatalf("round %d, user %d: got %d %+v, want 200 or 507 with the error body", round, i, code, e)
			}
			return
		}
	}
	fill(1)
	if len(acked) == 0 {
		t.Fatal("no user was created before the disk filled")
	}
	t.Logf("round 1: %d users of 8 KB before 507", len(acked))
	if code := call(t, s.addr, "POST", "/query", testDevToken, `{"sessionId":"session-on-a-full-disk","query":"hello"}`, nil); code != http.StatusInsufficientStorage {
		t.Errorf("a turn on the full disk: got %d, want 507", code)
	}
	if code := call(t, s.addr, "GET", "/users?limit=40", testDevToken, "", nil); code != 200 {
		t.Errorf("listing users on the full disk: got %d, want 200", code)
	}
	if code, _ := get(t, "http://"+s.addr+"/readyz", ""); code != 200 {
		t.Errorf("readiness on the full disk: got %d, want 200 (reads are served)", code)
	}

	// Space freed: writes resume within a few seconds, without a restart.
	os.Remove(filepath.Join(fsDir, "filler-1"))
	resumed := false
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if code := call(t, s.addr, "POST", "/query", testDevToken, `{"sessionId":"session-after-freeing","query":"hello"}`, nil); code == 200 {
			resumed = true
			break
		}
	}
	if !resumed {
		t.Fatal("writes did not resume after 32 MB were freed")
	}
	n1 := len(acked)
	fill(2)
	t.Logf("round 2: %d more users before 507", len(acked)-n1)
	s.cancel()
	if code := <-s.code; code != 0 {
		t.Errorf("serve on a full disk exited with %d; stderr: %s", code, s.stderr.String())
	}
	s.code <- 0

	// A restart on a disk with less free than the reserve fails, saying
	// what to do. (Closing the store may have freed some: fill it up.)
	free, err := freeBytes(fsDir)
	if err != nil {
		t.Fatal(err)
	}
	if free > 8<<20 {
		writeFiller(t, filepath.Join(fsDir, "filler-3"), int(free-8<<20))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr strings.Builder
	code := run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...), strings.NewReader(""), &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "free some space") {
		t.Errorf("restart on the full disk: got exit code %d, stderr %q; want 1 and what to do", code, stderr.String())
	}

	os.Remove(filepath.Join(fsDir, "filler-2"))
	os.Remove(filepath.Join(fsDir, "filler-3"))
	db, err := badgerstore.Open(data, badgerstore.SmallDevice(), badgerstore.WithDiskReserve(24<<20))
	if err != nil {
		t.Fatalf("open after freeing space: %v", err)
	}
	defer db.Close()
	ctx = context.Background()
	for _, id := range acked {
		u, err := db.UserByUserID(ctx, id)
		if err != nil || u.Attributes["a7"] != big {
			t.Fatalf("acknowledged user %s: %v", id, err)
		}
	}
}
