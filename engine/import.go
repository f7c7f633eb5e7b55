package engine

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parleybot/parley/store"
)

// Importing users from CSV (Userbot's chatusers.import, "parley import
// users"). The first row is a header naming what each column holds:
//
//	userId                      the user's userId (also user_id)
//	default_email, email        the user's email
//	default_name, name          the user's name
//	tags                        tag names, separated by ";"
//	segments                    names of segments of explicit members,
//	                            separated by ";" (created when missing)
//	anything else               a variable: an attribute of that name
//
// Header names are matched ignoring case for the words above; other
// columns are attribute keys (^[\w-]{1,128}$), kept as written. A header
// must name userId or default_email, and each row must give one of them, so
// that importing the same file again finds the same users: a user whose
// userId (or else whose email) is known is updated (attributes merged,
// tags and segments added), anyone else created. An empty cell changes
// nothing. A row that breaks a rule is reported with its line and reason
// and leaves nothing of itself stored; the other rows still go in. Rows
// are read and written in batches, so a file of any size is imported in
// bounded memory, and an import stopped half way can be run again.

// Limits of an import.
const (
	// ImportBatch is the number of rows read and written together: the
	// most one call of store.Users.UpsertUsers takes.
	ImportBatch = store.MaxUsersPerOp
	// DefaultMaxImportErrors is how many row errors an ImportResult keeps
	// unless ImportOptions says otherwise; all are counted.
	DefaultMaxImportErrors = 1000
)

// ImportOptions tune ImportUsers.
type ImportOptions struct {
	// Progress, if not nil, is called after each batch of rows with the
	// counts so far, in the importing goroutine.
	Progress func(ImportProgress)
	// MaxErrors is how many row errors the result keeps, 0 meaning
	// DefaultMaxImportErrors.
	MaxErrors int
}

// ImportProgress counts the rows of an import so far. Each row read is
// created, updated or refused: a second row about a user the first
// created counts as updated.
type ImportProgress struct {
	Rows    int   `json:"rows"`    // data rows read
	Created int   `json:"created"` // rows that created a user
	Updated int   `json:"updated"` // rows that updated one
	Failed  int   `json:"failed"`  // rows refused
	Bytes   int64 `json:"bytes"`   // bytes of the file read
}

// A RowError is one row an import refused.
type RowError struct {
	Line   int    `json:"line"`             // the row's line in the file, from 1 (the header)
	Column string `json:"column,omitempty"` // the column at fault, if one is
	Reason string `json:"reason"`
}

func (e RowError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Column, e.Reason)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// ImportResult is what an import did.
type ImportResult struct {
	ImportProgress
	// Errors are the first MaxErrors rows refused (found in batches of
	// ImportBatch rows), sorted by line.
	Errors []RowError `json:"errors"`
}

// ImportUsers imports users from CSV into the engine's store; see
// ImportUsersInto.
func (e *Engine) ImportUsers(ctx context.Context, r io.Reader, opt ImportOptions) (ImportResult, error) {
	return ImportUsersInto(ctx, e.st, r, opt)
}

