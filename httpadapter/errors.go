package httpadapter

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// ErrorBody is the body of every error response: the chat API's
// timestamp and status, with type "error", a message meant for people, and
// the request field at fault when there is one (in ChatBot.com's dotted form,
// such as "attributes.default_name", or a path or query parameter such as
// "id" or "limit"). Message never carries internal error text.
type ErrorBody struct {
	Timestamp string      `json:"timestamp"`
	Status    ErrorStatus `json:"status"`
	Field     string      `json:"field,omitempty"`
}

// ErrorStatus is the status object of an ErrorBody.
type ErrorStatus struct {
	Code    int    `json:"code"`    // the HTTP status code
	Type    string `json:"type"`    // always "error"
	Message string `json:"message"` // what went wrong, for people
}

// apiError is an error the adapter itself finds: in authentication,
// routing, or the JSON or query string of a request.
type apiError struct {
	status  int
	message string
	field   string
}

func (e *apiError) Error() string { return e.message }

func badRequest(field, message string) error {
	return &apiError{status: http.StatusBadRequest, field: field, message: message}
}

var (
	errUnauthorized = &apiError{status: http.StatusUnauthorized, message: "a valid bearer token is required"}
	errForbidden    = &apiError{status: http.StatusForbidden, message: "this token may not use this route"}
	errNoRoute      = &apiError{status: http.StatusNotFound, message: "no such route"}
	errMethod       = &apiError{status: http.StatusMethodNotAllowed, message: "method not allowed on this route"}
	errRateLimited  = &apiError{status: http.StatusTooManyRequests, message: "rate limit exceeded"}
	errAuthLimited  = &apiError{status: http.StatusTooManyRequests, message: "too many failed authentications from this address; retry later"}
	errBodyTimeout  = &apiError{status: http.StatusRequestTimeout, message: "the request body did not arrive in time (is it shorter than its Content-Length?)"}
	errShortBody    = badRequest("", "the request body is shorter than its Content-Length")
	errTooLarge     = &apiError{status: http.StatusRequestEntityTooLarge, message: "request body too large"}
)

// codes maps the errors of the engine and the store to a status and a
// message, first match wins. A *store.FieldError (store.ErrInvalid) shows
// its field and rule. Anything else is a 500 whose cause is only logged.
var codes = []struct {
	err     error
	status  int
	message string
}{
	{store.ErrInvalid, http.StatusBadRequest, "invalid request"},
	{store.ErrNotFound, http.StatusNotFound, "not found"},
	{store.ErrConflict, http.StatusConflict, "a user with this userId or attributes.default_email already exists"},
	{engine.ErrNoCodeSender, http.StatusConflict, "email verification is off on this server"},
	{engine.ErrCodeNotSent, http.StatusBadGateway, "the code could not be sent; retry later"},
	{engine.ErrCalendar, http.StatusConflict, "the calendar refused the meeting: choose another time"},
	{store.ErrFull, http.StatusInsufficientStorage, "the server's storage is full: reads still work; retry the change later"},
	{store.ErrBusy, http.StatusServiceUnavailable, "too many concurrent changes to the same records; retry"},
	{store.ErrClosed, http.StatusServiceUnavailable, "the server is shutting down"},
	{context.DeadlineExceeded, http.StatusServiceUnavailable, "the request took too long"},
	{context.Canceled, http.StatusServiceUnavailable, "the request was canceled"},
}

// notFound names the field whose value named nothing when err is
// store.ErrNotFound, where the engine's error cannot say which one.
type notFound struct {
	field string
	err   error
}

func (e *notFound) Error() string { return e.err.Error() }
func (e *notFound) Unwrap() error { return e.err }

func withField(field string, err error) error { return &notFound{field: field, err: err} }

// fail writes the error response for err.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, message, field := http.StatusInternalServerError, "internal error", ""
	var ae *apiError
	var fe *store.FieldError
	var nf *notFound
	var enf *engine.NotFoundError
	switch {
	case errors.As(err, &ae):
		status, message, field = ae.status, ae.message, ae.field
	case errors.As(err, &fe):
		status, message, field = http.StatusBadRequest, fe.Rule, fe.Field
	case errors.As(err, &enf):
		status, message, field = http.StatusNotFound, "not found", enf.Field
	default:
		for _, c := range codes {
			if errors.Is(err, c.err) {
				status, message = c.status, c.message
				break
			}
		}
		if status == http.StatusNotFound && errors.As(err, &nf) {
			field = nf.field
		}
	}
	if status == http.StatusInternalServerError {
		h.cfg.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "1")
	}
	if status == http.StatusInsufficientStorage {
		w.Header().Set("Retry-After", "60")
	}
	if strings.HasPrefix(r.URL.Path, "/v0/") {
		if status == http.StatusConflict && errors.As(err, &nf) {
			field = nf.field
		}
		h.failV0(w, status, message, field)
		return
	}
	h.reply(w, status, ErrorBody{
		Timestamp: h.timestamp(),
		Status:    ErrorStatus{Code: status, Type: "error", Message: message},
		Field:     field,
	})
}

// reply writes v as the JSON body of a response with the given status.
func (h *Handler) reply(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only a value the adapter built can get here, and they all
		// marshal; answer without a body rather than half a one.
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func (h *Handler) timestamp() string { return h.cfg.now().UTC().Format(engine.TimestampFormat) }
