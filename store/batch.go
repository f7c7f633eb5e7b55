package store

import (
	"errors"
	"fmt"
	"strings"
)

// InBatch names err as about users[i] of a batch (CreateUsers): a
// FieldError's field becomes users[i].field, and conflicts and unknown
// references say which user. Backends share it so that a batch's errors
// read the same whichever stores it.
func InBatch(i int, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Field: fmt.Sprintf("users[%d].%s", i, fe.Field), Rule: fe.Rule}
	}
	if errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) {
		return fmt.Errorf("users[%d]: %w", i, err)
	}
	return err
}

// DistinctInBatch reports, as ErrConflict, the first user of a batch whose
// userId or default_email (ignoring case) an earlier one already has.
func DistinctInBatch(users []User) error {
	seen := make(map[string]int, 2*len(users))
	for i := range users {
		keys := []string{"U" + users[i].UserID}
		if e := users[i].Email(); e != "" {
			keys = append(keys, "e"+strings.ToLower(e))
		}
		for _, k := range keys {
			if j, dup := seen[k]; dup {
				what := "userId"
				if k[0] == 'e' {
					what = "attributes.default_email"
				}
				return fmt.Errorf("%w: users[%d].%s is the same as users[%d]'s", ErrConflict, i, what, j)
			}
			seen[k] = i
		}
	}
	return nil
}
