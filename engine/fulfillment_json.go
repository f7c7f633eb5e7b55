package engine

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendFulfillments appends the JSON of fs, byte for byte what
// json.Marshal returns (TestAppendFulfillments checks it, and
// TestAppendFulfillmentsEveryField that no field is left out), without
// reflection: a bot message's fulfillment is encoded on every rich turn.
func appendFulfillments(b []byte, fs []Fulfillment) []byte {
	if fs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFulfillment(b, &fs[i])
	}
	return append(b, ']')
}

// fulfillmentsSize estimates the length of the JSON of fs.
func fulfillmentsSize(fs []Fulfillment) int {
	n := 2
	for i := range fs {
		f := &fs[i]
		n += 64 + len(f.Type) + len(f.Message) + len(f.Title) + len(f.Subtitle) + len(f.Image) + fulfillmentsSize(f.Cards)
		for _, b := range f.Buttons {
			n += 32 + len(b.Type) + len(b.Title) + len(b.Value)
		}
		for k, v := range f.Data {
			n += 6 + len(k) + len(v)
		}
	}
	return n
}

func appendFulfillment(b []byte, f *Fulfillment) []byte {
	b = append(b, `{"type":`...)
	b = appendJSONString(b, f.Type)
	b = append(b, `,"delay":`...)
	b = strconv.AppendInt(b, int64(f.Delay), 10)
	for _, kv := range [...]struct{ k, v string }{
		{`,"message":`, f.Message}, {`,"title":`, f.Title}, {`,"subtitle":`, f.Subtitle}, {`,"image":`, f.Image},
	} {
		if kv.v != "" {
			b = append(b, kv.k...)
			b = appendJSONString(b, kv.v)
		}
	}
	if len(f.Buttons) > 0 {
		b = append(b, `,"buttons":[`...)
		for i, bt := range f.Buttons {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":`...)
			b = appendJSONString(b, bt.Type)
			b = append(b, `,"title":`...)
			b = appendJSONString(b, bt.Title)
			b = append(b, `,"value":`...)
			b = appendJSONString(b, bt.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(f.Cards) > 0 {
		b = append(b, `,"cards":`...)
		b = appendFulfillments(b, f.Cards)
	}
	if len(f.Data) > 0 {
		keys := make([]string, 0, len(f.Data))
		for k := range f.Data {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, `,"data":{`...)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, f.Data[k])
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// jsonSafe tells which ASCII bytes appendJSONString copies as they are.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		safe[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return safe
}()

// appendJSONString quotes s as encoding/json does: <, > and & escaped for
// HTML, invalid UTF-8 replaced by U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
