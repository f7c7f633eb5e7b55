package engine

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
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
	// ImportBatch is the number of rows read and written together.
	ImportBatch = 500
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

// ImportProgress counts the rows of an import so far. A row about a new
// user named by an earlier row of its batch is merged into that row: it
// counts in Rows, and the user once in Created.
type ImportProgress struct {
	Rows    int   `json:"rows"`    // data rows read
	Created int   `json:"created"` // users created
	Updated int   `json:"updated"` // users updated
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
	im := &importer{ctx: ctx, st: st, cols: cols, opt: opt, segs: map[string]string{}}
	if err := im.loadSegments(); err != nil {
		return ImportResult{}, err
	}
	var batch []importRow
	for {
		rec, err := in.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			im.res.Rows++
			reason := pe.Err.Error()
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				reason = fmt.Sprintf("has %d fields, the header %d", len(rec), len(cols))
			}
			im.fail(RowError{Line: pe.StartLine, Reason: reason})
			continue
		}
		if err != nil {
			return im.res, fmt.Errorf("engine: import: %w", err)
		}
		im.res.Rows++
		line, _ := in.FieldPos(0)
		if row, ok := im.parse(line, rec); ok {
			batch = append(batch, row)
		}
		if len(batch) == ImportBatch {
			if err := im.write(batch); err != nil {
				return im.res, err
			}
			batch = batch[:0]
			im.res.Bytes = cr.n
			if opt.Progress != nil {
				opt.Progress(im.res.ImportProgress)
			}
		}
	}
	err = im.write(batch)
	slices.SortStableFunc(im.res.Errors, func(a, b RowError) int { return a.Line - b.Line })
	if err != nil {
		return im.res, err
	}
	im.res.Bytes = cr.n
	if opt.Progress != nil {
		opt.Progress(im.res.ImportProgress)
	}
	return im.res, nil
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
	line   int
	userID string
	attrs  map[string]string
	tags   []string
	segs   []string // segment names
}

func (r *importRow) email() string { return r.attrs[store.AttrEmail] }

type importer struct {
	ctx  context.Context
	st   store.Store
	cols []importColumn
	opt  ImportOptions
	res  ImportResult
	segs map[string]string // segment name → id; "" for a saved filter
}

func (im *importer) fail(e RowError) {
	im.res.Failed++
	if len(im.res.Errors) < im.opt.MaxErrors {
		im.res.Errors = append(im.res.Errors, e)
	}
}

// failErr reports a row refused because of err, a *store.FieldError or a
// store error the row caused.
func (im *importer) failErr(line int, err error) {
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe):
		im.fail(RowError{Line: line, Column: fe.Field, Reason: fe.Rule})
	case errors.Is(err, store.ErrConflict):
		im.fail(RowError{Line: line, Reason: "the userId or email belongs to another user"})
	case errors.Is(err, store.ErrNotFound):
		im.fail(RowError{Line: line, Reason: "names something that does not exist"})
	default:
		im.fail(RowError{Line: line, Reason: err.Error()})
	}
}

