package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley/store/pgstore/pgtest"
)

// BenchmarkServe measures turns per second through parley serve processes
// over HTTP, with 64 sessions chatting at once (one client each, a turn at
// a time), on the coffee bot: one process on Badger, and one and two
// processes on PostgreSQL, in the same run. Besides turns/s it reports the
// median and 99th percentile of a turn's time (POST /query, as the client
// sees it) and the CPU time a turn costs in the parley processes, in
// PostgreSQL's processes and in the client, which on a machine of two
// cores tells where the time goes:
//
//	go test -run '^$' -bench BenchmarkServe -benchtime 20000x ./cmd/parley
//
// BenchmarkServe/badger/1/sessions=1 and =16 give the same figures with
// fewer sessions at once.
func BenchmarkServe(b *testing.B) {
	bot := "../../examples/coffee/bot.yaml"
	b.Run("badger/1", func(b *testing.B) {
		benchServe(b, 1, 64, "-bot", bot, "-data", b.TempDir())
	})
	for _, n := range []int{1, 16} {
		b.Run(fmt.Sprintf("badger/1/sessions=%d", n), func(b *testing.B) {
			benchServe(b, 1, n, "-bot", bot, "-data", b.TempDir())
		})
	}
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("postgres/%d", n), func(b *testing.B) {
			connString, schema := pgtest.Schema(b)
			benchServe(b, n, 64, "-bot", bot, "-store", connString, "-schema", schema)
		})
	}
}

func benchServe(b *testing.B, processes, sessions int, args ...string) {
	var procs []*process
	for range processes {
		procs = append(procs, startProcess(b, args...))
	}
	// A first turn of every session, before the timer.
	for s := range sessions {
		if _, err := turn(procs[s%processes].addr, fmt.Sprintf("bench-serve-%02d", s), 0); err != nil {
			b.Fatal(err)
		}
	}
	var pids []int
	for _, p := range procs {
		pids = append(pids, p.cmd.Process.Pid)
	}
	parley0, pg0, self0 := cpuOf(pids...), cpuOf(postgresPids()...), cpuOf(os.Getpid())
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	times := make([][]time.Duration, sessions) // of each session's turns
	for s := range sessions {
		wg.Go(func() {
			sid := fmt.Sprintf("bench-serve-%02d", s)
			for n := 1; ; n++ {
				if next.Add(1) > int64(b.N) {
					return
				}
				t0 := time.Now()
				if _, err := turn(procs[(s+n)%processes].addr, sid, n); err != nil {
					b.Error(err)
					return
				}
				times[s] = append(times[s], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Sorted(slices.Values(slices.Concat(times...)))
	if len(all) > 0 {
		at := func(q float64) float64 { return float64(all[int(q*float64(len(all)-1))].Microseconds()) / 1000 }
		b.ReportMetric(at(0.5), "p50-ms")
		b.ReportMetric(at(0.99), "p99-ms")
	}
	perTurn := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N) }
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "turns/s")
	b.ReportMetric(perTurn(cpuOf(pids...)-parley0), "parley-cpu-µs/turn")
	b.ReportMetric(perTurn(cpuOf(postgresPids()...)-pg0), "postgres-cpu-µs/turn")
	b.ReportMetric(perTurn(cpuOf(os.Getpid())-self0), "client-cpu-µs/turn")
}

// cpuOf returns the CPU time (user and system) the processes used so far,
// from /proc.
func cpuOf(pids ...int) time.Duration {
	tick := time.Second / 100 // USER_HZ on Linux
	var total time.Duration
	for _, pid := range pids {
		data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: utime and stime
		// are the 12th and 13th.
		rest := string(data[strings.LastIndexByte(string(data), ')')+2:])
		f := strings.Fields(rest)
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(u+s) * tick
	}
	return total
}

// postgresPids returns the processes of the PostgreSQL server on this
// machine: its postmaster and backends.
func postgresPids() []int {
	var pids []int
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", d.Name(), "comm"))
		if err == nil && strings.HasPrefix(string(comm), "postgres") {
			pids = append(pids, pid)
		}
	}
	return pids
}