// ImportUsersInto imports users from CSV (comma-separated, RFC 4180
// quoting, UTF-8 with or without a byte order mark) into st, which needs
// no bot. It returns an error, with the result so far, when the header is
// unusable (a *store.FieldError on "header"), the file cannot be read, the
// store fails or ctx ends; refused rows are in the result, not errors.
//
// One goroutine reads and checks the rows, a batch at a time, while the
// calling one writes the batches before, up to importInFlight of them at
// once, each with its own call of store.Users.UpsertUsers (a batch that
// names a userId or email that one being written names waits for it, so
// that rows about one user apply in the order of the file). An import
// thus holds at most importInFlight+2 batches of rows, whatever the size
// of the file.
func ImportUsersInto(ctx context.Context, st store.Store, r io.Reader, opt ImportOptions) (ImportResult, error) {
	if opt.MaxErrors <= 0 {
		opt.MaxErrors = DefaultMaxImportErrors
	}
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		br.Discard(3)
	}
	in := csv.NewReader(br)
	in.ReuseRecord = true
	header, err := in.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return ImportResult{}, invalid("header", "the file is empty: the first row must name the columns")
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return ImportResult{}, invalid("header", fmt.Sprintf("line %d: %v", pe.StartLine, pe.Err))
		}
		return ImportResult{}, fmt.Errorf("engine: import: read header: %w", err)
	}
	cols, err := importColumns(header)
	if err != nil {
		return ImportResult{}, err
	}
	im := &importer{ctx: ctx, st: st, opt: opt, segs: map[string]string{}}
	if err := im.loadSegments(); err != nil {
		return ImportResult{}, err
	}
	ctx, stop := context.WithCancel(ctx)
	batches := make(chan *importBatch, 1)
	var readErr error
	go func() {
		defer close(batches)
		readErr = readBatches(ctx, in, cr, cols, batches)
	}()
	// On an early return the reader ends at its next batch, or when its
	// read returns: r may block until its owner closes it.
	defer stop()
	for {
		if len(im.writing) == importInFlight {
			im.done()
		}
		b, ok := <-batches
		if !ok || im.err != nil {
			break
		}
		w, err := im.prepare(b)
		if err != nil {
			im.err = err
			break
		}
		for len(im.writing) > 0 && im.names(w) {
			im.done()
		}
		im.start(w)
	}
	for len(im.writing) > 0 {
		im.done()
	}
	if im.err != nil {
		return im.finish(), im.err
	}
	if readErr != nil {
		return im.finish(), readErr
	}
	return im.finish(), nil
}

// importInFlight is how many batches an import writes at once: while the
// store commits one, the next is planned.
const importInFlight = 2

// An importBatch is up to ImportBatch rows read from the file: those to
// write and those refused.
type importBatch struct {
	ok      []importRow
	refused []RowError
	rows    int   // rows read, refused ones too
	bytes   int64 // bytes of the file read after the batch
}

