package testbed

import (
	"strings"
	"testing"
)

// TestTypo checks that Typo changes one word of five letters or more by
// one typo, the same for the same seed.
func TestTypo(t *testing.T) {
	tests := []struct {
		text string
		ok   bool
	}{
		{"what is the status of my flight", true},
		{"how do i say hello in french", true},
		{"wie spät ist es in München", true},
		{"is it on at 5", false},
		{"call 12345678", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			for seed := range uint64(50) {
				got, ok := Typo(tt.text, seed)
				if ok != tt.ok {
					t.Fatalf("Typo(%q, %d) = %q, %v; want ok %v", tt.text, seed, got, ok, tt.ok)
				}
				if again, _ := Typo(tt.text, seed); again != got {
					t.Fatalf("Typo(%q, %d) = %q, then %q", tt.text, seed, got, again)
				}
				if !ok {
					if got != tt.text {
						t.Fatalf("Typo(%q, %d) = %q, want it unchanged", tt.text, seed, got)
					}
					continue
				}
				a, b := strings.Fields(tt.text), strings.Fields(got)
				if len(a) != len(b) {
					t.Fatalf("Typo(%q, %d) = %q: %d words, want %d", tt.text, seed, got, len(b), len(a))
				}
				changed := 0
				for i := range a {
					if a[i] == b[i] {
						continue
					}
					changed++
					if len([]rune(a[i])) < TypoMinLen || !oneEdit([]rune(a[i]), []rune(b[i])) {
						t.Errorf("Typo(%q, %d): %q became %q, want one typo in a word of %d letters or more", tt.text, seed, a[i], b[i], TypoMinLen)
					}
				}
				if changed != 1 {
					t.Errorf("Typo(%q, %d) = %q: %d words changed, want 1", tt.text, seed, got, changed)
				}
			}
		})
	}
}

// oneEdit reports whether b is a with one rune dropped, inserted or
// changed, or two neighbours swapped.
func oneEdit(a, b []rune) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	switch len(a) - len(b) {
	case 0:
		if i == len(a) {
			return false
		}
		if string(a[i+1:]) == string(b[i+1:]) {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && string(a[i+2:]) == string(b[i+2:])
	case 1:
		return string(a[i+1:]) == string(b[i:])
	}
	return false
}
