package nlu

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Entity classes: a matcher trained [WithEntities] reads every value its
// extractors find in a phrase or a query, and every span an example marks,
// as one word standing for the entity ("a large latte" reads "a @size
// @drink"), so that a phrase with one value is evidence for every value
// of the entity, and a message of values alone ("a small quattro
// formaggi") matches the labels whose phrases hold such values.

// A Mark is an entity value marked in an example's text: the bytes
// Text[Start:End] stand for the entity named Entity, which [WithEntities]
// must give.
type Mark struct {
	Start, End int
	Entity     string
}

// classPrefix starts the text of an entity class token; no token
// [Tokenize] makes holds it.
const classPrefix = "\x00"

func isClass(w string) bool { return strings.HasPrefix(w, classPrefix) }

// A namedExtractor is one entity of WithEntities.
type namedExtractor struct {
	name string
	x    Extractor
}

// WithEntities gives the entities whose values stand for their entity in
// training phrases and queries, by name (the name an [Example]'s marks
// use). An extractor that would match any text, such as [System]'s "any",
// has no place here. [Load] needs the same names as [Train] had.
func WithEntities(entities map[string]Extractor) Option {
	return func(c *config) error {
		c.entities = c.entities[:0]
		for name, x := range entities {
			if strings.TrimSpace(name) == "" || x == nil {
				return errors.New("nlu: WithEntities: an entity needs a name and an extractor")
			}
			c.entities = append(c.entities, namedExtractor{name: name, x: x})
		}
		slices.SortFunc(c.entities, func(a, b namedExtractor) int { return cmp.Compare(a.name, b.name) })
		return nil
	}
}

// A span is a part of a text that stands for an entity.
type span struct {
	start, end int
	class      string // classPrefix + entity name
}

// tokens appends the tokens of text to dst, without the elided words of
// the matcher's language (see elisions), a word it writes twice read once
// (see reduplicating), with the marked spans and the
// values the matcher's extractors find each replaced by one class token.
func (m *Matcher) tokens(dst []Token, text string, marks []Mark) []Token {
	start := len(dst)
	dst = appendTokens(dst, text)
	m.an.unelide(dst[start:], text)
	dst = dst[:start+len(m.an.unreduplicate(dst[start:], text))]
	if len(m.ents) == 0 && len(marks) == 0 {
		return splitRuns(dst, start, text)
	}
	var spans []span
	for _, mk := range marks {
		spans = append(spans, span{mk.Start, mk.End, classPrefix + mk.Entity})
	}
	nm := len(spans)
	for _, e := range m.ents {
		for _, x := range e.x.Extract(text) {
			spans = append(spans, span{x.Start, x.End, classPrefix + e.name})
		}
	}
	if len(spans) == 0 {
		return splitRuns(dst, start, text)
	}
	// Marks first, then the longest value first; a span overlapping one
	// kept is dropped.
	found := spans[nm:]
	slices.SortStableFunc(found, func(a, b span) int {
		if c := cmp.Compare(b.end-b.start, a.end-a.start); c != 0 {
			return c
		}
		return cmp.Compare(a.start, b.start)
	})
	var kept []span
	for _, s := range spans {
		if !slices.ContainsFunc(kept, func(k span) bool { return s.start < k.end && k.start < s.end }) {
			kept = append(kept, s)
		}
	}
	dst = splitAtSpans(dst, start, text, kept)
	toks := dst[start:]
	out := toks[:0]
	var in []bool // per kept span: its class token is out
	in = make([]bool, len(kept))
	for _, t := range toks {
		k := slices.IndexFunc(kept, func(s span) bool { return t.Start >= s.start && t.End <= s.end })
		if k < 0 {
			out = append(out, t)
			continue
		}
		if !in[k] {
			in[k] = true
			out = append(out, Token{Text: kept[k].class, Start: kept[k].start, End: kept[k].end})
		}
	}
	return splitRuns(dst[:start+len(out)], start, text)
}

// splitAtSpans splits, from toks[from:] on, each token that an edge of a
// span cuts next to a letter of a script written without spaces
// ("我要一杯拿铁" with the value "拿铁" is "我要一杯", "拿铁"), so that
// the span's value can stand for its entity. It returns the tokens.
func splitAtSpans(toks []Token, from int, text string, spans []span) []Token {
	return spliceTokens(toks, func(i int, t Token) []Token {
		var cuts []int
		if i >= from {
			cuts = cutsIn(t, text, spans)
		}
		if cuts == nil {
			return nil
		}
		parts := []Token{}
		prev := t.Start
		for _, c := range append(cuts, t.End) {
			if w := normalizeWord(text[prev:c]); w != "" {
				parts = append(parts, Token{Text: w, Start: prev, End: c})
			}
			prev = c
		}
		return parts
	})
}

// cutsIn returns the edges of spans strictly inside the token t that have
// a letter of a script written without spaces on one side, in order; nil
// if there are none.
func cutsIn(t Token, text string, spans []span) []int {
	var cuts []int
	for _, s := range spans {
		for _, c := range [2]int{s.start, s.end} {
			if c <= t.Start || c >= t.End || slices.Contains(cuts, c) {
				continue
			}
			before, _ := utf8.DecodeLastRuneInString(text[:c])
			after, _ := utf8.DecodeRuneInString(text[c:])
			if unspaced(before) || unspaced(after) || isCJK(before) || isCJK(after) {
				cuts = append(cuts, c)
			}
		}
	}
	slices.Sort(cuts)
	return cuts
}

// entityNames returns the names of the matcher's entities, sorted.
func (m *Matcher) entityNames() []string {
	names := make([]string, len(m.ents))
	for i, e := range m.ents {
		names[i] = e.name
	}
	return names
}

// checkMarks reports marks outside their text or of unknown entities.
func checkMarks(ex Example, i int, ents []namedExtractor) error {
	for _, mk := range ex.Marks {
		switch {
		case mk.Start < 0 || mk.End > len(ex.Text) || mk.Start >= mk.End:
			return fmt.Errorf("nlu: example %d (%q): mark %d:%d is outside its text of %d bytes", i, ex.Label, mk.Start, mk.End, len(ex.Text))
		case !slices.ContainsFunc(ents, func(e namedExtractor) bool { return e.name == mk.Entity }):
			return fmt.Errorf("nlu: example %d (%q): mark of entity %q, which WithEntities does not give", i, ex.Label, mk.Entity)
		}
	}
	return nil
}