// readBatches reads the rows after the header into batches of ImportBatch
// rows, checking each on its own, until the file or ctx ends.
func readBatches(ctx context.Context, in *csv.Reader, cr *countingReader, cols []importColumn, out chan<- *importBatch) error {
	b := &importBatch{}
	send := func() bool {
		b.bytes = cr.n
		select {
		case out <- b:
			b = &importBatch{ok: make([]importRow, 0, ImportBatch)}
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		rec, err := in.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			reason := pe.Err.Error()
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				reason = fmt.Sprintf("has %d fields, the header %d", len(rec), len(cols))
			}
			b.refused = append(b.refused, RowError{Line: pe.StartLine, Reason: reason})
		case err != nil:
			return fmt.Errorf("engine: import: %w", err)
		default:
			line, _ := in.FieldPos(0)
			if row, e := parseRow(cols, line, rec); e != nil {
				b.refused = append(b.refused, *e)
			} else {
				b.ok = append(b.ok, row)
			}
		}
		b.rows++
		if b.rows == ImportBatch && !send() {
			return ctx.Err()
		}
	}
	if b.rows > 0 && !send() {
		return ctx.Err()
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// What a column holds.
const (
	colAttr = iota
	colUserID
	colTags
	colSegments
)

type importColumn struct {
	kind int
	name string // the attribute key, or the header as written
}

func importColumns(header []string) ([]importColumn, error) {
	cols := make([]importColumn, len(header))
	seen := map[string]int{}
	identity := false
	for i, h := range header {
		h = strings.TrimSpace(h)
		c := importColumn{kind: colAttr, name: h}
		switch strings.ToLower(h) {
		case "userid", "user_id":
			c = importColumn{kind: colUserID, name: "userId"}
		case "email", "default_email":
			c.name = store.AttrEmail
		case "name", "default_name":
			c.name = store.AttrName
		case "tags":
			c = importColumn{kind: colTags, name: "tags"}
		case "segments":
			c = importColumn{kind: colSegments, name: "segments"}
		default:
			if !store.ValidAttributeKey(h) {
				return nil, invalid("header", fmt.Sprintf("column %d %.140q must be userId, email, name, tags, segments or an attribute key matching ^[\\w-]{1,128}$", i+1, h))
			}
		}
		if j, dup := seen[c.name]; dup {
			return nil, invalid("header", fmt.Sprintf("columns %d and %d both hold %s", j+1, i+1, c.name))
		}
		seen[c.name] = i
		identity = identity || c.kind == colUserID || c.name == store.AttrEmail
		cols[i] = c
	}
	if !identity {
		return nil, invalid("header", "a column must hold userId or email, so that importing again finds the same users")
	}
	return cols, nil
}

type importRow struct {
	line int
	up   store.UserUpsert
	segs []string // segment names
}

type importer struct {
	ctx     context.Context
	st      store.Store
	opt     ImportOptions
	res     ImportResult
	segs    map[string]string // segment name → id; "" for a saved filter
	writing []*importWrite    // batches being written, in the order of the file
	err     error             // the first error of the store
}

// An importWrite is a batch of rows being written by one call of
// store.Users.UpsertUsers.
type importWrite struct {
	batch *importBatch
	ups   []store.UserUpsert
	lines []int               // of ups
	names map[string]struct{} // the userIds and emails ups name, in lower case
	early []RowError          // rows refused before the store saw them
	res   []store.Upserted
	err   error
	done  chan struct{}
}

func (im *importer) fail(e RowError) {
	im.res.Failed++
	if len(im.res.Errors) < im.opt.MaxErrors {
		im.res.Errors = append(im.res.Errors, e)
	}
}

// finish returns the result with its errors sorted by line.
func (im *importer) finish() ImportResult {
	slices.SortStableFunc(im.res.Errors, func(a, b RowError) int { return a.Line - b.Line })
	return im.res
}

// rowError describes a row refused because of err: a *store.FieldError,
// or an error of the store naming what the row got wrong.
func rowError(line int, err error) RowError {
	var fe *store.FieldError
	if errors.As(err, &fe) {
		return RowError{Line: line, Column: fe.Field, Reason: fe.Rule}
	}
	reason := err.Error()
	for _, s := range []error{store.ErrConflict, store.ErrNotFound} {
		reason = strings.TrimPrefix(reason, s.Error()+": ")
	}
	return RowError{Line: line, Reason: reason}
}

// parseRow checks one record and returns it as a row, or why it is
// refused.
func parseRow(cols []importColumn, line int, rec []string) (importRow, *RowError) {
	row := importRow{line: line}
	refuse := func(err error) (importRow, *RowError) {
		e := rowError(line, err)
		return row, &e
	}
	for i, v := range rec {
		c := cols[i]
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		switch c.kind {
		case colUserID:
			if err := store.CheckUserID(v); err != nil {
				return refuse(err)
			}
			row.up.UserID = v
		case colTags:
			row.up.Tags = splitList(v)
			if len(row.up.Tags) > store.MaxTagsPerUser {
				return refuse(invalid("tags", fmt.Sprintf("must have at most %d tags", store.MaxTagsPerUser)))
			}
			for _, t := range row.up.Tags {
				if err := store.CheckTag("tags", t); err != nil {
					return refuse(err)
				}
			}
		case colSegments:
			row.segs = splitList(v)
			for _, s := range row.segs {
				if err := store.CheckSegmentName(s); err != nil {
					return refuse(invalid("segments", fmt.Sprintf("segment name %.40q must be 1 to %d characters", s, store.MaxName)))
				}
			}
		default:
			if row.up.Attributes == nil {
				row.up.Attributes = make(map[string]string, len(rec))
			}
			row.up.Attributes[c.name] = v
		}
	}
	if err := store.CheckAttributes("attributes", row.up.Attributes); err != nil {
		return refuse(err)
	}
	if row.up.UserID == "" && row.up.Attributes[store.AttrEmail] == "" {
		return row, &RowError{Line: line, Reason: "gives neither a userId nor an email"}
	}
	return row, nil
}

// splitList splits a cell of ";"-separated names, dropping empty ones and
// repeats.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (im *importer) loadSegments() error {
	segs, err := im.st.ListSegments(im.ctx)
	if err != nil {
		return err
	}
	for _, s := range segs {
		if s.Filter != nil {
			im.segs[s.Name] = ""
		} else if _, ok := im.segs[s.Name]; !ok {
			im.segs[s.Name] = s.ID
		}
	}
	return nil
}

