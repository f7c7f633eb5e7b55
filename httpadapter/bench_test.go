package httpadapter_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// The benchmarks send the same messages as testdata/query.lua, the wrk
// script for "parley serve": three messages in turn over 1,000 sessions of
// the coffee bot, from 25 callers per core, on in-memory Badger.
var benchQueries = []string{"hello", "can i have a large cappuccino with oat milk", "what drinks do you have"}

func benchEngine(b *testing.B) *engine.Engine {
	b.Helper()
	bot, err := story.Load(os.DirFS("../examples/coffee"), "bot.yaml")
	if err != nil {
		b.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	eng, err := engine.New(db, bot)
	if err != nil {
		b.Fatal(err)
	}
	return eng
}

// BenchmarkChatInProcess is one turn through engine.Chat, the figure the
// HTTP one compares with.
func BenchmarkChatInProcess(b *testing.B) {
	eng := benchEngine(b)
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(25) // 50 callers on 2 cores, as wrk -c50
	b.ResetTimer()       // not the bot's training
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			_, err := eng.Chat(b.Context(), engine.Request{SessionID: fmt.Sprintf("bench-session-%04d", i%1000), Query: benchQueries[i%3]})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkQueryHTTP is one turn through POST /query on a loopback server,
// client included.
func BenchmarkQueryHTTP(b *testing.B) {
	h, err := httpadapter.New(benchEngine(b), httpadapter.WithClientToken(clientToken))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	b.Cleanup(hc.CloseIdleConnections)
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(25) // 50 callers on 2 cores, as wrk -c50
	b.ResetTimer()       // not the bot's training nor the server's start
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := fmt.Sprintf(`{"sessionId":"bench-session-%04d","query":%q}`, i%1000, benchQueries[i%3])
			req, err := http.NewRequest("POST", srv.URL+"/query", bytes.NewReader([]byte(body)))
			if err != nil {
				b.Error(err)
				return
			}
			req.Header.Set("Authorization", "Bearer "+clientToken)
			resp, err := hc.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("got status %d", resp.StatusCode)
				return
			}
		}
	})
}

// BenchmarkMessageHTTP is one turn through SiteGPT's POST
// /v0/chatbots/{chatbotId}/message on a loopback server, client included,
// over 1,000 threads: the same turns as BenchmarkQueryHTTP.
func BenchmarkMessageHTTP(b *testing.B) {
	eng := benchEngine(b)
	for i := range 1000 {
		if _, err := eng.CreateThread(b.Context(), engine.NewThread{ThreadID: fmt.Sprintf("bench-thread-%04d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	h, err := httpadapter.New(eng, httpadapter.WithDeveloperToken(devToken))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	url := srv.URL + "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName) + "/message"
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	b.Cleanup(hc.CloseIdleConnections)
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(25) // 50 callers on 2 cores, as wrk -c50
	b.ResetTimer()       // not the threads' creation nor the server's start
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := fmt.Sprintf(`{"threadId":"bench-thread-%04d","message":%q}`, i%1000, benchQueries[i%3])
			req, _ := http.NewRequest("POST", url, bytes.NewReader([]byte(body)))
			req.Header.Set("Authorization", "Bearer "+devToken)
			resp, err := hc.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("got status %d", resp.StatusCode)
				return
			}
		}
	})
}

// BenchmarkSSEFanout opens 1,000 event streams of one thread over loopback
// and measures, for each message sent into the thread, the time until
// every stream has read it: it reports the 99th percentile of the
// delivery times of all (message, stream) pairs, and the heap each open
// stream costs the server and its client together.
func BenchmarkSSEFanout(b *testing.B) {
	const streams = 1000
	eng := benchEngine(b)
	th, err := eng.CreateThread(b.Context(), engine.NewThread{ThreadID: "fanout"})
	if err != nil {
		b.Fatal(err)
	}
	h, err := httpadapter.New(eng, httpadapter.WithDeveloperToken(devToken))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	url := srv.URL + "/v0/chatbots/" + httpadapter.ChatbotID(httpadapter.DefaultBotName) + "/threads/fanout/events"
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: streams}}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got := make(chan time.Time, streams*4)
	var ready sync.WaitGroup
	ready.Add(streams)
	for range streams {
		req, _ := http.NewRequestWithContext(b.Context(), "GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+devToken)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { resp.Body.Close() })
		go func() {
			sc := bufio.NewScanner(resp.Body)
			first := true
			for sc.Scan() {
				line := sc.Text()
				if strings.HasPrefix(line, "event: ") {
					if first {
						first = false
						ready.Done()
						continue
					}
					if line == "event: message" {
						got <- time.Now()
					}
				}
			}
		}()
	}
	ready.Wait()
	runtime.GC()
	runtime.ReadMemStats(&after)
	perStream := float64(after.HeapInuse-before.HeapInuse) / streams
	var lat []time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		// An agent's message: one event, no bot answer.
		if _, err := eng.Send(b.Context(), engine.Message{ThreadID: th.ID, Text: "hello", From: engine.FromAgent}); err != nil {
			b.Fatal(err)
		}
		for range streams {
			lat = append(lat, (<-got).Sub(start))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(perStream, "heap-B/stream")
}
