package httpadapter

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitFrame(t *testing.T) {
	for _, c := range []struct {
		frame   string
		words   []string
		payload string
	}{
		{"who", []string{"who"}, ""},
		{"  chatusers.get   {\"limit\": 1} ", []string{"chatusers", "get"}, `{"limit": 1}`},
		{"chatusers get {}", []string{"chatusers", "get"}, "{}"},
		{`chatusers.remove-segment ["a", "b"]`, []string{"chatusers", "remove-segment"}, `["a", "b"]`},
		{"robin sv op-1 get sessions 20 0", []string{"robin", "sv", "op-1", "get", "sessions", "20", "0"}, ""},
		{"apiLogin key.with.dots", []string{"apiLogin", "key.with.dots"}, ""},
		{"", nil, ""},
	} {
		words, payload := splitFrame(c.frame)
		if !slices.Equal(words, c.words) || payload != c.payload {
			t.Errorf("%q: got %q %q, want %q %q", c.frame, words, payload, c.words, c.payload)
		}
	}
}

// FuzzSplitFrame checks that splitting never panics, that the words hold
// no space, and that the payload, when there is one, is the end of the
// frame starting with { or [.
func FuzzSplitFrame(f *testing.F) {
	for _, s := range []string{"who", "chatusers.get {\"limit\":1}", "say 1 -100 s hello there", "a.b.c [1]", " { ", "\x00 .. {"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, frame string) {
		words, payload := splitFrame(frame)
		for _, w := range words {
			if strings.Contains(w, " ") {
				t.Fatalf("%q: word %q holds a space", frame, w)
			}
		}
		if payload != "" && (!strings.HasSuffix(strings.TrimSpace(frame), payload) || (payload[0] != '{' && payload[0] != '[')) {
			t.Fatalf("%q: payload %q", frame, payload)
		}
	})
}
