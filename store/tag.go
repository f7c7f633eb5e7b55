package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of tags.
const (
	MaxTag         = 64  // characters of a tag name
	MaxTagsPerUser = 100 // tags one user may have
	MaxTagsPerOp   = 100 // tags per AddTags or RemoveTags
)

// A Tag is a label operators put on users (Userbot's tag). A bot's tags
// are the names its users carry: a tag exists while at least one user has
// it.
type Tag struct {
	// ID is derived from the name (see [TagID]), so it is the same in
	// every store and never changes.
	ID string
	// Name is 1–64 characters, without control characters or leading or
	// trailing spaces; names compare exactly (case-sensitive).
	Name string
	// Users is the number of users with the tag.
	Users int
}

// TagID returns the stable 24-hex id of the tag named name: the first 12
// bytes of the SHA-256 of "tag:" and the name.
func TagID(name string) string {
	sum := sha256.Sum256([]byte("tag:" + name))
	return hex.EncodeToString(sum[:12])
}

// CheckTag checks a tag name, reporting errors under field: 1–64
// characters, no control characters, no leading or trailing space.
func CheckTag(field, name string) error {
	if err := checkLen(field, name, 1, MaxTag); err != nil {
		return err
	}
	if !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return invalid(field, fmt.Sprintf("tag %q must be valid UTF-8 without control characters", name))
	}
	if strings.TrimSpace(name) != name {
		return invalid(field, fmt.Sprintf("tag %q must not start or end with a space", name))
	}
	return nil
}

// CheckTagging checks the arguments of AddTags and RemoveTags: 1–100 tag
// names and 1–1,000 user ids.
func CheckTagging(tags, userIDs []string) error {
	if len(tags) < 1 || len(tags) > MaxTagsPerOp {
		return invalid("tags", fmt.Sprintf("must have 1 to %d entries", MaxTagsPerOp))
	}
	if len(userIDs) < 1 || len(userIDs) > MaxUsersPerOp {
		return invalid("users", fmt.Sprintf("must have 1 to %d entries", MaxUsersPerOp))
	}
	for _, t := range tags {
		if err := CheckTag("tags", t); err != nil {
			return err
		}
	}
	for _, id := range userIDs {
		if err := CheckID("users", id); err != nil {
			return err
		}
	}
	return nil
}

// AddTagNames returns tags (sorted, as a User's) with names added, and how
// many were new. It may reuse tags' array.
func AddTagNames(tags, names []string) ([]string, int) {
	added := 0
	for _, n := range names {
		i, ok := slices.BinarySearch(tags, n)
		if !ok {
			tags = slices.Insert(tags, i, n)
			added++
		}
	}
	return tags, added
}

// RemoveTagNames returns tags (sorted) without names, and how many were
// removed. It may reuse tags' array.
func RemoveTagNames(tags, names []string) ([]string, int) {
	removed := 0
	for _, n := range names {
		if i, ok := slices.BinarySearch(tags, n); ok {
			tags = slices.Delete(tags, i, i+1)
			removed++
		}
	}
	if len(tags) == 0 {
		tags = nil
	}
	return tags, removed
}
