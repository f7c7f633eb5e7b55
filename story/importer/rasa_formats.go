package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Rasa keeps its NLU training data in three formats: YAML (2.x and 3.x,
// the nlu key), Markdown (1.x, "## intent:greet" sections) and JSON (1.x,
// rasa_nlu_data). Each is read into nluItems, which the importer maps
// the same way whatever the format.

// An nluItem is one section of training data: an intent's examples, a
// synonym's words, a lookup table's elements or a regex's patterns.
type nluItem struct {
	file     string
	line     int
	kind     string // intent, synonym, lookup or regex
	name     string
	examples []nluExample
}

// An nluExample is one example of an item, with the line it is on.
type nluExample struct {
	text string
	line int
}

// yamlNLU reads the nlu key of a YAML file.
func yamlNLU(d rasaFile) []nluItem {
	var out []nluItem
	for _, v := range values(d.root, "nlu") {
		for _, item := range v.Content {
			it := nluItem{file: d.name, line: item.Line}
			for _, kind := range []string{"intent", "synonym", "lookup", "regex"} {
				if name := strings.TrimSpace(scalar(item, kind)); name != "" {
					it.kind, it.name = kind, name
					break
				}
			}
			if it.kind == "" {
				continue
			}
			it.examples = examplesOf(value(item, "examples"))
			out = append(out, it)
		}
	}
	return out
}

// examplesOf splits a block of examples ("- one\n- two") into examples,
// each with its line.
func examplesOf(n *yaml.Node) []nluExample {
	if n == nil {
		return nil
	}
	var out []nluExample
	if n.Kind == yaml.SequenceNode { // 3.x with metadata: [{text: ...}]
		for _, c := range n.Content {
			if t := strings.TrimSpace(scalar(c, "text")); t != "" {
				out = append(out, nluExample{t, c.Line})
			} else if c.Kind == yaml.ScalarNode && strings.TrimSpace(c.Value) != "" {
				out = append(out, nluExample{strings.TrimSpace(c.Value), c.Line})
			}
		}
		return out
	}
	first := n.Line
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		first++ // the block starts below its indicator
	}
	for i, l := range strings.Split(n.Value, "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimSpace(strings.TrimPrefix(l, "-"))
		if l != "" {
			out = append(out, nluExample{l, first + i})
		}
	}
	return out
}

var (
	// mdHeader is a section header of Rasa's Markdown training data,
	// "## intent:greet"; Rasa allows any spacing after the hashes.
	mdHeader = regexp.MustCompile(`^##\s*([^:]*?)\s*:\s*(.*?)\s*$`)
	// mdLooseHeader is what was likely meant as one: "# intent:x".
	mdLooseHeader = regexp.MustCompile(`^#\s*(intent|synonym|regex|lookup)\s*:`)
	// mdItem is a list item: Rasa takes "-", "*" and "+".
	mdItem = regexp.MustCompile(`^[-*+]\s*(.+)$`)
	// mdComment is an HTML comment, which Rasa strips first.
	mdComment = regexp.MustCompile(`(?s)<!--.*?--!*>`)
)

// stripComments blanks HTML comments out of Markdown, keeping the lines
// where they are.
func stripComments(src string) string {
	return mdComment.ReplaceAllStringFunc(src, func(c string) string {
		return strings.Repeat("\n", strings.Count(c, "\n"))
	})
}

// isMarkdownNLU reports whether Markdown holds NLU training data: a
// section header that names one of Rasa's sections.
func isMarkdownNLU(src string) bool {
	for _, l := range strings.Split(stripComments(src), "\n") {
		if m := mdHeader.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			switch strings.ToLower(m[1]) {
			case "intent", "synonym", "regex", "lookup":
				return true
			}
		}
	}
	return false
}

