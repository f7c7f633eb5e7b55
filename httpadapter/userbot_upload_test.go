package httpadapter_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"net/http"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

// uploadResult is the data of an upload's last reply.
type uploadResult struct {
	Upload string `json:"upload"`
	engine.ImportResult
}

// importReply reads replies up to the next one on chatusers.import, and
// counts the progress replies before it, which must name upload.
func (w *wsClient) importReply(upload string) (r wsReply, progress int) {
	w.t.Helper()
	for {
		r = w.next()
		if r.Channel != "chatusers.import.progress" {
			return r, progress
		}
		var p struct{ Upload string }
		if json.Unmarshal(r.Data, &p); p.Upload != upload {
			w.t.Fatalf("progress of upload %q, want %q: %s", p.Upload, upload, r.Data)
		}
		progress++
	}
}

// uploadFrame is a chunk of upload id as a frame: csv when it is valid
// UTF-8 and inCSV, else base64.
func uploadFrame(id string, n int, chunk []byte, more, inCSV bool) string {
	p := struct {
		Upload string `json:"upload"`
		Chunk  int    `json:"chunk"`
		More   bool   `json:"more"`
		CSV    string `json:"csv,omitempty"`
		Base64 string `json:"base64,omitempty"`
	}{Upload: id, Chunk: n, More: more}
	if inCSV && utf8.Valid(chunk) {
		p.CSV = string(chunk)
	} else {
		p.Base64 = base64.StdEncoding.EncodeToString(chunk)
	}
	b, _ := json.Marshal(p)
	return "chatusers.import " + string(b)
}

// upload sends chunks as upload id, each after the reply to the one
// before (every other one in base64), and returns the import's result and
// the number of progress replies.
func (w *wsClient) upload(id string, chunks iter.Seq[[]byte]) (uploadResult, int) {
	w.t.Helper()
	next, stop := iter.Pull(chunks)
	defer stop()
	chunk, ok := next()
	progress := 0
	for n := 1; ok; n++ {
		var following []byte
		following, ok = next()
		r, p := w.importReplyTo(uploadFrame(id, n, chunk, ok, n%2 == 1), id)
		progress += p
		if r.Status.Code != 200 {
			w.t.Fatalf("chunk %d: %d %q on %q", n, r.Status.Code, r.Status.Message, r.Field)
		}
		if ok {
			var ack struct {
				Upload string
				Chunk  int
			}
			if json.Unmarshal(r.Data, &ack); ack.Upload != id || ack.Chunk != n {
				w.t.Fatalf("chunk %d: reply %s, want its acknowledgement", n, r.Data)
			}
			chunk = following
			continue
		}
		var res uploadResult
		if err := json.Unmarshal(r.Data, &res); err != nil || res.Upload != id {
			w.t.Fatalf("last chunk: reply %s (%v), want the result of upload %q", r.Data, err, id)
		}
		return res, progress
	}
	w.t.Fatal("no chunks")
	return uploadResult{}, 0
}

// importReplyTo sends frame and returns the next reply on
// chatusers.import, with the number of progress replies before it.
func (w *wsClient) importReplyTo(frame, upload string) (wsReply, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.c.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		w.t.Fatalf("write: %v", err)
	}
	return w.importReply(upload)
}

// splitAt cuts b at the given offsets.
func splitAt(b []byte, at ...int) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		from := 0
		for _, to := range append(at, len(b)) {
			if !yield(b[from:to]) {
				return
			}
			from = to
		}
	}
}

