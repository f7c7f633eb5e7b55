package httpadapter

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleybot/parley/engine"
)

// CSV imports over Userbot's socket, in one frame or in chunks.
//
// chatusers.import's payload holds the file, or one chunk of it:
//
//	csv     the CSV text (a JSON string: a chunk must end on a character boundary)
//	base64  the same bytes in standard base64, instead of csv: a chunk may end anywhere,
//	        even inside a UTF-8 character
//	upload  names an upload in chunks: 1 to 64 characters, unique among the uploads
//	        under way on the connection
//	chunk   the chunk's number in its upload, from 1; chunk 1 starts the upload
//	more    true when more chunks follow; absent or false on the last
//
// Without "upload" the frame holds the whole file, as a dashboard sends a
// small one, and the reply is the ImportResult; the file is then bounded
// by the frame limit (WithMaxBodyBytes, 1 MiB by default). A file of any
// size goes in chunks, each a frame within the limit, which may split the
// file anywhere (within a line, a quoted field, after the byte order
// mark). The chunks stream into one import as they arrive, so the server
// holds one chunk of an upload at a time, whatever the size of the file:
//
//	→ chatusers.import {"upload":"u1","chunk":1,"more":true,"csv":"userId,email,tags\nc-1,ann@exa"}
//	← {"channel":"chatusers.import","status":{"code":200,"type":"success"},"data":{"upload":"u1","chunk":1,"bytes":29}}
//	→ chatusers.import {"upload":"u1","chunk":2,"more":true,"base64":"bXBsZS5jb20sdmlwCmMtMixib2JAZXhh"}
//	← {"channel":"chatusers.import","status":{...},"data":{"upload":"u1","chunk":2,"bytes":53}}
//	→ chatusers.import {"upload":"u1","chunk":3,"csv":"mple.com,\n"}
//	← {"channel":"chatusers.import.progress","status":{...},"data":{"upload":"u1","rows":2,"created":2,"updated":0,"failed":0,"bytes":63}}
//	← {"channel":"chatusers.import","status":{...},"data":{"upload":"u1","rows":2,"created":2,"updated":0,"failed":0,"bytes":63,"errors":[]}}
//
// Each chunk but the last is answered once the import has read it: that
// reply asks for the next chunk. A chunk sent before it waits, and so
// does every frame behind it on the connection, until the import has
// read the chunk before; other requests are served while an upload waits
// for its next chunk. The last chunk is answered with the import's result;
// progress replies come on channel "chatusers.import.progress" after each
// batch of 1,000 rows (and the last), naming the upload.
//
// An upload's errors name it in their data ({"upload":"u1","chunk":2}) and
// the field at fault; a refused chunk changes nothing, and the upload
// still waits for it:
//
//	400 upload, chunk, base64  a bad value (chunk and more need an upload; csv or base64, not both)
//	404 upload      no such upload under way on the connection: chunk 1 starts one
//	409 chunk       not the next chunk of the upload, or a chunk after the last
//	413 csv         a frame over the frame limit, skipped: send its bytes again in smaller
//	                chunks (the reply names the upload when "upload" comes first in the payload)
//	429 upload      more than 2 uploads under way on the connection
//
// An upload ends when its import does: after its last chunk, or when the
// import fails (its reply is the error, with the counts so far in data),
// when no chunk comes within the upload timeout (WithUploadTimeout, a
// minute by default: 408 on upload), or when the connection closes. The
// rows it imported stay; importing the same file again updates those
// users instead of creating them twice.

// DefaultUploadTimeout is how long an upload over Userbot's socket waits
// for its next chunk (see WithUploadTimeout).
const DefaultUploadTimeout = time.Minute

// Limits of the uploads of one connection.
const (
	maxUploads = 2 // uploads under way at once
	keepEnded  = 8 // ended uploads remembered, to tell a late chunk from an unknown upload
)

// WithUploadTimeout sets how long an import in chunks over Userbot's
// socket waits for its next chunk before it stops (408 on "upload"). The
// default is DefaultUploadTimeout.
func WithUploadTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("httpadapter: upload timeout %v is not positive", d)
		}
		c.uploadTimeout = d
		return nil
	}
}

// importPayload is chatusers.import's payload.
type importPayload struct {
	CSV    string `json:"csv"`
	Base64 string `json:"base64"`
	Upload string `json:"upload"`
	Chunk  int    `json:"chunk"`
	More   bool   `json:"more"`
}

// importPayload decodes and checks the call's chatusers.import payload.
func (c *opCall) importPayload() (*importPayload, error) {
	p := &importPayload{}
	if err := c.payload(p, true); err != nil {
		return nil, err
	}
	switch n := utf8.RuneCountInString(p.Upload); {
	case n == 0 && (p.Chunk != 0 || p.More):
		return nil, badRequest("upload", "must name the upload to send the file in chunks")
	case n == 0:
	case n > 64:
		return nil, badRequest("upload", "must be 1 to 64 characters")
	case p.Chunk < 1:
		return p, badRequest("chunk", "must be 1 or more: the chunk's number in its upload, chunk 1 starting it")
	}
	if p.CSV != "" && p.Base64 != "" {
		return p, badRequest("base64", "give the file as csv or as base64, not both")
	}
	return p, nil
}

