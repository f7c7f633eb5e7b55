package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/coder/websocket"
)

// A bidiConn is a WebDriver BiDi session (https://w3c.github.io/webdriver-bidi/)
// over one WebSocket: commands are JSON objects with an id, answered by a
// message with the same id; events arrive in between and go to onEvent,
// on the reading goroutine. It is safe for concurrent use.
type bidiConn struct {
	ws      *websocket.Conn
	onEvent func(method string, params json.RawMessage)

	mu      sync.Mutex
	next    int64
	pending map[int64]chan bidiMessage
	err     error // why the connection ended, once it has
	done    chan struct{}
}

// A bidiMessage is what the browser sends: a command's success or error,
// or an event.
type bidiMessage struct {
	Type    string          `json:"type"` // "success", "error" or "event"
	ID      *int64          `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

// A bidiError is a command's error answer, such as "no such element".
type bidiError struct{ Method, Code, Message string }

func (e *bidiError) Error() string { return fmt.Sprintf("%s: %s: %s", e.Method, e.Code, e.Message) }

// dialBiDi connects to the session endpoint url (ws://host:port/session)
// and starts a session.
func dialBiDi(ctx context.Context, url string, onEvent func(string, json.RawMessage)) (*bidiConn, error) {
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(-1) // screenshots are megabytes
	c := &bidiConn{ws: ws, onEvent: onEvent, pending: map[int64]chan bidiMessage{}, done: make(chan struct{})}
	go c.read()
	if err := c.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}, nil); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *bidiConn) read() {
	var err error
	for {
		var data []byte
		_, data, err = c.ws.Read(context.Background())
		if err != nil {
			break
		}
		var m bidiMessage
		if err = json.Unmarshal(data, &m); err != nil {
			break
		}
		if m.Type == "event" {
			c.onEvent(m.Method, m.Params)
			continue
		}
		if m.ID == nil {
			continue // an error about a message without an id: none of ours
		}
		c.mu.Lock()
		ch := c.pending[*m.ID]
		delete(c.pending, *m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
	c.mu.Lock()
	c.err = fmt.Errorf("webdriver bidi: connection closed: %w", err)
	c.mu.Unlock()
	close(c.done)
}

// writeTimeout bounds the write of a command: a browser that reads none
// for so long is gone.
const writeTimeout = Timeout

// call sends the command and decodes its result into result (if not nil).
func (c *bidiConn) call(ctx context.Context, method string, params, result any) error {
	ch := make(chan bidiMessage, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	c.next++
	id := c.next
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()
	if params == nil {
		params = struct{}{}
	}
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	// The WebSocket closes itself when the context of a write ends during
	// the write: a step's deadline must not end the session, which the
	// next steps and tests share. A write is bounded on its own.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	err = c.ws.Write(wctx, websocket.MessageText, msg)
	cancel()
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Type == "error" {
			return &bidiError{Method: method, Code: m.Error, Message: m.Message}
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-c.done:
		c.mu.Lock()
		defer c.mu.Unlock()
		return fmt.Errorf("%s: %w", method, c.err)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

func (c *bidiConn) close() {
	c.ws.Close(websocket.StatusNormalClosure, "")
	<-c.done
}

// A remoteValue is a JavaScript value as BiDi serializes it: a type and,
// for most types, a value whose form depends on the type.
type remoteValue struct {
	Type     string          `json:"type"`
	Value    json.RawMessage `json:"value"`
	SharedID string          `json:"sharedId"` // of a node
}

// toJSON converts a serialized value into the JSON that JSON.stringify
// would give (undefined, functions and symbols become null; nodes, an
// empty object).
func (v remoteValue) toJSON() (json.RawMessage, error) {
	switch v.Type {
	case "undefined", "null", "function", "symbol":
		return json.RawMessage("null"), nil
	case "string", "boolean":
		return v.Value, nil
	case "number":
		var s string
		if json.Unmarshal(v.Value, &s) == nil { // NaN, -0, Infinity, -Infinity
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return json.RawMessage("null"), nil
			}
			return json.RawMessage("0"), nil
		}
		return v.Value, nil
	case "bigint":
		var s string
		err := json.Unmarshal(v.Value, &s)
		return json.RawMessage(s), err
	case "date", "regexp":
		return json.Marshal(string(v.Value))
	case "array", "set", "nodelist", "htmlcollection":
		var items []remoteValue
		if len(v.Value) > 0 {
			if err := json.Unmarshal(v.Value, &items); err != nil {
				return nil, err
			}
		}
		out := make([]json.RawMessage, len(items))
		for i, it := range items {
			var err error
			if out[i], err = it.toJSON(); err != nil {
				return nil, err
			}
		}
		return json.Marshal(out)
	case "object", "map":
		var pairs [][2]json.RawMessage
		if len(v.Value) > 0 {
			if err := json.Unmarshal(v.Value, &pairs); err != nil {
				return nil, err
			}
		}
		out := map[string]json.RawMessage{}
		for _, p := range pairs {
			var key string
			if json.Unmarshal(p[0], &key) != nil {
				var k remoteValue // a map's key that is not a string
				if err := json.Unmarshal(p[0], &k); err != nil {
					return nil, err
				}
				key = string(k.Value)
			}
			var val remoteValue
			if err := json.Unmarshal(p[1], &val); err != nil {
				return nil, err
			}
			if val.Type == "undefined" || val.Type == "function" || val.Type == "symbol" {
				continue // as JSON.stringify leaves them out
			}
			j, err := val.toJSON()
			if err != nil {
				return nil, err
			}
			out[key] = j
		}
		return json.Marshal(out)
	}
	return json.RawMessage("{}"), nil // nodes, windows, errors, promises and the like
}

// An evaluateResult is the answer of script.evaluate and
// script.callFunction.
type evaluateResult struct {
	Type             string      `json:"type"` // "success" or "exception"
	Result           remoteValue `json:"result"`
	ExceptionDetails struct {
		Text      string      `json:"text"`
		Exception remoteValue `json:"exception"`
	} `json:"exceptionDetails"`
}

// err returns the exception the script threw, if it did.
func (r *evaluateResult) err() error {
	if r.Type == "success" {
		return nil
	}
	return errors.New("exception: " + r.ExceptionDetails.Text)
}