// markdownNLU reads Rasa 1.x Markdown training data, noting what Rasa
// would refuse or drop. A lookup section may name files instead of
// listing its elements, read from fsys.
func (im *rasaImport) markdownNLU(fsys fs.FS, file, src string) []nluItem {
	var out []nluItem
	var cur *nluItem
	skipping := false // in a section Rasa does not know
	for i, line := range strings.Split(stripComments(src), "\n") {
		n := i + 1
		l := strings.TrimSpace(line)
		if l == "" {
			continue
		}
		if m := mdHeader.FindStringSubmatch(l); m != nil {
			cur, skipping = nil, false
			kind := strings.ToLower(m[1])
			switch kind {
			case "intent", "synonym", "regex", "lookup":
				if m[2] == "" {
					im.noteLine(file, n, "section %q has no name: its items are left out", l)
					skipping = true
					continue
				}
				out = append(out, nluItem{file: file, line: n, kind: kind, name: m[2]})
				cur = &out[len(out)-1]
			default:
				im.noteLine(file, n, "section %q: Rasa's sections are intent, synonym, regex and lookup: its items are left out", l)
				skipping = true
			}
			continue
		}
		if strings.HasPrefix(l, "##") {
			if cur != nil || skipping {
				im.noteLine(file, n, "%q is not a section (## intent:NAME, synonym:, regex: or lookup:): the items below it are left out", l)
			}
			cur, skipping = nil, true
			continue
		}
		if mdLooseHeader.MatchString(l) {
			where := "before any section: they are left out"
			if cur != nil {
				where = fmt.Sprintf("in %s %s, as Rasa reads them", cur.kind, cur.name)
			}
			im.noteLine(file, n, "%q is not a section header (Rasa's start with ##): the examples below it stay %s", l, where)
			continue
		}
		if cur == nil {
			continue // a title, a table of contents, or a skipped section
		}
		if m := mdItem.FindStringSubmatch(l); m != nil {
			cur.examples = append(cur.examples, nluExample{strings.TrimSpace(m[1]), n})
			continue
		}
		if cur.kind == "lookup" {
			cur.examples = append(cur.examples, im.lookupFile(fsys, file, n, cur.name, l)...)
			continue
		}
		im.noteLine(file, n, "%q is not a list item (- text): Rasa skips it, and so does the importer", cut(l, 60))
	}
	return out
}

// lookupFile reads a lookup table's file, one element a line, named
// from the project's root (as Rasa reads it) or from the file naming it.
func (im *rasaImport) lookupFile(fsys fs.FS, file string, line int, table, name string) []nluExample {
	var data []byte
	var err error
	for _, p := range []string{path.Clean(name), path.Join(path.Dir(file), name)} {
		if !fs.ValidPath(p) {
			continue
		}
		if data, err = fs.ReadFile(fsys, p); err == nil {
			break
		}
	}
	if data == nil {
		im.noteLine(file, line, "lookup %s: the file %s is not in the project: its elements are not imported", table, name)
		return nil
	}
	if !utf8.Valid(data) {
		im.noteLine(file, line, "lookup %s: the file %s is not UTF-8 text: not imported", table, name)
		return nil
	}
	var out []nluExample
	for _, el := range strings.Split(string(data), "\n") {
		if el = strings.TrimSpace(el); el != "" {
			out = append(out, nluExample{el, line})
		}
	}
	return out
}

// rasaJSON is Rasa's JSON training data.
type rasaJSON struct {
	Data *struct {
		CommonExamples []struct {
			Text     string `json:"text"`
			Intent   string `json:"intent"`
			Entities []struct {
				Start  int    `json:"start"`
				End    int    `json:"end"`
				Value  any    `json:"value"`
				Entity string `json:"entity"`
				Role   string `json:"role"`
				Group  string `json:"group"`
			} `json:"entities"`
		} `json:"common_examples"`
		EntitySynonyms []struct {
			Value    string   `json:"value"`
			Synonyms []string `json:"synonyms"`
		} `json:"entity_synonyms"`
		RegexFeatures []struct {
			Name    string `json:"name"`
			Pattern string `json:"pattern"`
		} `json:"regex_features"`
		LookupTables []struct {
			Name     string          `json:"name"`
			Elements json.RawMessage `json:"elements"`
		} `json:"lookup_tables"`
	} `json:"rasa_nlu_data"`
}