// file returns the file, or the chunk, the payload holds.
func (p *importPayload) file() (string, error) {
	if p.Base64 == "" {
		return p.CSV, nil
	}
	b, err := base64.StdEncoding.DecodeString(p.Base64)
	if err != nil {
		return "", badRequest("base64", "must be standard base64 (RFC 4648, with padding)")
	}
	return string(b), nil
}

// importFile imports the whole file the payload holds.
func (c *opCall) importFile(p *importPayload) (any, error) {
	csv, err := p.file()
	if err != nil {
		return nil, err
	}
	if csv == "" {
		return nil, badRequest("csv", "must hold the CSV file, its first row naming the columns")
	}
	opt := engine.ImportOptions{}
	if c.progress != nil {
		opt.Progress = func(pr engine.ImportProgress) { c.progress(pr) }
	}
	res, err := c.eng.ImportUsers(c.ctx, strings.NewReader(csv), opt)
	if err != nil {
		return nil, err
	}
	if res.Errors == nil {
		res.Errors = []engine.RowError{}
	}
	return res, nil
}

// Replies of an upload: an acknowledged chunk, progress, and the result.
type (
	uploadAck struct {
		Upload string `json:"upload"`
		Chunk  int    `json:"chunk"`
		Bytes  int64  `json:"bytes"` // of the file, received so far
	}
	uploadProgress struct {
		Upload string `json:"upload"`
		engine.ImportProgress
	}
	uploadResult struct {
		Upload string `json:"upload"`
		engine.ImportResult
	}
	// uploadRef names the upload and chunk of an error reply.
	uploadRef struct {
		Upload string `json:"upload,omitempty"`
		Chunk  int    `json:"chunk,omitempty"`
	}
)

// An upload is an import in chunks under way on a socket.
type upload struct {
	id     string
	chunks chan chunk    // hands the next chunk to the import
	done   chan struct{} // closed when the import has returned
	// next is the number of the chunk expected next, and last whether the
	// last one came; only the socket's read loop uses them.
	next int
	last bool
}

type chunk struct {
	data string
	last bool
}

// errUploadEnded refuses a chunk for an upload whose import has stopped
// (its reply says why).
var errUploadEnded = &apiError{status: http.StatusConflict, field: "chunk", message: "the upload has ended: its import stopped"}

// importUsers answers chatusers.import: a whole file, or a chunk of an
// upload.
func (s *socket) importUsers(c *opCall) {
	const channel = "chatusers.import"
	p, err := c.importPayload()
	switch {
	case err != nil && p != nil:
		s.answer(channel, uploadRef{Upload: p.Upload, Chunk: p.Chunk}, err)
	case err != nil:
		s.reply(channel, nil, err)
	case p.Upload != "":
		if err := s.chunk(p); err != nil {
			s.answer(channel, uploadRef{Upload: p.Upload, Chunk: p.Chunk}, err)
		}
	default:
		c.progress = func(v any) { s.reply(channel+".progress", v, nil) }
		data, err := c.importFile(p)
		s.reply(channel, data, err)
	}
}

// chunk takes a chunk of an upload: chunk 1 starts it, each next one
// goes to its import once the import has read the one before.
func (s *socket) chunk(p *importPayload) error {
	data, err := p.file()
	if err != nil {
		return err
	}
	s.upMu.Lock()
	up, ended := s.uploads[p.Upload], slices.Contains(s.ended, p.Upload)
	s.upMu.Unlock()
	switch {
	case up == nil && p.Chunk == 1:
		return s.startUpload(p.Upload, chunk{data: data, last: !p.More})
	case up == nil && ended:
		return &apiError{status: http.StatusConflict, field: "chunk", message: fmt.Sprintf("upload %q has ended: chunk 1 starts it again", p.Upload)}
	case up == nil:
		return &apiError{status: http.StatusNotFound, field: "upload", message: fmt.Sprintf("no upload %q under way on this connection: chunk 1 starts one", p.Upload)}
	case up.last:
		return &apiError{status: http.StatusConflict, field: "chunk", message: fmt.Sprintf("upload %q has ended with chunk %d: wait for its result", p.Upload, up.next-1)}
	case p.Chunk != up.next:
		return &apiError{status: http.StatusConflict, field: "chunk", message: fmt.Sprintf("must be %d, the next chunk of upload %q", up.next, p.Upload)}
	}
	select {
	case up.chunks <- chunk{data: data, last: !p.More}:
		up.next++
		up.last = !p.More
		return nil
	case <-up.done:
		return errUploadEnded
	case <-s.ctx.Done():
		return nil
	}
}

