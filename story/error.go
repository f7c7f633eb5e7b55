package story

import "fmt"

// An Error is one problem in a bot file, with its position. Load returns
// all the problems it finds joined with errors.Join; use errors.As, or
// the Unwrap() []error method of the joined error, to reach each *Error.
type Error struct {
	File string // the path in the fs.FS
	Line int    // from 1; 0 when the problem concerns the whole file
	Col  int    // from 1; 0 when unknown
	Msg  string // what is wrong, for a bot author
	Err  error  // the underlying error, or nil
}

// Error returns "file:line:col: msg", with ": err" appended when Err is set.
func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
		if e.Col > 0 {
			s += fmt.Sprintf(":%d", e.Col)
		}
	}
	s += ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }
