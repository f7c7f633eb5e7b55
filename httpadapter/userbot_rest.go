package httpadapter

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/parleybot/parley/engine"
)

// Userbot's operations over REST, next to the chat API's routes (and under
// /chatbots/{chatbotId} for each bot), for the developer token:
//
//	POST /userbot/{operation}   the operation's JSON payload as the body (none for
//	                            operations without one) → {"timestamp","status","data"}
//	POST /users/import          a CSV file as the body (text/csv), streamed
//	                            → {"timestamp","status","data": ImportResult}
//
// {operation} is a channel of the socket ("chatusers.get", "rawstats.all",
// ...); the data is the socket's. Errors are the chat API's ErrorBody.

// DefaultMaxImportBytes bounds the CSV body of POST /users/import: room
// for 1,000,000 rows of up to 250 bytes. The body streams into the import,
// which holds a few batches of rows whatever the size of the file; a
// larger file is answered 413: import it with "parley import users", or
// in chunks over Userbot's socket.
const DefaultMaxImportBytes = 256 << 20

// importTime is the time POST /users/import may take, beyond the server's
// read and write timeouts: a file at DefaultMaxImportBytes, at 3,000 rows
// a second (Badger on a busy 2-core machine).
const importTime = 30 * time.Minute

// OperationResult is the body of a successful POST /userbot/{operation}
// or POST /users/import.
type OperationResult struct {
	Timestamp string        `json:"timestamp"`
	Status    engine.Status `json:"status"`
	Data      any           `json:"data"`
}

func (h *Handler) operation(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("operation")
	run := operations[name]
	if run == nil {
		h.fail(w, r, &apiError{status: http.StatusNotFound, field: "operation", message: "no such operation"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.maxBody))
	if err != nil {
		h.fail(w, r, readError(w, err))
		return
	}
	data, err := run(&opCall{ctx: r.Context(), eng: h.engine(r), raw: body})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.reply(w, http.StatusOK, OperationResult{Timestamp: h.timestamp(), Status: success, Data: data})
}

func (h *Handler) importUsers(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		h.fail(w, r, &apiError{status: http.StatusUnsupportedMediaType, field: "Content-Type", message: "the body must be a CSV file (text/csv)"})
		return
	}
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(importTime))
	rc.SetWriteDeadline(time.Now().Add(importTime))
	body := &bodyReader{r: http.MaxBytesReader(w, r.Body, DefaultMaxImportBytes)}
	res, err := h.engine(r).ImportUsers(r.Context(), body, engine.ImportOptions{})
	if body.err != nil {
		h.fail(w, r, readError(w, body.err))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if res.Errors == nil {
		res.Errors = []engine.RowError{}
	}
	h.reply(w, http.StatusOK, OperationResult{Timestamp: h.timestamp(), Status: success, Data: res})
}
