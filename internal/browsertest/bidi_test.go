package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// toJSON turns BiDi's serialization of a value into what JSON.stringify
// gives.
func TestRemoteValueJSON(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"String", `{"type":"string","value":"ü\"<"}`, `"ü\"<"`},
		{"Number", `{"type":"number","value":1.5}`, `1.5`},
		{"NaN", `{"type":"number","value":"NaN"}`, `null`},
		{"Infinity", `{"type":"number","value":"-Infinity"}`, `null`},
		{"MinusZero", `{"type":"number","value":"-0"}`, `0`},
		{"Undefined", `{"type":"undefined"}`, `null`},
		{"Node", `{"type":"node","sharedId":"f.1.d.2","value":{"nodeType":1}}`, `{}`},
		{"Array", `{"type":"array","value":[{"type":"boolean","value":true},{"type":"null"},{"type":"undefined"}]}`, `[true,null,null]`},
		{"Object", `{"type":"object","value":[["a",{"type":"number","value":1}],["u",{"type":"undefined"}],["o",{"type":"object","value":[]}]]}`, `{"a":1,"o":{}}`},
		{"MapKey", `{"type":"map","value":[[{"type":"number","value":2},{"type":"string","value":"two"}]]}`, `{"2":"two"}`},
		{"BigInt", `{"type":"bigint","value":"12345678901234567890"}`, `12345678901234567890`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var v remoteValue
			if err := json.Unmarshal([]byte(c.in), &v); err != nil {
				t.Fatal(err)
			}
			got, err := v.toJSON()
			if err != nil || string(got) != c.want {
				t.Errorf("got %s (%v), want %s", got, err, c.want)
			}
		})
	}
}

// A command whose deadline has passed fails alone: the session goes on.
func TestBiDiDeadlineKeepsSession(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer ws.CloseNow()
		for {
			var cmd struct{ ID int64 }
			if err := wsjson.Read(r.Context(), ws, &cmd); err != nil {
				return
			}
			if err := wsjson.Write(r.Context(), ws, map[string]any{"type": "success", "id": cmd.ID, "result": map[string]any{}}); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	c, err := dialBiDi(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/session", func(string, json.RawMessage) {})
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	expired, stop := context.WithCancel(context.Background())
	stop()
	for range 20 {
		// Sent or not, its answer is not awaited.
		if err := c.call(expired, "script.evaluate", nil, nil); err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("a command past its deadline: %v, want context.Canceled", err)
		}
	}
	if err := c.call(ctx, "script.evaluate", nil, nil); err != nil {
		t.Fatalf("the next command: %v", err)
	}
}
