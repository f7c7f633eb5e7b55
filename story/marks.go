package story

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// A Mark is an entity value marked in a training phrase, written as Rasa
// writes it: "a [large](size) latte" marks "large" as a value of the
// interaction's parameter size. The phrase trains on its text without the
// brackets ("a large latte"); the mark tells the matcher that the words
// stand for any value of the parameter's entity, and the engine which
// parameter such a value fills.
type Mark struct {
	// Parameter names one of the interaction's parameters.
	Parameter string
	// Start and End are the byte offsets of the value in [Phrase.Text].
	Start, End int
}

// parseMarks splits a training phrase into its text and its marks, with
// the byte offset in s of each mark's '['. A backslash makes the next
// bracket or parenthesis literal. On a malformed mark it returns the byte
// offset of the fault in s and what is wrong.
func parseMarks(s string) (text string, marks []Mark, opens []int, errAt int, msg string) {
	if !strings.ContainsAny(s, "[]\\") {
		return s, nil, nil, 0, ""
	}
	var b strings.Builder
	open := -1 // offset in s of the open '[', or -1
	start := 0 // offset in b where the marked value starts
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("[]()\\", s[i+1]) >= 0:
			i++
			b.WriteByte(s[i])
		case c == '[':
			if open >= 0 {
				return "", nil, nil, i, "a mark cannot hold another '[' (write \\[ for a literal bracket)"
			}
			open, start = i, b.Len()
		case c == ']':
			if open < 0 {
				return "", nil, nil, i, "']' closes no '[' (write \\] for a literal bracket)"
			}
			if i+1 >= len(s) || s[i+1] != '(' {
				return "", nil, nil, i, "a marked value needs its parameter right after it: [value](parameter)"
			}
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				return "", nil, nil, i + 1, "'(' of a mark is never closed: [value](parameter)"
			}
			param := s[i+2 : i+2+end]
			if !nameRE.MatchString(param) {
				return "", nil, nil, i + 2, fmt.Sprintf("%q is not a parameter name: [value](parameter)", param)
			}
			value := b.String()[start:]
			if strings.TrimSpace(value) == "" {
				return "", nil, nil, open, "a mark needs a value between its brackets: [value](parameter)"
			}
			marks = append(marks, Mark{Parameter: param, Start: start, End: b.Len()})
			opens = append(opens, open)
			open = -1
			i += 2 + end
		default:
			b.WriteByte(c)
		}
	}
	if open >= 0 {
		return "", nil, nil, open, "'[' is never closed: [value](parameter)"
	}
	return b.String(), marks, opens, 0, ""
}

var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// markLikeRE finds what reads as a [value](parameter) mark in a line of a
// bot file, to explain a YAML syntax error that its brackets cause.
var markLikeRE = regexp.MustCompile(`\[[^\]\[]+\]\([\w.-]+\)`)

// literalRE finds template braces, a {name} placeholder and
// Dialogflow-style @entity references, which in a training phrase are
// only text.
var literalRE = regexp.MustCompile(`\{\{[^}]*\}\}|\{[A-Za-z_][A-Za-z0-9_.-]*\}|(?:^|\s)@[A-Za-z_][A-Za-z0-9_.-]*`)

// HasWords reports whether a training phrase (its text, marks reduced to
// their values) holds something the matcher reads: a letter, a digit, a
// combining mark or a symbol (an emoji, "$", "+"). Punctuation and space
// alone ("?", "...") give the matcher nothing to train on.
func HasWords(text string) bool {
	for _, r := range text {
		if r == utf8.RuneError {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.So, unicode.Sc, unicode.Sm, unicode.Co) {
			return true
		}
	}
	return false
}

