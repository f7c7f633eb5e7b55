package engine

import (
	"strings"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/story"
)

// Entity-aware matching: a story's matcher reads the values of the
// entities its interactions' parameters use as one word per entity
// (nlu.WithEntities), a value marked in a phrase ("a [large](size) latte")
// stands for its parameter's entity, and each interaction with custom
// entities gets an evidence example made of one value of each, so that a
// message of values alone ("a small quattro formaggi") matches it.

// classEntity reports whether a parameter's entity may stand as a class
// in matching: custom entities and the system entities with a shape of
// their own. sys.any and sys.alphanumeric match nearly any word, and yes
// and no are better read as the words they are.
func classEntity(p *story.Parameter) bool {
	switch p.System {
	case "":
		return p.Custom != nil
	case "number", "integer", "email", "phone", "url":
		return true
	}
	return false
}

// storyEntities returns the extractors of the entities that stand as
// classes in the story's matcher: every custom entity of its parameters,
// and the system entities of marked parameters.
func storyEntities(s *story.Story, extract map[string]nlu.Extractor) map[string]nlu.Extractor {
	out := map[string]nlu.Extractor{}
	for _, in := range s.Interactions {
		t := target(in)
		for _, p := range t.Parameters {
			if p.Custom != nil && extract[p.Entity] != nil {
				out[p.Entity] = extract[p.Entity]
			}
		}
		for _, ph := range in.Phrases {
			for _, mk := range ph.Marks {
				p := t.Parameter(mk.Parameter)
				if p == nil || p.System == "" || !classEntity(p) {
					continue
				}
				if x, ok := extract[p.Entity]; ok {
					out[p.Entity] = x
				}
			}
		}
	}
	return out
}

// phraseMarks converts a phrase's marks to the matcher's, for the entities
// that stand as classes.
func phraseMarks(in *story.Interaction, ph story.Phrase, ents map[string]nlu.Extractor) []nlu.Mark {
	var out []nlu.Mark
	for _, mk := range ph.Marks {
		p := target(in).Parameter(mk.Parameter)
		if p == nil || !classEntity(p) || ents[p.Entity] == nil {
			continue // sys.any and the like: the words train as they are
		}
		out = append(out, nlu.Mark{Start: mk.Start, End: mk.End, Entity: p.Entity})
	}
	return out
}

// evidence returns the evidence example of an interaction whose parameters
// have custom entities: the first value of each, marked. ok is false when
// it has none.
func evidence(in *story.Interaction, ents map[string]nlu.Extractor) (ex nlu.Example, ok bool) {
	var b strings.Builder
	seen := map[string]bool{}
	for _, p := range target(in).Parameters {
		if p.Custom == nil || len(p.Custom.Values) == 0 || ents[p.Entity] == nil || seen[p.Entity] {
			continue
		}
		seen[p.Entity] = true
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		start := b.Len()
		b.WriteString(p.Custom.Values[0].Value)
		ex.Marks = append(ex.Marks, nlu.Mark{Start: start, End: b.Len(), Entity: p.Entity})
	}
	if len(ex.Marks) == 0 {
		return ex, false
	}
	ex.Label, ex.Text, ex.Evidence = in.ID, b.String(), true
	return ex, true
}

// fromMarks fills a parameter from the marks of the interaction's phrases
// that name it: a phrase "call me [Bob](name)" reads "call me Ada" as
// name=Ada. The words before the mark (up to three) must open the value in
// the query, and the words after it (up to three), if any, close it; in a
// script written without spaces each letter counts as a word ("我叫[小明](name)"
// reads "我叫王芳" as name=王芳; see nlu.Letters). It returns the value found
// by the mark with the most words around it, the first in phrase order of
// those: "私は[佐藤](name)です" reads "私は高橋です" as 高橋, where
// "[田中](name)です" alone would read 私は高橋.
func fromMarks(in *story.Interaction, param, query string) (value string, ok bool) {
	var qt []nlu.Token
	most := 0 // the words around the mark that found value
	for _, ph := range in.Phrases {
		for _, mk := range ph.Marks {
			if mk.Parameter != param {
				continue
			}
			before := words(nlu.Letters(ph.Text[:mk.Start]), -3)
			after := words(nlu.Letters(ph.Text[mk.End:]), 3)
			if len(before)+len(after) <= most {
				continue // a mark alone says nothing of where its value is
			}
			if qt == nil {
				qt = nlu.Letters(query)
			}
			for i := 0; i+len(before) <= len(qt); i++ {
				if !sameWords(qt[i:], before) {
					continue
				}
				start := i + len(before)
				end := len(qt)
				if len(after) > 0 {
					end = -1
					for j := start + 1; j+len(after) <= len(qt); j++ {
						if sameWords(qt[j:], after) {
							end = j
							break
						}
					}
				}
				if end > start {
					value, ok, most = strings.TrimSpace(query[qt[start].Start:qt[end-1].End]), true, len(before)+len(after)
					break
				}
			}
		}
	}
	return value, ok
}

// words returns the texts of the first n tokens, or of the last -n.
func words(toks []nlu.Token, n int) []string {
	if n < 0 {
		toks = toks[max(0, len(toks)+n):]
	} else {
		toks = toks[:min(n, len(toks))]
	}
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// sameWords reports whether toks starts with ws.
func sameWords(toks []nlu.Token, ws []string) bool {
	if len(toks) < len(ws) {
		return false
	}
	for i, w := range ws {
		if toks[i].Text != w {
			return false
		}
	}
	return true
}
