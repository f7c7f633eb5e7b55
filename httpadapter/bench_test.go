package httpadapter_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

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
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := fmt.Sprintf(`{"sessionId":"bench-session-%04d","query":%q}`, i%1000, benchQueries[i%3])
			req, _ := http.NewRequest("POST", srv.URL+"/query", bytes.NewReader([]byte(body)))
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