// TestUserbotUploadChunks uploads a CSV file in chunks cut at awkward
// places (within the byte order mark, a line, a quoted field, a UTF-8
// character, a CRLF; an empty chunk; csv and base64 chunks in turn) and
// gets the result a one-frame import of the same file gets, with the same
// users stored.
func TestUserbotUploadChunks(t *testing.T) {
	var file bytes.Buffer
	file.WriteString("\ufeffuserId,email,name,tags,segments,city\r\n")
	file.WriteString("c-1,ann@example.com,\"Stone, Ann \"\"A\"\"\",vip;lead,Beta,Zürich\n")
	file.WriteString("c-2,bob@example.com,\"Bob\non two lines\",vip,,東京\n")
	for i := range 2500 {
		fmt.Fprintf(&file, "u-%d,u%d@example.com,\"Zoë, %d 日本\",t%d,,Zürich\n", i, i, i, i%3)
	}
	file.WriteString(",,no id,,,\n")
	file.WriteString("c-1,ann@example.com,Ann again,,,\n")
	b := file.Bytes()
	at := func(s string, plus int) int {
		i := bytes.Index(b, []byte(s))
		if i < 0 {
			t.Fatalf("%q not in the file", s)
		}
		return i + plus
	}
	cuts := []int{
		2,                        // within the byte order mark
		at("\r\n", 1),            // between CR and LF
		at("Stone, ", 4),         // within a quoted field
		at("\non two", 1),        // after a newline within a quoted field
		at("Zürich", 2),          // within ü
		at("東京", 1),              // within 東
		at("東京", 1),              // an empty chunk
		at("u-7,", 2),            // within a line
		at("u-1000,", 0),         // at a line's start
		at("日本\",t0,,Zürich", 4), // within 本
	}
	slices.Sort(cuts)
	for c := cuts[len(cuts)-1] + 4093; c < len(b); c += 4093 {
		cuts = append(cuts, c)
	}

	whole := newServer(t)
	w := dialSocket(t, whole)
	w.login()
	payload, _ := json.Marshal(map[string]string{"csv": file.String()})
	r, _ := w.importReplyTo("chatusers.import "+string(payload), "")
	var want engine.ImportResult
	if r.Status.Code != 200 || json.Unmarshal(r.Data, &want) != nil {
		t.Fatalf("one-frame import: %d %q %s", r.Status.Code, r.Status.Message, r.Data)
	}
	if want.Rows != 2504 || want.Created != 2502 || want.Updated != 1 || want.Failed != 1 {
		t.Fatalf("one-frame import: %+v", want.ImportProgress)
	}

	chunked := newServer(t)
	w = dialSocket(t, chunked)
	w.login()
	got, progress := w.upload("customers", splitAt(b, cuts...))
	if !reflect.DeepEqual(got.ImportResult, want) {
		t.Errorf("upload in %d chunks: got %+v, want %+v", len(cuts)+1, got.ImportResult, want)
	}
	if progress < 3 {
		t.Errorf("progress replies: got %d, want 3 (one per 1,000 rows and the last)", progress)
	}
	for _, c := range []struct{ userID, attr, want string }{
		{"c-1", store.AttrName, "Ann again"},
		{"c-2", store.AttrName, "Bob\non two lines"},
		{"c-2", "city", "東京"},
		{"u-1999", store.AttrName, "Zoë, 1999 日本"},
	} {
		u, err := chunked.db.UserByUserID(context.Background(), c.userID)
		if err != nil || u.Attributes[c.attr] != c.want {
			t.Errorf("user %s: %s = %q (%v), want %q", c.userID, c.attr, u.Attributes[c.attr], err, c.want)
		}
	}
	// The upload's name may be used again once it has ended.
	res, _ := w.upload("customers", splitAt([]byte("userId,plan\nc-1,gold\n"), 5))
	if res.Rows != 1 || res.Updated != 1 {
		t.Errorf("upload again: %+v", res.ImportProgress)
	}
}

// TestUserbotUploadErrors sends bad chunks: each is refused with a
// status, the field and the upload it concerns, and the connection goes
// on.
func TestUserbotUploadErrors(t *testing.T) {
	s := newServer(t)
	start := func(id string) string {
		return `chatusers.import {"upload":"` + id + `","chunk":1,"more":true,"csv":"userId\n"}`
	}
	for _, c := range []struct {
		name   string
		before []string // frames answered with success first
		frame  string
		code   int
		field  string
		upload string
	}{
		{"ChunkWithoutUpload", nil, `chatusers.import {"chunk":1,"csv":"userId\n"}`, 400, "upload", ""},
		{"MoreWithoutUpload", nil, `chatusers.import {"more":true,"csv":"userId\n"}`, 400, "upload", ""},
		{"UploadTooLong", nil, `chatusers.import {"upload":"` + strings.Repeat("u", 65) + `","chunk":1,"csv":"userId\n"}`, 400, "upload", ""},
		{"NoChunk", nil, `chatusers.import {"upload":"u1","csv":"userId\n"}`, 400, "chunk", "u1"},
		{"CSVAndBase64", nil, `chatusers.import {"upload":"u1","chunk":1,"csv":"userId\n","base64":"dXNlcklkCg=="}`, 400, "base64", "u1"},
		{"BadBase64", nil, `chatusers.import {"upload":"u1","chunk":1,"base64":"not base64!"}`, 400, "base64", "u1"},
		{"ChunkType", nil, `chatusers.import {"upload":"u1","chunk":"1","csv":"userId\n"}`, 400, "chunk", ""},
		{"UnknownUpload", nil, `chatusers.import {"upload":"u1","chunk":2,"csv":"x\n"}`, 404, "upload", "u1"},
		{"NotNextChunk", []string{start("u1")}, `chatusers.import {"upload":"u1","chunk":3,"csv":"x\n"}`, 409, "chunk", "u1"},
		{"FirstChunkAgain", []string{start("u1")}, start("u1"), 409, "chunk", "u1"},
		{"ChunkAfterEnd", []string{`chatusers.import {"upload":"u1","chunk":1,"csv":"userId\nx\n"}`}, `chatusers.import {"upload":"u1","chunk":2,"csv":"y\n"}`, 409, "chunk", "u1"},
		{"TooManyUploads", []string{start("u1"), start("u2")}, start("u3"), 429, "upload", "u3"},
		{"BadHeader", []string{`chatusers.import {"upload":"u1","chunk":1,"more":true,"csv":"name\nAnn\n"}`}, "", 400, "header", "u1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := dialSocket(t, s)
			w.login()
			for _, f := range c.before {
				if r, _ := w.importReplyTo(f, uploadIn(f)); r.Status.Code != 200 {
					t.Fatalf("%s: %d %q", f, r.Status.Code, r.Status.Message)
				}
			}
			var r wsReply
			if c.frame != "" {
				r, _ = w.importReplyTo(c.frame, c.upload)
			} else {
				r, _ = w.importReply(c.upload)
			}
			var data struct{ Upload string }
			json.Unmarshal(r.Data, &data)
			if r.Channel != "chatusers.import" || r.Status.Code != c.code || r.Field != c.field || data.Upload != c.upload || r.Status.Message == "" {
				t.Errorf("got %s %d %q on %q, upload %q; want %d on %q, upload %q", r.Channel, r.Status.Code, r.Status.Message, r.Field, data.Upload, c.code, c.field, c.upload)
			}
			w.ok("who", "who", nil)
		})
	}
}

// uploadIn returns the upload a chatusers.import frame names.
func uploadIn(frame string) string {
	var p struct{ Upload string }
	json.Unmarshal([]byte(strings.TrimPrefix(frame, "chatusers.import ")), &p)
	return p.Upload
}