// parse checks one record and returns it as a row, or reports it.
func (im *importer) parse(line int, rec []string) (importRow, bool) {
	row := importRow{line: line, attrs: map[string]string{}}
	for i, v := range rec {
		c := im.cols[i]
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		switch c.kind {
		case colUserID:
			if err := store.CheckUserID(v); err != nil {
				im.failErr(line, err)
				return row, false
			}
			row.userID = v
		case colTags:
			row.tags = splitList(v)
			if len(row.tags) > store.MaxTagsPerUser {
				im.fail(RowError{Line: line, Column: "tags", Reason: fmt.Sprintf("must have at most %d tags", store.MaxTagsPerUser)})
				return row, false
			}
			for _, t := range row.tags {
				if err := store.CheckTag("tags", t); err != nil {
					im.failErr(line, err)
					return row, false
				}
			}
		case colSegments:
			row.segs = splitList(v)
			for _, s := range row.segs {
				if err := store.CheckSegmentName(s); err != nil {
					im.fail(RowError{Line: line, Column: "segments", Reason: fmt.Sprintf("segment name %.40q must be 1 to %d characters", s, store.MaxName)})
					return row, false
				}
			}
		default:
			row.attrs[c.name] = v
		}
	}
	if err := store.CheckAttributes("attributes", row.attrs); err != nil {
		im.failErr(line, err)
		return row, false
	}
	if row.userID == "" && row.email() == "" {
		im.fail(RowError{Line: line, Reason: "gives neither a userId nor an email"})
		return row, false
	}
	return row, true
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

// segmentIDs returns the ids of the segments a row names, creating those
// that do not exist.
func (im *importer) segmentIDs(row *importRow) ([]string, error) {
	var ids []string
	for _, name := range row.segs {
		id, ok := im.segs[name]
		if ok && id == "" {
			return nil, &store.FieldError{Field: "segments", Rule: fmt.Sprintf("segment %q is a saved filter: its members cannot be added", name)}
		}
		if !ok {
			s, err := im.st.CreateSegment(im.ctx, name)
			if err != nil {
				return nil, err
			}
			id = s.ID
			im.segs[name] = id
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// write stores a batch of rows: it finds who exists, merges rows about the
// same new user, creates the new users together and updates the others.
func (im *importer) write(rows []importRow) error {
	if err := im.ctx.Err(); err != nil {
		return err
	}
	var fresh []store.User
	freshLines := [][]int{}
	pending := map[string]int{} // "U"+userId or "e"+email of a new user → its index in fresh
	for i := range rows {
		row := &rows[i]
		segIDs, err := im.segmentIDs(row)
		if err != nil {
			if isRowError(err) {
				im.failErr(row.line, err)
				continue
			}
			return err
		}
		// A new user named earlier in the batch takes this row too.
		if j, ok := im.pendingIndex(pending, row); ok {
			u := &fresh[j]
			if row.userID != "" && u.UserID != "" && row.userID != u.UserID {
				im.fail(RowError{Line: row.line, Reason: fmt.Sprintf("the email belongs to user %q", u.UserID)})
				continue
			}
			if all, _ := store.AddTagNames(slices.Clone(u.Tags), row.tags); len(all) > store.MaxTagsPerUser {
				im.fail(RowError{Line: row.line, Column: "tags", Reason: fmt.Sprintf("the user would have more than %d tags", store.MaxTagsPerUser)})
				continue
			}
			merged := store.MergeAttributes(maps.Clone(u.Attributes), row.attrs)
			if err := store.CheckAttributes("attributes", merged); err != nil {
				im.failErr(row.line, err)
				continue
			}
			u.Attributes = merged
			u.Tags, _ = store.AddTagNames(u.Tags, row.tags)
			u.Segments = append(u.Segments, segIDs...)
			if u.UserID == "" {
				u.UserID = row.userID
			}
			freshLines[j] = append(freshLines[j], row.line)
			im.note(pending, row, j)
			continue
		}
		old, found, err := im.existing(row)
		if err != nil {
			if isRowError(err) {
				im.failErr(row.line, err)
				continue
			}
			return err
		}
		if !found {
			tags := slices.Sorted(slices.Values(row.tags))
			fresh = append(fresh, store.User{UserID: row.userID, Attributes: row.attrs, Tags: tags, Segments: segIDs})
			freshLines = append(freshLines, []int{row.line})
			im.note(pending, row, len(fresh)-1)
			continue
		}
		if err := im.update(old, row, segIDs); err != nil {
			if isRowError(err) {
				im.failErr(row.line, err)
				continue
			}
			return err
		}
		im.res.Updated++
	}
	if len(fresh) == 0 {
		return nil
	}
	if _, err := im.st.CreateUsers(im.ctx, fresh); err == nil {
		im.res.Created += len(fresh)
		return nil
	} else if !isRowError(err) {
		return err
	}
	// One of them cannot be created: create them one by one, to refuse
	// only the rows at fault.
	for i := range fresh {
		if _, err := im.st.CreateUser(im.ctx, fresh[i]); err != nil {
			if !isRowError(err) {
				return err
			}
			for _, line := range freshLines[i] {
				im.failErr(line, err)
			}
			continue
		}
		im.res.Created++
	}
	return nil
}

func (im *importer) pendingIndex(pending map[string]int, row *importRow) (int, bool) {
	if row.userID != "" {
		if j, ok := pending["U"+row.userID]; ok {
			return j, true
		}
	}
	if e := row.email(); e != "" {
		j, ok := pending["e"+strings.ToLower(e)]
		return j, ok
	}
	return 0, false
}

func (im *importer) note(pending map[string]int, row *importRow, j int) {
	if row.userID != "" {
		pending["U"+row.userID] = j
	}
	if e := row.email(); e != "" {
		pending["e"+strings.ToLower(e)] = j
	}
}

// existing finds the user a row is about: by userId, else by email.
func (im *importer) existing(row *importRow) (store.User, bool, error) {
	if row.userID != "" {
		u, err := im.st.UserByUserID(im.ctx, row.userID)
		if err == nil {
			return u, true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return store.User{}, false, err
		}
	}
	if e := row.email(); e != "" {
		u, err := im.st.UserByEmail(im.ctx, e)
		if err == nil {
			if row.userID != "" && u.UserID != row.userID {
				return store.User{}, false, &store.FieldError{Field: store.AttrEmail, Rule: fmt.Sprintf("belongs to user %q, not %q", u.UserID, row.userID)}
			}
			return u, true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return store.User{}, false, err
		}
	}
	return store.User{}, false, nil
}

// update merges a row into an existing user. It checks what it can before
// writing, so that a refused row leaves the user as it was.
func (im *importer) update(u store.User, row *importRow, segIDs []string) error {
	merged := store.MergeAttributes(maps.Clone(u.Attributes), row.attrs)
	if err := store.CheckAttributes("attributes", merged); err != nil {
		return err
	}
	if all, _ := store.AddTagNames(slices.Clone(u.Tags), row.tags); len(all) > store.MaxTagsPerUser {
		return &store.FieldError{Field: "tags", Rule: fmt.Sprintf("the user would have more than %d tags", store.MaxTagsPerUser)}
	}
	if len(row.attrs) > 0 && !maps.Equal(merged, u.Attributes) {
		if _, err := im.st.UpdateUser(im.ctx, u.ID, row.attrs); err != nil {
			return err
		}
	}
	if len(row.tags) > 0 {
		if err := im.st.AddTags(im.ctx, row.tags, []string{u.ID}); err != nil {
			return err
		}
	}
	var missing []string
	for _, id := range segIDs {
		if !u.InSegment(id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return im.st.AddToSegments(im.ctx, missing, []string{u.ID})
	}
	return nil
}

// isRowError reports whether err is the fault of the rows written rather
// than of the store.
func isRowError(err error) bool {
	return errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound)
}
