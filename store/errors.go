package store

import "errors"

// Errors returned by every backend. Backends translate their own errors into
// these at their boundary, so callers test them with [errors.Is] and never
// import a backend's error values.
var (
	// ErrNotFound is returned when a user, session, thread, message or
	// segment does not exist (or a session has expired).
	ErrNotFound = errors.New("store: not found")

	// ErrConflict is returned when a record would duplicate another one's
	// unique key: a user with the same userId or the same default_email.
	ErrConflict = errors.New("store: conflict")

	// ErrInvalid is returned when input breaks a field limit. The error is a
	// *FieldError naming the field and the rule; it unwraps to ErrInvalid.
	ErrInvalid = errors.New("store: invalid input")

	// ErrClosed is returned by every call made after the store was closed.
	ErrClosed = errors.New("store: closed")

	// ErrFull is returned by writes while the store's storage is full,
	// or close enough to full that writing on would risk the data: reads
	// still work, nothing acknowledged is lost, and writes succeed again
	// once space is freed.
	ErrFull = errors.New("store: storage full")

	// ErrBusy is returned by [Sessions.Update] when a turn could not be
	// committed after many attempts because other writers kept changing the
	// same records.
	ErrBusy = errors.New("store: too many conflicting writers")
)

// A FieldError reports input that breaks a field limit of the chat API. It
// unwraps to [ErrInvalid].
type FieldError struct {
	Field string // the field, in the API's dotted form, e.g. "attributes.default_name"
	Rule  string // the rule broken, e.g. "must be 1 to 256 characters"
}

// Error implements the error interface: the field and the rule, without a
// package's name, since the engine, the store and the command line all
// report field errors of their callers' input.
func (e *FieldError) Error() string { return e.Field + ": " + e.Rule }

// Unwrap returns [ErrInvalid].
func (e *FieldError) Unwrap() error { return ErrInvalid }

func invalid(field, rule string) error { return &FieldError{Field: field, Rule: rule} }