// TestUserbotUploadTimeout stops an upload whose next chunk does not come
// in time, with a 408 naming it; the connection goes on, and the upload
// has ended.
func TestUserbotUploadTimeout(t *testing.T) {
	s := newServer(t, httpadapter.WithUploadTimeout(100*time.Millisecond))
	w := dialSocket(t, s)
	w.login()
	if r, _ := w.importReplyTo(`chatusers.import {"upload":"u1","chunk":1,"more":true,"csv":"userId\nidle-1\n"}`, "u1"); r.Status.Code != 200 {
		t.Fatalf("chunk 1: %d %q", r.Status.Code, r.Status.Message)
	}
	r, _ := w.importReply("u1")
	var data uploadResult
	json.Unmarshal(r.Data, &data)
	if r.Status.Code != 408 || r.Field != "upload" || data.Upload != "u1" {
		t.Errorf("after the timeout: got %d %q on %q, %s; want 408 on upload u1", r.Status.Code, r.Status.Message, r.Field, r.Data)
	}
	w.ok("who", "who", nil)
	if r, _ := w.importReplyTo(`chatusers.import {"upload":"u1","chunk":2,"csv":"idle-2\n"}`, "u1"); r.Status.Code != 409 {
		t.Errorf("chunk 2 after the timeout: got %d %q, want 409", r.Status.Code, r.Status.Message)
	}
	if _, err := httpadapter.New(s.eng, httpadapter.WithUploadTimeout(0)); err == nil {
		t.Error("WithUploadTimeout(0): no error")
	}
}

// TestUserbotFrameLimit answers a frame over the frame limit with a 413
// on its channel, naming the upload of a chunk too large, which may then
// come in smaller chunks; the connection goes on.
func TestUserbotFrameLimit(t *testing.T) {
	s := newServer(t, httpadapter.WithMaxBodyBytes(1024))
	w := dialSocket(t, s)
	w.login()
	r := w.send("chatusers.get " + strings.Repeat(" ", 2048) + "{}")
	if r.Channel != "chatusers.get" || r.Status.Code != 413 {
		t.Errorf("a big frame: got %s %d %q, want 413 on chatusers.get", r.Channel, r.Status.Code, r.Status.Message)
	}
	rows := []byte("userId\n" + strings.Repeat("big-user\n", 200))
	if r, _ := w.importReplyTo(uploadFrame("big", 1, rows[:500], true, true), "big"); r.Status.Code != 200 {
		t.Fatalf("chunk 1: %d %q", r.Status.Code, r.Status.Message)
	}
	r, _ = w.importReplyTo(uploadFrame("big", 2, rows[500:], false, true), "big")
	var data struct{ Upload string }
	json.Unmarshal(r.Data, &data)
	if r.Status.Code != 413 || r.Field != "csv" || data.Upload != "big" {
		t.Errorf("a chunk over the limit: got %d %q on %q, %s; want 413 on csv, upload big", r.Status.Code, r.Status.Message, r.Field, r.Data)
	}
	r, _ = w.importReplyTo(uploadFrame("big", 2, rows[500:1200], true, true), "big")
	if r.Status.Code != 200 {
		t.Fatalf("chunk 2 again, smaller: %d %q", r.Status.Code, r.Status.Message)
	}
	r, _ = w.importReplyTo(uploadFrame("big", 3, rows[1200:], false, true), "big")
	var res uploadResult
	if json.Unmarshal(r.Data, &res); r.Status.Code != 200 || res.Rows != 200 || res.Created != 1 {
		t.Errorf("the upload's result: %d %s", r.Status.Code, r.Data)
	}
}

// TestUserbotUploadDisconnect closes the connection in the middle of an
// upload: the rows imported stay, and uploading the file again updates
// them, duplicating nobody.
func TestUserbotUploadDisconnect(t *testing.T) {
	s := newServer(t)
	const rows = 10000
	var file bytes.Buffer
	file.WriteString("userId,email,plan\n")
	for i := range rows {
		fmt.Fprintf(&file, "d-%d,d%d@example.com,free\n", i, i)
	}
	chunks := slices.Collect(slices.Chunk(file.Bytes(), 8000))

	w := dialSocket(t, s)
	w.login()
	imported := 0
	for n := 1; imported < 2000; n++ {
		if n == len(chunks) {
			t.Fatalf("%d rows imported after %d chunks, want 2,000", imported, n-1)
		}
		r, progress := w.importReplyTo(uploadFrame("d", n, chunks[n-1], true, true), "d")
		if r.Status.Code != 200 {
			t.Fatalf("chunk %d: %d %q", n, r.Status.Code, r.Status.Message)
		}
		imported += 1000 * progress
	}
	w.c.CloseNow()

	w = dialSocket(t, s)
	w.login()
	res, _ := w.upload("d", slices.Values(chunks))
	if res.Rows != rows || res.Failed != 0 || res.Created+res.Updated != rows || res.Updated < imported {
		t.Errorf("upload again: %+v; want %d rows, %d updated or more, none refused", res.ImportProgress, rows, imported)
	}
	if n, err := s.eng.CountUsers(context.Background(), store.UserQuery{}); n != rows || err != nil {
		t.Errorf("users: got %d (%v), want %d", n, err, rows)
	}
}