// segmentIDs sets the ids of the segments a row names, creating those
// that do not exist.
func (im *importer) segmentIDs(row *importRow) error {
	for _, name := range row.segs {
		id, ok := im.segs[name]
		if ok && id == "" {
			return &store.FieldError{Field: "segments", Rule: fmt.Sprintf("segment %q is a saved filter: its members cannot be added", name)}
		}
		if !ok {
			s, err := im.st.CreateSegment(im.ctx, name)
			if err != nil {
				return err
			}
			id = s.ID
			im.segs[name] = id
		}
		row.up.Segments = append(row.up.Segments, id)
	}
	return nil
}

// prepare turns the rows of b into upserts, creating the segments they
// name that do not exist.
func (im *importer) prepare(b *importBatch) (*importWrite, error) {
	if err := im.ctx.Err(); err != nil {
		return nil, err
	}
	w := &importWrite{
		batch: b,
		ups:   make([]store.UserUpsert, 0, len(b.ok)),
		lines: make([]int, 0, len(b.ok)),
		names: make(map[string]struct{}, 2*len(b.ok)),
		done:  make(chan struct{}),
	}
	for i := range b.ok {
		row := &b.ok[i]
		if err := im.segmentIDs(row); err != nil {
			if !isRowError(err) {
				return nil, err
			}
			w.early = append(w.early, rowError(row.line, err))
			continue
		}
		w.ups = append(w.ups, row.up)
		w.lines = append(w.lines, row.line)
		if row.up.UserID != "" {
			w.names[strings.ToLower(row.up.UserID)] = struct{}{}
		}
		if e := row.up.Attributes[store.AttrEmail]; e != "" {
			w.names[strings.ToLower(e)] = struct{}{}
		}
	}
	return w, nil
}

// names reports whether a batch being written names a user that w names.
// (A userId is compared with emails too, and without case: a new user
// named by email gets it as userId.)
func (im *importer) names(w *importWrite) bool {
	for _, o := range im.writing {
		for n := range w.names {
			if _, ok := o.names[n]; ok {
				return true
			}
		}
	}
	return false
}

// start writes w in a goroutine of its own.
func (im *importer) start(w *importWrite) {
	im.writing = append(im.writing, w)
	if len(w.ups) == 0 {
		close(w.done)
		return
	}
	go func() {
		defer close(w.done)
		w.res, w.err = im.st.UpsertUsers(im.ctx, w.ups)
	}()
}

// done waits for the first batch being written and counts its rows, then
// reports progress. After an error of the store it keeps the first.
func (im *importer) done() {
	w := im.writing[0]
	im.writing = im.writing[1:]
	<-w.done
	if w.err != nil {
		if im.err == nil {
			im.err = w.err
		}
		return
	}
	b := w.batch
	im.res.Rows += b.rows
	for _, e := range b.refused {
		im.fail(e)
	}
	for _, e := range w.early {
		im.fail(e)
	}
	for i, r := range w.res {
		switch {
		case r.Err != nil:
			im.fail(rowError(w.lines[i], r.Err))
		case r.Created:
			im.res.Created++
		default:
			im.res.Updated++
		}
	}
	im.res.Bytes = b.bytes
	if im.opt.Progress != nil && im.err == nil {
		im.opt.Progress(im.res.ImportProgress)
	}
}

// isRowError reports whether err is the fault of the row rather than of
// the store.
func isRowError(err error) bool {
	return errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound)
}
