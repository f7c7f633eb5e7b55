package httpadapter

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// decode reads the request body into v strictly: one JSON value of at most
// the body limit, with no field v does not have and nothing after it,
// arriving within the body timeout.
func (h *Handler) decode(w http.ResponseWriter, r *http.Request, v any) error {
	// Without a deadline of its own, a body shorter than its
	// Content-Length would wait for the server's read timeout, which
	// expires with its write timeout: the client would get no answer.
	// An error means the connection cannot take deadlines (a test's
	// recorder, HTTP/2 without support): the server's timeouts apply.
	rc := http.NewResponseController(w)
	if rc.SetReadDeadline(time.Now().Add(h.cfg.bodyTimeout)) == nil {
		defer rc.SetReadDeadline(time.Time{})
	}
	body := &bodyReader{r: http.MaxBytesReader(w, r.Body, h.cfg.maxBody)}
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if body.err != nil {
			return readError(w, body.err)
		}
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if body.err != nil {
			return readError(w, body.err)
		}
		return badRequest("", "the body must hold one JSON value and nothing after it")
	}
	return nil
}

// bodyReader remembers the error of reading a body, other than its end,
// which encoding/json does not always pass on as it was.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

// readError translates an error of reading a body. After a timeout or a
// short body the connection cannot carry another request.
func readError(w http.ResponseWriter, err error) error {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return errTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		w.Header().Set("Connection", "close")
		return errBodyTimeout
	case errors.Is(err, io.ErrUnexpectedEOF):
		w.Header().Set("Connection", "close")
		return errShortBody
	}
	w.Header().Set("Connection", "close")
	return badRequest("", "the request body could not be read")
}

// jsonError translates an error of encoding/json into one for the client.
func jsonError(err error) error {
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var ae *apiError
	switch {
	case errors.As(err, &tooLarge):
		return errTooLarge
	case errors.As(err, &ae):
		return ae
	case errors.Is(err, io.EOF):
		return badRequest("", "the body must be a JSON object")
	case errors.As(err, &syntax):
		return badRequest("", fmt.Sprintf("malformed JSON at byte %d", syntax.Offset))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest("", "the body must be a JSON object")
		}
		// A field of an embedded struct (chatRequest's Request) is
		// named after it, which the client never wrote.
		return badRequest(strings.TrimPrefix(typ.Field, "Request."), "must be "+kindName(typ.Type))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if s, err := strconv.Unquote(name); err == nil {
			name = s
		}
		return badRequest(name, "unknown field")
	}
	return badRequest("", "malformed JSON")
}

// kindName names the JSON type a Go type decodes from.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// idList is a list of ids that a client may also send as one string, as
// the chat API's "segments" of Create user allows.
type idList []string

func (l *idList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = idList{s}
		return nil
	}
	var ids []string
	if err := json.Unmarshal(b, &ids); err != nil {
		return badRequest("segments", "must be a string or an array of strings")
	}
	*l = ids
	return nil
}