// TestUserbotUploadLarge imports PARLEY_IMPORT_ROWS generated users (set
// it to 1000000 for the README's figures; skipped without it) with
// Engine.ImportUsers, for comparison, then over the socket, in chunks of
// 768,000 bytes (1 MiB frames with base64), and as the streamed body of
// POST /users/import, each into an empty Badger store on disk sized as
// "parley import users" sizes it (a MemoryBudget of 128 MB under a Go
// memory limit of 192 MB). It logs rows/s, the CPU time of the process a
// row, the peak Go heap in use (sampled every 100 ms; the client shares
// the process) and the process's peak resident memory (VmHWM, which
// counts the pages of Badger's mapped files too).
func TestUserbotUploadLarge(t *testing.T) {
	rows, _ := strconv.Atoi(os.Getenv("PARLEY_IMPORT_ROWS"))
	if rows <= 0 {
		t.Skip("set PARLEY_IMPORT_ROWS=1000000 to import that many users")
	}
	for _, via := range []string{"engine", "socket", "POST"} {
		t.Run(via, func(t *testing.T) {
			db, err := badgerstore.Open(t.TempDir(), badgerstore.MemoryBudget(128<<20))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			s := newStoreServer(t, db, botYAML, nil)
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(192 << 20))
			runtime.GC()
			os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM
			peak := sampleHeap()
			t0, cpu0 := time.Now(), cpuTime()
			var res engine.ImportResult
			switch via {
			case "engine":
				res, err = s.eng.ImportUsers(context.Background(), generatedUsers(rows), engine.ImportOptions{})
				if err != nil {
					t.Fatal(err)
				}
			case "socket":
				w := dialSocket(t, s)
				w.login()
				r, _ := w.upload("large", readChunks(generatedUsers(rows), 768_000))
				res = r.ImportResult
			case "POST":
				req, _ := http.NewRequest("POST", s.URL+"/users/import", generatedUsers(rows))
				req.Header.Set("Authorization", "Bearer "+devToken)
				req.Header.Set("Content-Type", "text/csv")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var out struct{ Data engine.ImportResult }
				json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				res = out.Data
			}
			elapsed, cpu := time.Since(t0), cpuTime()-cpu0
			if res.Rows != rows || res.Created != rows {
				t.Fatalf("import: %+v", res.ImportProgress)
			}
			t.Logf("%d rows (%.1f MB) via %s: %.0f rows/s, %.1f µs of CPU a row, peak heap in use %.0f MB, VmHWM %s",
				rows, float64(res.Bytes)/1e6, via, float64(rows)/elapsed.Seconds(), cpu.Seconds()*1e6/float64(rows),
				float64(peak())/(1<<20), vmHWM())
		})
	}
}

// generatedUsers is a CSV file of n users, about 58 bytes a row, made as
// it is read.
func generatedUsers(n int) io.Reader {
	var buf bytes.Buffer
	buf.WriteString("userId,email,name,city,plan,tags\n")
	i := 0
	return readerFunc(func(p []byte) (int, error) {
		for ; buf.Len() < len(p) && i < n; i++ {
			fmt.Fprintf(&buf, "user-%d,user%d@example.com,User %d,Paris,free,", i, i, i)
			if i%100 == 0 {
				buf.WriteString("vip;lead")
			}
			buf.WriteByte('\n')
		}
		return buf.Read(p)
	})
}