// startUpload starts the import of an upload with its first chunk.
func (s *socket) startUpload(id string, first chunk) error {
	s.upMu.Lock()
	if len(s.uploads) >= maxUploads {
		s.upMu.Unlock()
		return &apiError{status: http.StatusTooManyRequests, field: "upload", message: fmt.Sprintf("at most %d uploads may be under way on a connection: wait for one to end", maxUploads)}
	}
	up := &upload{id: id, chunks: make(chan chunk), done: make(chan struct{}), next: 2, last: first.last}
	if s.uploads == nil {
		s.uploads = map[string]*upload{}
	}
	s.uploads[id] = up
	s.ended = slices.DeleteFunc(s.ended, func(e string) bool { return e == id })
	s.upMu.Unlock()

	r := &chunkReader{s: s, up: up}
	r.took(first)
	eng := s.bot
	opt := engine.ImportOptions{Progress: func(pr engine.ImportProgress) {
		s.reply("chatusers.import.progress", uploadProgress{Upload: id, ImportProgress: pr}, nil)
	}}
	s.importing.Add(1)
	go func() {
		defer s.importing.Done()
		res, err := eng.ImportUsers(s.ctx, r, opt)
		close(up.done)
		s.upMu.Lock()
		delete(s.uploads, id)
		if s.ended = append(s.ended, id); len(s.ended) > keepEnded {
			s.ended = s.ended[1:]
		}
		s.upMu.Unlock()
		if res.Errors == nil {
			res.Errors = []engine.RowError{}
		}
		s.answer("chatusers.import", uploadResult{Upload: id, ImportResult: res}, err)
	}()
	return nil
}

// A chunkReader is the file of an upload as its import reads it: the
// chunks in order, as they come. Once the import has read a chunk but the
// last, it acknowledges it, which asks the client for the next.
type chunkReader struct {
	s      *socket
	up     *upload
	cur    string // what is left of the chunk being read
	last   bool   // cur is the last chunk
	acked  bool   // the chunk being read is acknowledged
	chunks int    // taken so far
	bytes  int64  // taken so far
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for r.cur == "" {
		r.acknowledge() // an empty chunk
		if r.last {
			return 0, io.EOF
		}
		if err := r.take(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	r.acknowledge()
	return n, nil
}

// take waits for the next chunk.
func (r *chunkReader) take() error {
	t := time.NewTimer(r.s.u.cfg.uploadTimeout)
	defer t.Stop()
	select {
	case c := <-r.up.chunks:
		r.took(c)
		return nil
	case <-t.C:
		return &apiError{status: http.StatusRequestTimeout, field: "upload", message: fmt.Sprintf(
			"no chunk came within %v: the upload stopped; the rows imported stay, and importing the file again updates them", r.s.u.cfg.uploadTimeout)}
	case <-r.s.ctx.Done():
		return r.s.ctx.Err()
	case <-r.up.done:
		return errUploadEnded
	}
}

func (r *chunkReader) took(c chunk) {
	r.cur, r.last, r.acked = c.data, c.last, false
	r.chunks++
	r.bytes += int64(len(c.data))
}

// acknowledge answers the chunk being read once it has all been read,
// unless it is the last.
func (r *chunkReader) acknowledge() {
	if r.cur == "" && !r.last && !r.acked {
		r.acked = true
		r.s.reply("chatusers.import", uploadAck{Upload: r.up.id, Chunk: r.chunks, Bytes: r.bytes}, nil)
	}
}

// tooLarge answers a frame over the frame limit, which the socket
// skipped, from its first bytes: on the channel they name, with the
// upload they name when its id comes before the file.
func (s *socket) tooLarge(head string) {
	words, payload := splitFrame(head)
	channel := strings.Join(words, ".")
	err := &apiError{status: http.StatusRequestEntityTooLarge, message: fmt.Sprintf("a frame must be at most %d bytes", s.u.cfg.maxBody)}
	if channel != "chatusers.import" {
		if channel == "" {
			channel = "error"
		}
		s.reply(channel, nil, err)
		return
	}
	err.field = "csv"
	err.message += ": send the file in smaller chunks"
	s.answer(channel, uploadRef{Upload: uploadOf(payload)}, err)
}

// uploadOf returns the upload a payload's first bytes name, "" if they do
// not name one before the file.
func uploadOf(payload string) string {
	dec := json.NewDecoder(strings.NewReader(payload))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	for {
		k, err := dec.Token()
		if err != nil {
			return ""
		}
		v, err := dec.Token()
		if err != nil {
			return ""
		}
		if s, ok := v.(string); ok && k == "upload" {
			return s
		}
		if _, ok := v.(json.Delim); ok {
			return ""
		}
	}
}