// jsonNLU reads Rasa's JSON training data: examples with entities given
// by offsets are written with annotations, as the other formats write
// them. It returns nothing for JSON that is not Rasa's training data, and
// an error for training data that does not parse.
func (im *rasaImport) jsonNLU(fsys fs.FS, file string, src []byte) ([]nluItem, error) {
	var doc rasaJSON
	if err := json.Unmarshal(src, &doc); err != nil {
		if bytes.Contains(src, []byte(`"rasa_nlu_data"`)) {
			return nil, fmt.Errorf("importer: %s: %w", file, err)
		}
		return nil, nil
	}
	if doc.Data == nil {
		return nil, nil
	}
	var out []nluItem
	byIntent := map[string]int{}
	for i, ex := range doc.Data.CommonExamples {
		intent := strings.TrimSpace(ex.Intent)
		if intent == "" || strings.TrimSpace(ex.Text) == "" {
			continue
		}
		where := fmt.Sprintf("common example %d", i+1)
		text := []rune(ex.Text) // Rasa's offsets count characters
		ents := ex.Entities
		sort.SliceStable(ents, func(a, b int) bool { return ents[a].Start < ents[b].Start })
		var b strings.Builder
		at := 0
		for _, e := range ents {
			if e.Start < at || e.Start >= e.End || e.End > len(text) {
				im.r.note(file, "%s (%q): entity %s at %d-%d is outside the text or overlaps another: left out", where, cut(ex.Text, 40), e.Entity, e.Start, e.End)
				continue
			}
			b.WriteString(string(text[at:e.Start]))
			words := string(text[e.Start:e.End])
			attrs := map[string]any{"entity": e.Entity}
			if e.Value != nil && fmt.Sprint(e.Value) != words {
				attrs["value"] = e.Value
			}
			if e.Role != "" {
				attrs["role"] = e.Role
			}
			if e.Group != "" {
				attrs["group"] = e.Group
			}
			a, _ := json.Marshal(attrs)
			b.WriteString("[" + words + "]" + string(a))
			at = e.End
		}
		b.WriteString(string(text[at:]))
		k, ok := byIntent[intent]
		if !ok {
			out = append(out, nluItem{file: file, kind: "intent", name: intent})
			k = len(out) - 1
			byIntent[intent] = k
		}
		out[k].examples = append(out[k].examples, nluExample{b.String(), 0})
	}
	for _, s := range doc.Data.EntitySynonyms {
		it := nluItem{file: file, kind: "synonym", name: s.Value}
		for _, w := range s.Synonyms {
			it.examples = append(it.examples, nluExample{w, 0})
		}
		out = append(out, it)
	}
	for _, r := range doc.Data.RegexFeatures {
		out = append(out, nluItem{file: file, kind: "regex", name: r.Name, examples: []nluExample{{r.Pattern, 0}}})
	}
	for _, l := range doc.Data.LookupTables {
		it := nluItem{file: file, kind: "lookup", name: l.Name}
		var list []string
		var name string
		switch {
		case json.Unmarshal(l.Elements, &list) == nil:
			for _, el := range list {
				it.examples = append(it.examples, nluExample{el, 0})
			}
		case json.Unmarshal(l.Elements, &name) == nil:
			it.examples = im.lookupFile(fsys, file, 0, l.Name, name)
		}
		out = append(out, it)
	}
	return out, nil
}

// mdStoryStep is a step of a Markdown story: "* intent", "- action",
// "> checkpoint".
var (
	mdEvent = regexp.MustCompile(`^(\w[\w.-]*)\s*(\{.*\})?\s*$`)
)

