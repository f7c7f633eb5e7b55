package nlu

import (
	"regexp"
	"strings"
	"unicode"
)

// extractAny returns the whole message, trimmed of surrounding space.
func extractAny(text string) []Entity {
	start := len(text) - len(strings.TrimLeftFunc(text, unicode.IsSpace))
	end := len(strings.TrimRightFunc(text, unicode.IsSpace))
	if start >= end {
		return nil
	}
	return []Entity{{Name: "any", Value: text[start:end], Text: text[start:end], Start: start, End: end}}
}

// extractAlphanumeric returns the tokens that mix letters and digits, such
// as order numbers ("AP534GD12"), as typed.
func extractAlphanumeric(text string) []Entity {
	var out []Entity
	for _, t := range Tokenize(text) {
		letter, digit := false, false
		for _, r := range text[t.Start:t.End] {
			letter = letter || unicode.IsLetter(r)
			digit = digit || unicode.IsDigit(r)
		}
		if letter && digit {
			s := text[t.Start:t.End]
			out = append(out, Entity{Name: "alphanumeric", Value: s, Text: s, Start: t.Start, End: t.End})
		}
	}
	return out
}

var (
	emailRE = regexp.MustCompile(`(?i)[a-z0-9.!#$%&'*+/=?^_{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,}`)
	urlRE   = regexp.MustCompile(`(?i)\b(?:https?://[^\s<>"]+|www\.[^\s<>"]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|app|co|edu|gov|info|biz|me|ai|uk|de|fr|es|it|nl|pl|ru|se|no|hu|eu|us|ca|au)(?:/[^\s<>"]*)?)\b/?`)
	phoneRE = regexp.MustCompile(`(?:\+|\b00)?\(?\d[\d\s().-]{5,}\d\b`)
)

func extractRE(name string, re *regexp.Regexp, text string, trim string) []Entity {
	var out []Entity
	for _, loc := range re.FindAllStringIndex(text, -1) {
		s, e := loc[0], loc[1]
		for e > s && strings.ContainsRune(trim, rune(text[e-1])) {
			e--
		}
		out = append(out, Entity{Name: name, Value: text[s:e], Text: text[s:e], Start: s, End: e})
	}
	return out
}

func extractEmail(text string) []Entity {
	out := extractRE("email", emailRE, text, ".")
	for i := range out {
		out[i].Value = strings.ToLower(out[i].Value)
	}
	return out
}

// extractURL returns web addresses: with a scheme, starting with "www.",
// or a bare domain under a common top-level domain. The domain of an email
// address is not a URL.
func extractURL(text string) []Entity {
	emails := extractEmail(text)
	var out []Entity
next:
	for _, e := range extractRE("url", urlRE, text, ".,;:!?)'\"") {
		for _, m := range emails {
			if e.Start < m.End && m.Start < e.End {
				continue next
			}
		}
		if strings.Contains(e.Text, "@") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// extractPhone returns phone numbers: 7 to 15 digits, optionally with a
// leading + and separators (spaces, dots, dashes, parentheses). Value keeps
// the + and the digits only.
func extractPhone(text string) []Entity {
	var out []Entity
	for _, e := range extractRE("phone", phoneRE, text, " .-(") {
		var b strings.Builder
		n := 0
		for _, r := range e.Text {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
				n++
			} else if r == '+' && b.Len() == 0 {
				b.WriteRune(r)
			}
		}
		if n < 7 || n > 15 {
			continue
		}
		e.Value = b.String()
		out = append(out, e)
	}
	return out
}
