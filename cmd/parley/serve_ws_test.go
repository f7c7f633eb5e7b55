package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parleybot/parley/httpadapter"
)

// TestServeUserbotSocket drives Userbot's socket of a running "parley
// serve" on /ws, logging in with a key of -operators, past the server's
// write timeout.
func TestServeUserbotSocket(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "operators")
	os.WriteFile(keys, []byte("# operators\nop-1 key-of-ada Ada Lovelace\n"), 0o600)
	s := startServe(t, "-bot", "../../examples/coffee/bot.yaml", "-memory", "-developer-token", testDevToken,
		"-operators", keys, "-write-timeout", "500ms", "-read-timeout", "500ms")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws://"+s.addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	send := func(frame string) (channel string, code int, data json.RawMessage) {
		t.Helper()
		if err := c.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
			t.Fatalf("write %q: %v", frame, err)
		}
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("read after %q: %v", frame, err)
		}
		var r struct {
			Channel string
			Status  struct{ Code int }
			Data    json.RawMessage
		}
		json.Unmarshal(b, &r)
		return r.Channel, r.Status.Code, r.Data
	}
	if _, code, data := send("apiLogin key-of-ada"); code != 200 || !strings.Contains(string(data), "Ada Lovelace") {
		t.Fatalf("apiLogin: %d %s", code, data)
	}
	if _, code, _ := send("sitekey undefined " + httpadapter.ChatbotID(httpadapter.DefaultBotName)); code != 200 {
		t.Fatalf("sitekey: %d", code)
	}
	if _, code, _ := send(`chatusers.create [{"userId":"ann"}]`); code != 200 {
		t.Fatalf("create: %d", code)
	}
	time.Sleep(time.Second) // past the server's read and write timeouts
	ch, code, data := send(`chatusers.get {"limit":5}`)
	if ch != "chatusers.get" || code != 200 || !strings.Contains(string(data), `"userId":"ann"`) {
		t.Errorf("chatusers.get after a second: %s %d %s", ch, code, data)
	}
	// A wrong operators file stops serve before it listens.
	var stderr lockedBuffer
	args := []string{"serve", "-bot", "../../examples/coffee/bot.yaml", "-memory", "-developer-token", "d", "-operators", filepath.Join(t.TempDir(), "none")}
	if code := run(context.Background(), args, nil, &stderr, &stderr); code != 2 || !strings.Contains(stderr.String(), "-operators") {
		t.Errorf("missing operators file: exit %d, output %q; want 2 and the flag named", code, stderr.String())
	}
}
