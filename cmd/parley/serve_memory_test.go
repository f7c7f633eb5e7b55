package main

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestServeMemoryLimit checks that parley serve makes its memory budget
// the Go memory limit, as the runtime itself reports it on GET /metrics
// (go_gc_gomemlimit_bytes), and that GOMEMLIMIT, when set, wins.
func TestServeMemoryLimit(t *testing.T) {
	bot := "../../examples/coffee/bot.yaml"
	for _, c := range []struct {
		name string
		env  string // GOMEMLIMIT
		args []string
		want int64
	}{
		{"Default", "", nil, 512 << 20},
		{"Budget", "", []string{"-memory-budget", "96MB"}, 96 << 20},
		{"ProfileSmall", "", []string{"-profile", "small"}, 128 << 20},
		{"ProfileSmallBudget", "", []string{"-profile", "small", "-memory-budget", "1GB"}, 1 << 30},
		{"GOMEMLIMIT", "200MiB", []string{"-memory-budget", "96MB"}, 200 << 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			// TestMain sets GOMEMLIMIT=off for the tests' own process: an
			// empty value unsets it for the child.
			p := startProcessEnv(t, []string{"GOMEMLIMIT=" + c.env}, append([]string{"-bot", bot, "-memory"}, c.args...)...)
			if got := memoryLimit(t, p.addr); got != c.want {
				t.Errorf("go_gc_gomemlimit_bytes: got %d, want %d", got, c.want)
			}
		})
	}
}

// memoryLimit reads the Go memory limit the server at addr reports.
func memoryLimit(t *testing.T, addr string) int64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	s := bufio.NewScanner(resp.Body)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "go_gc_gomemlimit_bytes "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("go_gc_gomemlimit_bytes %q: %v", v, err)
			}
			return int64(f)
		}
	}
	t.Fatalf("GET /metrics (%d): no go_gc_gomemlimit_bytes", resp.StatusCode)
	return 0
}