// phrases decodes the says or keywords of an interaction: each item's
// marks, with an error at the fault of a malformed one and a warning for
// template braces or @entity written as text.
func (d *dec) phrases(v *yaml.Node, key string, in *Interaction, lang string) {
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = d.seq(v, key, 0, MaxPhrases)
	}
	for _, c := range items {
		raw, ok := d.str(c, key, MaxQueryLen)
		if !ok {
			continue
		}
		p := Phrase{Text: raw, Keyword: key == "keywords", Language: lang}
		text, marks, opens, at, msg := parseMarks(raw)
		switch {
		case msg != "":
			d.errorAt(c, at, "%s %q: %s", key, raw, msg)
			continue
		case len(marks) > 0 && p.Keyword:
			d.errorf(c, "keywords %q: keyword patterns take no marks; mark values in says", raw)
			continue
		}
		if !HasWords(text) {
			d.errorf(c, "%s %q has no word, number or symbol to match on: the matcher cannot train on punctuation alone", key, raw)
			continue
		}
		p.Text, p.Marks = text, marks
		for k, m := range marks {
			if inWord(text, m.Start, m.End) {
				d.warnAt(c, opens[k], "%s %q: mark [%s](%s) is part of a word: the matcher reads the whole word as written, not as the entity; leave a space on each side of the mark, or mark the whole word", key, raw, text[m.Start:m.End], m.Parameter)
			}
		}
		// Only a phrase with "{" or "@" can hold a literal, and most have
		// neither; the regexp took half of loading a 15,000-phrase bot.
		if strings.ContainsAny(raw, "{@") {
			for _, loc := range literalRE.FindAllStringIndex(raw, -1) {
				lit := strings.TrimSpace(raw[loc[0]:loc[1]])
				d.warnAt(c, loc[0]+strings.Index(raw[loc[0]:], lit), "%s %q: %s is matched as literal text; mark an entity value as [value](parameter)", key, raw, lit)
			}
		}
		in.Phrases = append(in.Phrases, p)
		if len(marks) > 0 {
			d.l.marks = append(d.l.marks, markUse{in: in, p: len(in.Phrases) - 1, node: c, file: d.file, raw: raw, opens: opens})
		}
	}
}

// A markUse is a phrase with marks, checked once the interaction's
// parameters are known.
type markUse struct {
	in    *Interaction
	p     int // index in in.Phrases
	node  *yaml.Node
	file  string
	raw   string // the phrase as written
	opens []int  // the offset in raw of each mark's '['
}

// inWord reports whether text[start:end] begins or ends inside a word: a
// letter or digit right before or after it. An apostrophe before it, as
// in French "d'[eau](drink)", is a word's edge, and so is any letter of a
// script written without spaces ("ピザを[2](n)枚"), where a mark cannot be
// a word of its own.
func inWord(text string, start, end int) bool {
	isWord := func(r rune) bool {
		return (unicode.IsLetter(r) || unicode.IsDigit(r)) &&
			!unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && isWord(r) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[end:])
	return end < len(text) && isWord(r)
}

// checkMarks refuses marks that name no parameter of their interaction.
func (l *loader) checkMarks() {
	for _, u := range l.marks {
		ph := u.in.Phrases[u.p]
		in := u.in
		if in.Reference != nil {
			in = in.Reference // whose parameters apply
		}
		for k, m := range ph.Marks {
			if in.Parameter(m.Parameter) != nil {
				continue
			}
			var names []string
			for _, p := range in.Parameters {
				names = append(names, p.Name)
			}
			hint := "it has no parameters"
			if len(names) > 0 {
				hint = "its parameters: " + strings.Join(names, ", ")
			}
			line, col := scalarPos(u.node, u.opens[k])
			l.errs = append(l.errs, &Error{File: u.file, Line: line, Col: col,
				Msg: fmt.Sprintf("says %q: mark [%s](%s) names no parameter of interaction %q (%s)", u.raw, ph.Text[m.Start:m.End], m.Parameter, u.in.Name, hint)})
		}
	}
}

// errorAt reports an error at byte offset off of a one-line scalar's
// value; for other scalars, at the scalar.
func (d *dec) errorAt(n *yaml.Node, off int, format string, args ...any) {
	line, col := scalarPos(n, off)
	d.l.errs = append(d.l.errs, &Error{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// warnAt records a warning as errorAt records an error.
func (d *dec) warnAt(n *yaml.Node, off int, format string, args ...any) {
	line, col := scalarPos(n, off)
	d.l.bot.Warnings = append(d.l.bot.Warnings, &Error{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func scalarPos(n *yaml.Node, off int) (int, int) {
	if strings.Contains(n.Value, "\n") {
		return n.Line, n.Column
	}
	switch n.Style {
	case 0:
		return n.Line, n.Column + off
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if !strings.ContainsAny(n.Value, `\'"`) {
			return n.Line, n.Column + 1 + off
		}
	}
	return n.Line, n.Column
}