// markdownStories reads Rasa 1.x Markdown stories ("## path", "* greet",
// "  - utter_greet") into the YAML form of the stories key, so that they
// map as 2.x stories do.
func (im *rasaImport) markdownStories(file, src string) *yaml.Node {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	var steps *yaml.Node
	str := func(v string, line int) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Line: line}
	}
	pair := func(k string, v *yaml.Node, line int) *yaml.Node {
		return &yaml.Node{Kind: yaml.MappingNode, Line: line, Content: []*yaml.Node{str(k, line), v}}
	}
	for i, line := range strings.Split(stripComments(src), "\n") {
		n := i + 1
		l := strings.TrimSpace(line)
		switch {
		case l == "":
		case strings.HasPrefix(l, "#"):
			title := strings.TrimSpace(strings.TrimLeft(l, "#"))
			steps = &yaml.Node{Kind: yaml.SequenceNode, Line: n}
			st := &yaml.Node{Kind: yaml.MappingNode, Line: n, Content: []*yaml.Node{str("story", n), str(title, n), str("steps", n), steps}}
			seq.Content = append(seq.Content, st)
		case steps == nil:
		case strings.HasPrefix(l, ">"):
			steps.Content = append(steps.Content, pair("checkpoint", str(strings.TrimSpace(l[1:]), n), n))
		case strings.HasPrefix(l, "*"):
			text := strings.TrimSpace(l[1:])
			if alts := strings.Split(text, " OR "); len(alts) > 1 {
				or := &yaml.Node{Kind: yaml.SequenceNode, Line: n}
				for _, a := range alts {
					or.Content = append(or.Content, pair("intent", str(strings.TrimSpace(a), n), n))
				}
				steps.Content = append(steps.Content, pair("or", or, n))
				continue
			}
			text = strings.TrimSpace(strings.TrimPrefix(text, "form:")) // a step inside an active form
			m := mdEvent.FindStringSubmatch(text)
			if m == nil {
				steps.Content = append(steps.Content, pair("user", str(text, n), n))
				continue
			}
			intent := strings.TrimPrefix(m[1], "/")
			step := pair("intent", str(intent, n), n)
			if m[2] != "" && m[2] != "{}" {
				step.Content = append(step.Content, str("entities", n), str(m[2], n))
			}
			steps.Content = append(steps.Content, step)
		case strings.HasPrefix(l, "-"):
			text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l[1:]), "form:"))
			m := mdEvent.FindStringSubmatch(text)
			if m == nil {
				steps.Content = append(steps.Content, pair("bot", str(text, n), n))
				continue
			}
			switch name, args := m[1], m[2]; name {
			case "form", "active_loop":
				var a struct {
					Name *string `json:"name"`
				}
				_ = json.Unmarshal([]byte(args), &a)
				v := str("null", n)
				v.Tag = "!!null"
				if a.Name != nil {
					v = str(*a.Name, n)
				}
				steps.Content = append(steps.Content, pair("active_loop", v, n))
			case "slot":
				steps.Content = append(steps.Content, pair("slot_was_set", str(args, n), n))
			default:
				if args != "" { // an event such as reset_slots{...}: noted where the story maps
					steps.Content = append(steps.Content, pair(name, str(args, n), n))
					continue
				}
				steps.Content = append(steps.Content, pair("action", str(name, n), n))
			}
		}
	}
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "stories"}, seq}}
}

// noteLine notes something at a line of a file (none when line is 0).
func (im *rasaImport) noteLine(file string, line int, format string, args ...any) {
	if line > 0 {
		file += ":" + strconv.Itoa(line)
	}
	im.r.note(file, format, args...)
}

// isProjectDoc reports whether a Markdown file is the project's own
// documentation (README.md and the like), which may quote training data
// without being any.
func isProjectDoc(p string) bool {
	base := strings.ToUpper(strings.TrimSuffix(path.Base(p), path.Ext(p)))
	for _, doc := range []string{"README", "CHANGELOG", "CHANGES", "CONTRIBUTING", "LICENSE", "CODE_OF_CONDUCT", "SECURITY", "NOTICE"} {
		if base == doc {
			return true
		}
	}
	return false
}

// isMarkdownStories reports whether Markdown holds Rasa 1.x stories: a
// "## " title followed by a user step ("* greet").
func isMarkdownStories(src string) bool {
	titled := false
	for _, l := range strings.Split(stripComments(src), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "##"):
			titled = true
		case titled && strings.HasPrefix(l, "* "):
			return true
		}
	}
	return false
}

// A repeat is a note made many times over in one file: the first is
// kept, with how many more there are.
type repeat struct {
	index, more int
}

// noteRepeated notes something at a line of a file once for each kind:
// later ones of the kind only count, so that a mistake made on every
// line of a file is one note.
func (im *rasaImport) noteRepeated(file, kind string, line int, format string, args ...any) {
	key := file + "\x00" + kind
	if r := im.repeated[key]; r != nil {
		r.more++
		return
	}
	im.noteLine(file, line, format, args...)
	im.repeated[key] = &repeat{index: len(im.r.Unmapped) - 1}
}

// flushRepeated adds to each repeated note how many more there are.
func (im *rasaImport) flushRepeated() {
	for _, r := range im.repeated {
		if r.more > 0 {
			im.r.Unmapped[r.index] += fmt.Sprintf(" (and %d more like it in this file)", r.more)
		}
	}
}
