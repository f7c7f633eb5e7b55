package httpadapter_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// TestConcurrentClients runs 100 clients of 100 turns each over HTTP, two
// clients per session, and checks that every message was stored: each thread
// holds exactly its turns' messages, and the day's counter adds up.
func TestConcurrentClients(t *testing.T) {
	const clients, turns = 100, 100
	s := newServer(t)
	ids := make([]string, clients/2)
	for i := range ids {
		ids[i] = s.createUser(t, fmt.Sprintf("user-%d", i), map[string]string{"n": fmt.Sprint(i)})
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	t.Cleanup(hc.CloseIdleConnections)

	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Go(func() {
			for i := range turns {
				body := fmt.Sprintf(`{"sessionId":"session-%04d","userId":"user-%d","query":"coffee please %d-%d"}`, c/2, c/2, c, i)
				req, _ := http.NewRequest("POST", s.URL+"/query", bytes.NewReader([]byte(body)))
				req.Header.Set("Authorization", "Bearer "+clientToken)
				resp, err := hc.Do(req)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("client %d turn %d: got status %d", c, i, resp.StatusCode)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	ctx := t.Context()
	total := 0
	for i, id := range ids {
		threads, err := s.db.Conversations(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(threads) != 1 {
			t.Fatalf("user %d: got %d threads, want 1", i, len(threads))
		}
		users, bots, after := 0, 0, 0
		seen := map[string]bool{}
		for {
			msgs, err := s.db.Messages(ctx, threads[0].ID, after, store.MaxMessagesPage)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) == 0 {
				break
			}
			for _, m := range msgs {
				switch m.Type {
				case store.UserMessage:
					users++
					if seen[m.Text] {
						t.Errorf("user %d: message %q stored twice", i, m.Text)
					}
					seen[m.Text] = true
				case store.BotMessage:
					bots++
				}
			}
			after = msgs[len(msgs)-1].Seq
		}
		if users != 2*turns || bots != 2*turns {
			t.Errorf("user %d: got %d user and %d bot messages, want %d of each", i, users, bots, 2*turns)
		}
		total += users + bots
	}
	days, err := s.db.Stats(ctx, time.Now().Add(-24*time.Hour), time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var sum store.Counters
	for _, d := range days {
		sum.Add(d.Counters)
	}
	if want := int64(clients * turns * 2); sum.Messages != want || int64(total) != want {
		t.Errorf("got %d messages counted and %d stored, want %d", sum.Messages, total, want)
	}
}

// TestSlowClient checks that a client trickling its headers byte by byte
// does not hold up others: while it is half-way through its request line
// and headers, other clients chat and get their answers, and it still gets
// its own afterwards.
func TestSlowClient(t *testing.T) {
	s := newServer(t)
	body := `{"sessionId":"session-slow","query":"hello"}`
	head := fmt.Sprintf("POST /query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", clientToken, len(body))
	conn, err := net.Dial("tcp", s.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	half := len(head) / 2
	for i := range half {
		if _, err := conn.Write([]byte{head[i]}); err != nil {
			t.Fatal(err)
		}
	}
	// The slow client is stuck in its headers; others are served.
	for i := range 10 {
		resp := s.chat(t, clientToken, engine.Request{SessionID: fmt.Sprintf("session-fast-%d", i), Query: "coffee please"})
		if resp.Result.Interaction.Name != "Order" {
			t.Errorf("fast client %d: got %q, want Order", i, resp.Result.Interaction.Name)
		}
	}
	for i := half; i < len(head); i++ {
		if _, err := conn.Write([]byte{head[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := io.WriteString(conn, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("slow client: got %d, want 200", resp.StatusCode)
	}
}