type readerFunc func(p []byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// readChunks cuts what r reads into chunks of size bytes.
func readChunks(r io.Reader, size int) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for {
			b := make([]byte, size)
			n, err := io.ReadFull(r, b)
			if n > 0 && !yield(b[:n]) || err != nil {
				return
			}
		}
	}
}

// sampleHeap samples the Go heap in use (objects and the free space of
// their spans, HeapInuse) every 100 ms until the function it returns is
// called, which returns the peak.
func sampleHeap() (stop func() uint64) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	var peak uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			peak = max(peak, samples[0].Value.Uint64()+samples[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak
	}
}

// cpuTime returns the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// vmHWM returns the process's peak resident memory, as Linux reports it.
func vmHWM() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// TestUserbotUploadPipelined sends every chunk of an upload without
// waiting for the replies: each waits until the import has read the one
// before, and the import gets the whole file.
func TestUserbotUploadPipelined(t *testing.T) {
	s := newServer(t)
	w := dialSocket(t, s)
	w.login()
	var file bytes.Buffer
	file.WriteString("userId,email\n")
	for i := range 10000 {
		fmt.Fprintf(&file, "p-%d,p%d@example.com\n", i, i)
	}
	chunks := slices.Collect(slices.Chunk(file.Bytes(), 4000))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go func() {
		for i, c := range chunks {
			w.c.Write(ctx, websocket.MessageText, []byte(uploadFrame("p", i+1, c, i+1 < len(chunks), true)))
		}
	}()
	for n := 1; ; n++ {
		r, _ := w.importReply("p")
		if r.Status.Code != 200 {
			t.Fatalf("reply %d: %d %q", n, r.Status.Code, r.Status.Message)
		}
		if n < len(chunks) {
			var ack struct{ Chunk int }
			if json.Unmarshal(r.Data, &ack); ack.Chunk != n {
				t.Fatalf("reply %d: %s, want the acknowledgement of chunk %d", n, r.Data, n)
			}
			continue
		}
		var res uploadResult
		if json.Unmarshal(r.Data, &res); res.Rows != 10000 || res.Created != 10000 {
			t.Errorf("result: %s", r.Data)
		}
		return
	}
}

// TestUserbotUploadRandomCuts uploads a small file full of quoting,
// CRLFs and characters of 2 to 4 bytes, cut at random places (seeded, so
// runs repeat), and gets the result of one frame of it every time, but
// that the users it creates the first time are updated.
func TestUserbotUploadRandomCuts(t *testing.T) {
	file := []byte("\ufeffuserId,name,note\r\n" +
		"r-1,\"Åsa, \"\"the\"\" first\",\"a\r\nb\"\n" +
		"r-2,Zoë 😀,日本語\r\n" +
		",,no id\n" +
		"r-3,\"\",\"€ \"\"x\"\"\"\n" +
		"r-1,Åsa again,\n")
	s := newServer(t)
	w := dialSocket(t, s)
	w.login()
	payload, _ := json.Marshal(map[string]string{"csv": string(file)})
	r, _ := w.importReplyTo("chatusers.import "+string(payload), "")
	var want engine.ImportResult
	if r.Status.Code != 200 || json.Unmarshal(r.Data, &want) != nil || want.Rows != 5 || want.Failed != 1 {
		t.Fatalf("one frame: %d %s", r.Status.Code, r.Data)
	}
	// Imported again, every user is there.
	want.Created, want.Updated = 0, want.Created+want.Updated
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range 40 {
		cuts := make([]int, 1+rnd.IntN(12))
		for j := range cuts {
			cuts[j] = rnd.IntN(len(file) + 1)
		}
		slices.Sort(cuts)
		got, _ := w.upload(fmt.Sprint("r", i), splitAt(file, cuts...))
		if !reflect.DeepEqual(got.ImportResult, want) {
			t.Errorf("cut at %v: got %+v, want %+v", cuts, got.ImportResult, want)
		}
	}
}
