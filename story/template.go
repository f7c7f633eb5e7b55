package story

import (
	"errors"
	"fmt"
	"strings"
)

// A Template is text with placeholders, parsed once when the bot loads.
// A placeholder is {{name}} or {{name|default}}: the value of the
// attribute or parameter called name, or, when there is none or it is
// empty, the default text (which may be empty and may not contain "}}").
// A missing name without a default renders as the empty string. Spaces
// around the name are ignored. Names follow [AttributeNamePattern].
//
// A Template is immutable and safe for concurrent use.
type Template struct {
	src   string
	parts []tmplPart
}

type tmplPart struct {
	text string // literal text, or the default when name != ""
	name string
}

// ParseTemplate parses a template. It fails on "{{" without a matching
// "}}" or with an invalid name between them.
func ParseTemplate(src string) (*Template, error) {
	t := &Template{src: src}
	rest := src
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			if rest != "" {
				t.parts = append(t.parts, tmplPart{text: rest})
			}
			return t, nil
		}
		if i > 0 {
			t.parts = append(t.parts, tmplPart{text: rest[:i]})
		}
		rest = rest[i+2:]
		j := strings.Index(rest, "}}")
		if j < 0 {
			return nil, errors.New(`"{{" without "}}"`)
		}
		inner := rest[:j]
		rest = rest[j+2:]
		name, def, _ := strings.Cut(inner, "|")
		name = strings.TrimSpace(name)
		if !validAttributeName(name) {
			return nil, fmt.Errorf("invalid placeholder {{%s}}: a name is 1 to %d letters, digits, '_' or '-'", inner, MaxAttributeNameLen)
		}
		t.parts = append(t.parts, tmplPart{name: name, text: def})
	}
}

// String returns the template's source.
func (t *Template) String() string {
	if t == nil {
		return ""
	}
	return t.src
}

// Names returns the names of the template's placeholders, in order, with
// repetitions.
func (t *Template) Names() []string {
	var names []string
	for _, p := range t.parts {
		if p.name != "" {
			names = append(names, p.name)
		}
	}
	return names
}

// Render returns the template with each placeholder replaced by
// lookup(name) when it reports a non-empty value, else by the
// placeholder's default ("" when none). A nil Template renders as "".
func (t *Template) Render(lookup func(name string) (string, bool)) string {
	if t == nil {
		return ""
	}
	if len(t.parts) == 1 && t.parts[0].name == "" {
		return t.parts[0].text
	}
	var b strings.Builder
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.text)
			continue
		}
		if v, ok := lookup(p.name); ok && v != "" {
			b.WriteString(v)
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// AttributeNamePattern is the pattern of attribute and parameter names
// (the chat API's /^[\w-]{1,128}$/).
const AttributeNamePattern = `^[\w-]{1,128}$`

func validAttributeName(s string) bool {
	if s == "" || len(s) > MaxAttributeNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
